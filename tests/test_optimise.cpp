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

#include "app/commands.hpp"
#include "assess/pareto.hpp"
#include "encodings/search_space.hpp"
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

// The default run's space (topology genes, missing cells repaired to the nearest published one) at a
// small budget.
RunConfig edge_run(unsigned population, unsigned generations) {
    const std::string text = "[run]\nproblem = \"codesign\"\nspace = \"../../configs/spaces/edge.toml\"\nseed = 5\n"
                             "search = \"fast\"\n[nsga2]\npopulation = " + std::to_string(population) +
                             "\ngenerations = " + std::to_string(generations) + "\n";
    return parse_run_config(text, kTinyRun);
}

TEST_CASE("an exported design TOML reproduces its energy, latency and area in elaa eval", "[optimise]") {
    // tiny: a flat network gene; edge: topology genes, whose exported network is the resolved cell.
    const bool topology = GENERATE(false, true);
    const auto config = topology ? edge_run(8, 1) : tiny(8, 1);
    const auto dir = fresh_dir("export");
    RunControl control;
    control.dir = dir;
    const auto evaluator = std::make_shared<const DesignEvaluator>(config);
    const auto result = run_optimisation(config, control, evaluator);
    const auto designs = pareto_designs(*evaluator, result.archive);
    REQUIRE(!designs.empty());
    std::ostringstream csv;
    write_pareto_csv(csv, *evaluator, designs);
    const std::string text = csv.str();
    CHECK(std::count(text.begin(), text.end(), '\n') == static_cast<long>(designs.size() + 1));
    for (std::size_t i = 0; i < std::min<std::size_t>(designs.size(), 3); ++i) {
        const auto& d = designs[i];
        INFO("design " << i + 1 << " " << d.evaluation.network);
        const std::string toml = design_toml(*evaluator, d, i + 1);
        // The file says which network it was scored on, and the CSV row names the same cell.
        CHECK_THAT(toml, Catch::Contains("# reproduce: elaa eval --arch design_00" + std::to_string(i + 1) +
                                         ".toml --net " + d.evaluation.network + "\n"));
        CHECK_THAT(text, Catch::Contains("," + d.evaluation.network + ","));
        if (topology) REQUIRE(workload::Zoo::instance().find(d.evaluation.network));
        const auto acc = hardware::parse_accelerator(toml, "design.toml");
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
    fs::remove_all(dir);
}

std::string file_text(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST_CASE("export after a run reuses the run's evaluator only when it ran the saved config", "[optimise]") {
    const auto config = edge_run(8, 2);
    const auto dir = fresh_dir("warm_export");
    RunControl control;
    control.dir = dir;
    const auto warm = std::make_shared<const DesignEvaluator>(config);
    const auto result = run_optimisation(config, control, warm);
    REQUIRE(!result.archive.empty());

    const auto before = warm->stats();
    CHECK(app::export_run(dir, "all", false, warm.get()) == result.archive.size());
    const auto after = warm->stats();
    // Every archived genome was evaluated by the run: the memo answers each one.
    CHECK(after.evaluations - before.evaluations == result.archive.size());
    CHECK(after.genome_hits - before.genome_hits == result.archive.size());
    const auto warm_csv = file_text(dir / "pareto.csv");
    const auto warm_json = file_text(dir / "pareto.json");
    const auto warm_design = file_text(dir / "pareto" / "design_001.toml");

    // An evaluator of another config is not used: a fresh one writes the same files.
    const DesignEvaluator other(edge_run(8, 3));
    CHECK(app::export_run(dir, "all", false, &other) == result.archive.size());
    CHECK(other.stats().evaluations == 0);
    CHECK(app::export_run(dir, "all", false) == result.archive.size());
    CHECK(file_text(dir / "pareto.csv") == warm_csv);
    CHECK(file_text(dir / "pareto.json") == warm_json);
    CHECK(file_text(dir / "pareto" / "design_001.toml") == warm_design);
    CHECK(warm_csv.find("design,file,") == 0);
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

TEST_CASE("islands: ring migration moves each island's best over the next island's worst", "[optimise][islands]") {
    // Two objectives, dominance order = index order within each island.
    auto island = [](double base) {
        IslandPopulation p;
        for (double k = 0; k < 4; ++k) {
            p.genomes.push_back({base + k});
            p.objectives.push_back({base + k, base + k});
        }
        return p;
    };
    std::vector<IslandPopulation> islands{island(1), island(10), island(100)};
    migrate(islands, 1);
    // Island 0's best (1) replaced island 1's worst (13); island 1's best (10) went to island 2,
    // island 2's best (100) to island 0 — chosen before island 1 received 1.
    CHECK(islands[0].genomes == std::vector<std::vector<double>>{{1}, {2}, {3}, {100}});
    CHECK(islands[1].genomes == std::vector<std::vector<double>>{{10}, {11}, {12}, {1}});
    CHECK(islands[2].genomes == std::vector<std::vector<double>>{{100}, {101}, {102}, {10}});
    CHECK(islands[1].objectives[3] == std::vector<double>{1, 1});
    // Two migrants: the two best replace the two worst.
    std::vector<IslandPopulation> pair{island(1), island(10)};
    migrate(pair, 2);
    CHECK(pair[0].genomes == std::vector<std::vector<double>>{{1}, {2}, {11}, {10}});
    CHECK(pair[1].genomes == std::vector<std::vector<double>>{{10}, {11}, {2}, {1}});
}

TEST_CASE("islands: an island run is reproducible, resumes to the same result, and differs from one population",
          "[optimise][islands]") {
    auto islands_config = [](unsigned count) {
        auto c = tiny(8, 4);
        c.islands = {count, 2, 2};
        c.text += "[islands]\ncount = " + std::to_string(count) + "\nmigrate_every = 2\nmigrants = 2\n";
        return c;
    };
    const auto config = islands_config(3);
    const auto straight_dir = fresh_dir("islands_straight");
    RunControl straight;
    straight.dir = straight_dir;
    const auto a = run_optimisation(config, straight);
    REQUIRE(a.generations_done == 4);
    CHECK(a.population_objectives.size() == 3 * 8);  // every island's population

    const auto split_dir = fresh_dir("islands_split");
    RunControl first;
    first.dir = split_dir;
    first.threads = 2;
    first.max_generations_now = 3;  // past the first migration, before the second
    run_optimisation(config, first);
    RunControl second = first;
    second.resume = true;
    second.max_generations_now = 0;
    const auto b = run_optimisation(config, second);
    CHECK(a.archive == b.archive);
    CHECK(a.population_objectives == b.population_objectives);
    CHECK(a.history.size() == b.history.size());

    // The checkpoint keeps the island count: resuming it as another count is refused.
    RunControl other = second;
    CHECK_THROWS_WITH(run_optimisation(islands_config(2), other),
                      Catch::Contains("differs from the checkpointed one") && Catch::Contains("islands.count: 3 -> 2"));
    other.force = true;
    CHECK_THROWS_WITH(run_optimisation(islands_config(2), other),
                      Catch::Contains("the checkpoint holds 3 island(s), the config asks for 2"));

    // Island 0 starts as the plain run, so what differs is what the other islands and migration add.
    const auto plain_dir = fresh_dir("islands_plain");
    RunControl plain;
    plain.dir = plain_dir;
    const auto single = run_optimisation(tiny(8, 4), plain);
    CHECK(single.population_objectives.size() == 8);
    CHECK(single.archive != a.archive);
    for (const auto& dir : {straight_dir, split_dir, plain_dir}) fs::remove_all(dir);
}

TEST_CASE("islands: the [islands] table is checked", "[optimise][islands]") {
    const std::string head = "[run]\nproblem = \"codesign\"\nspace = \"s.toml\"\n[nsga2]\npopulation = 16\n";
    CHECK(run_error(head + "[islands]\ncount = 0\n").find("'count' must be") != std::string::npos);
    CHECK(run_error(head + "[islands]\nmigrants = 16\n") ==
          "run.toml:7: [islands]: 'migrants' must be below the population (16), got 16");
    CHECK(run_error(head + "[islands]\nmigrate = 2\n").find("unknown key 'migrate'") != std::string::npos);
    const auto defaults = parse_run_config(head, "run.toml");
    CHECK(defaults.islands.count == 1);
    CHECK(defaults.islands.migrate_every == 5);
    CHECK(defaults.islands.migrants == 1);  // population / 10
}

TEST_CASE("the shipped run configs load", "[optimise][islands]") {
    const fs::path runs = fs::path(ELAA_SOURCE_DIR) / "configs" / "runs";
    const auto plain = load_run_config(runs / "default.toml");
    CHECK(plain.islands.count == 1);
    CHECK(plain.population == 128);
    const auto islands = load_run_config(runs / "islands.toml");
    CHECK(islands.islands.count == 16);
    CHECK(islands.islands.migrants == 12);
    CHECK(islands.islands.migrate_every == 5);
    CHECK(config_differences(plain, islands).size() == 3);  // only the [islands] keys differ
    // The documented large run: the default run but for its population and generations.
    const auto scale = load_run_config(runs / "scale.toml");
    CHECK(scale.population == 512);
    CHECK(scale.generations == 300);
    CHECK(config_differences(plain, scale).size() == 2);

    // The contemporary run: the default run's settings over a space whose network gene offers
    // transformers and ConvNeXt next to CNNs, on the edge space's accelerator genes.
    const auto contemporary = load_run_config(runs / "contemporary.toml");
    CHECK(contemporary.population == plain.population);
    CHECK(contemporary.generations == plain.generations);
    const auto space = elaa::encodings::load_search_space(contemporary.space);
    const auto edge = elaa::encodings::load_search_space(plain.space);
    // The same hardware genes; edge's network is four topology genes, contemporary's one flat choice
    // (most of its networks are on no grid).
    REQUIRE(space.genes.size() + 3 == edge.genes.size());
    CHECK(edge.genes.back().name == "depth");
    const auto& networks = space.genes.back().labels;
    CHECK(space.genes.back().name == "network");
    for (const char* net : {"vit_b_16", "swin_t", "maxvit_t", "convnext_tiny", "resnet50", "mobilenet_v3_large"})
        CHECK(std::find(networks.begin(), networks.end(), net) != networks.end());
    for (std::size_t g = 0; g + 1 < space.genes.size(); ++g) {
        INFO(space.genes[g].name);
        CHECK(space.genes[g].name == edge.genes[g].name);
        CHECK(space.genes[g].numbers == edge.genes[g].numbers);
        CHECK(space.genes[g].labels == edge.genes[g].labels);
    }
}

TEST_CASE("a checkpoint whose designs do not fit the run's problem is refused on resume", "[optimise]") {
    const auto dir = fresh_dir("foreign_genomes");
    RunControl control;
    control.dir = dir;
    run_optimisation(tiny(8, 1), control);
    const auto file = dir / kCheckpointFile;
    const std::string payload = read_checkpoint(file);
    // Drop the last gene of the first design ("x":[a,b,...,z] -> "x":[a,b,...]).
    const auto x = payload.find("\"x\":[", payload.find("\"population\""));
    REQUIRE(x != std::string::npos);
    const auto close = payload.find(']', x);
    const auto comma = payload.rfind(',', close);
    write_checkpoint(file, payload.substr(0, comma) + payload.substr(close));
    control.resume = true;
    control.force = true;  // more generations: a changed config
    CHECK_THROWS_WITH(run_optimisation(tiny(8, 2), control),
                      Catch::Contains("a checkpointed design has") && Catch::Contains("was the checkpoint written for another search space?"));
    fs::remove_all(dir);
}
