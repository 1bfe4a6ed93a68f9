// A mapping of one layer onto one accelerator: where each loop runs in space (the array) and in
// time (which memory level holds the data while it iterates). A mapping is a value: it can be
// printed, stored as JSON and evaluated again without a search (Timeloop's model/mapper split).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "hardware/accelerator.hpp"
#include "workload/layer.hpp"

namespace elaa::mapping {

using workload::Dim;
using workload::Operand;

inline constexpr std::array<Operand, 3> kOperands{Operand::W, Operand::I, Operand::O};
inline std::size_t index(Operand op) { return static_cast<std::size_t>(op); }

struct Loop {
    Dim dim;
    std::int64_t size;
    bool operator==(const Loop&) const = default;
};

// For each operand, its memory levels bottom-up (as in Accelerator::hierarchy), each holding the
// temporal loops that iterate while that level keeps its tile, innermost first. All operands see the
// same loop order; they differ in where their level boundaries fall.
struct TemporalMapping {
    std::array<std::vector<std::vector<Loop>>, 3> levels;
    const std::vector<std::vector<Loop>>& of(Operand op) const { return levels[index(op)]; }
    std::vector<std::vector<Loop>>& of(Operand op) { return levels[index(op)]; }
    bool operator==(const TemporalMapping&) const = default;
};

// One unrolled loop on an array dimension, resolved for a layer. Following ZigZag, an unrolling
// that does not divide the layer dimension becomes fractional so that the temporal remainder is an
// integer (K = 64 on 14 PEs: 5 temporal iterations of 12.8): energy uses the fraction, latency the
// integer part.
struct SpatialLoop {
    Dim dim;
    double factor = 1;   // fractional (energy)
    int factor_int = 1;  // integer (latency)
    bool operator==(const SpatialLoop&) const = default;
};

struct SpatialMapping {
    std::vector<std::vector<SpatialLoop>> per_array_dim;  // indexed like the accelerator's array dims
    // Product of the (fractional) unrollings of `dim` over all array dims.
    double unrolling(Dim dim) const;
    double active_units() const;  // product of every fractional factor
    bool operator==(const SpatialMapping&) const = default;
};

struct Mapping {
    SpatialMapping spatial;
    TemporalMapping temporal;
    bool operator==(const Mapping&) const = default;
};

// Resolves an accelerator's unrolling for a layer (ZigZag's spatial mapping conversion): each factor
// is clamped to its array dimension and to the layer dimension, then the first largest unrolling of
// each layer dimension is made fractional when it does not divide the dimension. Loop dimensions of
// size 1 in the layer unroll by 1.
SpatialMapping resolve_spatial(const workload::Layer& layer, const hardware::Accelerator& acc,
                               const hardware::Dataflow& dataflow);

// The spatial loops that sit directly below each memory level of an operand's hierarchy (memory
// indices, bottom-up): a memory takes the array dimensions it serves that no lower level of the
// operand served (it fans out over them; the levels below are replicated); a last entry holds the
// array dimensions no memory serves. Unrollings of one loop dimension on several array dimensions
// of an entry are multiplied. `integer`: the integer factors (latency) instead of the fractional.
std::vector<std::vector<std::pair<Dim, double>>> spatial_entries(const hardware::Accelerator& acc,
                                                                 const std::vector<std::size_t>& memories,
                                                                 const SpatialMapping& spatial, bool integer);

// Temporal loop bounds left after the spatial unrolling: ceil(L / fractional factor), dims of size 1
// dropped.
std::vector<Loop> temporal_loops(const workload::Layer& layer, const SpatialMapping& spatial);

std::string to_string(const SpatialMapping& spatial, const hardware::Accelerator& acc);
std::string to_string(const TemporalMapping& temporal);

}  // namespace elaa::mapping
