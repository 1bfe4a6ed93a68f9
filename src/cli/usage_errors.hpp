// Command-line errors in elaa's words: one `elaa: error:` line naming the option, the value given
// and what is accepted, for every CLI11 parse failure (CLI11's own texts and exit codes are not the
// documented contract: docs/errors.md, exit status 1).
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace elaa::cli {

// Accepts a whole number in [min, max]; the check runs on the text, before CLI11 converts it, so
// "abc", "1.5" and "-3" get the same message as an out-of-range number.
CLI::Validator whole_number(std::int64_t min, std::int64_t max = INT64_MAX);

// Accepts exactly one of `choices`.
CLI::Validator one_of(std::vector<std::string> choices);

// Accepts a comma-separated list of `choices` (at least one).
CLI::Validator list_of(std::vector<std::string> choices);

// For flags: accepts the flag alone or given one of true/false, yes/no, on/off, 1/0.
CLI::Validator boolean_word();

// The message for a parse error (without the `elaa: error:` prefix). `argv` lets an unknown
// subcommand be named, which CLI11 reports only as "a subcommand is required".
std::string usage_error_message(const CLI::App& app, const CLI::ParseError& error, int argc, char** argv);

// Prints the error line and the --help hint to stderr and returns the exit status (1); help and
// version requests print as CLI11 does and return 0.
int report_parse_error(const CLI::App& app, const CLI::ParseError& error, int argc, char** argv);

// Prints `message` as a command-line error of `command` (a check CLI11 cannot express) and returns 1.
int report_usage_error(const CLI::App& command, const std::string& message);

}  // namespace elaa::cli
