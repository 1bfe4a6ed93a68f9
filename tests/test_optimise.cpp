// The co-optimiser: run configs, checkpoints (header, atomicity, resume), determinism, export, and
// the quality of NSGA-II on a space small enough to enumerate.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <thread>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "assess/pareto.hpp"
#include "cost/network_cost.hpp"
#include "hardware/toml.hpp"
#include "optimise/checkpoint.hpp"
#include "optimise/driver.hpp"
#include "optimise/export.hpp"
#include "util/error.hpp"
#include "workload/zoo/zoo.hpp"

using namespace elaa;
using namespace elaa::optimise;
namespace fs = std::filesystem;

namespace {

const std::string kTinyRun = std::string(ELAA_SOURCE_DIR) + "/tests/data/tiny_run.toml";

fs::path fresh_dir(const std::string& name) {
    const auto dir = fs::temp_directory_path() / ("elaa_optimise_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

RunConfig tiny(unsigned population, unsigned generations, std::uint64_t seed = 11) {
    auto text = slurp(kTinyRun);
    auto c = parse_run_config(text, kTinyRun);
    c.population = population;
    c.generations = generations;
    c.seed = seed;
    // Keep config_differences consistent with the edited fields.
    std::ostringstream t;
    t << "[run]\nproblem = \"codesign\"\nspace = \"../../configs/spaces/tiny.toml\"\nseed = " << seed
      << "\nsearch = \"fast\"\n[nsga2]\npopulation = " << population << "\ngenerations = " << generations
      << "\n[checkpoint]\nevery = 2\n";
    c.text = t.str();
    return c;
}

std::string run_error(const std::string& text) {
    try {
        parse_run_config(text, "run.toml");
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("run configs enforce NSGA-II's population rules and name the key", "[optimise]") {
    const std::string head = "[run]\nproblem = \"codesign\"\nspace = \"s.toml\"\n";
    CHECK(run_error(head + "[nsga2]\npopulation = 10\n") ==
          "run.toml:5: [nsga2]: 'population' must be a multiple of 4 and at least 8 (NSGA-II), got 10");
    CHECK(run_error(head + "[nsga2]\npopulation = 4\n").find("at least 8") != std::string::npos);
    CHECK(run_error(head + "[nsga2]\npopulaton = 16\n").find("unknown key 'populaton'") != std::string::npos);
    CHECK(run_error(head + "[nsga2]\ncrossover = 1.5\n").find("'crossover' is a probability") != std::string::npos);
    CHECK(run_error("[run]\nproblem = \"magic\"\n").find("'problem' must be codesign, hardware_for_suite or "
                                                         "network_for_hardware") != std::string::npos);
    CHECK(run_error("[run]\nproblem = \"hardware_for_suite\"\nspace = \"s.toml\"\n")
              .find("hardware_for_suite needs [suite] networks") != std::string::npos);
    CHECK(run_error(head + "[suite]\nnetworks = []\n").find("'networks' is empty") != std::string::npos);
    CHECK(run_error("").find("missing table [run]") != std::string::npos);
}

TEST_CASE("a corrupt, truncated or foreign checkpoint is refused by its header and left untouched", "[optimise]") {
    const auto dir = fresh_dir("corrupt");
    const auto file = dir / "c.elaa";
    write_checkpoint(file, "{\"hello\": 1}");
    CHECK(read_checkpoint(file) == "{\"hello\": 1}");

    auto check_refused = [&](const std::string& bytes, const std::string& expected) {
        { std::ofstream(file, std::ios::binary) << bytes; }
        INFO(expected);
        CHECK_THROWS_WITH(read_checkpoint(file), Catch::Contains(expected) && Catch::Contains(file.string()));
        CHECK(slurp(file) == bytes);  // never modified
    };
    std::string good = slurp(file);
    std::string flipped = good;
    flipped.back() ^= 0x01;
    check_refused(flipped, "CRC-32 mismatch");
    check_refused(good.substr(0, good.size() - 3), "truncated checkpoint");
    check_refused(good.substr(0, 10), "shorter than its 24-byte header");
    check_refused("PK\x03\x04 this is a zip file, not ours........", "not an elaa checkpoint");
    std::string other_version = good;
    other_version[8] = 7;
    check_refused(other_version, "format version 7");
    CHECK(crc32("123456789") == 0xCBF43926u);  // the standard CRC-32 check value
    fs::remove_all(dir);
}

TEST_CASE("N generations, resume, N generations equal 2N straight, for any thread count", "[optimise]") {
    const auto config = tiny(8, 4);
    const auto straight_dir = fresh_dir("straight");
    RunControl straight;
    straight.dir = straight_dir;
    straight.threads = 1;
    const auto a = run_optimisation(config, straight);

    const auto split_dir = fresh_dir("split");
    RunControl first;
    first.dir = split_dir;
    first.threads = 2;
    first.max_generations_now = 2;
    const auto half = run_optimisation(config, first);
    CHECK(half.generations_done == 2);
    CHECK(half.stopped_early);
    RunControl second = first;
    second.resume = true;
    second.max_generations_now = 0;
    const auto b = run_optimisation(config, second);

    REQUIRE(a.generations_done == 4);
    REQUIRE(b.generations_done == 4);
    CHECK(a.archive == b.archive);
    CHECK(a.population_objectives == b.population_objectives);
    CHECK(a.history.size() == 5);
    CHECK(!a.archive.empty());
    fs::remove_all(straight_dir);
    fs::remove_all(split_dir);
}

TEST_CASE("resuming with a changed config is refused with the differing keys, unless forced", "[optimise]") {
    const auto dir = fresh_dir("changed");
    RunControl control;
    control.dir = dir;
    run_optimisation(tiny(8, 1), control);
    control.resume = true;
    CHECK_THROWS_WITH(run_optimisation(tiny(8, 2, 99), control),
                      Catch::Contains("differs from the checkpointed one") && Catch::Contains("run.seed: 11 -> 99") &&
                          Catch::Contains("nsga2.generations: 1 -> 2"));
    control.force = true;
    const auto forced = run_optimisation(tiny(8, 2, 99), control);
    CHECK(forced.generations_done == 2);
    fs::remove_all(dir);
}

TEST_CASE("an exported design TOML reproduces its energy, latency and area in elaa eval", "[optimise]") {
    const auto config = tiny(8, 1);
    const auto dir = fresh_dir("export");
    RunControl control;
    control.dir = dir;
    const auto evaluator = std::make_shared<const DesignEvaluator>(config);
    const auto result = run_optimisation(config, control, evaluator);
    const auto designs = pareto_designs(*evaluator, result.archive);
    REQUIRE(!designs.empty());
    for (std::size_t i = 0; i < std::min<std::size_t>(designs.size(), 3); ++i) {
        const auto& d = designs[i];
        INFO("design " << i + 1 << " " << d.evaluation.network);
        const auto acc = hardware::parse_accelerator(design_toml(*evaluator, d, i + 1), "design.toml");
        CHECK(acc.evaluation.search == "fast");
        cost::EvalOptions options;
        REQUIRE(mapping::parse_search_space(acc.evaluation.search, options.search.space));
        REQUIRE(mapping::parse_objective(acc.evaluation.objective, options.search.objective));
        const auto net = workload::Zoo::instance().build(d.evaluation.network);
        const auto cost = cost::evaluate_network(net, acc, options);
        CHECK(cost.energy_pj * 1e-12 == d.evaluation.energy_j);
        CHECK(cost.latency_cycles / (acc.frequency_mhz * 1e6) == d.evaluation.latency_s);
        CHECK(acc.area_mm2() == d.evaluation.area_mm2);
    }
    std::ostringstream csv;
    write_pareto_csv(csv, *evaluator, designs);
    const std::string text = csv.str();
    CHECK(std::count(text.begin(), text.end(), '\n') == static_cast<long>(designs.size() + 1));
    fs::remove_all(dir);
}

TEST_CASE("NSGA-II with 20 % of the budget reaches 95 % of the true front's hypervolume and beats random search",
          "[optimise][quality]") {
    // The tiny space has 2187 designs: evaluate them all for the true front. One evaluator serves
    // every run, so each design is costed once.
    const auto base = tiny(32, 12);
    const auto evaluator = std::make_shared<const DesignEvaluator>(base);
    const auto& enc = evaluator->encoding();
    const std::uint64_t designs = enc.design_count();
    REQUIRE(designs == 2187);
    std::vector<std::vector<double>> all(designs);
    std::vector<char> feasible(designs, 0);
    {
        // The evaluator is thread-safe: enumerate on two threads.
        std::atomic<std::uint64_t> next{0};
        auto work = [&] {
            for (std::uint64_t n = next++; n < designs; n = next++) {
                const auto e = evaluator->evaluate(enc.nth_genome(n));
                feasible[n] = e.feasible;
                all[n] = e.objectives;
            }
        };
        std::thread other(work);
        work();
        other.join();
    }
    CHECK(std::count(feasible.begin(), feasible.end(), 1) == static_cast<long>(designs));
    std::vector<std::vector<double>> front;
    for (auto i : assess::pareto_front(all)) front.push_back(all[i]);
    const std::size_t nobj = front.front().size();
    std::vector<double> ideal(nobj, 1e300), nadir(nobj, -1e300);
    for (const auto& f : front)
        for (std::size_t k = 0; k < nobj; ++k) {
            ideal[k] = std::min(ideal[k], f[k]);
            nadir[k] = std::max(nadir[k], f[k]);
        }
    auto normalised_hv = [&](const std::vector<std::vector<double>>& points) {
        std::vector<std::vector<double>> n;
        for (const auto& p : points) {
            std::vector<double> q(nobj);
            for (std::size_t k = 0; k < nobj; ++k) q[k] = (p[k] - ideal[k]) / (nadir[k] - ideal[k]);
            n.push_back(q);
        }
        return hypervolume(n, std::vector<double>(nobj, 1.1));  // reference: 1.1 x nadir, normalised
    };
    const double true_hv = normalised_hv(front);
    REQUIRE(true_hv > 0);

    // Budget: population 32 x (initial + 12 generations) = 416 evaluations = 19 % of 2187.
    const std::size_t budget = 32 * 13;
    REQUIRE(budget <= designs / 5);
    std::vector<double> nsga_ratio, random_ratio;
    for (std::uint64_t seed : {1, 2, 3, 4, 5}) {
        const auto dir = fresh_dir("quality" + std::to_string(seed));
        RunControl control;
        control.dir = dir;
        const auto result = run_optimisation(tiny(32, 12, seed), control, evaluator);
        std::vector<std::vector<double>> archive;
        for (const auto& e : result.archive) archive.push_back(e.objectives);
        nsga_ratio.push_back(normalised_hv(archive) / true_hv);
        fs::remove_all(dir);

        std::mt19937_64 rng(seed);
        std::vector<std::vector<double>> sampled;
        for (std::size_t i = 0; i < budget; ++i) sampled.push_back(all[rng() % designs]);
        std::vector<std::vector<double>> sampled_front;
        for (auto i : assess::pareto_front(sampled)) sampled_front.push_back(sampled[i]);
        random_ratio.push_back(normalised_hv(sampled_front) / true_hv);
    }
    std::sort(nsga_ratio.begin(), nsga_ratio.end());
    std::sort(random_ratio.begin(), random_ratio.end());
    INFO("NSGA-II HV ratios: " << nsga_ratio[0] << " .. " << nsga_ratio[4] << ", random: " << random_ratio[0] << " .. "
                               << random_ratio[4]);
    CHECK(nsga_ratio[2] >= 0.95);
    CHECK(nsga_ratio[2] > random_ratio[2]);
}
