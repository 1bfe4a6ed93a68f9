// The analytical cost model: energy and latency of one layer under one given mapping.
//
// Semantics follow ZigZag 3.8 (KU Leuven; shared/reference/zigzag-model.md §2), re-derived here with
// explicit types. In short, for every operand and memory level:
//   * data per instance D_u = product of the operand-relevant loops below the level (spatial and
//     temporal; the input's sliding window counted with its real extent),
//   * transfers are periodic: each period (the cycles of the loops below) moves a tile, and
//     word accesses = ceil(bits / bw_min) * bw_min / bw_max * periods * instances,
//   * energy = MAC energy * MACs + sum of word accesses * per-access energy,
//   * latency = temporal cycles + bandwidth stalls (max over ports) + on-loading + off-loading.
// Deviations from ZigZag, each documented in docs/cost-model.md, are marked "Deviation" below.
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>

#include "cost/layer_cost.hpp"

namespace elaa::cost {

// The mapping does not fit the layer or the hardware (loops that do not multiply to the layer's
// bounds, a tile larger than its memory, ...). The message says which.
class MappingError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

LayerCost evaluate(const workload::Layer& layer, const hardware::Accelerator& acc, const mapping::Mapping& mapping);

// Evaluates many temporal mappings of one layer under one spatial mapping (what a search does):
// everything that depends only on the layer, the hardware and the spatial unrolling is prepared
// once. Thread-safe: operator() is const and keeps no state between calls.
class Evaluator {
public:
    Evaluator(const workload::Layer& layer, const hardware::Accelerator& acc, const mapping::SpatialMapping& spatial);
    ~Evaluator();
    Evaluator(Evaluator&&) noexcept;
    Evaluator& operator=(Evaluator&&) noexcept;

    // The temporal mapping must already be consistent with the layer (check_mapping); a tile that
    // exceeds its memory throws MappingError.
    LayerCost operator()(const mapping::TemporalMapping& temporal) const;
    // The same cost, or nothing when the latency exceeds `latency_bound` (then the energy is never
    // computed: what a search for the fastest mapping needs for the mappings it will reject).
    std::optional<LayerCost> cost_within(const mapping::TemporalMapping& temporal, double latency_bound) const;

private:
    struct Context;
    std::unique_ptr<const Context> context_;
};

// Checks that the temporal loops of every operand multiply to the bounds left by the spatial
// unrolling, and that the operands' hierarchies match the accelerator. Throws MappingError.
void check_mapping(const workload::Layer& layer, const hardware::Accelerator& acc, const mapping::Mapping& mapping);

}  // namespace elaa::cost
