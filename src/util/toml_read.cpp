#include "util/toml_read.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "util/error.hpp"
#include "util/suggest.hpp"
#include "util/toml_codepoint_swap.hpp"

namespace elaa::toml_read {

std::string join(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (const auto& item : items) out += (out.empty() ? "" : std::string(separator)) + item;
    return out;
}

std::string type_name(const toml::node& node) {
    switch (node.type()) {
        case toml::node_type::string: return "a string";
        case toml::node_type::integer: return "an integer";
        case toml::node_type::floating_point: return "a floating-point number";
        case toml::node_type::boolean: return "a boolean";
        case toml::node_type::array: return "an array";
        case toml::node_type::table: return "a table";
        default: return "a date/time";
    }
}

void Place::fail(const toml::source_region& where, const std::string& what) const {
    throw InputError(fmt::format("{}:{}: {}: {}", source, where.begin.line, name, what));
}

namespace {

// Whether a misspelt key is close enough to a candidate to suggest it: a few edits away, or the
// candidate without/with its unit suffix ("frequency" for "frequency_mhz").
bool looks_like(std::string_view typed, std::string_view candidate) {
    if (candidate.find(typed) != std::string_view::npos || typed.find(candidate) != std::string_view::npos) return true;
    return edit_distance(typed, candidate) <= std::max<std::size_t>(2, typed.size() / 3);
}

}  // namespace

void check_keys(const toml::table& table, std::initializer_list<std::string_view> accepted, const Place& place) {
    const std::vector<std::string> names(accepted.begin(), accepted.end());
    for (auto&& [key, node] : table) {
        if (std::find(names.begin(), names.end(), key.str()) != names.end()) continue;
        std::string message = fmt::format("unknown key '{}'; accepted keys here: {}", key.str(), join(names));
        const auto close = closest_names(key.str(), names, 1);
        if (!close.empty() && looks_like(key.str(), close.front()))
            message += fmt::format(" (did you mean '{}'?)", close.front());
        place.fail(key.source(), message);
    }
}

const toml::node& required(const toml::table& table, std::string_view key, std::string_view expected,
                           const Place& place) {
    const toml::node* node = table.get(key);
    if (!node) place.fail(table, fmt::format("missing key '{}' ({})", key, expected));
    return *node;
}

std::string as_string(const toml::node& node, std::string_view key, const Place& place) {
    if (!node.is_string()) place.fail(node, fmt::format("'{}' must be a string, got {}", key, type_name(node)));
    return std::string(*node.value<std::string_view>());
}

double as_number(const toml::node& node, std::string_view key, const Place& place) {
    if (!node.is_number()) place.fail(node, fmt::format("'{}' must be a number, got {}", key, type_name(node)));
    return *node.value<double>();
}

std::int64_t as_integer(const toml::node& node, std::string_view key, const Place& place) {
    if (!node.is_integer()) place.fail(node, fmt::format("'{}' must be an integer, got {}", key, type_name(node)));
    return *node.value<std::int64_t>();
}

bool as_bool(const toml::node& node, std::string_view key, const Place& place) {
    if (!node.is_boolean()) place.fail(node, fmt::format("'{}' must be true or false, got {}", key, type_name(node)));
    return *node.value<bool>();
}

double positive(const toml::node& node, std::string_view key, std::string_view unit, const Place& place) {
    const double value = as_number(node, key, place);
    if (!(value > 0)) place.fail(node, fmt::format("'{}' must be positive ({}), got {}", key, unit, value));
    return value;
}

double non_negative(const toml::node& node, std::string_view key, const Place& place) {
    const double value = as_number(node, key, place);
    if (!(value >= 0)) place.fail(node, fmt::format("'{}' must be zero or positive, got {}", key, value));
    return value;
}

const toml::array& as_array(const toml::node& node, std::string_view key, std::string_view element,
                            const Place& place) {
    if (!node.is_array())
        place.fail(node, fmt::format("'{}' must be an array of {}, got {}", key, element, type_name(node)));
    return *node.as_array();
}

std::vector<std::string> string_array(const toml::node& node, std::string_view key, const Place& place) {
    std::vector<std::string> out;
    for (const auto& element : as_array(node, key, "strings", place)) {
        if (!element.is_string())
            place.fail(element, fmt::format("'{}' must hold strings, found {}", key, type_name(element)));
        out.emplace_back(*element.value<std::string_view>());
    }
    return out;
}

toml::table parse_text(std::string_view text, const std::string& source) {
    const CodePointSwap swap(text, source);  // keeps TOML++ 3.3 away from its UB (toml_codepoint_swap.hpp)
    try {
        toml::table table = toml::parse(swap.safe_text(), source);
        swap.restore(table);
        return table;
    } catch (const toml::parse_error& e) {
        std::string description(e.description());
        swap.restore_message(description);
        throw InputError(fmt::format("{}:{}:{}: TOML syntax error: {}", source, e.source().begin.line,
                                     e.source().begin.column, description));
    }
}

toml::table parse_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw InputError(path + ": cannot read the file");
    std::stringstream text;
    text << in.rdbuf();
    return parse_text(text.str(), path);
}

}  // namespace elaa::toml_read
