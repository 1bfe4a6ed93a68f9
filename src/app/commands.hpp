// What elaa's commands do, between parsing their inputs and printing their outputs: shared by the
// command line (src/cli) and the Python module (python/), so that both give the same numbers, write
// the same files and fail with the same messages.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "assess/assessment.hpp"
#include "assess/validation.hpp"
#include "cost/network_cost.hpp"
#include "hardware/accelerator.hpp"
#include "optimise/driver.hpp"
#include "report/eval_report.hpp"
#include "workload/network.hpp"

namespace elaa::app {

// A preset name, or a path to an accelerator TOML file (a name ending in .toml or holding a '/').
hardware::Accelerator load_arch(const std::string& arch);
// A zoo name, or a path to an ONNX file (a name ending in .onnx).
workload::Network load_network(const std::string& net);

// `elaa eval`'s settings, with its defaults.
inline constexpr const char* kDefaultEvalObjective = "latency";
inline constexpr const char* kDefaultEvalSearch = "full";
struct EvalRequest {
    // Unset: the accelerator file's [evaluation] setting if it states one, else the default above.
    std::optional<std::string> objective, search;
    std::string kinds;  // comma-separated kind classes; empty = all
    int batch = 1;
    unsigned threads = 1;
    std::string density_file;  // per-layer activation densities; empty = dense
    std::string mapping_file;  // given mappings (an earlier --json report); empty = search every layer
    bool leakage = false;      // report leakage energy apart
    std::string arch_source;   // what the accelerator was loaded from, for messages; empty = its name
};

// One evaluation and everything its reports need. Not movable: the cost refers to the network's layers.
struct EvalRun {
    workload::Network network;
    hardware::Accelerator accelerator;
    cost::EvalOptions options;
    cost::NetworkCost cost;
    bool leakage = false;
    EvalRun() = default;
    EvalRun(const EvalRun&) = delete;
    EvalRun& operator=(const EvalRun&) = delete;
    report::EvalContext context() const { return {network, accelerator, cost, options, leakage}; }
};

// Throws InputError for bad settings or files, and for a layer no mapping fits.
std::unique_ptr<EvalRun> run_eval(hardware::Accelerator accelerator, workload::Network network, const EvalRequest& request);

// Writes an assessment's files into `dir` (results.csv, layers.csv, pareto.csv, run.json with the
// command that produced it, insights.md, and the plots unless `plots` is false).
void write_assessment(const std::filesystem::path& dir, const assess::Assessment& result, const std::string& command,
                      bool plots);

// Writes a validation's files into `dir` (validation.csv, layers.csv, validation.json, the plot).
void write_validation(const std::filesystem::path& dir, const assess::Validation& validation, bool plots);

// `elaa optimise`'s settings.
struct OptimiseRequest {
    std::string config;  // run config file; may be empty when resuming (the checkpoint holds it)
    std::filesystem::path out, resume;  // a new run into `out`, or (when given) resume `resume`
    unsigned threads = 1;
    std::size_t search_cache_bytes = optimise::kDefaultSearchCacheBytes;
    bool force = false;  // resume even if the config changed
};
struct PreparedRun {
    optimise::RunConfig config;
    std::filesystem::path dir;
    bool resume = false;
};
// Loads the config and checks or creates the run directory; a new run refuses a directory that
// already holds one, so nothing a user has is overwritten.
PreparedRun prepare_optimisation(const OptimiseRequest& request);
// The control of that run (no MPI, no progress, no stop flag: the caller adds those).
optimise::RunControl run_control(const OptimiseRequest& request, const PreparedRun& run);

// history.csv of a run: generation, hypervolume (9 significant digits), archive size.
std::string history_csv(const std::vector<optimise::HistoryPoint>& history);

// Writes a run directory's Pareto set (pareto.csv, pareto.json, history.csv, pareto/design_NNN.toml,
// plots) for `format` "csv", "json", "toml" or "all"; returns the number of designs. The designs are
// re-evaluated: by `warm` (the evaluator that ran the search, whose memo already holds every archived
// genome) when it was built from the run's saved config, otherwise by a fresh evaluator.
std::size_t export_run(const std::filesystem::path& dir, const std::string& format, bool plots,
                       const optimise::DesignEvaluator* warm = nullptr);

}  // namespace elaa::app
