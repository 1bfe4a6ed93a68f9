#include "cost/evaluate.hpp"

#include "hardware/operand_roles.hpp"

#include <boost/container/static_vector.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace elaa::cost {

namespace {

using boost::container::static_vector;
using hardware::Accelerator;
using hardware::Direction;
using mapping::Loop;
using mapping::Mapping;
using workload::Dim;
using workload::Layer;
using workload::Operand;

constexpr std::size_t kTl = static_cast<std::size_t>(Direction::ReadToLow);
constexpr std::size_t kFh = static_cast<std::size_t>(Direction::WriteFromHigh);
constexpr std::size_t kFl = static_cast<std::size_t>(Direction::WriteFromLow);
constexpr std::size_t kTh = static_cast<std::size_t>(Direction::ReadToHigh);

// Fixed capacities keep one evaluation free of heap allocations (a search runs thousands).
constexpr std::size_t kMaxLevels = 10;       // memory levels of one operand
constexpr std::size_t kMaxLevelLoops = 40;   // loops at one level (temporal + spatial)

using FactorLoop = std::pair<Dim, double>;
using LevelLoops = static_vector<FactorLoop, kMaxLevelLoops>;
template <typename T>
using PerArch = static_vector<T, kMaxLevels + 2>;  // per arch level (0 = MAC level)

// Relevancy as ZigZag uses it: loop dims of size 1 are neither relevant nor irrelevant, and the
// input's window dims (OY, FY, OX, FX) are "partially relevant".
enum class Rel : std::uint8_t { R, IR, PR, None };

struct LevelProducts {
    PerArch<double> r, ir, total;
};

// One direction of data movement at one memory level of one operand (ZigZag's DataMovePattern).
struct Flow {
    double amount = 0;        // elements per period (per memory instance)
    int precision = 0;        // bits per element
    double period = 0;        // cycles
    double period_count = 0;  // periods in the layer
    double bw_average = 0;    // bits/cycle needed on average
    double window = 0;        // cycles available per period if the receiver is not double-buffered
    double scale = 1;         // fraction of the amount that moves (zero gating, run-length coding)
};

// The per-mapping analysis of one operand under one (fractional or integer) spatial mapping.
struct OperandAnalysis {
    PerArch<double> data_elems;      // per instance, per arch level
    PerArch<double> data_bits;
    PerArch<double> effective_bits;  // data bits / top relevant loops
    PerArch<bool> psum;              // output only: the level holds partial sums
    static_vector<std::array<Flow, 4>, kMaxLevels> flows;  // per memory level
    double total_cycles = 0;
};

// What depends only on the temporal mapping of one operand (shared by both spatial versions).
struct TemporalSide {
    static_vector<static_vector<Loop, kMaxLevelLoops>, kMaxLevels> levels;  // after the stationary merge
    double mac_stationary = 1;
    PerArch<double> cycles_cabl;  // per memory level: cycles of the loops at and below it
    PerArch<double> top_r, top_ir;
    double total_cycles = 1;
};

// What depends only on the layer, the accelerator and the spatial unrolling.
struct SpatialSide {
    static_vector<LevelLoops, kMaxLevels + 1> entries;  // spatial loops below each level (+ top)
    PerArch<double> unit_count;                          // instances per arch level
    PerArch<double> boost;                               // unique children fed per instance
};

struct OperandContext {
    Operand op;
    std::vector<std::size_t> memories;  // hierarchy, bottom-up
    SpatialSide frac, whole;            // fractional (energy) and integer (latency) unrolling
    // Every unrolling divides its bound and no sparsity feature is set (zero gating and run-length
    // coding treat the two analyses differently): one analysis serves energy and latency.
    bool one_analysis = false;
    std::vector<std::array<const hardware::Port*, 4>> ports;  // per level and direction (may be null)
};

struct PortUse {
    std::size_t operand;  // index into Context::operands
    std::size_t level;
    std::size_t dir;
};

struct PortContext {
    const hardware::Port* port;
    std::vector<PortUse> uses;  // restricted to the layer's operands
    bool shared_by_inputs;      // serves both W and I (ZigZag's two-input-operand port sharing)
    double cycle_ratio;         // core cycles per cycle of the port's clock (1: the core clock)
};

}  // namespace

struct Evaluator::Context {
    const Layer* layer;
    const Accelerator* acc;
    std::array<std::array<Rel, 8>, 3> rel{};
    std::vector<OperandContext> operands;  // in ZigZag's layer operand order (output first)
    std::vector<std::vector<std::pair<std::size_t, std::size_t>>> sharers;  // per memory: (operand, level)
    std::vector<PortContext> ports;
    mapping::SpatialMapping spatial;
    double mac_energy = 0;

    Rel relevance(Operand op, Dim dim) const { return rel[mapping::index(op)][static_cast<std::size_t>(dim)]; }

    // Calls visit(a, f) for each arch level a < levels; visit calls f(dim, factor) per loop.
    template <typename Visit>
    LevelProducts level_products(Operand op, std::size_t levels, Visit visit) const;
    void spatial_side(const OperandContext& oc, bool integer, SpatialSide& out) const;
    void temporal_side(const OperandContext& oc, const std::vector<std::vector<Loop>>& temporal, TemporalSide& out) const;
    // The tile each level holds (what memory use and double buffering need), then the flows between
    // levels (what energy and latency need); flows need the data part first.
    void analyse_data(const OperandContext& oc, const SpatialSide& spatial, const TemporalSide& temporal,
                      OperandAnalysis& out) const;
    void analyse_flows(const OperandContext& oc, const SpatialSide& spatial, const TemporalSide& temporal,
                       OperandAnalysis& out) const;
    void apply_sparsity(const OperandContext& oc, bool energy, OperandAnalysis& out) const;
    void slide_windows(const OperandContext& oc, const static_vector<LevelLoops, kMaxLevels + 1>& entries,
                       const TemporalSide& ts, OperandAnalysis& out) const;
    // Bits per element of an operand's data at arch level a (an output level may hold partial sums).
    int level_precision(Operand op, const OperandAnalysis& analysis, std::size_t a) const {
        if (op != Operand::O) return operand_precision(op);
        return analysis.psum[a] ? layer->precision.psum_bits : layer->precision.o_bits;
    }
    int operand_precision(Operand op) const {
        switch (op) {
            case Operand::W: return layer->precision.w_bits;
            case Operand::I: return layer->precision.i_bits;
            case Operand::O: return layer->precision.psum_bits;
        }
        return 0;
    }
};

