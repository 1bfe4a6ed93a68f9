#include "mapping/search.hpp"

#include "hardware/operand_roles.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <boost/container/static_vector.hpp>

#include "cost/evaluate.hpp"

namespace elaa::mapping {

std::string_view to_string(Objective objective) {
    switch (objective) {
        case Objective::Latency: return "latency";
        case Objective::Energy: return "energy";
        case Objective::Edp: return "edp";
    }
    return "?";
}

std::string_view to_string(SearchSpace space) {
    switch (space) {
        case SearchSpace::Fast: return "fast";
        case SearchSpace::Loma: return "loma";
        case SearchSpace::Full: return "full";
        case SearchSpace::Deep: return "deep";
    }
    return "?";
}

bool parse_objective(std::string_view text, Objective& out) {
    for (auto o : kAllObjectives)
        if (to_string(o) == text) {
            out = o;
            return true;
        }
    return false;
}

bool parse_search_space(std::string_view text, SearchSpace& out) {
    for (auto s : kAllSearchSpaces)
        if (to_string(s) == text) {
            out = s;
            return true;
        }
    return false;
}

bool better(const cost::LayerCost& a, const cost::LayerCost& b, Objective objective) {
    const double ea = a.energy_pj(), eb = b.energy_pj(), la = a.latency_cycles(), lb = b.latency_cycles();
    switch (objective) {
        case Objective::Latency: return la < lb || (la == lb && ea < eb);
        case Objective::Energy: return ea < eb || (ea == eb && la < lb);
        case Objective::Edp: {
            const double pa = ea * la, pb = eb * lb;
            return pa < pb || (pa == pb && la < lb);
        }
    }
    return false;
}

namespace {

using workload::Layer;

constexpr std::size_t kFastFactorLimit = 4;  // never fewer than one factor per temporal loop dim
constexpr std::size_t kLomaFactorLimit = 6;  // ZigZag's default lpf_limit
constexpr std::size_t kFullFactorLimit = 7;  // up to 7! = 5040 orders: ~10 ms per layer
constexpr std::size_t kDeepFactorLimit = 9;  // up to 9! orders, fewer with repeated factors

// Loop dims in the order ZigZag lists a layer's dimensions; it decides which dimension's factors
// are merged first when two have equally many.
std::vector<Dim> dimension_order(const Layer& layer) {
    using workload::OpKind;
    if (layer.kind == OpKind::Gemm || layer.kind == OpKind::MatMul)
        return {Dim::C, Dim::B, Dim::K, Dim::G, Dim::OX, Dim::OY, Dim::FX, Dim::FY};
    return {Dim::B, Dim::K, Dim::G, Dim::OX, Dim::OY, Dim::C, Dim::FX, Dim::FY};
}

std::vector<std::int64_t> prime_factors(std::int64_t n) {
    std::vector<std::int64_t> out;
    for (std::int64_t p = 2; p * p <= n; ++p)
        while (n % p == 0) {
            out.push_back(p);
            n /= p;
        }
    if (n > 1) out.push_back(n);
    return out;
}

// The loop prime factors of the temporal bounds, merged until at most `limit` remain (never fewer
// than one per dimension): repeatedly, the dimension with most factors multiplies its two smallest.
std::vector<Loop> loop_prime_factors(const Layer& layer, const SpatialMapping& spatial, std::size_t limit) {
    const auto bounds = temporal_loops(layer, spatial);
    std::vector<std::pair<Dim, std::vector<std::int64_t>>> per_dim;
    for (Dim dim : dimension_order(layer))
        for (const auto& loop : bounds)
            if (loop.dim == dim) per_dim.emplace_back(dim, prime_factors(loop.size));
    limit = std::max(limit, per_dim.size());
    auto count = [&] {
        std::size_t n = 0;
        for (const auto& [dim, factors] : per_dim) n += factors.size();
        return n;
    };
    while (count() > limit) {
        auto most = per_dim.begin();
        for (auto it = per_dim.begin(); it != per_dim.end(); ++it)
            if (it->second.size() > most->second.size()) most = it;
        auto& f = most->second;  // sorted ascending
        const std::int64_t merged = f[0] * f[1];
        f.erase(f.begin(), f.begin() + 2);
        f.insert(std::upper_bound(f.begin(), f.end(), merged), merged);
    }
    std::vector<Loop> lpfs;
    for (const auto& [dim, factors] : per_dim)
        for (auto p : factors) lpfs.push_back({dim, p});
    return lpfs;
}

// ---------------------------------------------------------------------------------------------
// Bottom-up memory allocation of one loop order (LOMA's allocator).

struct OperandState {
    Operand op;
    std::array<bool, 8> relevant{};              // dims indexing the operand directly
    std::array<bool, 8> reduction{};             // output only: reduction dims (size > 1)
    std::vector<std::size_t> memories;           // hierarchy
    std::vector<std::vector<std::pair<Dim, double>>> spatial;  // entry per level (+ top)
    std::array<double, 8> allocated{};           // product of allocated loops per Dim (incl. spatial)
    std::size_t next = 0;                        // first unallocated loop of the order
    std::size_t level = 0;                       // next memory level to fill
};

// Elements of an operand's tile spanned by the given per-dim loop products. The input's window
// extents are remembered from the previous call: the allocator grows a tile one loop at a time, so
// at most one of them changes per call (a pure function's result, reused: exact), and the product
// of the relevant dims is updated by the new loop instead of taken again (exact for integers).
class TileElements {
public:
    TileElements(const Layer& layer, Operand op, const std::array<bool, 8>& relevant)
        : layer_(layer), op_(op), relevant_(relevant) {}

