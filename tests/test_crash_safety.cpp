// Crash safety: an optimise run killed (SIGKILL) at random moments — during evaluation, between
// generations, in the middle of writing a checkpoint — always leaves a loadable checkpoint, and the
// resumed run ends bit-identical to an uninterrupted one.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "cli_runner.hpp"
#include "optimise/driver.hpp"

namespace fs = std::filesystem;

namespace {

// A small run that checkpoints every generation, so kills often land in checkpoint writes.
std::string write_config(const fs::path& dir) {
    const auto path = dir / "run.toml";
    std::ofstream(path) << "[run]\nproblem = \"codesign\"\nspace = \"" << ELAA_SOURCE_DIR
                        << "/configs/spaces/tiny.toml\"\nseed = 5\nsearch = \"fast\"\n[nsga2]\npopulation = 8\n"
                           "generations = 8\n[checkpoint]\nevery = 1\n";
    return path.string();
}

int run(const std::vector<std::string>& args, double signal_after_s = -1, int signal = SIGKILL,
        const std::string& stderr_file = "/dev/null") {
    const pid_t child = ::fork();
    if (child == 0) {
        std::vector<char*> argv{const_cast<char*>(ELAA_BINARY)};
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        if (!::freopen(stderr_file.c_str(), "w", stderr)) ::_exit(126);
        ::execv(ELAA_BINARY, argv.data());
        ::_exit(127);
    }
    if (signal_after_s >= 0) {
        std::this_thread::sleep_for(std::chrono::duration<double>(signal_after_s));
        ::kill(child, signal);
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    return status;
}

}  // namespace

TEST_CASE("optimise killed 20 times at random moments resumes to the uninterrupted result", "[crash]") {
    const fs::path base = fs::temp_directory_path() / ("elaa_crash_" + std::to_string(::getpid()));
    fs::remove_all(base);
    fs::create_directories(base);
    const auto config = write_config(base);
    const auto reference = base / "reference";
    const auto started = std::chrono::steady_clock::now();
    REQUIRE(run({"optimise", config, "--out", reference.string(), "--no-plots", "--threads", "1"}) == 0);
    // Kill times scale with this machine's (and this build's) speed: the 2-thread runs below take
    // a little over half the 1-thread reference, so kills in its first half land mid-run.
    const double reference_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const std::string expected = elaa::test::read_all(reference / "pareto.csv");
    REQUIRE(!expected.empty());

    const auto seed = std::random_device{}();
    WARN("crash-safety seed " << seed << " (kill times are drawn from it)");
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> when(0.0, 0.5 * reference_seconds);
    int killed_mid_run = 0;
    for (int i = 0; i < 20; ++i) {
        const auto dir = base / ("run" + std::to_string(i));
        const double t = when(rng);
        INFO("kill " << i << " after " << t << " s");
        const int status = run({"optimise", config, "--out", dir.string(), "--no-plots", "--threads", "2"}, t);
        if (WIFSIGNALED(status)) ++killed_mid_run;
        // Resume until complete: the checkpoint left behind always loads (a run killed before its
        // first checkpoint simply starts again).
        const bool has_checkpoint = fs::exists(dir / elaa::optimise::kCheckpointFile);
        if (has_checkpoint) {
            CHECK_NOTHROW(elaa::optimise::load_saved_run(dir));
            CHECK(run({"optimise", "--resume", dir.string(), "--no-plots", "--threads", "2"}) == 0);
        } else {
            CHECK(run({"optimise", config, "--out", dir.string(), "--no-plots", "--threads", "2"}) == 0);
        }
        CHECK(elaa::test::read_all(dir / "pareto.csv") == expected);
    }
    CHECK(killed_mid_run >= 5);  // the kills did interrupt runs
    fs::remove_all(base);
}

TEST_CASE("Ctrl-C finishes the generation, checkpoints, exits 0 and says how to resume", "[crash]") {
    const fs::path base = fs::temp_directory_path() / ("elaa_sigint_" + std::to_string(::getpid()));
    fs::remove_all(base);
    fs::create_directories(base);
    const auto config = base / "run.toml";
    std::ofstream(config) << "[run]\nproblem = \"codesign\"\nspace = \"" << ELAA_SOURCE_DIR
                          << "/configs/spaces/tiny.toml\"\nseed = 5\nsearch = \"fast\"\n[nsga2]\npopulation = 8\n"
                             "generations = 400\n[checkpoint]\nevery = 100\n";
    const auto dir = base / "run";
    const auto err = base / "stderr";
    const int status = run({"optimise", config.string(), "--out", dir.string(), "--no-plots"}, 1.0, SIGINT, err.string());
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    const std::string message = elaa::test::read_all(err);
    CHECK(message.find("checkpoint saved. Resume with: elaa optimise --resume " + dir.string()) != std::string::npos);
    const auto saved = elaa::optimise::load_saved_run(dir);
    CHECK(saved.generations_done > 0);
    CHECK(saved.generations_done < 400);  // stopped early, at a generation boundary, checkpointed there
    fs::remove_all(base);
}