namespace {

// Operand order of ZigZag's layer nodes (output first, then the equation's inputs): it decides
// which operand of a shared memory claims double buffering first.
std::vector<Operand> operand_order(const Layer& layer) {
    using workload::OpKind;
    if (layer.kind == OpKind::Gemm || layer.kind == OpKind::MatMul) return {Operand::O, Operand::I, Operand::W};
    std::vector<Operand> order{Operand::O};
    if (layer.has_operand(Operand::W)) order.push_back(Operand::W);
    order.push_back(Operand::I);
    return order;
}

double word_accesses(const Flow& flow, const hardware::Port& port, double instances) {
    if (flow.amount == 0 || flow.precision == 0) return 0;
    // A scaled flow moves that fraction of its transfers (a gated access is skipped whole; coded
    // data takes that fraction of the words).
    return std::trunc(std::ceil(flow.amount * flow.precision / port.bw_min_bits) *
                      (port.bw_min_bits / port.bw_max_bits) * flow.period_count * instances * flow.scale);
}

// Reduces loading times `cycles` toward their floors by at most `budget` cycles in total, levelling
// the largest first (ZigZag's reduce_balanced).
// Deviation: ZigZag keeps lowering values that already reached their floor (and raises them when a
// value starts below its floor), which yields negative loading times (its issue #125; -3122 cycles
// on eyeriss conv1). Here a result is never below zero.
template <std::size_t N>
void reduce_balanced(static_vector<double, N>& cycles, const static_vector<double, N>& floors, double budget) {
    if (budget <= 0 || cycles.empty()) return;
    static_vector<std::size_t, N> order(cycles.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return cycles[a] > cycles[b]; });
    static_vector<double, N> c, m;
    for (std::size_t i : order) {
        c.push_back(cycles[i]);
        m.push_back(floors[i]);
    }
    for (std::size_t i = 0; i < c.size(); ++i) {
        const double max_reducible = (c[i] - m[i]) * static_cast<double>(i + 1);
        if (budget >= max_reducible) {
            const double reduction = c[i] - m[i];
            for (std::size_t j = 0; j <= i; ++j) c[j] -= reduction;
            budget -= max_reducible;
        } else {
            const double reduction = budget / static_cast<double>(i + 1);
            for (std::size_t j = 0; j <= i; ++j) c[j] -= reduction;
            break;
        }
    }
    for (std::size_t i = 0; i < order.size(); ++i) cycles[order[i]] = std::max(0.0, c[i]);
}

// Union length of periodic busy windows: activity i occupies the first `allowed` cycles of every
// `period`. ZigZag draws them into a bitmap of the longest period; the periods are prefix products
// of one loop order, so they divide one another and the union is counted recursively instead.
struct Window {
    double period, allowed, count;
};

double uncovered_prefix(const Window* w, std::size_t i, double x) {
    // Cycles in [0, x) covered by none of w[0..i) (sorted by period, each dividing the next).
    if (i == 0 || x <= 0) return std::max(0.0, x);
    const Window& cur = w[i - 1];
    const double full = std::floor(x / cur.period);
    const double rest = x - full * cur.period;
    auto within_period = [&](double y) {  // y <= period
        return uncovered_prefix(w, i - 1, y) - uncovered_prefix(w, i - 1, std::min(cur.allowed, y));
    };
    return full * within_period(cur.period) + within_period(rest);
}

template <std::size_t N>
double window_union(static_vector<Window, N> windows) {
    for (const auto& w : windows)
        if (w.period == w.allowed) return w.period * w.count;
    std::stable_sort(windows.begin(), windows.end(), [](const Window& a, const Window& b) { return a.period < b.period; });
    const Window& longest = windows.back();
    return (longest.period - uncovered_prefix(windows.data(), windows.size(), longest.period)) * longest.count;
}

}  // namespace

// Per-level products of relevant (r), irrelevant (ir) and all loop factors. For the input, each
// window loop is split into the growth of the input extent it causes (relevant) and the reuse it
// gives (irrelevant), cumulatively from the bottom level up (ZigZag's decouple_pr_loop).
template <typename Visit>
LevelProducts Evaluator::Context::level_products(Operand op, std::size_t levels, Visit visit) const {
    LevelProducts out;
    out.r.assign(levels, 1.0);
    out.ir.assign(levels, 1.0);
    out.total.assign(levels, 1.0);
    struct Axis {
        double out = 1, filter = 1, r_prev = 1, ir_prev = 1;
    } ay, ax;
    for (std::size_t a = 0; a < levels; ++a) {
        visit(a, [&](Dim dim, double factor) {
            out.total[a] *= factor;
            const Rel rel = relevance(op, dim);
            if (rel == Rel::R) {
                out.r[a] *= factor;
            } else if (rel == Rel::IR) {
                out.ir[a] *= factor;
            } else if (rel == Rel::PR) {
                const bool vertical = dim == Dim::OY || dim == Dim::FY;
                Axis& axis = vertical ? ay : ax;
                ((dim == Dim::OY || dim == Dim::OX) ? axis.out : axis.filter) *= factor;
                const double extent =
                    vertical ? workload::window_extent(axis.out, axis.filter, layer->stride_y, layer->dilation_y, layer->in_h)
                             : workload::window_extent(axis.out, axis.filter, layer->stride_x, layer->dilation_x, layer->in_w);
                const double reuse = axis.out * axis.filter / extent;
                out.r[a] *= extent / axis.r_prev;
                out.ir[a] *= reuse / axis.ir_prev;
                axis.r_prev = extent;
                axis.ir_prev = reuse;
            }
        });
    }
    return out;
}

