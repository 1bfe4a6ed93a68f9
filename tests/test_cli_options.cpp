// Every option of every subcommand, with a bad value, gives exit status 1 and one `elaa: error:`
// line naming the option (docs/errors.md, "Command line"). The options are read from the CLI
// definition itself (cli::CommandLine), so an option added without a row here fails the coverage
// check below.
#include <catch2/catch.hpp>

#include <map>
#include <set>

#include "cli/command_line.hpp"
#include "cli_runner.hpp"

using elaa::test::run_elaa;

namespace {

// "subcommand option" -> {arguments, the expected first line of stderr}.
struct BadUse {
    std::string args, first_line;
};

const std::map<std::string, BadUse>& bad_uses() {
    static const std::map<std::string, BadUse> table = {
        {"nets --csv", {"nets --csv=maybe", "nets: --csv: a flag takes no value or one of true, false, yes, no, on, off, 1, 0, got 'maybe'"}},
        {"nets --family", {"nets --family", "nets: --family needs a value"}},
        {"nets --weights", {"nets --weights", "nets: --weights needs a value"}},
        {"net NAME", {"net", "net: NAME is required"}},
        {"net --csv", {"net resnet18 --csv=maybe", "net: --csv: a flag takes no value or one of true, false, yes, no, on, off, 1, 0, got 'maybe'"}},
        {"net --weights", {"net resnet18 --weights", "net: --weights needs a value"}},
        {"import-onnx FILE", {"import-onnx", "import-onnx: FILE is required"}},
        {"import-onnx --csv", {"import-onnx m.onnx --csv=maybe", "import-onnx: --csv: a flag takes no value or one of true, false, yes, no, on, off, 1, 0, got 'maybe'"}},
        {"import-onnx --skip-unsupported",
         {"import-onnx m.onnx --skip-unsupported=maybe",
          "import-onnx: --skip-unsupported: a flag takes no value or one of true, false, yes, no, on, off, 1, 0, got 'maybe'"}},
        {"eval --arch", {"eval --net resnet18", "eval: --arch is required"}},
        {"eval --net", {"eval --arch tpu_like", "eval: --net is required"}},
        {"eval --objective",
         {"eval --arch tpu_like --net resnet18 --objective fastest",
          "eval: --objective: expected one of latency, energy, edp, got 'fastest'"}},
        {"eval --search",
         {"eval --arch tpu_like --net resnet18 --search slow", "eval: --search: expected one of fast, loma, full, deep, got 'slow'"}},
        {"eval --kinds",
         {"eval --arch tpu_like --net resnet18 --kinds conv,foo",
          "eval: --kinds: expected a comma-separated list of conv, fc, pool, add, attention, vector, got 'foo' in 'conv,foo'"}},
        {"eval --batch", {"eval --arch tpu_like --net resnet18 --batch 0", "eval: --batch: expected a whole number >= 1, got '0'"}},
        {"eval --mapping", {"eval --arch tpu_like --net resnet18 --mapping", "eval: --mapping needs a value"}},
        {"eval --density", {"eval --arch tpu_like --net resnet18 --density", "eval: --density needs a value"}},
        {"eval --threads",
         {"eval --arch tpu_like --net resnet18 --threads 1.5", "eval: --threads: expected a whole number >= 1, got '1.5'"}},
        {"eval --json", {"eval --arch tpu_like --net resnet18 --json", "eval: --json needs a value"}},
        {"eval --csv", {"eval --arch tpu_like --net resnet18 --csv", "eval: --csv needs a value"}},
        {"eval --leakage",
         {"eval --arch tpu_like --net resnet18 --leakage=maybe", "eval: --leakage: a flag takes no value or one of true, false, yes, no, on, off, 1, 0, got 'maybe'"}},
        {"assess --archs", {"assess --out o --archs", "assess: --archs needs a value"}},
        {"assess --nets", {"assess --out o --nets", "assess: --nets needs a value"}},
        {"assess --objective", {"assess --out o --objective x", "assess: --objective: expected one of latency, energy, edp, got 'x'"}},
        {"assess --search", {"assess --out o --search x", "assess: --search: expected one of fast, loma, full, deep, got 'x'"}},
        {"assess --threads", {"assess --out o --threads -2", "assess: --threads: expected a whole number >= 1, got '-2'"}},
        {"assess --out", {"assess --nets suite", "assess: --out is required"}},
        {"assess --no-plots", {"assess --out o --no-plots=maybe", "assess: --no-plots: a flag takes no value or one of true, false, yes, no, on, off, 1, 0, got 'maybe'"}},
        {"optimise CONFIG", {"optimise run.toml extra.toml --out o", "optimise: unexpected argument 'extra.toml'"}},
        {"optimise --out", {"optimise run.toml --out", "optimise: --out needs a value"}},
        {"optimise --resume", {"optimise --resume o --out o", "optimise: --out and --resume cannot be given together"}},
        {"optimise --threads", {"optimise run.toml --out o --threads 0", "optimise: --threads: expected a whole number >= 1, got '0'"}},
        {"optimise --cache-mib",
         {"optimise run.toml --out o --cache-mib lots",
          "optimise: --cache-mib: expected a whole number from 0 to 1073741824, got 'lots'"}},
        {"optimise --force", {"optimise --resume o --force=maybe", "optimise: --force: a flag takes no value or one of true, false, yes, no, on, off, 1, 0, got 'maybe'"}},
        {"optimise --no-plots", {"optimise run.toml --out o --no-plots=maybe", "optimise: --no-plots: a flag takes no value or one of true, false, yes, no, on, off, 1, 0, got 'maybe'"}},
        {"optimise --mpi", {"optimise run.toml --out o --mpi=maybe", "optimise: --mpi: a flag takes no value or one of true, false, yes, no, on, off, 1, 0, got 'maybe'"}},
        {"export DIR", {"export", "export: DIR is required"}},
        {"export --format", {"export run --format pdf", "export: --format: expected one of csv, json, toml, all, got 'pdf'"}},
        {"validate --data", {"validate --data", "validate: --data needs a value"}},
        {"validate --out", {"validate --out", "validate: --out needs a value"}},
        {"validate --threads", {"validate --threads 0", "validate: --threads: expected a whole number >= 1, got '0'"}},
        {"validate --no-plots", {"validate --no-plots=maybe", "validate: --no-plots: a flag takes no value or one of true, false, yes, no, on, off, 1, 0, got 'maybe'"}},
        {"completion SHELL", {"completion fish", "completion: SHELL: expected one of bash, zsh, got 'fish'"}},
        {"export --no-plots", {"export run --no-plots=maybe", "export: --no-plots: a flag takes no value or one of true, false, yes, no, on, off, 1, 0, got 'maybe'"}},
    };
    return table;
}

// "subcommand option" for every option and positional of every subcommand, except --help.
std::set<std::string> defined_options() {
    const elaa::cli::CommandLine command_line;
    std::set<std::string> names;
    for (const auto* command : command_line.subcommands())
        for (const auto* option : command->get_options()) {
            const bool positional = option->get_positional() && !option->nonpositional();
            const auto name = positional ? option->get_name() : "--" + option->get_lnames().at(0);
            if (name != "--help") names.insert(command->get_name() + " " + name);
        }
    return names;
}

}  // namespace

