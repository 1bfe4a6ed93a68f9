#include "cli/completion.hpp"

#include <fmt/format.h>

#include <regex>
#include <stdexcept>

namespace elaa::cli {

namespace {

// One option or positional of a subcommand, as both generators need it.
struct Entry {
    std::string name;         // --arch, or NAME for a positional
    std::string description;
    bool flag = false;        // takes no value
    bool positional = false;
    const ValueHint* hint = nullptr;
    std::vector<std::string> excludes;  // names of options it cannot be given with
};

std::vector<Entry> entries(const CommandLine& command_line, const CLI::App& command) {
    std::vector<Entry> result;
    for (const auto* option : command.get_options()) {
        Entry e;
        e.positional = option->get_positional() && !option->nonpositional();
        e.name = e.positional ? option->get_name() : option->get_lnames().at(0);
        if (e.name.rfind("--", 0) != 0 && !e.positional) e.name = "--" + e.name;
        e.description = option->get_description();
        e.flag = option->get_expected_max() == 0;
        e.hint = &command_line.hint(*option);
        for (const auto* other : option->get_excludes()) e.excludes.push_back("--" + other->get_lnames().at(0));
        result.push_back(std::move(e));
    }
    return result;
}

// Words go into the scripts unquoted (bash -W lists, zsh (...) lists), so they must be plain.
const std::vector<std::string>& checked(const std::vector<std::string>& words) {
    static const std::regex plain(R"([A-Za-z0-9_./+@-]+)");
    for (const auto& w : words)
        if (!std::regex_match(w, plain)) throw std::logic_error("completion: '" + w + "' needs quoting");
    return words;
}

std::string spaced(const std::vector<std::string>& words) {
    std::string text;
    for (const auto& w : checked(words)) text += (text.empty() ? "" : " ") + w;
    return text;
}

std::string identifier(const std::string& text) {
    std::string id;
    for (char c : text) id += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    return id;
}

std::vector<std::string> command_names(const CommandLine& command_line) {
    std::vector<std::string> names;
    for (const auto* command : command_line.subcommands()) names.push_back(command->get_name());
    return names;
}

// --- bash ---------------------------------------------------------------------------------------

std::string bash_offer(const ValueHint& hint) {
    return fmt::format("_elaa_offer \"{}\" \"{}\" {} {} \"$cur\"", spaced(hint.words), hint.file_suffix,
                       hint.directories ? 1 : 0, hint.comma_list ? 1 : 0);
}

std::string bash_command_case(const CommandLine& command_line, const CLI::App& command) {
    const auto all = entries(command_line, command);
    std::vector<std::string> options;
    const Entry* positional = nullptr;
    std::string value_cases;
    for (const auto& e : all) {
        if (e.positional) {
            positional = &e;
            continue;
        }
        options.push_back(e.name);
        if (!e.flag) value_cases += fmt::format("                {}) {}; return ;;\n", e.name, bash_offer(*e.hint));
    }
    std::string text = fmt::format("        {})\n", command.get_name());
    if (!value_cases.empty()) text += "            case $prev in\n" + value_cases + "            esac\n";
    if (positional)
        text += fmt::format("            if [[ $cur != -* ]]; then {}; return; fi\n", bash_offer(*positional->hint));
    text += fmt::format("            _elaa_offer \"{}\" \"\" 0 0 \"$cur\" ;;\n", spaced(options));
    return text;
}

// --- zsh ----------------------------------------------------------------------------------------

// Text inside a single-quoted zsh word.
std::string zsh_quoted(const std::string& text) {
    std::string out;
    for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out;
}

// Text inside a single-quoted zsh word, inside an _arguments [explanation], where [ ] : and \ are
// special (_describe's descriptions, after the first colon, are not).
std::string zsh_explanation(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '[' || c == ']' || c == ':' || c == '\\') out += '\\';
        out += c;
    }
    return zsh_quoted(out);
}

// The body of a function offering `hint`'s values, or "" when there is nothing to offer.
std::string zsh_action_body(const ValueHint& hint) {
    if (hint.comma_list) return fmt::format("_values -s , value {}", spaced(hint.words));
    std::vector<std::string> alternatives;
    if (!hint.words.empty()) alternatives.push_back(fmt::format("'values:value:({})'", spaced(hint.words)));
    if (!hint.file_suffix.empty())
        alternatives.push_back(fmt::format("'files:*{} file:_files -g \"*{}\"'", hint.file_suffix, hint.file_suffix));
    if (hint.directories) alternatives.push_back("'directories:directory:_files -/'");
    if (alternatives.empty()) return "";
    std::string body = "_alternative";
    for (const auto& a : alternatives) body += " " + a;
    return body;
}

std::string zsh_message(const Entry& e) {
    std::string m = e.positional ? e.name : e.name.substr(2);
    for (auto& c : m) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return m;
}

}  // namespace

