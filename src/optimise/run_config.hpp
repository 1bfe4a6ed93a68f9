// A co-optimisation run described in TOML (configs/runs/*.toml): the problem, its search space,
// the NSGA-II settings and the checkpoint interval. Schema: docs/optimise.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mapping/search.hpp"

namespace elaa::optimise {

enum class ProblemKind {
    Codesign,            // genes: hardware + network; objectives: energy, latency, area, -top-1
    HardwareForSuite,    // genes: hardware; objectives: suite geometric-mean energy and latency, area
    NetworkForHardware,  // gene: network; fixed accelerator; objectives: energy, latency, -top-1
};
std::string_view to_string(ProblemKind kind);

struct Budgets {
    std::optional<double> max_area_mm2, max_latency_s, min_top1;
};

// Island model ([islands]): `count` populations of `population` each evolve side by side (one
// per MPI rank when there are as many ranks); every `migrate_every` generations each island's best
// `migrants` replace the worst of the next island in a ring. Migration is synchronous, so an
// island run is as reproducible as a single population. count = 1 is plain NSGA-II.
struct Islands {
    unsigned count = 1;
    unsigned migrate_every = 5;
    unsigned migrants = 0;  // 0 until parsed: then population / 10, at least 1
};

struct RunConfig {
    std::string source;  // the file it came from
    std::string text;    // its full text (kept in checkpoints, to detect a changed config on resume)

    ProblemKind problem = ProblemKind::Codesign;
    std::filesystem::path space;       // search-space file (resolved against the config's directory)
    std::vector<std::string> suite;    // hardware_for_suite: the fixed networks
    std::string accelerator;           // network_for_hardware: preset name or TOML file
    std::vector<std::string> networks; // network_for_hardware: the candidate networks

    mapping::Objective mapping_objective = mapping::Objective::Latency;
    mapping::SearchSpace search = mapping::SearchSpace::Loma;

    std::uint64_t seed = 1;
    unsigned population = 64;
    unsigned generations = 50;
    double crossover = 0.95, eta_c = 10, eta_m = 50;
    std::optional<double> mutation;  // per gene; default 1 / number of genes
    unsigned checkpoint_every = 10;
    Budgets budgets;
    Islands islands;
};

// Throws InputError naming the file, line, key and rule (unknown key, population not a multiple of
// 4 or below 8 — pagmo's NSGA-II rules —, probabilities outside [0, 1], ...).
RunConfig load_run_config(const std::filesystem::path& path);
RunConfig parse_run_config(std::string_view text, const std::string& source);

// The keys whose values differ between two configs ("nsga2.population: 64 -> 128").
std::vector<std::string> config_differences(const RunConfig& before, const RunConfig& now);

}  // namespace elaa::optimise