    // Whether the tile grows with loops of `dim` (relevant, or one of the input's window dimensions).
    bool depends_on(Dim dim) const {
        return relevant_[static_cast<std::size_t>(dim)] ||
               (op_ == Operand::I && (dim == Dim::OX || dim == Dim::OY || dim == Dim::FX || dim == Dim::FY));
    }

    // Computed in full from `dims` (the operand's loop products per Dim).
    double operator()(const std::array<double, 8>& dims) {
        relevant_product_ = 1;
        exact_ = true;
        for (std::size_t d = 0; d < 8; ++d)
            if (relevant_[d]) {
                relevant_product_ *= dims[d];
                exact_ = exact_ && dims[d] == std::trunc(dims[d]);
            }
        exact_ = exact_ && relevant_product_ < kExactBelow;
        return with_windows(dims);
    }

    // The same after one more loop multiplied dims[dim] by `size`, from the previous call's product:
    // while every factor is an integer and the product stays below 2^53, multiplying it in gives
    // the very number the full product gives (a fractional spatial factor takes the full product).
    double grown(const std::array<double, 8>& dims, Dim dim, double size) {
        if (relevant_[static_cast<std::size_t>(dim)]) {
            if (!exact_) return (*this)(dims);
            relevant_product_ *= size;
            if (relevant_product_ >= kExactBelow) return (*this)(dims);
        }
        return with_windows(dims);
    }

private:
    static constexpr double kExactBelow = 9007199254740992.0;  // 2^53

    double with_windows(const std::array<double, 8>& dims) {
        auto at = [&](Dim d) { return dims[static_cast<std::size_t>(d)]; };
        double elems = relevant_product_;
        if (op_ == Operand::I) {
            elems *= y_(at(Dim::OY), at(Dim::FY), layer_.stride_y, layer_.dilation_y, layer_.in_h);
            elems *= x_(at(Dim::OX), at(Dim::FX), layer_.stride_x, layer_.dilation_x, layer_.in_w);
        }
        return elems;
    }

