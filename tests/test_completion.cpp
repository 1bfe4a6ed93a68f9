// `elaa completion bash|zsh`: the generated scripts are valid shell and, driven the way the
// shells drive them, offer the presets, networks, choices and files the CLI definition names.
// bash is always present; zsh is installed by scripts/test.sh, and its cases are skipped (with a
// warning) on a machine without it.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "cli_runner.hpp"

using elaa::test::read_all;
using elaa::test::run_elaa;
namespace fs = std::filesystem;

namespace {

// A scratch directory holding the script under test, a few files for file completion
// (a.toml, b.json, c.txt, sub/) and the driver; removed on destruction.
struct Sandbox {
    fs::path dir;
    explicit Sandbox(const std::string& shell) {
        dir = fs::temp_directory_path() / ("elaa_completion_" + shell + "_" + std::to_string(::getpid()));
        fs::remove_all(dir);
        fs::create_directories(dir / "sub");
        for (const char* name : {"a.toml", "b.json", "c.txt"}) std::ofstream(dir / name) << "";
        const auto script = run_elaa("completion " + shell);
        REQUIRE(script.exit_code == 0);
        std::ofstream(dir / "_elaa") << script.out;
    }
    ~Sandbox() { fs::remove_all(dir); }

    // Runs `driver` with `shell` in the sandbox; returns its stdout lines as a set.
    std::set<std::string> run(const std::string& shell, const std::string& driver) const {
        std::ofstream(dir / "driver") << driver;
        const auto out = dir / "out";
        const auto command = "cd '" + dir.string() + "' && " + shell + " ./driver >out 2>err";
        const int status = std::system(command.c_str());
        INFO(driver << "\nstderr: " << read_all(dir / "err"));
        CHECK(status == 0);
        std::set<std::string> lines;
        std::istringstream text(read_all(out));
        for (std::string line; std::getline(text, line);) lines.insert(line);
        return lines;
    }
};

bool have(const std::string& program) {
    return std::system(("command -v " + program + " >/dev/null 2>&1").c_str()) == 0;
}

// Bash: what _elaa leaves in COMPREPLY for the command line `words`, the cursor on the last word.
std::string bash_driver(const std::string& words) {
    return "source ./_elaa\nCOMP_WORDS=(" + words + ")\nCOMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))\n_elaa\n" +
           "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
}

}  // namespace

TEST_CASE("bash completion offers commands, options, presets, choices and files", "[cli][completion]") {
    const Sandbox box("bash");
    CHECK(std::system(("bash -n '" + (box.dir / "_elaa").string() + "'").c_str()) == 0);

    CHECK(box.run("bash", bash_driver("elaa ev")) == std::set<std::string>{"eval"});
    CHECK(box.run("bash", bash_driver("elaa co")) == std::set<std::string>{"completion"});
    CHECK(box.run("bash", bash_driver("elaa completion ''")) == std::set<std::string>{"bash", "zsh"});

    // --arch: the seven suite presets and the chip, the .toml files and the directories (where more
    // may be found).
    const std::set<std::string> arch = {"ascend_like", "edge_tpu_like", "envision_like", "eyeriss_like", "eyeriss_v1",
                                        "meta_prototype_like", "tesla_npu_like", "tpu_like", "a.toml", "sub"};
    CHECK(box.run("bash", bash_driver("elaa eval --arch ''")) == arch);
    CHECK(box.run("bash", bash_driver("elaa eval --arch = ''")) == arch);  // --arch=<TAB>
    CHECK(box.run("bash", bash_driver("elaa eval --arch tpu")) == std::set<std::string>{"tpu_like"});
    CHECK(box.run("bash", bash_driver("elaa eval --net resnet1")) ==
          std::set<std::string>{"resnet101", "resnet152", "resnet18"});
    CHECK(box.run("bash", bash_driver("elaa eval --objective e")) == std::set<std::string>{"energy", "edp"});
    CHECK(box.run("bash", bash_driver("elaa eval --kinds conv,p")) == std::set<std::string>{"conv,pool"});
    CHECK(box.run("bash", bash_driver("elaa eval --mapping ''")) == std::set<std::string>{"b.json", "sub"});
    CHECK(box.run("bash", bash_driver("elaa export --format ''")) ==
          std::set<std::string>{"csv", "json", "toml", "all"});
    CHECK(box.run("bash", bash_driver("elaa eval --arch tpu_like --l")) == std::set<std::string>{"--leakage"});
    // After a flag, options again (a flag takes no value to complete).
    CHECK(box.run("bash", bash_driver("elaa eval --leakage --thr")) == std::set<std::string>{"--threads"});
    CHECK(box.run("bash", bash_driver("elaa optimise --re")) == std::set<std::string>{"--resume"});
}

TEST_CASE("zsh completion is valid zsh and hands _arguments one spec per option", "[cli][completion]") {
    if (!have("zsh")) {
        WARN("zsh is not installed: zsh completion not checked (scripts/test.sh installs it)");
        return;
    }
    const Sandbox box("zsh");
    CHECK(std::system(("zsh -n '" + (box.dir / "_elaa").string() + "'").c_str()) == 0);

    // The completion system's functions, stubbed to print what they are given.
    const std::string stubs =
        "compdef() { print -r -- \"compdef $*\" }\n"
        "_arguments() { print -rl -- \"$@\" }\n"
        "_describe() { print -rl -- \"${(@P)4}\" }\n"
        "compadd() { print -rl -- \"$@\" }\n"
        "_alternative() { print -rl -- \"$@\" }\n"
        "_values() { print -rl -- \"$@\" }\n"
        "source ./_elaa\n";

    // Sourced rather than autoloaded, the script registers itself.
    CHECK(box.run("zsh", stubs) == std::set<std::string>{"compdef _elaa elaa"});

    const auto commands = box.run("zsh", stubs + "words=(elaa ''); CURRENT=2; _elaa\n");
    CHECK(commands.count("eval:Energy, latency and area of a network on an accelerator, per layer and in total") == 1);
    CHECK(commands.count("completion:Print the shell completion script: eval \"$(elaa completion bash)\"") == 1);
    CHECK(commands.size() == 10 + 1);  // the commands, then compdef's line

    const auto eval = box.run("zsh", stubs + "words=(elaa eval --arch ''); CURRENT=4; _elaa\n");
    CHECK(eval.count("--arch=[Accelerator preset (elaa archs) or TOML file]:arch:_elaa_eval_arch") == 1);
    CHECK(eval.count("--leakage[Also report memory leakage energy (kept apart from dynamic energy)]") == 1);
    CHECK(eval.count("--batch=[Images per inference]:batch: ") == 1);

    const auto optimise = box.run("zsh", stubs + "words=(elaa optimise ''); CURRENT=3; _elaa\n");
    CHECK(optimise.count("(--resume)--out=[Run directory for checkpoints and results (must not hold a run)]:out:_elaa_optimise_out") == 1);

    CHECK(box.run("zsh", stubs + "_elaa_eval_arch\n") ==
          std::set<std::string>{"values:value:(ascend_like edge_tpu_like envision_like eyeriss_like "
                                "meta_prototype_like tesla_npu_like tpu_like eyeriss_v1)",
                                "files:*.toml file:_files -g \"*.toml\"", "compdef _elaa elaa"});
    CHECK(box.run("zsh", stubs + "_elaa_eval_kinds\n") ==
          std::set<std::string>{"-s", ",", "value", "conv", "fc", "pool", "add", "attention", "vector",
                                "compdef _elaa elaa"});
}