TEST_CASE("every option of every subcommand has a bad use in the table, and the table no stale row", "[cli]") {
    const elaa::cli::CommandLine command_line;
    REQUIRE(command_line.subcommands().size() == 10);
    const auto defined = defined_options();
    for (const auto& name : defined) {
        INFO(name << " has no row in bad_uses()");
        CHECK(bad_uses().count(name) == 1);
    }
    for (const auto& [name, use] : bad_uses()) {
        INFO(name << " is not an option the CLI defines");
        CHECK(defined.count(name) == 1);
    }
}

TEST_CASE("every bad use exits 1 with one error line, then the --help hint", "[cli]") {
    for (const auto& [name, use] : bad_uses()) {
        const auto r = run_elaa(use.args);
        INFO(name << ": elaa " << use.args << "\n" << r.err);
        CHECK(r.exit_code == 1);
        CHECK(r.out.empty());
        const auto sub = name.substr(0, name.find(' '));
        CHECK(r.err == "elaa: error: " + use.first_line + "\nRun 'elaa " + sub + " --help' for the accepted options.\n");
    }
}

TEST_CASE("the command itself: none, an unknown one, an unknown top-level option", "[cli]") {
    const std::string commands = "nets, net, import-onnx, archs, eval, assess, optimise, export, validate, completion";
    const std::string hint = "Run 'elaa --help' for the accepted options.\n";
    CHECK(run_elaa("").err == "elaa: error: a command is required: one of " + commands + "\n" + hint);
    const auto unknown = run_elaa("frobnicate");
    CHECK(unknown.exit_code == 1);
    CHECK(unknown.err == "elaa: error: unknown command 'frobnicate'; commands are " + commands + "\n" + hint);
    const auto option = run_elaa("--frob");
    CHECK(option.exit_code == 1);
    CHECK(option.err == "elaa: error: unknown option '--frob'\n" + hint);
    const auto neither = run_elaa("optimise run.toml");
    CHECK(neither.exit_code == 1);
    CHECK(neither.err.rfind("elaa: error: optimise: give either --out DIR (a new run) or --resume DIR\n", 0) == 0);
}