    struct Extent {
        double outputs = -1, taps = -1, extent = 0;
        double operator()(double o, double t, int stride, int dilation, std::int64_t input) {
            if (o != outputs || t != taps) {
                outputs = o;
                taps = t;
                extent = workload::window_extent(o, t, stride, dilation, input);
            }
            return extent;
        }
    };
    const Layer& layer_;
    Operand op_;
    const std::array<bool, 8>& relevant_;
    Extent y_, x_;
    double relevant_product_ = 1;  // of the relevant dims' products, as of the last call
    bool exact_ = false;           // ... and it is an exact integer
};

// Where an allocation failed: the memory that could not hold an operand's smallest tile.
struct Overflow {
    std::size_t memory = 0;
    Operand op = Operand::W;
    double bits = 0;
};

class Allocator {
public:
    Allocator(const Layer& layer, const hardware::Accelerator& acc, const SpatialMapping& spatial,
              std::vector<Operand> operands)
        : layer_(layer), acc_(acc), operands_(std::move(operands)) {
        for (Operand op : operands_) {
            OperandState s;
            s.op = op;
            for (Dim d : workload::kAllDims) {
                const auto r = layer.relevance(op, d);
                s.relevant[static_cast<std::size_t>(d)] = r == workload::Relevance::Relevant;
                s.reduction[static_cast<std::size_t>(d)] = r == workload::Relevance::Irrelevant && layer.bound(d) > 1;
            }
            s.memories = acc.hierarchy(op);
            s.spatial = spatial_entries(acc, s.memories, spatial, false);
            states_.push_back(s);
        }
        before_.resize(acc.memories.size() + 1);
        inspected_.assign(acc.memories.size(), 0);
        for (auto& s : states_) {
            Saved& initial = before_[0][index_of(s)];
            initial.allocated.fill(1.0);
            for (const auto& [dim, f] : s.spatial[0]) initial.allocated[static_cast<std::size_t>(dim)] *= f;
        }
    }

    // Allocates `order` (innermost first) into `out`. Returns false when some memory cannot hold even
    // the loops already below it (overflow() says where). `out` must be what the previous call
    // filled, and `order` may differ from that call's order only from index `changed_from` on: a
    // memory's allocation depends only on the loops it inspected (the prefix up to where its tiles
    // outgrew it; what lies above a prefix is the rest of the same multiset, so its products are
    // known), so the memories whose inspected prefix is unchanged keep their previous allocation
    // (exact: the mapping is the one a fresh allocation gives). changed_from = 0 allocates afresh.
    bool run(const std::vector<Loop>& order, TemporalMapping& out, std::size_t changed_from) {
        std::size_t start = 0;
        if (changed_from > 0)
            while (start < valid_ && inspected_[start] <= changed_from) ++start;
        if (failed_ && start > failed_at_) return false;  // the same memory overflows again
        for (auto& s : states_) {
            const Saved& saved = before_[start][index_of(s)];
            s.allocated = saved.allocated;
            s.next = saved.next;
            s.level = saved.level;
            // Cleared, not reassigned: the level vectors keep their capacity from one order to the
            // next (a search allocates once instead of once per level per order).
            auto& levels = out.of(s.op);
            levels.resize(s.memories.size());
            for (std::size_t l = s.level; l < levels.size(); ++l) levels[l].clear();
        }
        failed_ = false;
        // Loop products above each prefix: integers far below 2^53, so exact in any order.
        above_.resize(order.size() + 1);
        above_[order.size()] = 1;
        for (std::size_t j = order.size(); j-- > 0;) above_[j] = above_[j + 1] * static_cast<double>(order[j].size);
        for (std::size_t mem = start; mem < acc_.memories.size(); ++mem) {
            for (auto& s : states_) before_[mem][index_of(s)] = {s.allocated, s.next, s.level};
            const bool fits = allocate(mem, order, out);
            valid_ = mem + 1;
            if (!fits) {
                failed_ = true;
                failed_at_ = mem;
                return false;
            }
        }
        return true;
    }
    const Overflow& overflow() const { return overflow_; }

private:
    int precision(const OperandState& s, const std::vector<Loop>& order) const {
        if (s.op != Operand::O) return s.op == Operand::W ? layer_.precision.w_bits : layer_.precision.i_bits;
        // Partial sums while a reduction loop (temporal or spatial) is still above this level.
        auto reduces = [&](Dim d) { return s.reduction[static_cast<std::size_t>(d)]; };
        for (std::size_t e = s.level + 1; e < s.spatial.size(); ++e)
            for (const auto& [dim, f] : s.spatial[e])
                if (reduces(dim)) return layer_.precision.psum_bits;
        for (std::size_t i = s.next; i < order.size(); ++i)
            if (reduces(order[i].dim)) return layer_.precision.psum_bits;
        return layer_.precision.o_bits;
    }