// The spatial loops that sit directly below each memory level of an operand (a memory takes the
// array dimensions it serves that no lower level of the operand served; a last entry holds the
// array dimensions no memory serves), and the instance counts they imply.
void Evaluator::Context::spatial_side(const OperandContext& oc, bool integer, SpatialSide& out) const {
    const std::size_t levels = oc.memories.size();
    out.entries.clear();
    for (const auto& entry : mapping::spatial_entries(*acc, oc.memories, spatial, integer)) {
        if (entry.size() > kMaxLevelLoops) throw MappingError("too many spatial loops at one memory level");
        out.entries.emplace_back(entry.begin(), entry.end());
    }

    const LevelProducts p = level_products(oc.op, levels + 1, [&](std::size_t a, auto&& f) {
        for (const auto& [dim, factor] : out.entries[a]) f(dim, factor);
    });
    out.unit_count.assign(levels + 1, 1.0);
    PerArch<double> unique(levels + 1, 1.0);
    for (std::size_t a = levels + 1; a-- > 0;) {
        double total = 1, r = 1;
        for (std::size_t j = a; j <= levels; ++j) {
            total *= p.total[j];
            r *= p.r[j];
        }
        out.unit_count[a] = std::round(std::round(total * 1000.0) / 1000.0);
        unique[a] = r;
    }
    out.boost.assign(levels + 1, 1.0);
    for (std::size_t a = 0; a < levels; ++a) out.boost[a] = std::round(unique[a] / unique[a + 1]);
}

void Evaluator::Context::temporal_side(const OperandContext& oc, const std::vector<std::vector<Loop>>& temporal_levels,
                                       TemporalSide& out) const {
    const Operand op = oc.op;
    const std::size_t levels = oc.memories.size();
    if (levels > kMaxLevels) throw MappingError("more than 10 memory levels for one operand");

    // Irrelevant loops at the bottom of a level move into the level below, repeatedly (data stays
    // put while they iterate); those that end below level 0 keep the operand at the MAC input
    // (ZigZag's innermost_stationary_loop_merge_down).
    auto& temporal = out.levels;
    temporal.assign(levels, {});
    for (std::size_t m = 0; m < levels; ++m) {
        if (temporal_levels[m].size() > kMaxLevelLoops) throw MappingError("too many loops at one memory level");
        temporal[m].assign(temporal_levels[m].begin(), temporal_levels[m].end());
    }
    auto irrelevant = [&](const Loop& l) { return relevance(op, l.dim) == Rel::IR; };
    for (bool changed = true; changed;) {
        changed = false;
        for (std::size_t m = 1; m < levels; ++m) {
            auto& level = temporal[m];
            std::size_t moved = 0;
            while (moved < level.size() && irrelevant(level[moved])) ++moved;
            if (moved == 0) continue;
            if (temporal[m - 1].size() + moved > kMaxLevelLoops) throw MappingError("too many loops at one memory level");
            temporal[m - 1].insert(temporal[m - 1].end(), level.begin(), level.begin() + static_cast<long>(moved));
            level.erase(level.begin(), level.begin() + static_cast<long>(moved));
            changed = true;
        }
    }
    out.mac_stationary = 1;
    if (levels)
        for (const auto& loop : temporal[0]) {
            if (!irrelevant(loop)) break;
            out.mac_stationary *= static_cast<double>(loop.size);
        }

    // Cycles covered by each memory level and everything below it.
    out.cycles_cabl.assign(levels, 1.0);
    double cycles = 1;
    for (std::size_t m = 0; m < levels; ++m) {
        for (const auto& loop : temporal[m]) cycles *= static_cast<double>(loop.size);
        out.cycles_cabl[m] = cycles;
    }
    out.total_cycles = levels ? out.cycles_cabl.back() : 1;

    // The outermost consecutive relevant / irrelevant temporal loops of each level (arch-level
    // indexed: entry m + 1 belongs to memory level m).
    out.top_r.assign(levels + 1, 1.0);
    out.top_ir.assign(levels + 1, 1.0);
    for (std::size_t m = 0; m < levels; ++m) {
        for (auto it = temporal[m].rbegin(); it != temporal[m].rend() && relevance(op, it->dim) == Rel::R; ++it)
            out.top_r[m + 1] *= static_cast<double>(it->size);
        for (auto it = temporal[m].rbegin(); it != temporal[m].rend() && relevance(op, it->dim) == Rel::IR; ++it)
            out.top_ir[m + 1] *= static_cast<double>(it->size);
    }
}

namespace {

// Combined loop lists per arch level a = 0..levels: "1s1t" puts the spatial loops of entry a above
// the temporal loops of memory a - 1; "1s2t" puts those of entry a - 1 there. This visits the
// temporal part of level a.
template <typename F>
void visit_temporal_loops(const TemporalSide& ts, std::size_t a, F&& f) {
    if (a > 0)
        for (const auto& loop : ts.levels[a - 1]) f(loop.dim, static_cast<double>(loop.size));
}

}  // namespace

