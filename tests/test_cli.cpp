// The command line end to end: output shape, exit codes and error messages.
#include <catch2/catch.hpp>

#include "cli_runner.hpp"

using elaa::test::run_elaa;

TEST_CASE("an unknown network is a one-line error with the closest names", "[cli]") {
    const auto r = run_elaa("net resnet5");
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.rfind("elaa: error: unknown network 'resnet5'; closest names: ", 0) == 0);
    CHECK(r.err.find("resnet50") != std::string::npos);
    CHECK(r.err.find('\n') == r.err.size() - 1);  // one line
}

TEST_CASE("bad command lines fail with a message and non-zero exit", "[cli]") {
    CHECK(run_elaa("").exit_code != 0);
    CHECK(run_elaa("frobnicate").exit_code != 0);
    const auto r = run_elaa("net");
    CHECK(r.exit_code != 0);
    CHECK(r.err.find("NAME") != std::string::npos);
}

TEST_CASE("every subcommand has --help", "[cli]") {
    for (const char* sub : {"nets", "net", "import-onnx"}) {
        const auto r = run_elaa(std::string(sub) + " --help");
        INFO(sub);
        CHECK(r.exit_code == 0);
        CHECK(r.out.find("Usage") != std::string::npos);
    }
}