    bool allocate(std::size_t mem, const std::vector<Loop>& order, TemporalMapping& out) {
        const auto& memory = acc_.memories[mem];
        // In the memory's own operand order: it decides which combination wins a tie.
        boost::container::static_vector<OperandState*, 3> here;
        for (Operand op : memory.operands)
            for (auto& s : states_)
                if (s.op == op && s.level < s.memories.size() && s.memories[s.level] == mem) here.push_back(&s);
        inspected_[mem] = 0;
        if (here.empty()) return true;
        const double capacity = memory.size_bits;

        // Per operand: tile size and traffic to the level above for each prefix length.
        struct Choice {
            boost::container::static_vector<double, 64> size, traffic;
            std::size_t offset = 0;
        };
        boost::container::static_vector<Choice, 3> choices(here.size(), boost::container::default_init);  // not zero-filled
        for (std::size_t k = 0; k < here.size(); ++k) {
            OperandState& s = *here[k];
            const int bits = precision(s, order);
            auto dims = s.allocated;
            Choice& c = choices[k];
            TileElements tile_elements(layer_, s.op, s.relevant);
            double size = 0;
            for (std::size_t i = s.next; i <= order.size(); ++i) {
                inspected_[mem] = std::max(inspected_[mem], i);  // order[0, i) decides this prefix's tile
                if (i == s.next) {
                    size = tile_elements(dims) * bits;
                } else {
                    const Loop& loop = order[i - 1];
                    dims[static_cast<std::size_t>(loop.dim)] *= static_cast<double>(loop.size);
                    // A loop the tile does not depend on leaves it as it was (the same numbers in).
                    if (tile_elements.depends_on(loop.dim))
                        size = tile_elements.grown(dims, loop.dim, static_cast<double>(loop.size)) * bits;
                }
                if (size > capacity) {
                    if (i == s.next) {  // cannot hold even what lies below
                        overflow_ = {mem, s.op, size};
                        return false;
                    }
                    break;
                }
                if (c.size.size() == c.size.capacity()) break;
                c.size.push_back(size);
                c.traffic.push_back(above_[i] * size);
            }
            const bool top = s.level + 1 == s.memories.size();
            if (top) {
                if (s.next + c.size.size() - 1 != order.size()) {  // the top must hold everything
                    inspected_[mem] = order.size();
                    overflow_ = {mem, s.op, tile_elements([&] {
                                     auto all = s.allocated;
                                     for (std::size_t j = s.next; j < order.size(); ++j)
                                         all[static_cast<std::size_t>(order[j].dim)] *= static_cast<double>(order[j].size);
                                     return all;
                                 }()) * bits};
                    return false;
                }
                c.offset = c.size.size() - 1;
                const double all = c.size.back();
                c.size.assign(1, all);
                c.traffic.assign(1, 0.0);
            }
        }
        // The combination minimising traffic within capacity; ties go to the later combination, as
        // in ZigZag.
        std::size_t combos = 1;
        for (const auto& c : choices) combos *= c.size.size();
        double best = INFINITY;
        std::size_t best_i = SIZE_MAX;
        for (std::size_t i = 0; i < combos; ++i) {
            double size = 0, traffic = 0;
            std::size_t rest = i;
            for (std::size_t k = here.size(); k-- > 0;) {
                const std::size_t idx = rest % choices[k].size.size();
                rest /= choices[k].size.size();
                size += choices[k].size[idx];
                traffic += choices[k].traffic[idx];
            }
            if (size > capacity) {
                if (i == 0) {  // the operands sharing this memory cannot fit their smallest tiles together
                    overflow_ = {mem, here[0]->op, size};
                    return false;
                }
                continue;
            }
            if (traffic <= best) {
                best = traffic;
                best_i = i;
            }
        }
        const std::size_t pick = best_i;
        if (pick == SIZE_MAX) return false;
        std::size_t rest = pick;
        boost::container::static_vector<std::size_t, 3> idx(here.size());
        for (std::size_t k = here.size(); k-- > 0;) {
            idx[k] = rest % choices[k].size.size();
            rest /= choices[k].size.size();
        }
        for (std::size_t k = 0; k < here.size(); ++k) {
            OperandState& s = *here[k];
            const std::size_t take = idx[k] + choices[k].offset;
            auto& level = out.of(s.op)[s.level];
            for (std::size_t j = s.next; j < s.next + take; ++j) {
                level.push_back(order[j]);
                s.allocated[static_cast<std::size_t>(order[j].dim)] *= static_cast<double>(order[j].size);
            }
            s.next += take;
            ++s.level;
            for (const auto& [dim, f] : s.spatial[s.level]) s.allocated[static_cast<std::size_t>(dim)] *= f;
        }
        return true;
    }

