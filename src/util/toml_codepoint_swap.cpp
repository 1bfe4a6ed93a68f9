#include "util/toml_codepoint_swap.hpp"

#include <boost/locale/utf.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <iterator>
#include <set>
#include <tuple>
#include <utility>
#include <vector>

#include "util/error.hpp"

namespace elaa::toml_read {

namespace {

using utf8 = boost::locale::utf::utf_traits<char>;

bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

// Code points that escapes such as \u00e9 or \U0001F600 may produce, over-approximated by every
// \u/\U followed by enough hex digits: a substitute must differ from them too, or restoring would
// turn an escaped private-use character into the swapped one.
void add_escaped(std::string_view text, std::set<char32_t>& used) {
    for (std::size_t i = 0; i + 1 < text.size(); ++i) {
        if (text[i] != '\\' || (text[i + 1] != 'u' && text[i + 1] != 'U')) continue;
        const std::size_t digits = text[i + 1] == 'u' ? 4 : 8;
        const auto hex = text.substr(i + 2, digits);
        if (hex.size() == digits && std::all_of(hex.begin(), hex.end(), is_hex))
            used.insert(static_cast<char32_t>(std::stoul(std::string(hex), nullptr, 16)));
    }
}

// Private-use code points (planes 15 and 16, then the BMP's), which the whitespace test answers
// "no" for without consulting the faulty table.
class SubstitutePool {
public:
    explicit SubstitutePool(const std::set<char32_t>& used) : used_(used) {}
    bool next(char32_t& out) {
        for (; range_ < std::size(ranges); ++range_) {
            auto& [first, last] = ranges[range_];
            while (offset_ <= last - first) {
                const char32_t candidate = first + offset_++;
                if (!used_.count(candidate)) { out = candidate; return true; }
            }
            offset_ = 0;
        }
        return false;
    }

private:
    static constexpr std::pair<char32_t, char32_t> ranges[] = {
        {0xF0000, 0xFFFFD}, {0x100000, 0x10FFFD}, {0xE000, 0xF8FF}};
    const std::set<char32_t>& used_;
    std::size_t range_ = 0;
    char32_t offset_ = 0;
};

// `text` (valid UTF-8) with every code point found in `replacement` replaced.
std::string replace_code_points(std::string_view text, const std::map<char32_t, char32_t>& replacement) {
    std::string out;
    out.reserve(text.size() + text.size() / 2);
    for (auto p = text.begin(); p != text.end();) {
        const auto start = p;
        const auto c = utf8::decode(p, text.end());
        if (const auto found = replacement.find(c); found != replacement.end())
            utf8::encode(found->second, std::back_inserter(out));
        else
            out.append(start, p);
    }
    return out;
}

}  // namespace

bool whitespace_test_undefined(char32_t c) {
    // TOML++ answers U+00A0, U+3000 and U+FEFF, and everything outside (U+00A0, U+FEFF), before its
    // table. The table splits U+00A0.. into chunks of 0x3FA code points: a set bit in the mask
    // answers the chunk "no"; chunks 5 and 7 have their own case; every other chunk is unreachable.
    if (c <= 0xA0 || c >= 0xFEFF || c == 0x3000) return false;
    const std::uint64_t chunk = (static_cast<std::uint64_t>(c) - 0xA0) / 0x3FA;
    if ((0x7FFFFFFFFFFFF75Eull >> chunk) & 1) return false;
    return chunk != 5 && chunk != 7;
}

CodePointSwap::CodePointSwap(std::string_view text, const std::string& source) : source_(source) {
    // Pass 1: validate, and collect the private-use code points the text uses and the ones to swap.
    std::set<char32_t> used, to_swap;
    std::size_t line = 1, column = 1;
    for (auto p = text.begin(); p != text.end();) {
        const auto c = utf8::decode(p, text.end());
        if (c == boost::locale::utf::illegal || c == boost::locale::utf::incomplete)
            throw InputError(fmt::format("{}:{}:{}: not valid UTF-8 (TOML files must be UTF-8 text)", source,
                                         line, column));
        if (c == '\n') { ++line; column = 1; } else { ++column; }
        if (c >= 0xE000) used.insert(c);  // only private-use code points can clash with a substitute
        if (whitespace_test_undefined(c)) to_swap.insert(c);
    }
    if (to_swap.empty()) {
        safe_text_ = text;
        return;
    }
    add_escaped(text, used);
    SubstitutePool pool(used);
    std::map<char32_t, char32_t> substitute_of;
    for (char32_t original : to_swap) {
        char32_t substitute;
        if (!pool.next(substitute))
            throw InputError(source + ": uses too many distinct characters to be read (more than the "
                                      "private-use code points elaa needs to read it safely)");
        substitute_of[original] = substitute;
        original_of_[substitute] = original;
    }
    safe_text_ = replace_code_points(text, substitute_of);
}

void CodePointSwap::restore(std::string& text) const {
    if (!original_of_.empty()) text = replace_code_points(text, original_of_);
}

void CodePointSwap::restore_message(std::string& message) const {
    restore(message);
    // TOML++ also quotes a character escaped, "\U000F0000" (its escaped_codepoint: upper-case hex,
    // four digits up to U+FFFF, eight above).
    auto escaped = [](char32_t c) {
        return c > 0xFFFF ? fmt::format("\\U{:08X}", static_cast<std::uint32_t>(c))
                          : fmt::format("\\u{:04X}", static_cast<std::uint32_t>(c));
    };
    for (const auto& [substitute, original] : original_of_) {
        const std::string from = escaped(substitute), to = escaped(original);
        for (auto at = message.find(from); at != std::string::npos; at = message.find(from, at + to.size()))
            message.replace(at, from.size(), to);
    }
}

void CodePointSwap::restore(toml::node& node) const {
    if (auto* table = node.as_table()) return restore(*table);
    if (auto* array = node.as_array()) {
        for (auto& element : *array) restore(element);
    } else if (auto* string = node.as_string()) {
        restore(string->get());
    }
}

void CodePointSwap::restore(toml::table& table) const {
    if (original_of_.empty()) return;
    std::vector<std::pair<std::string, std::string>> renames;  // keys cannot change in place
    for (auto&& [key, node] : table) {
        restore(node);
        std::string restored(key.str());
        restore(restored);
        if (restored != key.str()) renames.emplace_back(key.str(), std::move(restored));
    }
    for (auto& [swapped, restored] : renames) {
        const auto entry = table.find(swapped);
        // "\u00e9" and "é" name the same key, which the parser saw as two: join them as it would have.
        if (const auto existing = table.find(restored); existing != table.end()) {
            join(existing->second, entry->second, restored, entry->first.source());
            table.erase(swapped);
            continue;
        }
        toml::key renamed(std::move(restored), entry->first.source());
        entry->second.visit([&](auto& value) { table.insert(std::move(renamed), std::move(value)); });
        table.erase(swapped);
    }
}

void CodePointSwap::join(toml::node& into, toml::node& from, const std::string& key,
                         const toml::source_region& where) const {
    if (into.is_table() && from.is_table()) {  // a table extended by dotted keys or sub-tables
        auto& target = *into.as_table();
        for (auto&& [name, value] : *from.as_table()) {
            if (auto* same = target.get(name.str())) {
                join(*same, value, std::string(name.str()), name.source());
                continue;
            }
            value.visit([&](auto& v) { target.insert(toml::key(name.str(), name.source()), std::move(v)); });
        }
        return;
    }
    if (into.is_array_of_tables() && from.is_array_of_tables()) {  // [[é]] and [["\u00e9"]] entries
        auto& target = *into.as_array();
        std::vector<toml::table> entries;
        for (auto& e : target) entries.push_back(std::move(*e.as_table()));
        for (auto& e : *from.as_array()) entries.push_back(std::move(*e.as_table()));
        std::stable_sort(entries.begin(), entries.end(), [](const toml::table& a, const toml::table& b) {
            const auto& pa = a.source().begin;
            const auto& pb = b.source().begin;
            return std::tie(pa.line, pa.column) < std::tie(pb.line, pb.column);  // document order
        });
        target.clear();
        for (auto& e : entries) target.push_back(std::move(e));
        return;
    }
    // Reported where the second definition starts, as the parser would.
    auto at = where.begin;
    if (std::tie(into.source().begin.line, into.source().begin.column) > std::tie(at.line, at.column))
        at = into.source().begin;
    throw InputError(fmt::format("{}:{}:{}: TOML syntax error: the key '{}' is defined twice", source_, at.line,
                                 at.column, key));
}

}  // namespace elaa::toml_read
