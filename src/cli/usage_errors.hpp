// Command-line errors in elaa's words: one `elaa: error:` line naming the option, the value given
// and what is accepted, for every CLI11 parse failure (CLI11's own texts and exit codes are not the
// documented contract: docs/errors.md, exit status 1).
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>

namespace elaa::cli {

// Accepts a whole number in [min, max]; the check runs on the text, before CLI11 converts it, so
// "abc", "1.5" and "-3" get the same message as an out-of-range number.
CLI::Validator whole_number(std::int64_t min, std::int64_t max = INT64_MAX);

// The message for a parse error (without the `elaa: error:` prefix). `argv` lets an unknown
// subcommand be named, which CLI11 reports only as "a subcommand is required".
std::string usage_error_message(const CLI::App& app, const CLI::ParseError& error, int argc, char** argv);

// Prints the error line and the --help hint to stderr and returns the exit status (1); help and
// version requests print as CLI11 does and return 0.
int report_parse_error(const CLI::App& app, const CLI::ParseError& error, int argc, char** argv);

// Prints `message` as a command-line error of `command` (a check CLI11 cannot express) and returns 1.
int report_usage_error(const CLI::App& command, const std::string& message);

}  // namespace elaa::cli