    std::size_t index_of(const OperandState& s) const { return static_cast<std::size_t>(&s - states_.data()); }

    const Layer& layer_;
    const hardware::Accelerator& acc_;
    std::vector<Operand> operands_;
    std::vector<OperandState> states_;
    Overflow overflow_{};
    // What the previous run left, for the next one to reuse: each operand's state before each
    // memory was allocated, the end of the prefix of the order each memory inspected, how many
    // memories were allocated, and whether (and where) the run failed.
    struct Saved {
        std::array<double, 8> allocated{};
        std::size_t next = 0, level = 0;
    };
    std::vector<std::array<Saved, 3>> before_;
    std::vector<double> above_;  // above_[i]: product of the order's loops i and up
    std::vector<std::size_t> inspected_;
    std::size_t valid_ = 0, failed_at_ = 0;
    bool failed_ = false;
};

std::vector<Operand> layer_operands(const Layer& layer) {
    std::vector<Operand> ops;
    for (Operand op : kOperands)
        if (layer.has_operand(op)) ops.push_back(op);
    return ops;
}

std::size_t distinct_orderings(const std::vector<Loop>& lpfs) {
    // n! / prod(multiplicity!) without overflow for our sizes (n <= 12).
    std::vector<Loop> sorted = lpfs;
    double n = 1;
    for (std::size_t i = 2; i <= sorted.size(); ++i) n *= static_cast<double>(i);
    std::sort(sorted.begin(), sorted.end(), [](const Loop& a, const Loop& b) {
        return std::pair(a.dim, a.size) < std::pair(b.dim, b.size);
    });
    for (std::size_t i = 0; i < sorted.size();) {
        std::size_t j = i;
        while (j < sorted.size() && sorted[j] == sorted[i]) ++j;
        for (std::size_t k = 2; k <= j - i; ++k) n /= static_cast<double>(k);
        i = j;
    }
    return static_cast<std::size_t>(n);
}

bool loop_less(const Loop& a, const Loop& b) { return std::pair(a.dim, a.size) < std::pair(b.dim, b.size); }

// Evaluates every distinct order of `lpfs` (lexicographic), keeping the best mapping.
void explore(const Layer& layer, const hardware::Accelerator& acc, const SpatialMapping& spatial,
             std::vector<Loop> lpfs, Objective objective, SearchResult& result, bool& found,
             std::optional<Overflow>& overflow) {
    Allocator allocator(layer, acc, spatial, layer_operands(layer));
    const cost::Evaluator evaluate(layer, acc, spatial);
    std::sort(lpfs.begin(), lpfs.end(), loop_less);
    Mapping candidate;
    candidate.spatial = spatial;
    std::vector<Loop> previous;  // the order allocated last: the allocator reuses what it shares
    do {
        ++result.orderings;
        const auto changed_from = static_cast<std::size_t>(
            previous.empty() ? 0 : std::mismatch(lpfs.begin(), lpfs.end(), previous.begin()).first - lpfs.begin());
        previous = lpfs;
        if (!allocator.run(lpfs, candidate.temporal, changed_from)) {
            if (!overflow) overflow = allocator.overflow();
            continue;
        }
        // The fastest mapping wins on latency first: a slower one is rejected before its energy.
        const double bound = found && objective == Objective::Latency ? result.cost.latency_cycles() : INFINITY;
        std::optional<cost::LayerCost> cost;
        try {
            cost = evaluate.cost_within(candidate.temporal, bound);
        } catch (const cost::MappingError&) {
            continue;
        }
        ++result.evaluations;
        if (!cost) continue;
        if (!found || better(*cost, result.cost, objective)) {
            result.cost = *cost;
            result.mapping = candidate;
            found = true;
        }
    } while (std::next_permutation(lpfs.begin(), lpfs.end(), loop_less));
}

}  // namespace

namespace {

// The temporal search under one fixed spatial mapping.
SearchResult search_temporal(const workload::Layer& layer, const hardware::Accelerator& acc,
                             const SpatialMapping& spatial, const SearchOptions& options) {
    SearchResult result;
    bool found = false;
    std::optional<Overflow> overflow;

    const auto loma_lpfs = loop_prime_factors(
        layer, spatial, options.space == SearchSpace::Fast ? kFastFactorLimit : kLomaFactorLimit);
    explore(layer, acc, spatial, loma_lpfs, options.objective, result, found, overflow);
    if (options.space == SearchSpace::Full || options.space == SearchSpace::Deep) {
        // The full space adds every order of finer factors (limit 7), which gives the allocator tile
        // sizes loma cannot express. It evaluates every loma mapping first, so it is never worse.
        const auto fine = loop_prime_factors(layer, spatial, kFullFactorLimit);
        if (distinct_orderings(fine) > options.max_orderings)
            result.fell_back_to_loma = true;
        else if (fine.size() > loma_lpfs.size())
            explore(layer, acc, spatial, fine, options.objective, result, found, overflow);
    }
    if (options.space == SearchSpace::Deep && !result.fell_back_to_loma) {
        // The finest factoring whose orders fit the budget, if finer than full's.
        const auto fine_size = loop_prime_factors(layer, spatial, kFullFactorLimit).size();
        for (std::size_t limit = kDeepFactorLimit; limit > kFullFactorLimit; --limit) {
            const auto finer = loop_prime_factors(layer, spatial, limit);
            if (finer.size() <= fine_size || distinct_orderings(finer) > options.max_orderings) continue;
            explore(layer, acc, spatial, finer, options.objective, result, found, overflow);
            break;
        }
    }
    if (!found) {
        std::string why = "no loop order gives tiles that fit every memory";
        if (overflow)
            why = "operand " + std::string(workload::to_string(overflow->op)) + " needs at least " +
                  std::to_string(static_cast<long long>(overflow->bits)) + " bits in memory '" +
                  acc.memories[overflow->memory].name + "', which holds " +
                  std::to_string(static_cast<long long>(acc.memories[overflow->memory].size_bits));
        throw cost::MappingError("layer '" + layer.name + "' does not fit accelerator '" + acc.name +
                                 "' under the unrolling " + to_string(spatial, acc) + ": " + why);
    }
    return result;
}

// MACs a spatial unrolling keeps busy on average (unrolled[d]: product of the factors of loop dim d):
// per dimension, the fractional unrolling that remains after ceil(bound / unrolling) passes.
double busy_macs(const workload::Layer& layer, const std::array<double, 8>& unrolled) {
    double busy = 1;
    for (Dim dim : workload::kAllDims) {
        const double bound = static_cast<double>(layer.bound(dim));
        busy *= bound / std::ceil(bound / unrolled[static_cast<std::size_t>(dim)]);
    }
    return busy;
}

// Candidate unrollings for an "auto" dataflow (ZigZag's spatial mapping generation, simplified):
// each array dimension unrolls one loop dimension by min(array size, bound) or by the largest
// divisor of the bound that fits; combinations are ranked by the fraction of MACs they keep busy and
// the best `count` are searched in full.
std::vector<hardware::Dataflow> auto_dataflows(const workload::Layer& layer, const hardware::Accelerator& acc,
                                               std::size_t count) {
    const auto& sizes = acc.array.dim_sizes;
    std::vector<std::vector<std::pair<Dim, int>>> options(sizes.size());
    for (std::size_t d = 0; d < sizes.size(); ++d) {
        options[d].emplace_back(Dim::K, 1);  // leave the dimension idle
        for (Dim dim : workload::kAllDims) {
            const auto bound = layer.bound(dim);
            if (bound < 2) continue;
            const int fit = static_cast<int>(std::min<std::int64_t>(bound, sizes[d]));
            options[d].emplace_back(dim, fit);
            int divisor = fit;
            while (bound % divisor != 0) --divisor;
            if (divisor != fit && divisor > 1) options[d].emplace_back(dim, divisor);
        }
    }
    struct Scored {
        double busy;
        hardware::Dataflow dataflow;
    };
    std::vector<Scored> scored;
    std::vector<std::size_t> pick(sizes.size(), 0);
    const double units = static_cast<double>(acc.array.total_units());
    while (true) {
        hardware::Dataflow df;
        std::array<double, 8> unrolled{};
        unrolled.fill(1.0);
        for (std::size_t d = 0; d < sizes.size(); ++d) {
            const auto [dim, f] = options[d][pick[d]];
            df.per_dim.push_back(hardware::Unrolling{{{dim, f}}});
            unrolled[static_cast<std::size_t>(dim)] *= f;
        }
        const bool valid = std::all_of(workload::kAllDims.begin(), workload::kAllDims.end(), [&](Dim dim) {
            return unrolled[static_cast<std::size_t>(dim)] <= static_cast<double>(layer.bound(dim));
        });
        if (valid) scored.push_back({busy_macs(layer, unrolled) / units, df});
        std::size_t d = 0;
        while (d < sizes.size() && ++pick[d] == options[d].size()) pick[d++] = 0;
        if (d == sizes.size()) break;
    }
    std::stable_sort(scored.begin(), scored.end(), [](const Scored& a, const Scored& b) { return a.busy > b.busy; });
    std::vector<hardware::Dataflow> out;
    for (std::size_t i = 0; i < scored.size() && out.size() < count; ++i) out.push_back(scored[i].dataflow);
    return out;
}

}  // namespace

// Candidate unrollings for a "row_stationary" dataflow (Eyeriss v1, JSSC 2017 §III-B/C): a PE set
// holds R filter rows down the PE rows (D1) and e output rows along the PE columns (D2). A set
// taller than it is wide folds: s strips of the output rows stack down D1 (CONV2 of AlexNet: 5 x 27
// as 10 x 14). Sets then replicate over what the array has left: down D1 over input channels C,
// filters K and groups G in any combination (r and t of the paper), along D2 over filters K, each
// set then taking a shorter segment of output rows. Candidates are ranked by the MACs they keep
// busy (then by fewer replicated sets), and the best `count` are searched in full.
std::vector<hardware::Dataflow> row_stationary_dataflows(const workload::Layer& layer,
                                                         const hardware::Accelerator& acc, std::size_t count) {
    const int rows = acc.array.dim_sizes.at(0), cols = acc.array.dim_sizes.at(1);
    auto bound = [&](Dim d) { return static_cast<int>(std::min<std::int64_t>(layer.bound(d), 1 << 20)); };
    const int R = std::min(bound(Dim::FY), rows), E = bound(Dim::OY);
    struct Scored {
        double busy;
        int sets;
        hardware::Dataflow dataflow;
    };
    std::vector<Scored> scored;
    const double units = static_cast<double>(acc.array.total_units());
    for (int strips = 1; strips * R <= rows && strips <= E; ++strips) {
        // Sets side by side along D2 (t2 over filters) take a shorter segment of output rows each
        // (CONV1 of AlexNet: two 11 x 7 sets instead of one 11 x 14).
        for (int t2 = 1; t2 <= cols && t2 <= bound(Dim::K); ++t2) {
            const int e = std::min(cols / t2, (E + strips - 1) / strips);
            // Down D1: sets over input channels (r), filters (t) and groups, in any combination.
            const int room = rows / (R * strips);
            for (int vc = 1; vc <= room && vc <= bound(Dim::C); ++vc)
                for (int vk = 1; vc * vk <= room && vk * t2 <= bound(Dim::K); ++vk)
                    for (int vg = 1; vc * vk * vg <= room && vg <= bound(Dim::G); ++vg) {
                        hardware::Unrolling d1{{{Dim::FY, R}}}, d2{{{Dim::OY, e}}};
                        if (strips > 1) d1.loops.emplace_back(Dim::OY, strips);
                        if (vc > 1) d1.loops.emplace_back(Dim::C, vc);
                        if (vk > 1) d1.loops.emplace_back(Dim::K, vk);
                        if (vg > 1) d1.loops.emplace_back(Dim::G, vg);
                        if (t2 > 1) d2.loops.emplace_back(Dim::K, t2);
                        std::array<double, 8> unrolled{};
                        unrolled.fill(1.0);
                        for (const auto* u : {&d1, &d2})
                            for (const auto& [dim, f] : u->loops) unrolled[static_cast<std::size_t>(dim)] *= f;
                        hardware::Dataflow df;
                        df.per_dim = {d1, d2};
                        scored.push_back({busy_macs(layer, unrolled) / units, vc * vk * vg * t2, std::move(df)});
                    }
        }
    }
    std::stable_sort(scored.begin(), scored.end(), [](const Scored& a, const Scored& b) {
        return a.busy != b.busy ? a.busy > b.busy : a.sets < b.sets;
    });
    std::vector<hardware::Dataflow> out;
    for (std::size_t i = 0; i < scored.size() && out.size() < count; ++i) out.push_back(scored[i].dataflow);
    return out;
}

namespace {

SearchResult search_on(const workload::Layer& layer, const hardware::Accelerator& acc, const SearchOptions& options) {
    const auto& dataflow = acc.dataflow_for(layer.kind);
    if (!dataflow.automatic()) return search_temporal(layer, acc, resolve_spatial(layer, acc, dataflow), options);

    // Searched: the best few candidate unrollings, each with a full temporal search.
    std::optional<SearchResult> best;
    std::optional<cost::MappingError> last_error;
    const auto candidates =
        dataflow.row_stationary ? row_stationary_dataflows(layer, acc, 4) : auto_dataflows(layer, acc, 3);
    for (const auto& candidate : candidates) {
        try {
            auto result = search_temporal(layer, acc, resolve_spatial(layer, acc, candidate), options);
            if (!best || better(result.cost, best->cost, options.objective)) best = std::move(result);
        } catch (const cost::MappingError& e) {
            last_error = e;
        }
    }
    if (!best) throw last_error ? *last_error : cost::MappingError("layer '" + layer.name + "': no spatial unrolling found");
    return *best;
}

}  // namespace

SearchResult search(const workload::Layer& layer, const hardware::Accelerator& acc, const SearchOptions& options) {
    if (hardware::second_operand_is_activation(layer))
        return search_on(layer, hardware::with_activation_second_operand(acc), options);
    return search_on(layer, acc, options);
}

}  // namespace elaa::mapping