void Evaluator::Context::analyse_data(const OperandContext& oc, const SpatialSide& spatial_side, const TemporalSide& ts,
                                      OperandAnalysis& out) const {
    const Operand op = oc.op;
    const std::size_t levels = oc.memories.size();
    const auto& top_r = ts.top_r;
    out.total_cycles = ts.total_cycles;
    const auto& entries = spatial_side.entries;
    auto temporal_loops_of = [&](std::size_t a, auto&& f) { visit_temporal_loops(ts, a, f); };
    const LevelProducts p2 = level_products(op, levels + 1, [&](std::size_t a, auto&& f) {
        temporal_loops_of(a, f);
        if (a > 0)
            for (const auto& [dim, factor] : entries[a - 1]) f(dim, factor);
    });

    // Partial sums: an output level holds partial sums while a reduction loop of the output still
    // iterates above it.
    auto& psum = out.psum;
    psum.assign(levels + 1, false);
    if (op == Operand::O) {
        PerArch<bool> reduction_at(levels + 1, false);
        for (std::size_t a = 0; a <= levels; ++a) {
            auto mark = [&](Dim dim, double factor) {
                if (relevance(op, dim) == Rel::IR && factor > 1) reduction_at[a] = true;
            };
            temporal_loops_of(a, mark);
            for (const auto& [dim, factor] : entries[a]) mark(dim, factor);
        }
        for (std::size_t m = 0; m < levels; ++m)
            for (std::size_t a = m + 1; a <= levels; ++a) psum[m] = psum[m] || reduction_at[a];
    }
    auto precision_at = [&](std::size_t a) { return level_precision(op, out, a); };

    out.data_elems.assign(levels + 1, 0.0);
    out.data_bits.assign(levels + 1, 0.0);
    out.effective_bits.assign(levels + 1, 0.0);
    double r_cabl = 1;
    for (std::size_t a = 0; a <= levels; ++a) {
        r_cabl *= p2.r[a];
        out.data_elems[a] = std::round(r_cabl);
        out.data_bits[a] = out.data_elems[a] * precision_at(a);
        out.effective_bits[a] = std::floor(out.data_bits[a] / top_r[a]);
    }
}

void Evaluator::Context::analyse_flows(const OperandContext& oc, const SpatialSide& spatial_side, const TemporalSide& ts,
                                       OperandAnalysis& out) const {
    const Operand op = oc.op;
    const std::size_t levels = oc.memories.size();
    const auto& top_ir = ts.top_ir;
    const auto& entries = spatial_side.entries;
    const auto& psum = out.psum;
    auto temporal_loops_of = [&](std::size_t a, auto&& f) { visit_temporal_loops(ts, a, f); };
    auto precision_at = [&](std::size_t a) { return level_precision(op, out, a); };
    // Output reduction loops at and above each arch level (partial-sum traffic), two 1s on top.
    // Only the output has partial sums: the inputs skip these products (and their window extents).
    PerArch<double> ir_caal(levels + 3, 1.0);
    if (op == Operand::O) {
        const LevelProducts p1 = level_products(op, levels + 1, [&](std::size_t a, auto&& f) {
            temporal_loops_of(a, f);
            for (const auto& [dim, factor] : entries[a]) f(dim, factor);
        });
        for (std::size_t a = levels + 1; a-- > 0;) ir_caal[a] = p1.ir[a] * ir_caal[a + 1];
    }

    PerArch<double> cycle_each(levels + 1);
    cycle_each[0] = op == Operand::O ? 1.0 : ts.mac_stationary;
    for (std::size_t m = 0; m < levels; ++m) cycle_each[m + 1] = ts.cycles_cabl[m];

    const double total = out.total_cycles;
    const double output_elems = static_cast<double>(layer->output_elements());
    const auto& boost = spatial_side.boost;
    // Per arch level, shared by the flows on either side of it: bits per cycle of its data, its
    // period count, and (without double buffering) the part of the period in which its top
    // irrelevant loops do not iterate, which a transfer into it must fit.
    PerArch<double> raw(levels + 1), periods(levels + 1), window(levels + 1);
    for (std::size_t a = 0; a <= levels; ++a) {
        raw[a] = out.data_elems[a] * precision_at(a) / cycle_each[a];
        periods[a] = std::floor(total / cycle_each[a]);
        window[a] = std::trunc(std::trunc(cycle_each[a]) / std::trunc(top_ir[a]));
    }
    out.flows.assign(levels, std::array<Flow, 4>{});
    for (std::size_t m = 0; m < levels; ++m) {
        auto& f = out.flows[m];
        Flow to_low{out.data_elems[m] * boost[m], 0, std::trunc(cycle_each[m]), periods[m], std::trunc(raw[m] * boost[m]), 0};
        Flow from_high{out.data_elems[m + 1], 0, std::trunc(cycle_each[m + 1]), periods[m + 1], std::trunc(raw[m + 1]), 0};
        if (op != Operand::O) {
            to_low.precision = from_high.precision = operand_precision(op);
            f[kTl] = to_low;
            f[kFh] = from_high;
        } else {
            const double psum_reads = std::trunc(output_elems * (ir_caal[m + 1] - 1));
            const double psum_writes = std::trunc(output_elems * (ir_caal[m + 2] - 1));
            Flow from_low = to_low;  // outputs (or partial sums) coming up
            from_low.amount = std::trunc(from_low.amount);
            from_low.precision = psum_reads != 0 ? layer->precision.psum_bits : layer->precision.o_bits;
            Flow to_high = from_high;
            to_high.precision = psum_writes != 0 ? layer->precision.psum_bits : layer->precision.o_bits;
            f[kFl] = from_low;
            f[kTh] = to_high;
            if (psum[m]) {
                f[kTl] = from_low;  // partial sums read back down to keep accumulating
                f[kTl].precision = psum_reads != 0 ? layer->precision.psum_bits : 0;
            }
            if (psum[m + 1]) {
                f[kFh] = to_high;
                f[kFh].precision = psum_writes != 0 ? layer->precision.psum_bits : 0;
            }
        }
        // A flow's window is its receiving level's (a flow left unset has period 0 and window 0).
        for (std::size_t dir = 0; dir < 4; ++dir)
            if (f[dir].period != 0) f[dir].window = (dir == kTl || dir == kFl) ? window[m] : window[m + 1];
    }
    // The top level exchanges nothing with the outside world.
    if (levels) {
        out.flows.back()[kTh] = Flow{};
        out.flows.back()[kFh] = Flow{};
    }
    if (op == Operand::I) slide_windows(oc, entries, ts, out);
}

