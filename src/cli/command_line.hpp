// The definition of elaa's command line: every subcommand, option and positional with its help
// text, its check and what a shell may offer as its value. main.cpp parses with it, the shell
// completion scripts are generated from it, and the tests walk it, so all three stay one list.
#pragma once

#include <CLI/CLI.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "app/commands.hpp"

namespace elaa::cli {

// What a shell may offer for an option's or positional's value.
struct ValueHint {
    std::vector<std::string> words;  // fixed choices or known names (presets, zoo networks)
    std::string file_suffix;         // also offer files with this ending, e.g. ".toml"
    bool directories = false;        // also offer directories
    bool comma_list = false;         // the value is a comma-separated list of words
};

inline ValueHint words_hint(std::vector<std::string> words) { return {std::move(words), "", false, false}; }
inline ValueHint files_hint(std::string suffix, std::vector<std::string> words = {}) {
    return {std::move(words), std::move(suffix), false, false};
}
inline ValueHint directories_hint() { return {{}, "", true, false}; }
inline ValueHint comma_list_hint(std::vector<std::string> words) { return {std::move(words), "", false, true}; }

struct ListArgs {
    bool csv = false;
    std::string family, weights;
};

struct NetArgs {
    std::string name, weights;
    bool csv = false;
};

struct ImportArgs {
    std::string file;
    bool csv = false, skip_unsupported = false;
};

struct EvalArgs {
    std::string arch, net, objective = app::kDefaultEvalObjective, search = app::kDefaultEvalSearch, kinds, mapping,
        density, json, csv;
    int batch = 1;
    unsigned threads = 1;
    bool leakage = false;
};

struct AssessArgs {
    std::string archs = "all", nets = "suite", objective = "latency", search = "loma", out;
    unsigned threads = 1;
    bool no_plots = false;
};

struct OptimiseArgs {
    std::string config, out, resume;
    unsigned threads = 1;
    std::size_t cache_mib = 0;
    bool force = false, mpi = false, no_plots = false;
};

struct ExportArgs {
    std::string dir, format = "all";
    bool no_plots = false;
};

struct ValidateArgs {
    std::string data, out;
    unsigned threads = 1;
    bool no_plots = false;
};

struct CompletionArgs {
    std::string shell;
};

// Not copyable or movable: CLI11 binds every option to a member of this object.
class CommandLine {
  public:
    CommandLine();
    CommandLine(const CommandLine&) = delete;
    CommandLine& operator=(const CommandLine&) = delete;

    CLI::App app{"elaa: energy-latency-area-accuracy co-design of DNNs and their accelerators"};
    ListArgs nets_args;
    NetArgs net_args;
    ImportArgs import_args;
    EvalArgs eval_args;
    AssessArgs assess_args;
    OptimiseArgs optimise_args;
    ExportArgs export_args;
    ValidateArgs validate_args;
    CompletionArgs completion_args;

    CLI::App *nets = nullptr, *net = nullptr, *import = nullptr, *archs = nullptr, *eval = nullptr,
             *assess = nullptr, *optimise = nullptr, *exporter = nullptr, *validate = nullptr,
             *completion = nullptr;

    // The subcommands in the order --help lists them.
    std::vector<const CLI::App*> subcommands() const;
    // The hint for `option`, or none (an empty hint) when the shell should offer nothing special.
    const ValueHint& hint(const CLI::Option& option) const;

  private:
    CLI::Option* hinted(CLI::Option* option, ValueHint hint);
    std::map<const CLI::Option*, ValueHint> hints_;
};

}  // namespace elaa::cli
