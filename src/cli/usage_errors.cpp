#include "cli/usage_errors.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>

#include <charconv>
#include <iostream>
#include <iterator>
#include <regex>
#include <sstream>
#include <vector>

namespace elaa::cli {

namespace {

std::string describe_range(std::int64_t min, std::int64_t max) {
    if (max == INT64_MAX) return fmt::format("a whole number >= {}", min);
    return fmt::format("a whole number from {} to {}", min, max);
}

std::string subcommand_names(const CLI::App& app) {
    std::string names;
    for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; }))
        names += (names.empty() ? "" : ", ") + sub->get_name();
    return names;
}

// The subcommand the user named (the deepest one parsed), or the app itself.
const CLI::App& parsed_command(const CLI::App& app) {
    for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; }))
        if (sub->parsed()) return *sub;
    return app;
}

}  // namespace

CLI::Validator whole_number(std::int64_t min, std::int64_t max) {
    const std::string accepted = describe_range(min, max);
    return CLI::Validator(
        [=](std::string& text) -> std::string {
            std::int64_t value = 0;
            const auto* end = text.data() + text.size();
            const auto [ptr, ec] = std::from_chars(text.data(), end, value);
            if (ec != std::errc() || ptr != end || value < min || value > max)
                return fmt::format("expected {}, got '{}'", accepted, text);
            return {};
        },
        "");  // the help text says what the option means; the type name stays INT
}

CLI::Validator one_of(std::vector<std::string> choices) {
    return CLI::Validator(
        [choices](std::string& text) -> std::string {
            if (std::find(choices.begin(), choices.end(), text) != choices.end()) return {};
            return fmt::format("expected one of {}, got '{}'", fmt::join(choices, ", "), text);
        },
        "");
}

CLI::Validator list_of(std::vector<std::string> choices) {
    return CLI::Validator(
        [choices](std::string& text) -> std::string {
            const auto items = CLI::detail::split(text, ',');
            for (const auto& item : items)
                if (std::find(choices.begin(), choices.end(), item) == choices.end())
                    return fmt::format("expected a comma-separated list of {}, got '{}'{}", fmt::join(choices, ", "),
                                       item, item == text ? "" : fmt::format(" in '{}'", text));
            return {};
        },
        "");
}

CLI::Validator boolean_word() {
    return CLI::Validator(
        [](std::string& text) -> std::string {
            static const std::vector<std::string> words{"true", "false", "yes", "no", "on", "off", "1", "0"};
            std::string lower = text;
            std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
            if (std::find(words.begin(), words.end(), lower) != words.end()) return {};
            return fmt::format("a flag takes no value or one of {}, got '{}'", fmt::join(words, ", "), text);
        },
        "");
}

std::string usage_error_message(const CLI::App& app, const CLI::ParseError& error, int argc, char** argv) {
    const std::string what = error.what();
    const auto& command = parsed_command(app);
    const std::string where = &command == &app ? "" : command.get_name() + ": ";
    std::smatch m;
    // Our validators already say what they accept: "--batch: expected a whole number >= 1, got '0'".
    if (dynamic_cast<const CLI::ValidationError*>(&error)) return where + what;
    if (dynamic_cast<const CLI::RequiredError*>(&error)) {
        if (what == "A subcommand is required") {
            if (argc > 1 && argv[1][0] != '-')
                return fmt::format("unknown command '{}'; commands are {}", argv[1], subcommand_names(app));
            if (argc > 1) return fmt::format("unknown option '{}'", argv[1]);
            return "a command is required: one of " + subcommand_names(app);
        }
        static const std::regex required(R"((\S+) is required)");
        if (std::regex_match(what, m, required)) return fmt::format("{}{} is required", where, m[1].str());
    }
    if (dynamic_cast<const CLI::ExtrasError*>(&error)) {
        static const std::regex extras(R"(The following arguments? (?:was|were) not expected: (.*))");
        if (std::regex_search(what, m, extras)) {
            // CLI11 lists the extras last first; the first one the user typed is what went wrong.
            std::istringstream words(m[1].str());
            std::vector<std::string> extras{std::istream_iterator<std::string>(words), {}};
            const std::string first = extras.empty() ? "" : extras.back();
            if (!first.empty() && first[0] == '-') return fmt::format("{}unknown option '{}'", where, first);
            return fmt::format("{}unexpected argument '{}'", where, first);
        }
    }
    if (dynamic_cast<const CLI::ArgumentMismatch*>(&error)) {
        static const std::regex missing(R"((\S+): \d+ required .* missing)");
        if (std::regex_match(what, m, missing)) return fmt::format("{}{} needs a value", where, m[1].str());
    }
    if (dynamic_cast<const CLI::ExcludesError*>(&error)) {
        static const std::regex excludes(R"((\S+) excludes (\S+))");
        if (std::regex_match(what, m, excludes))
            return fmt::format("{}{} and {} cannot be given together", where, m[1].str(), m[2].str());
    }
    return where + what;  // a CLI11 message we have no wording for: still one line, still exit 1
}

int report_usage_error(const CLI::App& command, const std::string& message) {
    const std::string help = command.get_parent() ? "elaa " + command.get_name() + " --help" : "elaa --help";
    std::cerr << "elaa: error: " << message << "\n"
              << "Run '" << help << "' for the accepted options.\n";
    return 1;
}

int report_parse_error(const CLI::App& app, const CLI::ParseError& error, int argc, char** argv) {
    if (error.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(error);
    return report_usage_error(parsed_command(app), usage_error_message(app, error, argc, argv));
}

}  // namespace elaa::cli