// An input memory that shifts its window (a line buffer, Eyeriss's ifmap spad running a 1-D
// convolution): when the loop just above it steps along OX (OY), consecutive tiles overlap and
// only the new columns (rows) are fetched: ox_t * stride of the tile's extent e, where ox_t and fx_t
// are the tile's OX and FX (OY, FY). The first tile of each sweep of the n steps is fetched whole, so
// the refill and the read that serves it move (1 + (n - 1) * min(e, ox_t * stride) / e) / n of the
// tile on average.
void Evaluator::Context::slide_windows(const OperandContext& oc, const static_vector<LevelLoops, kMaxLevels + 1>& entries,
                                       const TemporalSide& ts, OperandAnalysis& out) const {
    const std::size_t levels = oc.memories.size();
    for (std::size_t m = 0; m + 1 < levels; ++m) {
        if (!acc->memories[oc.memories[m]].sliding_window || ts.levels[m + 1].empty()) continue;
        const Loop& step = ts.levels[m + 1].front();
        const bool along_x = step.dim == Dim::OX;
        if (!along_x && step.dim != Dim::OY) continue;
        const Dim out_dim = along_x ? Dim::OX : Dim::OY, tap_dim = along_x ? Dim::FX : Dim::FY;
        double outputs = 1, taps = 1;
        auto count = [&](Dim dim, double factor) {
            if (dim == out_dim) outputs *= factor;
            if (dim == tap_dim) taps *= factor;
        };
        for (std::size_t a = 0; a <= m; ++a) {
            for (const auto& loop : ts.levels[a]) count(loop.dim, static_cast<double>(loop.size));
            for (const auto& [dim, factor] : entries[a]) count(dim, factor);
        }
        const int stride = along_x ? layer->stride_x : layer->stride_y;
        const double extent = along_x ? workload::window_extent(outputs, taps, stride, layer->dilation_x, layer->in_w)
                                      : workload::window_extent(outputs, taps, stride, layer->dilation_y, layer->in_h);
        if (extent <= 0) continue;
        const double fresh = std::min(extent, outputs * stride) / extent;
        const double n = static_cast<double>(step.size);
        const double factor = (1 + (n - 1) * fresh) / n;
        out.flows[m][kFh].scale *= factor;
        out.flows[m + 1][kTl].scale *= factor;
    }
}

// What the accelerator's sparsity features change in the flows of a layer with zero activations.
// Run-length coding shrinks activations on the DRAM link: the input read from DRAM and the final
// output written to it (partial sums travel raw). Zero gating (energy only: `energy` is the
// fractional analysis; the cycle is spent either way) skips, for each zero input, the innermost
// accesses that would serve its MACs: the weight read and the partial-sum read and write.
void Evaluator::Context::apply_sparsity(const OperandContext& oc, bool energy, OperandAnalysis& out) const {
    const auto& sparsity = acc->sparsity;
    if (!sparsity.any() || out.flows.empty()) return;
    const std::size_t top = out.flows.size() - 1;
    if (acc->memories[oc.memories[top]].is_dram) {
        if (oc.op == Operand::I)
            out.flows[top][kTl].scale = hardware::rlc_fraction(sparsity, layer->input_density, layer->precision.i_bits);
        if (oc.op == Operand::O && out.flows[top][kFl].precision == layer->precision.o_bits)
            out.flows[top][kFl].scale = hardware::rlc_fraction(sparsity, layer->output_density, layer->precision.o_bits);
    }
    if (energy && sparsity.gate_zero_inputs && workload::counts_macs(layer->kind)) {
        const double density = std::clamp(layer->input_density, 0.0, 1.0);
        if (oc.op == Operand::W) out.flows[0][kTl].scale *= density;
        if (oc.op == Operand::O) {
            out.flows[0][kTl].scale *= density;
            out.flows[0][kFl].scale *= density;
        }
    }
}

namespace {

bool same_side(const SpatialSide& a, const SpatialSide& b) {
    return a.entries == b.entries && a.unit_count == b.unit_count && a.boost == b.boost;
}

}  // namespace

// ---------------------------------------------------------------------------------------------

