// Reading TOML files written by people: every problem names the file, the line, the place and what
// was expected (shared by the accelerator, search-space and run-config loaders).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <toml++/toml.h>
#include <vector>

namespace elaa::toml_read {

std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");
std::string type_name(const toml::node& node);

// Where we are in the file, for messages: "<file>:<line>: <place>: <what>".
struct Place {
    const std::string& source;
    std::string name;  // "top level", "[array]", "memory 'sram_2MB'", ...

    [[noreturn]] void fail(const toml::source_region& where, const std::string& what) const;
    [[noreturn]] void fail(const toml::node& node, const std::string& what) const { fail(node.source(), what); }
    Place inner(std::string inner_name) const { return Place{source, std::move(inner_name)}; }
};

// Rejects keys outside `accepted` (typos), listing the accepted ones and the closest match.
void check_keys(const toml::table& table, std::initializer_list<std::string_view> accepted, const Place& place);
const toml::node& required(const toml::table& table, std::string_view key, std::string_view expected, const Place& place);
std::string as_string(const toml::node& node, std::string_view key, const Place& place);
double as_number(const toml::node& node, std::string_view key, const Place& place);
std::int64_t as_integer(const toml::node& node, std::string_view key, const Place& place);
bool as_bool(const toml::node& node, std::string_view key, const Place& place);
double positive(const toml::node& node, std::string_view key, std::string_view unit, const Place& place);
double non_negative(const toml::node& node, std::string_view key, const Place& place);
const toml::array& as_array(const toml::node& node, std::string_view key, std::string_view element, const Place& place);
std::vector<std::string> string_array(const toml::node& node, std::string_view key, const Place& place);

// Parses a whole file or text; a syntax error becomes an InputError "<source>:<line>:<column>: ...".
toml::table parse_file(const std::string& path);
toml::table parse_text(std::string_view text, const std::string& source);

}  // namespace elaa::toml_read
