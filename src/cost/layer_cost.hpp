// The cost of one layer under one mapping: energy (pJ), latency (cycles) and their breakdowns.
#pragma once

#include <array>

#include <boost/container/static_vector.hpp>
#include <string>
#include <vector>

#include "mapping/mapping.hpp"

namespace elaa::cost {

// Word accesses of one operand at one memory, per direction (ZigZag's period-based count).
struct MemoryTraffic {
    std::size_t memory = 0;  // index into Accelerator::memories
    workload::Operand operand = workload::Operand::W;
    std::array<double, 4> word_accesses{};  // indexed by hardware::Direction
    double energy_pj = 0;
};

// Every figure of a layer's cost but the traffic table: what a search cache keeps beside a copy of
// the traffic cut to its length (LayerCost's inline table has room for 32 entries, about 1.8 KB).
struct LayerFigures {
    double mac_energy_pj = 0;
    double memory_energy_pj = 0;
    double energy_pj() const { return mac_energy_pj + memory_energy_pj; }

    double ideal_cycles = 0;     // ceil(MACs / array size): a fully used array
    double temporal_cycles = 0;  // product of the temporal loops (includes spatial under-use)
    double stall_cycles = 0;     // bandwidth stalls, never negative
    double onload_cycles = 0;    // initial data loading not hidden behind computation
    double offload_cycles = 0;   // final output draining
    double latency_cycles() const { return temporal_cycles + stall_cycles + onload_cycles + offload_cycles; }

    double spatial_utilisation = 0;   // average active MACs / array size
    double temporal_utilisation = 0;  // temporal cycles / latency
    double dram_bits = 0;             // traffic crossing DRAM ports
};

struct LayerCost : LayerFigures {
    // One entry per (operand, level); fixed capacity keeps evaluation free of heap allocations.
    boost::container::static_vector<MemoryTraffic, 32> traffic;

    bool operator<(const LayerCost&) const = delete;
};

}  // namespace elaa::cost