Evaluator::Evaluator(const Layer& layer, const Accelerator& acc, const mapping::SpatialMapping& spatial) {
    auto ctx = std::make_unique<Context>();
    ctx->layer = &layer;
    ctx->acc = &acc;
    ctx->spatial = spatial;
    for (Operand op : mapping::kOperands)
        for (Dim dim : workload::kAllDims) {
            const auto r = layer.relevance(op, dim);
            Rel rel = Rel::None;
            if (r == workload::Relevance::PartiallyRelevant)
                rel = Rel::PR;
            else if (layer.bound(dim) > 1)
                rel = r == workload::Relevance::Relevant ? Rel::R : Rel::IR;
            ctx->rel[mapping::index(op)][static_cast<std::size_t>(dim)] = rel;
        }
    ctx->sharers.resize(acc.memories.size());
    for (Operand op : operand_order(layer)) {
        OperandContext oc;
        oc.op = op;
        oc.memories = acc.hierarchy(op);
        ctx->spatial_side(oc, false, oc.frac);
        ctx->spatial_side(oc, true, oc.whole);
        oc.one_analysis = same_side(oc.frac, oc.whole) && !acc.sparsity.any();
        for (std::size_t m : oc.memories) {
            std::array<const hardware::Port*, 4> ports{};
            for (Direction dir : hardware::kAllDirections)
                ports[static_cast<std::size_t>(dir)] = acc.memories[m].port_for(op, dir);
            oc.ports.push_back(ports);
        }
        for (std::size_t m = 0; m < oc.memories.size(); ++m)
            ctx->sharers[oc.memories[m]].emplace_back(ctx->operands.size(), m);
        ctx->operands.push_back(std::move(oc));
    }
    for (std::size_t mem = 0; mem < acc.memories.size(); ++mem)
        for (const auto& port : acc.memories[mem].ports) {
            const double port_mhz = acc.memories[mem].clock_mhz;
            PortContext pc{&port, {}, false, port_mhz > 0 ? acc.frequency_mhz / port_mhz : 1.0};
            bool serves_w = false, serves_i = false;
            for (const auto& use : port.uses) {
                serves_w = serves_w || use.operand == Operand::W;
                serves_i = serves_i || use.operand == Operand::I;
                for (std::size_t k = 0; k < ctx->operands.size(); ++k) {
                    if (ctx->operands[k].op != use.operand) continue;
                    const auto& mems = ctx->operands[k].memories;
                    const auto level = static_cast<std::size_t>(std::find(mems.begin(), mems.end(), mem) - mems.begin());
                    if (level < mems.size()) pc.uses.push_back({k, level, static_cast<std::size_t>(use.direction)});
                }
            }
            pc.shared_by_inputs = serves_w && serves_i;
            ctx->ports.push_back(std::move(pc));
        }
    ctx->mac_energy = acc.array.mac_energy_pj * static_cast<double>(layer.iterations());
    if (acc.sparsity.gate_zero_inputs && workload::counts_macs(layer.kind))
        ctx->mac_energy *= std::clamp(layer.input_density, 0.0, 1.0);  // a zero input's MACs are gated
    context_ = std::move(ctx);
}

Evaluator::~Evaluator() = default;
Evaluator::Evaluator(Evaluator&&) noexcept = default;
Evaluator& Evaluator::operator=(Evaluator&&) noexcept = default;

LayerCost Evaluator::operator()(const mapping::TemporalMapping& temporal) const {
    return *cost_within(temporal, INFINITY);
}

