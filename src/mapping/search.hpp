// Temporal mapping search: which loop order, and which memory level keeps each operand's tile while
// each loop iterates. The spatial unrolling comes from the accelerator's dataflow.
//
// `loma` is ZigZag's LOMA space (Symons et al., "LOMA: Fast Auto-Scheduling on DNN Accelerators
// through Loop-Order-based Memory Allocation", AICAS 2021): the temporal loop bounds are split into
// prime factors, merged down to at most `lpf_limit` factors, every distinct order of them is
// allocated bottom-up to the memories (each memory greedily takes, per operand, the prefix of the
// remaining loops that minimises traffic to the level above within its capacity), and each
// resulting mapping is evaluated with the cost model.
//
// `full` evaluates every mapping `loma` evaluates and more: every order of the bounds split into up
// to 7 factors (finer tiles than loma can express). It is never worse than `loma` on the chosen
// objective.
//
// `fast` is LOMA with at most 4 factors, but never fewer than one per temporal loop dimension (a 3x3
// convolution with K, C, OX and OY left temporal keeps 6: up to 720 orders; the default optimise run
// costs about 48 orders per search): for design-space exploration, where a search runs for every
// new (layer, hardware) pair and an approximate mapping is enough to rank designs.
#pragma once

#include <array>
#include <optional>

#include "cost/layer_cost.hpp"
#include "mapping/mapping.hpp"

namespace elaa::mapping {

enum class Objective { Latency, Energy, Edp };
// fast: few loop orders (design-space exploration); loma: ZigZag's; full: loma plus every order of
// finer loop factors; deep: full plus finer still (tile splits such as K 16 x 6 of a K 96 loop that
// a chip's mapper uses), an order of magnitude slower: for validating against a chip.
enum class SearchSpace { Fast, Loma, Full, Deep };
inline constexpr std::array kAllObjectives{Objective::Latency, Objective::Energy, Objective::Edp};
inline constexpr std::array kAllSearchSpaces{SearchSpace::Fast, SearchSpace::Loma, SearchSpace::Full,
                                             SearchSpace::Deep};

std::string_view to_string(Objective objective);
std::string_view to_string(SearchSpace space);
bool parse_objective(std::string_view text, Objective& out);
bool parse_search_space(std::string_view text, SearchSpace& out);

struct SearchOptions {
    Objective objective = Objective::Latency;
    SearchSpace space = SearchSpace::Full;
    // Orderings evaluated at most per layer; a larger space is cut to the `loma` space for that
    // layer (flagged in the result) so that no input can make the search run for hours.
    std::size_t max_orderings = 200000;
};

struct SearchResult {
    Mapping mapping;
    cost::LayerCost cost;
    std::size_t orderings = 0;       // loop orders considered
    std::size_t evaluations = 0;     // mappings evaluated with the cost model
    bool fell_back_to_loma = false;  // the full space was too large for this layer
};

// Whether `a` is better than `b` under `objective` (ties broken by the other metric).
bool better(const cost::LayerCost& a, const cost::LayerCost& b, Objective objective);

// Searches the temporal mapping of `layer` under the accelerator's dataflow for its kind. Throws
// cost::MappingError when no mapping fits (e.g. the smallest tile exceeds a memory), naming the
// layer and the memory.
SearchResult search(const workload::Layer& layer, const hardware::Accelerator& acc, const SearchOptions& options);

// The best `count` row-stationary unrollings of `layer` on the accelerator's 2-D array (what a
// "row_stationary" dataflow searches), most MACs busy first.
std::vector<hardware::Dataflow> row_stationary_dataflows(const workload::Layer& layer,
                                                         const hardware::Accelerator& acc, std::size_t count);

}  // namespace elaa::mapping
