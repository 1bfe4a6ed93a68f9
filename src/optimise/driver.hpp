// `elaa optimise`: NSGA-II (pagmo2) over a run config's genome, one generation per step, with an
// external Pareto archive, checkpoints and resume. A pagmo-free facade: pagmo lives in problems/.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "optimise/archive.hpp"
#include "optimise/design_evaluator.hpp"
#include "optimise/run_config.hpp"

namespace elaa::optimise {

struct GenerationReport {
    unsigned generation = 0, generations = 0;  // generations done, total
    std::size_t evaluations = 0;               // genomes evaluated since this process started (all ranks)
    double evaluations_per_s = 0;
    double genome_hit_rate = 0, layer_hit_rate = 0;  // this process's caches (rank 0 under MPI)
    double hypervolume = 0;                    // population front, normalised objectives
    double eta_s = 0;
    std::size_t archive_size = 0;
};

struct HistoryPoint {
    unsigned generation = 0;
    double hypervolume = 0;
    std::size_t archive_size = 0;
};

struct RunControl {
    std::filesystem::path dir;  // run directory: checkpoint.elaa lives here
    bool resume = false;        // continue from dir/checkpoint.elaa
    bool force = false;         // resume even if the config changed
    unsigned threads = 1;       // evaluations in parallel (per rank)
    std::size_t search_cache_bytes = kDefaultSearchCacheBytes;  // bound of the layer-search cache
    bool mpi = false;           // spread each generation over MPI ranks (this process is rank 0)
    const std::atomic<bool>* stop = nullptr;  // set asynchronously (SIGINT): stop after the generation
    std::function<void(const GenerationReport&)> progress;
    // Stop after this many generations in this process (tests: "N, resume, N"); 0 = no limit.
    unsigned max_generations_now = 0;
};

struct RunResult {
    unsigned generations_done = 0;
    bool stopped_early = false;  // by the stop flag or max_generations_now
    std::vector<ArchiveEntry> archive;
    std::vector<HistoryPoint> history;
    std::vector<std::vector<double>> population_objectives;
};

inline const char* const kCheckpointFile = "checkpoint.elaa";

// Runs (or resumes) the optimisation; checkpoints every config.checkpoint_every generations, at the
// end, and when stopped. Throws InputError (bad checkpoint, changed config without force, ...).
RunResult run_optimisation(const RunConfig& config, const RunControl& control);
// The same with a given evaluator (its caches carry over between runs: tests, benchmarks).
RunResult run_optimisation(const RunConfig& config, const RunControl& control,
                           std::shared_ptr<const DesignEvaluator> evaluator);

// One island's population: genomes and their objectives, in the same order.
struct IslandPopulation {
    std::vector<std::vector<double>> genomes, objectives;
};

// Ring migration (island runs, [islands] in the run config): the best `migrants` of island i by
// NSGA-II's ranking (non-dominated fronts, then crowding distance) replace the worst of island
// i+1 (the last island's go to the first), all chosen before any island changes.
void migrate(std::vector<IslandPopulation>& islands, unsigned migrants);

// What an MPI worker rank computes for rank 0 in this run: a genome's objectives (one population)
// or one island's generation (island runs). The CLI's workers loop over it (mpi_worker_loop).
std::function<std::vector<double>(const std::vector<double>&)> mpi_worker_task(
    const RunConfig& config, std::shared_ptr<const DesignEvaluator> evaluator, unsigned threads);

// The state saved in a checkpoint, readable without running anything (export, tests).
struct SavedRun {
    RunConfig config;
    unsigned generations_done = 0;
    std::vector<ArchiveEntry> archive;
    std::vector<HistoryPoint> history;
};
SavedRun load_saved_run(const std::filesystem::path& dir);

// Hypervolume of points (all minimised) w.r.t. a reference point that every counted point must
// dominate; points that do not are ignored. Exact (pagmo's WFG for 4-D).
double hypervolume(const std::vector<std::vector<double>>& points, const std::vector<double>& reference);

}  // namespace elaa::optimise