std::optional<LayerCost> Evaluator::cost_within(const mapping::TemporalMapping& temporal, double latency_bound) const {
    const Context& ctx = *context_;
    const Accelerator& acc = *ctx.acc;
    const Layer& layer = *ctx.layer;
    const std::size_t n = ctx.operands.size();

    // The fractional spatial mapping gives energy and memory use; the integer one gives latency.
    // default_init: constructed, not zero-filled first (value-initialising these few-KB tables was a
    // fifth of an evaluation); every field read below is assigned by the analyses.
    static_vector<TemporalSide, 3> sides(n, boost::container::default_init);
    static_vector<OperandAnalysis, 3> frac(n, boost::container::default_init),
        whole_storage(n, boost::container::default_init);
    static_vector<const OperandAnalysis*, 3> whole;  // whole_storage[k], or frac[k] for one_analysis
    for (std::size_t k = 0; k < n; ++k) {
        const auto& oc = ctx.operands[k];
        const auto& levels = temporal.of(oc.op);
        if (levels.size() != oc.memories.size())
            throw MappingError("operand " + std::string(workload::to_string(oc.op)) + " has " +
                               std::to_string(levels.size()) + " temporal levels, the accelerator has " +
                               std::to_string(oc.memories.size()) + " memories holding it");
        ctx.temporal_side(oc, levels, sides[k]);
    }
    double total_cycles = 0;
    for (std::size_t k = 0; k < n; ++k) {
        const auto& oc = ctx.operands[k];
        const TemporalSide& ts = sides[k];
        ctx.analyse_data(oc, oc.frac, ts, frac[k]);
        // Otherwise frac[k]'s flows wait until the latency is known.
        if (oc.one_analysis) {
            ctx.analyse_flows(oc, oc.frac, ts, frac[k]);
            whole.push_back(&frac[k]);
        } else {
            ctx.analyse_data(oc, oc.whole, ts, whole_storage[k]);
            ctx.analyse_flows(oc, oc.whole, ts, whole_storage[k]);
            ctx.apply_sparsity(oc, false, whole_storage[k]);
            whole.push_back(&whole_storage[k]);
        }
        if (k == 0)
            total_cycles = frac[0].total_cycles;
        else if (frac[k].total_cycles != total_cycles)
            throw MappingError("mapping's temporal loops give different cycle counts per operand");
    }

    LayerCost cost;
    cost.mac_energy_pj = ctx.mac_energy;

    // ---- Memory use and double buffering -------------------------------------------------------
    const std::size_t memories = acc.memories.size();
    if (memories > 64) throw MappingError("more than 64 memories");
    static_vector<double, 64> eff_bits_shared(memories, 0.0);
    {
        static_vector<double, 64> used_bits(memories, 0.0);
        for (std::size_t k = 0; k < n; ++k)
            for (std::size_t m = 0; m < ctx.operands[k].memories.size(); ++m) {
                used_bits[ctx.operands[k].memories[m]] += frac[k].data_bits[m + 1];
                eff_bits_shared[ctx.operands[k].memories[m]] += frac[k].effective_bits[m + 1];
            }
        for (std::size_t mem = 0; mem < memories; ++mem)
            if (used_bits[mem] > acc.memories[mem].size_bits * (1 + 1e-9))
                throw MappingError("mapping keeps " + std::to_string(static_cast<long long>(used_bits[mem])) +
                                   " bits in memory '" + acc.memories[mem].name + "' of " +
                                   std::to_string(static_cast<long long>(acc.memories[mem].size_bits)) +
                                   " bits (layer '" + layer.name + "')");
    }
    // eff_shared[k][m]: effective utilisation of operand k's level m, summed over its sharers;
    // claiming double buffering leaves less room for the other operands of that memory.
    static_vector<PerArch<double>, 3> eff_shared(n, boost::container::default_init);
    static_vector<PerArch<bool>, 3> double_buffered(n, boost::container::default_init);
    for (std::size_t k = 0; k < n; ++k) {
        const auto& mems = ctx.operands[k].memories;
        eff_shared[k].assign(mems.size(), 0.0);
        for (std::size_t m = 0; m < mems.size(); ++m)
            eff_shared[k][m] = eff_bits_shared[mems[m]] / acc.memories[mems[m]].size_bits;
    }
    for (std::size_t k = 0; k < n; ++k) {
        const auto& mems = ctx.operands[k].memories;
        double_buffered[k].assign(mems.size() + 1, false);
        for (std::size_t m = 0; m < mems.size(); ++m) {
            const double individual = frac[k].effective_bits[m + 1] / acc.memories[mems[m]].size_bits;
            if (eff_shared[k][m] <= 0.5) {
                double_buffered[k][m + 1] = true;
            } else if (individual <= 1 - eff_shared[k][m]) {
                double_buffered[k][m + 1] = true;
                for (const auto& [other, level] : ctx.sharers[mems[m]]) eff_shared[other][level] += individual;
            }
        }
    }

    // ---- Stalls: per physical port, periodic transfers against their allowed windows ----------
    // In core cycles: a port on its own clock takes cycle_ratio core cycles per cycle of its own.
    auto real_cycles = [&](const Flow& f, const PortContext& pc) {
        return std::ceil(f.amount * f.scale * f.precision / pc.port->bw_max_bits) * pc.cycle_ratio;
    };
    // Top memories first (the DRAM port decides most rejections in a search for the fastest
    // mapping): on- and off-loading only add cycles, so a mapping whose stall alone makes it too
    // slow is rejected at the first port that shows it.
    double stall = 0;
    for (auto pc_it = ctx.ports.rbegin(); pc_it != ctx.ports.rend(); ++pc_it) {
        const PortContext& pc = *pc_it;
        double positive = 0, negative = 0, busy = 0, single = 0;
        std::size_t count = 0;
        static_vector<Window, 32> windows;
        for (const auto& use : pc.uses) {
            const Flow& f = whole[use.operand]->flows[use.level][use.dir];
            if (f.period_count == 0) continue;
            const bool receiver_double = (use.dir == kTl || use.dir == kFl) ? double_buffered[use.operand][use.level]
                                                                           : double_buffered[use.operand][use.level + 1];
            const double allowed = receiver_double ? f.period : f.window;
            const double ss = (real_cycles(f, pc) - allowed) * (f.period_count - 1);
            (ss > 0 ? positive : negative) += ss;
            busy += allowed * (f.period_count - 1);
            single = ss;
            if (windows.size() < windows.capacity()) windows.push_back({f.period, allowed, f.period_count});
            ++count;
        }
        if (count == 0) continue;
        const double port_stall = count == 1 ? single : positive + std::max(0.0, negative + busy - window_union(windows));
        stall = std::max(stall, port_stall);
        if (total_cycles + stall > latency_bound) return std::nullopt;
    }
    cost.stall_cycles = stall;

    // ---- On-loading and off-loading -------------------------------------------------------------
    // Transfers done once (period count 1) happen before computing starts (inputs) or after it ends
    // (outputs), but may overlap computation with the port bandwidth the periodic transfers leave.
    struct Loading {
        double cycles = 0;
        bool shared_by_inputs = false;
        bool set = false;
    };
    static_vector<PerArch<std::array<Loading, 4>>, 3> loading(n, boost::container::default_init);
    for (std::size_t k = 0; k < n; ++k) loading[k].assign(ctx.operands[k].memories.size(), std::array<Loading, 4>{});
    const double compute_cycles = total_cycles + stall;
    for (const auto& pc : ctx.ports) {
        static_vector<PortUse, 32> once;
        static_vector<double, 32> needed, floors;
        double periodic_bw = 0;
        for (const auto& use : pc.uses) {
            if (ctx.operands[use.operand].op == Operand::O && (use.dir == kTl || use.dir == kFh)) continue;  // psums
            const Flow& f = whole[use.operand]->flows[use.level][use.dir];
            if (f.period_count == 0) continue;
            if (f.period_count == 1 && once.size() < once.capacity()) {
                once.push_back(use);
                needed.push_back(real_cycles(f, pc));
                floors.push_back(std::ceil(whole[use.operand]->data_bits[1] * f.scale / pc.port->bw_max_bits) * pc.cycle_ratio);
            } else {
                periodic_bw += f.bw_average * f.scale;
                loading[use.operand][use.level][use.dir] = {real_cycles(f, pc), pc.shared_by_inputs, true};
            }
        }
        const double capacity = pc.port->bw_max_bits / pc.cycle_ratio;  // bits per core cycle
        const double surplus = std::max(0.0, (capacity - periodic_bw) / capacity * compute_cycles);
        reduce_balanced(needed, floors, surplus);
        for (std::size_t i = 0; i < once.size(); ++i)
            loading[once[i].operand][once[i].level][once[i].dir] = {needed[i], pc.shared_by_inputs, true};
    }
    struct Parts {
        double individual = 0, half_shared = 0, shared = 0;
    };
    static_vector<Parts, 2> inputs;
    std::size_t output = 0;
    for (std::size_t k = 0; k < n; ++k) {
        if (ctx.operands[k].op == Operand::O) {
            output = k;
            continue;
        }
        Parts parts;
        for (std::size_t m = 0; m + 1 < ctx.operands[k].memories.size(); ++m) {
            const Loading& fill = loading[k][m][kFh];
            const Loading& feed = loading[k][m + 1][kTl];
            const double longest = std::max(fill.cycles, feed.cycles);
            if (!fill.shared_by_inputs && !feed.shared_by_inputs)
                parts.individual += longest;
            else if (fill.shared_by_inputs && feed.shared_by_inputs)
                parts.shared += longest;
            else
                parts.half_shared += longest;  // Deviation: ZigZag overwrites (=) instead of adding
        }
        inputs.push_back(parts);
    }
    if (inputs.size() == 1) {
        cost.onload_cycles = inputs[0].individual;
    } else if (inputs.size() == 2) {
        const Parts& a = inputs[0];
        const Parts& b = inputs[1];
        const double first = a.shared + std::max(b.shared + b.half_shared + b.individual, a.half_shared + a.individual);
        const double second = b.shared + std::max(a.shared + a.half_shared + a.individual, b.half_shared + b.individual);
        cost.onload_cycles = std::min(first, second);
    }
    for (std::size_t m = 0; m + 1 < ctx.operands[output].memories.size(); ++m)
        cost.offload_cycles += std::max(loading[output][m][kTh].cycles, loading[output][m + 1][kFl].cycles);

    cost.temporal_cycles = total_cycles;
    // A search for the fastest mapping rejects a slower one whatever its energy: stop here.
    if (cost.latency_cycles() > latency_bound) return std::nullopt;

    for (std::size_t k = 0; k < n; ++k)
        if (!ctx.operands[k].one_analysis) {
            ctx.analyse_flows(ctx.operands[k], ctx.operands[k].frac, sides[k], frac[k]);
            ctx.apply_sparsity(ctx.operands[k], true, frac[k]);
        }
    // ---- Energy ------------------------------------------------------------------------------
    for (std::size_t k = 0; k < n; ++k) {
        const auto& oc = ctx.operands[k];
        for (std::size_t m = 0; m < oc.memories.size(); ++m) {
            const auto& memory = acc.memories[oc.memories[m]];
            MemoryTraffic traffic;
            traffic.memory = oc.memories[m];
            traffic.operand = oc.op;
            for (Direction dir : hardware::kAllDirections) {
                const auto d = static_cast<std::size_t>(dir);
                const Flow& flow = frac[k].flows[m][d];
                if (flow.amount == 0 || flow.precision == 0) continue;
                const hardware::Port* port = oc.ports[m][d];
                if (!port)
                    throw MappingError("memory '" + memory.name + "' has no port for operand " +
                                       std::string(workload::to_string(oc.op)) + " " + std::string(to_string(dir)));
                traffic.word_accesses[d] = word_accesses(flow, *port, oc.frac.unit_count[m + 1]);
                const double per_access = hardware::is_read(dir) ? memory.r_energy_pj : memory.w_energy_pj;
                traffic.energy_pj += traffic.word_accesses[d] * per_access;
                if (memory.is_dram) cost.dram_bits += traffic.word_accesses[d] * port->bw_max_bits;
            }
            cost.memory_energy_pj += traffic.energy_pj;
            cost.traffic.push_back(traffic);
        }
    }

    const double units = static_cast<double>(acc.array.total_units());
    cost.ideal_cycles = std::ceil(static_cast<double>(layer.iterations()) / units);
    cost.spatial_utilisation = static_cast<double>(layer.iterations()) / (units * total_cycles);
    cost.temporal_utilisation = total_cycles / cost.latency_cycles();
    return cost;
}

