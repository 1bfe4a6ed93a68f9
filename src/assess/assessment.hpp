// The seed study (Jain, Mei, Verhelst, "Analyzing the Energy-Latency-Area-Accuracy Trade-off Across
// Contemporary Neural Networks", AICAS 2021): every network of a suite on every accelerator, with
// its published accuracy, giving the 4-D trade-off energy / latency / area / top-1.
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "accuracy/accuracy.hpp"
#include "cost/network_cost.hpp"

namespace elaa::assess {

struct AssessOptions {
    std::vector<std::string> archs;  // preset names or TOML files
    std::vector<std::string> nets;   // zoo names
    mapping::Objective objective = mapping::Objective::Latency;
    mapping::SearchSpace space = mapping::SearchSpace::Loma;  // the paper's (ZigZag's LOMA)
    unsigned threads = 1;
    // Set from elsewhere (another thread, the progress callback): no further pair starts, and
    // run_assessment throws InputError saying how far it got.
    const std::atomic<bool>* stop = nullptr;
};

// Network selections of `--nets`: "suite" (the 34-network suite), "contemporary" (transformers and
// 2020s CNNs with the suite's best CNNs), "all" (suite plus the parametric families), or a
// comma-separated list of zoo names.
std::vector<std::string> select_networks(const std::string& selection);
// Accelerator selections of `--archs`: "all" (every preset) or a comma-separated list.
std::vector<std::string> select_accelerators(const std::string& selection);

struct PairResult {
    std::size_t network = 0;      // index into Assessment::networks
    std::size_t accelerator = 0;  // index into Assessment::accelerators
    cost::NetworkCost cost;
    double energy_dram_pj = 0;    // energy split: DRAM accesses
    double energy_onchip_pj = 0;  // on-chip memory accesses
};

struct Assessment {
    AssessOptions options;
    std::vector<workload::Network> networks;
    std::vector<hardware::Accelerator> accelerators;
    std::vector<std::optional<accuracy::AccuracyEntry>> accuracy;  // per network (default row)
    std::vector<PairResult> pairs;  // network-major: network, then accelerator

    const PairResult& pair(std::size_t network, std::size_t accelerator) const {
        return pairs[network * accelerators.size() + accelerator];
    }
};

// Progress: (pairs done, pairs total).
using Progress = std::function<void(std::size_t, std::size_t)>;

// Throws InputError for unknown names, an empty selection, or a network with no published accuracy.
Assessment run_assessment(const AssessOptions& options, const Progress& progress = {});

}  // namespace elaa::assess
