// Every option of every subcommand, with a bad value, gives exit status 1 and one `elaa: error:`
// line naming the option (docs/errors.md, "Command line"). The options are read from the binary's
// own --help, so an option added to the CLI without a row here fails the coverage check below.
#include <catch2/catch.hpp>

#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "cli_runner.hpp"

using elaa::test::run_elaa;

namespace {

// "subcommand option" -> {arguments, the expected first line of stderr}.
struct BadUse {
    std::string args, first_line;
};

const std::map<std::string, BadUse>& bad_uses() {
    static const std::map<std::string, BadUse> table = {
        {"nets --csv", {"nets --csv=maybe", "nets: --csv is a flag and takes no value, got 'maybe'"}},
        {"nets --family", {"nets --family", "nets: --family needs a value"}},
        {"nets --weights", {"nets --weights", "nets: --weights needs a value"}},
        {"net NAME", {"net", "net: NAME is required"}},
        {"net --csv", {"net resnet18 --csv=maybe", "net: --csv is a flag and takes no value, got 'maybe'"}},
        {"net --weights", {"net resnet18 --weights", "net: --weights needs a value"}},
        {"import-onnx FILE", {"import-onnx", "import-onnx: FILE is required"}},
        {"import-onnx --csv", {"import-onnx m.onnx --csv=maybe", "import-onnx: --csv is a flag and takes no value, got 'maybe'"}},
        {"import-onnx --skip-unsupported",
         {"import-onnx m.onnx --skip-unsupported=maybe",
          "import-onnx: --skip-unsupported is a flag and takes no value, got 'maybe'"}},
        {"eval --arch", {"eval --net resnet18", "eval: --arch is required"}},
        {"eval --net", {"eval --arch tpu_like", "eval: --net is required"}},
        {"eval --objective", {"eval --arch tpu_like --net resnet18 --objective", "eval: --objective needs a value"}},
        {"eval --search", {"eval --arch tpu_like --net resnet18 --search", "eval: --search needs a value"}},
        {"eval --kinds", {"eval --arch tpu_like --net resnet18 --kinds", "eval: --kinds needs a value"}},
        {"eval --batch", {"eval --arch tpu_like --net resnet18 --batch 0", "eval: --batch: expected a whole number >= 1, got '0'"}},
        {"eval --mapping", {"eval --arch tpu_like --net resnet18 --mapping", "eval: --mapping needs a value"}},
        {"eval --threads",
         {"eval --arch tpu_like --net resnet18 --threads 1.5", "eval: --threads: expected a whole number >= 1, got '1.5'"}},
        {"eval --json", {"eval --arch tpu_like --net resnet18 --json", "eval: --json needs a value"}},
        {"eval --csv", {"eval --arch tpu_like --net resnet18 --csv", "eval: --csv needs a value"}},
        {"eval --leakage",
         {"eval --arch tpu_like --net resnet18 --leakage=maybe", "eval: --leakage is a flag and takes no value, got 'maybe'"}},
        {"assess --archs", {"assess --out o --archs", "assess: --archs needs a value"}},
        {"assess --nets", {"assess --out o --nets", "assess: --nets needs a value"}},
        {"assess --objective", {"assess --out o --objective", "assess: --objective needs a value"}},
        {"assess --search", {"assess --out o --search", "assess: --search needs a value"}},
        {"assess --threads", {"assess --out o --threads -2", "assess: --threads: expected a whole number >= 1, got '-2'"}},
        {"assess --out", {"assess --nets suite", "assess: --out is required"}},
        {"assess --no-plots", {"assess --out o --no-plots=maybe", "assess: --no-plots is a flag and takes no value, got 'maybe'"}},
        {"optimise CONFIG", {"optimise run.toml extra.toml --out o", "optimise: unexpected argument 'extra.toml'"}},
        {"optimise --out", {"optimise run.toml --out", "optimise: --out needs a value"}},
        {"optimise --resume", {"optimise --resume o --out o", "optimise: --out and --resume cannot be given together"}},
        {"optimise --threads", {"optimise run.toml --out o --threads 0", "optimise: --threads: expected a whole number >= 1, got '0'"}},
        {"optimise --cache-mib",
         {"optimise run.toml --out o --cache-mib lots",
          "optimise: --cache-mib: expected a whole number from 0 to 1073741824, got 'lots'"}},
        {"optimise --force", {"optimise --resume o --force=maybe", "optimise: --force is a flag and takes no value, got 'maybe'"}},
        {"optimise --no-plots", {"optimise run.toml --out o --no-plots=maybe", "optimise: --no-plots is a flag and takes no value, got 'maybe'"}},
        {"optimise --mpi", {"optimise run.toml --out o --mpi=maybe", "optimise: --mpi is a flag and takes no value, got 'maybe'"}},
        {"export DIR", {"export", "export: DIR is required"}},
        {"export --format", {"export run --format", "export: --format needs a value"}},
        {"export --no-plots", {"export run --no-plots=maybe", "export: --no-plots is a flag and takes no value, got 'maybe'"}},
    };
    return table;
}

std::vector<std::string> subcommands() {
    const auto help = run_elaa("--help").out;
    const auto from = help.find("Subcommands:");
    REQUIRE(from != std::string::npos);
    std::vector<std::string> names;
    std::istringstream lines(help.substr(from));
    std::string line;
    static const std::regex entry(R"(^  ([a-z-]+)\s+\S.*)");
    std::smatch m;
    while (std::getline(lines, line))
        if (std::regex_match(line, m, entry)) names.push_back(m[1]);
    return names;
}

// The options and positionals `elaa SUB --help` lists, except --help itself.
std::set<std::string> options_of(const std::string& sub) {
    const auto help = run_elaa(sub + " --help").out;
    std::set<std::string> names;
    std::istringstream lines(help);
    std::string line;
    static const std::regex option(R"(^  (?:-\w,)?(--[a-z-]+|[A-Z]+)\b.*)");
    std::smatch m;
    while (std::getline(lines, line))
        if (std::regex_match(line, m, option) && m[1] != "--help") names.insert(m[1]);
    return names;
}

}  // namespace

TEST_CASE("every option of every subcommand has a bad use in the table, and the table no stale row", "[cli]") {
    const auto subs = subcommands();
    REQUIRE(subs.size() == 8);
    std::set<std::string> defined;
    for (const auto& sub : subs)
        for (const auto& option : options_of(sub)) defined.insert(sub + " " + option);
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
    const std::string commands = "nets, net, import-onnx, archs, eval, assess, optimise, export";
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