void check_mapping(const Layer& layer, const Accelerator& acc, const Mapping& mapping) {
    const auto expected = mapping::temporal_loops(layer, mapping.spatial);
    for (Operand op : mapping::kOperands) {
        if (!layer.has_operand(op)) continue;
        const auto& levels = mapping.temporal.of(op);
        const auto hierarchy = acc.hierarchy(op);
        if (levels.size() != hierarchy.size())
            throw MappingError("mapping gives operand " + std::string(workload::to_string(op)) + " " +
                               std::to_string(levels.size()) + " memory levels, accelerator '" + acc.name +
                               "' has " + std::to_string(hierarchy.size()));
        for (Dim dim : workload::kAllDims) {
            std::int64_t product = 1;
            for (const auto& level : levels)
                for (const auto& loop : level)
                    if (loop.dim == dim) product *= loop.size;
            std::int64_t want = 1;
            for (const auto& loop : expected)
                if (loop.dim == dim) want = loop.size;
            if (product != want)
                throw MappingError("mapping's temporal loops of " + std::string(workload::to_string(dim)) +
                                   " for operand " + std::string(workload::to_string(op)) + " multiply to " +
                                   std::to_string(product) + ", layer '" + layer.name + "' needs " +
                                   std::to_string(want) + " after the spatial unrolling");
        }
    }
}

LayerCost evaluate(const Layer& layer, const Accelerator& acc, const Mapping& mapping) {
    if (hardware::second_operand_is_activation(layer)) {
        const Accelerator view = hardware::with_activation_second_operand(acc);
        check_mapping(layer, view, mapping);
        return Evaluator(layer, view, mapping.spatial)(mapping.temporal);
    }
    check_mapping(layer, acc, mapping);
    return Evaluator(layer, acc, mapping.spatial)(mapping.temporal);
}

}  // namespace elaa::cost
