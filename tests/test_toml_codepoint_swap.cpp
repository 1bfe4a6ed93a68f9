// The TOML++ 3.3 workaround (src/util/toml_codepoint_swap.hpp): the predicate matches the library,
// and swapping is invisible to the reader of the parsed table and of the error messages.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "util/error.hpp"
#include "util/toml_codepoint_swap.hpp"
#include "util/toml_read.hpp"

using elaa::InputError;
using elaa::toml_read::CodePointSwap;
using elaa::toml_read::parse_text;
using elaa::toml_read::whitespace_test_undefined;

namespace {

std::string error_of(const std::string& text) {
    try {
        parse_text(text, "t.toml");
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("toml swap: the predicate marks exactly the code points TOML++ 3.3 has no answer for", "[toml]") {
    // Ranges derived by hand from the generated table (chunks 0, 11 and 63 of 0x3FA code points
    // from U+00A0, minus the three answered before it).
    std::vector<std::pair<char32_t, char32_t>> ranges;
    for (char32_t c = 0; c <= 0x10FFFF; ++c) {
        if (!whitespace_test_undefined(c)) continue;
        if (!ranges.empty() && ranges.back().second + 1 == c) ranges.back().second = c;
        else ranges.emplace_back(c, c);
    }
    const std::vector<std::pair<char32_t, char32_t>> expected{
        {0x00A1, 0x0499}, {0x2C5E, 0x2FFF}, {0x3001, 0x3057}, {0xFB26, 0xFEFE}};
    CHECK(ranges == expected);
    // Everywhere else the library's test is defined (the asan build's UBSan would stop here if not)
    // and answers Unicode's horizontal whitespace.
    std::vector<char32_t> whitespace;
    for (char32_t c = 0x80; c <= 0x10FFFF; ++c)
        if (!whitespace_test_undefined(c) && toml::impl::is_non_ascii_horizontal_whitespace(c)) whitespace.push_back(c);
    const std::vector<char32_t> unicode_spaces{0x00A0, 0x1680, 0x180E, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004,
                                               0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A, 0x200B, 0x202F,
                                               0x205F, 0x2060, 0x3000, 0xFEFF};
    CHECK(whitespace == unicode_spaces);
}

TEST_CASE("toml swap: the parser never sees an undefined code point, the reader sees the original", "[toml]") {
    const std::string text = "\"k\u00e9y\u3001\" = 'a\u00a1b'\n# \u00b5m\u00b2\nlist = [\"\u00e9\", { \"\u00e9\" = \"\uFB30\" }]\n"
                             "plain = \"\u00e9\u00e9\\u00e9\"\n";
    const CodePointSwap swap(text, "t.toml");
    // None of the swapped characters is left (UTF-8: é, 、, ¡, µ, ², אּ), and the escape stays ASCII.
    for (const char* swapped : {"\u00e9", "\u3001", "\u00a1", "\u00b5", "\u00b2", "\uFB30"})
        CHECK(swap.safe_text().find(swapped) == std::string::npos);
    CHECK(swap.safe_text().find("\\u00e9") != std::string::npos);
    const toml::table table = parse_text(text, "t.toml");
    CHECK(table["k\u00e9y\u3001"].value_or(std::string()) == "a\u00a1b");
    CHECK(table["list"][0].value_or(std::string()) == "\u00e9");
    CHECK(table["list"][1]["\u00e9"].value_or(std::string()) == "\uFB30");
    CHECK(table["plain"].value_or(std::string()) == "\u00e9\u00e9\u00e9");
    // The renamed key keeps its place in the file, for messages.
    CHECK(table.find("k\u00e9y\u3001")->first.source().begin.line == 1);
}

TEST_CASE("toml swap: errors show the original characters at their original place", "[toml]") {
    using Catch::Matchers::Contains;
    // Outside a string: TOML++'s own syntax error, with the character as written and its column.
    const std::string key = error_of("a = 1\nb\u00a1 = 1\n");
    CHECK_THAT(key, Contains("t.toml:2:2: TOML syntax error:") && Contains("\u00a1"));
    CHECK_THAT(error_of("x = \"\u00e9\" \u3001\n"), Contains("t.toml:1:9: TOML syntax error:") && Contains("\u3001"));
    // Every fuzz reproducer's shape: after a backslash, after a line-ending backslash, after a stray quote.
    CHECK_THAT(error_of("s = \"\\\u00a1\"\n"), Contains("t.toml:1:") && Contains("TOML syntax error"));
    CHECK(parse_text("s = \"\"\"\\\n\u00a7\"\"\"\n", "t.toml")["s"].value_or(std::string()) == "\u00a7");
    CHECK_THAT(error_of("a = [1\"\u013a]\n"), Contains("t.toml:1:") && Contains("TOML syntax error"));
    // TOML++ quotes some characters escaped: the original's escape, never the substitute's.
    const std::string escaped = error_of("a = 1\r\u00a1\n");
    CHECK_THAT(escaped, Contains("\\u00A1"));
    CHECK_THAT(escaped, !Contains("F0000"));
    // Text that is not UTF-8 is refused where it stops being UTF-8 (TOML requires UTF-8).
    CHECK(error_of("a = 1\nb = \"x\xC3\"\n") == "t.toml:2:7: not valid UTF-8 (TOML files must be UTF-8 text)");
    CHECK(error_of("a = \"\xC1\xA1\"\n") == "t.toml:1:6: not valid UTF-8 (TOML files must be UTF-8 text)");  // overlong
    CHECK(error_of("a = \"\xED\xA0\x80\"\n") == "t.toml:1:6: not valid UTF-8 (TOML files must be UTF-8 text)");  // surrogate
}

TEST_CASE("toml swap: escapes keep their meaning next to swapped characters", "[toml]") {
    // The first substitute would be U+F0000; an escape naming it must not come back as the swapped '¡'.
    const toml::table table = parse_text("a = \"\u00a1\"\nb = \"\\U000F0000\"\n", "t.toml");
    CHECK(table["a"].value_or(std::string()) == "\u00a1");
    CHECK(table["b"].value_or(std::string()) == "\U000F0000");
    // A quoted key written once escaped and once literally is the same key, as TOML++ would say.
    CHECK_THAT(error_of("\"\\u00e9\" = 1\n\"\u00e9\" = 2\n"),
               Catch::Matchers::Contains("t.toml:2:1: TOML syntax error: the key '\u00e9' is defined twice"));
    // ... and a table or an array of tables reached through both spellings is one, as in TOML.
    const toml::table dotted = parse_text("\"\u00e9\".a = 1\n\"\\u00e9\".b = 2\n", "t.toml");
    CHECK(dotted["\u00e9"]["a"].value_or(0) == 1);
    CHECK(dotted["\u00e9"]["b"].value_or(0) == 2);
    const toml::table arrays =
        parse_text("[[\"\u00e9\"]]\nx = 1\n[[\"\\u00e9\"]]\nx = 2\n[[\"\u00e9\"]]\nx = 3\n", "t.toml");
    REQUIRE(arrays["\u00e9"].as_array());
    CHECK(arrays["\u00e9"].as_array()->size() == 3);
    for (int i = 0; i < 3; ++i) CHECK(arrays["\u00e9"][static_cast<std::size_t>(i)]["x"].value_or(0) == i + 1);
    CHECK_THAT(error_of("\"\u00e9\".a = 1\n\"\\u00e9\".a = 2\n"),
               Catch::Matchers::Contains("t.toml:2:") && Catch::Matchers::Contains("the key 'a' is defined twice"));
}