std::string bash_completion(const CommandLine& command_line) {
    std::string cases;
    for (const auto* command : command_line.subcommands()) cases += bash_command_case(command_line, *command);
    return fmt::format(R"script(# bash completion for elaa, generated by `elaa completion bash`.
# Load it with: eval "$(elaa completion bash)"   (e.g. in ~/.bashrc), or save it as
# ~/.local/share/bash-completion/completions/elaa. Presets and networks are listed as this elaa
# knows them: regenerate after an upgrade.

# _elaa_offer WORDS SUFFIX DIRS COMMA CUR: the WORDS, the files ending in SUFFIX and (DIRS=1 or a
# SUFFIX given) the directories that start with CUR. With COMMA=1 the last item of a
# comma-separated CUR is completed.
_elaa_offer() {{
    local words=$1 suffix=$2 dirs=$3 comma=$4 cur=$5 prefix=
    if [[ $comma == 1 && $cur == *,* ]]; then prefix=${{cur%,*}},; cur=${{cur##*,}}; fi
    mapfile -t COMPREPLY < <(compgen -P "$prefix" -W "$words" -- "$cur")
    if [[ -n $suffix || $dirs == 1 ]]; then
        compopt -o filenames 2>/dev/null
        [[ -n $suffix ]] && mapfile -t -O "${{#COMPREPLY[@]}}" COMPREPLY < <(compgen -f -X "!*$suffix" -- "$cur")
        mapfile -t -O "${{#COMPREPLY[@]}}" COMPREPLY < <(compgen -d -- "$cur")
    fi
}}

_elaa() {{
    local cur=${{COMP_WORDS[COMP_CWORD]}} prev=${{COMP_WORDS[COMP_CWORD-1]}}
    # bash splits --option=value at '=': complete the value of --option.
    if [[ $cur == = ]]; then cur=; elif [[ $prev == = ]]; then prev=${{COMP_WORDS[COMP_CWORD-2]}}; fi
    if (( COMP_CWORD == 1 )); then _elaa_offer "{} --help --version" "" 0 0 "$cur"; return; fi
    case ${{COMP_WORDS[1]}} in
{}    esac
}}

complete -F _elaa elaa
)script",
                       spaced(command_names(command_line)), cases);
}

std::string zsh_completion(const CommandLine& command_line) {
    std::string helpers, descriptions, cases;
    for (const auto* command : command_line.subcommands()) {
        descriptions += fmt::format("        '{}:{}'\n", command->get_name(),
                                    zsh_quoted(command->get_description()));
        std::string specs;
        for (const auto& e : entries(command_line, *command)) {
            const auto body = e.flag ? "" : zsh_action_body(*e.hint);
            std::string action = " ";
            if (!body.empty()) {
                action = "_elaa_" + identifier(command->get_name() + "_" + zsh_message(e));
                helpers += fmt::format("{}() {{ {} }}\n", action, body);
            }
            std::string exclusion;
            for (const auto& x : e.excludes) exclusion += (exclusion.empty() ? "" : " ") + x;
            if (e.positional)
                specs += fmt::format(" \\\n                ':{}:{}'", zsh_message(e), action);
            else if (e.name == "--help")
                specs += fmt::format(" \\\n                '(- *)'{{-h,--help}}'[{}]'", zsh_explanation(e.description));
            else if (e.flag)
                specs += fmt::format(" \\\n                '{}{}[{}]'", exclusion.empty() ? "" : "(" + exclusion + ")", e.name,
                                     zsh_explanation(e.description));
            else
                specs += fmt::format(" \\\n                '{}{}=[{}]:{}:{}'", exclusion.empty() ? "" : "(" + exclusion + ")",
                                     e.name, zsh_explanation(e.description), zsh_message(e), action);
        }
        cases += fmt::format("        {})\n            _arguments -s{} ;;\n", command->get_name(), specs);
    }
    return fmt::format(R"script(#compdef elaa
# zsh completion for elaa, generated by `elaa completion zsh`.
# Install it as a file named _elaa in a directory on $fpath (before compinit runs), e.g.
#   elaa completion zsh > ~/.zfunc/_elaa   with   fpath=(~/.zfunc $fpath)   in ~/.zshrc,
# or load it after compinit with: eval "$(elaa completion zsh)". Presets and networks are listed as
# this elaa knows them: regenerate after an upgrade.

{}
_elaa() {{
    local -a commands
    commands=(
{}    )
    if (( CURRENT == 2 )); then
        if [[ $PREFIX == -* ]]; then compadd -- --help --version; else _describe -t commands 'elaa command' commands; fi
        return
    fi
    local command=${{words[2]}}
    shift words
    (( CURRENT-- ))
    case $command in
{}    esac
}}

if [[ ${{funcstack[1]}} == _elaa ]]; then _elaa "$@"; else compdef _elaa elaa; fi
)script",
                       helpers, descriptions, cases);
}

}  // namespace elaa::cli
