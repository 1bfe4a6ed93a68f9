// The seed study: the committed reference run regenerates byte for byte, fronts and files follow
// the data, and bad selections or output directories fail cleanly without touching what exists.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "assess/assessment.hpp"
#include "assess/insights.hpp"
#include "cli_runner.hpp"
#include "hardware/presets.hpp"
#include "report/assess_report.hpp"

using namespace elaa;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST_CASE("the committed reference assessment regenerates byte for byte", "[assess]") {
    assess::AssessOptions options;
    options.archs = assess::select_accelerators("all");
    options.nets = assess::select_networks("suite");
    options.threads = 2;
    REQUIRE(options.nets.size() == 34);
    REQUIRE(options.archs.size() == 7);
    const auto a = assess::run_assessment(options);
    std::ostringstream results, pareto;
    report::write_results_csv(results, a);
    report::write_pareto_csv(pareto, a);
    const fs::path ref = fs::path(ELAA_SOURCE_DIR) / "results" / "assessment";
    CHECK(results.str() == slurp(ref / "results.csv"));
    CHECK(pareto.str() == slurp(ref / "pareto.csv"));
    // The paper's 4-D trade-off: the front over all pairs is not empty and names real pairs.
    CHECK(pareto.str().find("\n4d,suite/MobileNet_v3_small,") != std::string::npos);
}

TEST_CASE("the committed contemporary assessment regenerates byte for byte", "[assess][transformer]") {
    assess::AssessOptions options;
    options.archs = assess::select_accelerators("all");
    options.nets = assess::select_networks("contemporary");
    options.threads = 2;
    REQUIRE(options.nets.size() == 29);
    const auto a = assess::run_assessment(options);
    std::ostringstream results, pareto;
    report::write_results_csv(results, a);
    report::write_pareto_csv(pareto, a);
    const fs::path ref = fs::path(ELAA_SOURCE_DIR) / "results" / "assessment-contemporary";
    CHECK(results.str() == slurp(ref / "results.csv"));
    CHECK(pareto.str() == slurp(ref / "pareto.csv"));
    const std::string insights = assess::insights_markdown(a);
    CHECK(insights == slurp(ref / "insights.md"));
    // The transformer-vs-CNN comparison is there, with its statistics.
    CHECK(insights.find("## 5. Transformers against CNNs") != std::string::npos);
    CHECK(insights.find("12 transformers (vit_b_16,") != std::string::npos);
}

TEST_CASE("assessment fronts and figures follow the data", "[assess]") {
    assess::AssessOptions options;
    options.archs = {"tpu_like", "eyeriss_like"};
    options.nets = {"suite/MobileNet_v2", "suite/ResNet50", "suite/VGG16"};
    const auto a = assess::run_assessment(options);
    REQUIRE(a.pairs.size() == 6);
    // network-major order
    CHECK(a.networks[a.pairs[1].network].name == "suite/MobileNet_v2");
    CHECK(a.accelerators[a.pairs[1].accelerator].name == "eyeriss_like");
    for (const auto& p : a.pairs) {
        const auto f = report::pair_figures(a, p);
        // TOPS/W = 2 x MACs / energy (one MAC = two operations)
        CHECK(f.tops_per_w == Approx(2.0 * static_cast<double>(p.cost.macs) / p.cost.energy_pj));
        CHECK(f.energy_mac_uj + f.energy_onchip_uj + f.energy_dram_uj == Approx(f.energy_uj));
    }
    std::ostringstream pareto;
    report::write_pareto_csv(pareto, a);
    // VGG16 (71.3 %) costs more energy than ResNet50 (74.9 %) on both: never on an energy-top-1 front.
    CHECK(pareto.str().find("energy_top1:tpu_like,suite/VGG16") == std::string::npos);
    CHECK(pareto.str().find("energy_top1:tpu_like,suite/ResNet50") != std::string::npos);
}

TEST_CASE("bad assessment selections and output directories are one-line errors", "[assess]") {
    using test::run_elaa;
    auto r = run_elaa("assess --archs tpu_lik --out /tmp/never --no-plots");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("unknown accelerator preset 'tpu_lik'") != std::string::npos);
    r = run_elaa("assess --nets suite/ResNet5O --archs tpu_like --out /tmp/never --no-plots");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("unknown network 'suite/ResNet5O'") != std::string::npos);
    r = run_elaa("assess --nets , --archs tpu_like --out /tmp/never --no-plots");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("names no network") != std::string::npos);
    r = run_elaa("assess --nets suite/ResNet18 --archs tpu_like --out /nonexistent/dir/out --no-plots");
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("/nonexistent/dir/out: the parent directory /nonexistent/dir does not exist") != std::string::npos);
    CHECK_FALSE(fs::exists("/tmp/never"));
}

TEST_CASE("a killed assessment leaves its output directory as it was", "[assess]") {
    const fs::path dir = fs::temp_directory_path() / ("elaa_assess_kill_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    { std::ofstream(dir / "results.csv") << "earlier results\n"; }
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        ::execl(ELAA_BINARY, ELAA_BINARY, "assess", "--out", dir.c_str(), "--threads", "1", "--no-plots",
                static_cast<char*>(nullptr));
        ::_exit(127);
    }
    ::usleep(300 * 1000);  // mid-run: the whole assessment takes seconds
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    CHECK(WIFSIGNALED(status));
    CHECK(slurp(dir / "results.csv") == "earlier results\n");
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++entries;
    CHECK(entries == 1);
    // The killed run's staging directory is a sibling, never the target.
    for (const auto& e : fs::directory_iterator(dir.parent_path()))
        if (e.path().filename().string().find(".elaa_assess_kill_") == 0) fs::remove_all(e.path());
    fs::remove_all(dir);
}
