// The fitness of a genome, without pagmo: decode it, evaluate the network(s) on the accelerator
// with the cost model, look the accuracy up, apply the budgets. Thread-safe; the mapping searches
// of every evaluation share one cache (a GA revisits hardware), and whole genomes are memoised.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "cost/network_cost.hpp"
#include "encodings/encoding.hpp"
#include "optimise/run_config.hpp"

namespace elaa::optimise {

// Objectives of infeasible designs: pagmo's NSGA-II accepts no constraints, so a design that breaks
// a budget (or cannot be built) gets kPenalty * (1 + violation) in every objective. That is worse
// than any feasible value, and among infeasible designs the smaller violation wins. Such designs
// never enter the archive or the export.
inline constexpr double kPenalty = 1e12;

struct Evaluation {
    std::vector<double> objectives;  // all minimised
    bool feasible = false;
    std::string reason;              // why not, when infeasible
    // The figures behind the objectives (feasible designs).
    std::string network;             // codesign / network_for_hardware
    double energy_j = 0, latency_s = 0, area_mm2 = 0, top1 = 0;
    std::string accuracy_source;
};

struct EvaluatorStats {
    std::size_t evaluations = 0, genome_hits = 0;  // genomes seen before
    std::size_t layer_searches = 0, layer_hits = 0;  // costed layers, and those answered from the cache
};

// The default memory bound of an evaluator's mapping-search cache (elaa optimise --cache-mib).
inline constexpr std::size_t kDefaultSearchCacheBytes = std::size_t{64} << 20;

class DesignEvaluator {
public:
    // `search_cache_bytes`: bound of the layer-search cache (0 = unbounded; cost::SearchCache).
    explicit DesignEvaluator(const RunConfig& config, std::size_t search_cache_bytes = kDefaultSearchCacheBytes);

    const encodings::Encoding& encoding() const { return *encoding_; }
    std::size_t objective_count() const { return objective_names().size(); }
    std::vector<std::string> objective_names() const;
    const RunConfig& config() const { return config_; }

    Evaluation evaluate(const std::vector<double>& genome) const;
    EvaluatorStats stats() const;

private:
    const workload::Network& network(const std::string& name) const;
    Evaluation penalty(std::string reason, double violation) const;

    RunConfig config_;
    std::shared_ptr<const encodings::Encoding> encoding_;
    cost::EvalOptions eval_options_;
    mutable cost::SearchCache searches_;
    mutable std::mutex mutex_;  // guards the two maps below
    mutable std::map<std::string, std::unique_ptr<workload::Network>> networks_;
    mutable std::map<std::vector<double>, Evaluation> genomes_;
    mutable std::atomic<std::size_t> evaluations_{0}, genome_hits_{0}, layer_searches_{0}, layer_hits_{0};
};

}  // namespace elaa::optimise
