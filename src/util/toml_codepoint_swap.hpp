// A workaround for undefined behaviour in TOML++ 3.3.0 (Debian 12) on some non-ASCII characters.
//
// TOML++ decides whether a non-ASCII code point is whitespace with a generated range table that has
// no case for U+00A1–U+0499, U+2C5E–U+2FFF, U+3001–U+3057 and U+FB26–U+FEFE: the lookup falls into
// __builtin_unreachable() (upstream marzer/tomlplusplus #190 and #295, fixed after 3.3). The parser
// runs that test wherever whitespace may appear: between tokens, inside a malformed token, after a
// backslash in a string. Predicting where the parser looks means re-implementing its state machine
// (an earlier scanner did, and fuzzing kept finding states it missed). Instead the parser is handed
// a text without those code points: each distinct one is swapped for a private-use code point the
// text does not use, and swapped back in the parsed keys, strings and error messages. To the parser
// both are "not whitespace, not a key character, allowed in strings and comments", and both are one
// code point (its columns count code points), so the parse and its error positions are unchanged.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <toml++/toml.h>

namespace elaa::toml_read {

// Whether TOML++ 3.3.0's whitespace test is undefined for `c` (replicates its table's arithmetic;
// tests/test_toml_codepoint_swap.cpp checks it against the real function for every code point).
bool whitespace_test_undefined(char32_t c);

class CodePointSwap {
public:
    // Refuses text that is not valid UTF-8 (InputError "<source>:<line>:<column>: ..."), which TOML
    // requires and without which the swap could not know the code points the parser will see.
    CodePointSwap(std::string_view text, const std::string& source);

    // The text to parse: `text` with every undefined-test code point swapped.
    const std::string& safe_text() const { return safe_text_; }

    // Swaps the original code points back in, in place.
    void restore(std::string& text) const;
    // The same for a TOML++ error description, which may also quote a character as \uXXXX.
    void restore_message(std::string& message) const;
    void restore(toml::table& table) const;

private:
    void restore(toml::node& node) const;
    // Joins two nodes of one key that differ only in how the key was written: tables merge, arrays
    // of tables concatenate in document order, anything else is a duplicate key (InputError).
    void join(toml::node& into, toml::node& from, const std::string& key, const toml::source_region& where) const;

    std::string source_;
    std::string safe_text_;
    std::map<char32_t, char32_t> original_of_;  // substitute -> original; empty for most files
};

}  // namespace elaa::toml_read
