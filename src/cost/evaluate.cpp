#include "cost/evaluate.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace elaa::cost {

namespace {

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

// ---------------------------------------------------------------------------------------------
// Relevancy as ZigZag uses it: loop dims of size 1 are neither relevant nor irrelevant, and the
// input's window dims (OY, FY, OX, FX) are "partially relevant".
enum class Rel { R, IR, PR, None };

Rel relevance(const Layer& layer, Operand op, Dim dim) {
    const auto r = layer.relevance(op, dim);
    if (r == workload::Relevance::PartiallyRelevant) return Rel::PR;
    if (layer.bound(dim) == 1) return Rel::None;
    return r == workload::Relevance::Relevant ? Rel::R : Rel::IR;
}

using FactorLoop = std::pair<Dim, double>;
using LevelLoops = std::vector<FactorLoop>;

// Extent of an input axis covered by `a` output positions and `b` filter taps:
// c = sa*a' + sb*b' for a' < a, b' < b, g = gcd(sa, sb): a*b - max(0, b - sa/g) * (a - sb/g),
// clipped to the real input extent (ZigZag's calc_pr_dimension_size; sizes truncated to integers
// as ZigZag does).
double window_extent(double a_in, double b_in, int sa, int sb, std::int64_t total) {
    const double a = std::trunc(a_in), b = std::trunc(b_in);
    const int g = std::gcd(sa, sb);
    const double size = a * b - std::max(0.0, b - static_cast<double>(sa / g)) * (a - static_cast<double>(sb / g));
    return std::min(static_cast<double>(total), size);
}

// Per-level products of relevant (r), irrelevant (ir) and all loop factors. For the input, each
// window loop is split into the growth of the input extent it causes (relevant) and the reuse it
// gives (irrelevant), cumulatively from the bottom level up (ZigZag's decouple_pr_loop).
struct LevelProducts {
    std::vector<double> r, ir, total;
};

LevelProducts level_products(const Layer& layer, Operand op, const std::vector<LevelLoops>& levels) {
    LevelProducts out;
    out.r.assign(levels.size(), 1.0);
    out.ir.assign(levels.size(), 1.0);
    out.total.assign(levels.size(), 1.0);
    struct Axis {
        double out = 1, filter = 1, r_prev = 1, ir_prev = 1;
    } ay, ax;
    for (std::size_t a = 0; a < levels.size(); ++a) {
        for (const auto& [dim, factor] : levels[a]) {
            out.total[a] *= factor;
            const Rel rel = relevance(layer, op, dim);
            if (rel == Rel::R) {
                out.r[a] *= factor;
            } else if (rel == Rel::IR) {
                out.ir[a] *= factor;
            } else if (rel == Rel::PR) {
                const bool vertical = dim == Dim::OY || dim == Dim::FY;
                Axis& axis = vertical ? ay : ax;
                ((dim == Dim::OY || dim == Dim::OX) ? axis.out : axis.filter) *= factor;
                const double extent =
                    vertical ? window_extent(axis.out, axis.filter, layer.stride_y, layer.dilation_y, layer.in_h)
                             : window_extent(axis.out, axis.filter, layer.stride_x, layer.dilation_x, layer.in_w);
                const double reuse = axis.out * axis.filter / extent;
                out.r[a] *= extent / axis.r_prev;
                out.ir[a] *= reuse / axis.ir_prev;
                axis.r_prev = extent;
                axis.ir_prev = reuse;
            }
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// One direction of data movement at one memory level of one operand (ZigZag's DataMovePattern).
struct Flow {
    double amount = 0;       // elements per period (per memory instance)
    int precision = 0;       // bits per element
    double period = 0;       // cycles
    double period_count = 0; // periods in the layer
    double bw_average = 0;   // bits/cycle needed on average
    double window = 0;       // cycles available per period if the receiver is not double-buffered
};

struct OperandAnalysis {
    std::vector<std::size_t> memories;        // hierarchy, bottom-up
    std::vector<double> data_elems;           // per arch level (0 = MAC level): per instance
    std::vector<double> data_bits;            // per arch level
    std::vector<double> effective_bits;       // per arch level: data bits / top relevant loops
    std::vector<double> unit_count;           // per arch level: instances
    std::vector<std::array<Flow, 4>> flows;   // per memory level
    double total_cycles = 0;
};

// The spatial loops that sit directly below each memory level of an operand: a memory takes the
// array dimensions it serves that no lower level of the operand served; a last entry holds the
// array dimensions no memory serves.
std::vector<LevelLoops> spatial_entries(const Accelerator& acc, const std::vector<std::size_t>& memories,
                                        const mapping::SpatialMapping& spatial, bool integer) {
    std::vector<LevelLoops> entries(memories.size() + 1);
    std::vector<bool> taken(acc.array.dim_sizes.size(), false);
    auto add = [&](LevelLoops& entry, std::size_t array_dim) {
        taken[array_dim] = true;
        if (array_dim >= spatial.per_array_dim.size()) return;
        for (const auto& loop : spatial.per_array_dim[array_dim]) {
            const double factor = integer ? loop.factor_int : loop.factor;
            auto it = std::find_if(entry.begin(), entry.end(), [&](const FactorLoop& l) { return l.first == loop.dim; });
            if (it != entry.end())
                it->second *= factor;
            else
                entry.emplace_back(loop.dim, factor);
        }
    };
    for (std::size_t m = 0; m < memories.size(); ++m)
        for (std::size_t d : acc.memories[memories[m]].served_dims)
            if (d < taken.size() && !taken[d]) add(entries[m], d);
    for (std::size_t d = 0; d < taken.size(); ++d)
        if (!taken[d]) add(entries.back(), d);
    return entries;
}

// Moves irrelevant loops at the bottom of a level into the level below, repeatedly (data stays put
// while they iterate). Returns the product of those that end below level 0: the cycles an operand
// stays at the MAC input (ZigZag's innermost_stationary_loop_merge_down).
double merge_down_stationary(const Layer& layer, Operand op, std::vector<std::vector<Loop>>& levels) {
    auto irrelevant = [&](const Loop& l) { return relevance(layer, op, l.dim) == Rel::IR; };
    bool changed = true;
    while (changed) {
        changed = false;
        for (std::size_t m = 1; m < levels.size(); ++m) {
            auto& level = levels[m];
            std::size_t moved = 0;
            while (moved < level.size() && irrelevant(level[moved])) ++moved;
            if (moved == 0) continue;
            levels[m - 1].insert(levels[m - 1].end(), level.begin(), level.begin() + static_cast<long>(moved));
            level.erase(level.begin(), level.begin() + static_cast<long>(moved));
            changed = true;
        }
    }
    double stationary = 1;
    if (!levels.empty())
        for (const auto& loop : levels[0]) {
            if (!irrelevant(loop)) break;
            stationary *= static_cast<double>(loop.size);
        }
    return stationary;
}

int operand_precision(const Layer& layer, Operand op) {
    switch (op) {
        case Operand::W: return layer.precision.w_bits;
        case Operand::I: return layer.precision.i_bits;
        case Operand::O: return layer.precision.psum_bits;
    }
    return 0;
}

OperandAnalysis analyse_operand(const Layer& layer, const Accelerator& acc, Operand op,
                                const mapping::SpatialMapping& spatial, bool integer_spatial,
                                const std::vector<std::vector<Loop>>& temporal_levels) {
    OperandAnalysis out;
    out.memories = acc.hierarchy(op);
    const std::size_t levels = out.memories.size();
    if (temporal_levels.size() != levels)
        throw MappingError("operand " + std::string(workload::to_string(op)) + " has " +
                           std::to_string(temporal_levels.size()) + " temporal levels, the accelerator has " +
                           std::to_string(levels) + " memories holding it");

    const auto spatial_levels = spatial_entries(acc, out.memories, spatial, integer_spatial);

    auto temporal = temporal_levels;
    const double mac_stationary = merge_down_stationary(layer, op, temporal);

    // Cycles covered by each memory level and everything below it.
    std::vector<double> cycles_cabl(levels);
    double cycles = 1;
    for (std::size_t m = 0; m < levels; ++m) {
        for (const auto& loop : temporal[m]) cycles *= static_cast<double>(loop.size);
        cycles_cabl[m] = cycles;
    }
    out.total_cycles = levels ? cycles_cabl.back() : 1;

    // The outermost consecutive relevant / irrelevant temporal loops of each level (arch-level
    // indexed: entry m + 1 belongs to memory level m).
    std::vector<double> top_r(levels + 1, 1.0), top_ir(levels + 1, 1.0);
    for (std::size_t m = 0; m < levels; ++m) {
        for (auto it = temporal[m].rbegin(); it != temporal[m].rend(); ++it) {
            if (relevance(layer, op, it->dim) != Rel::R) break;
            top_r[m + 1] *= static_cast<double>(it->size);
        }
        for (auto it = temporal[m].rbegin(); it != temporal[m].rend(); ++it) {
            if (relevance(layer, op, it->dim) != Rel::IR) break;
            top_ir[m + 1] *= static_cast<double>(it->size);
        }
    }

    // Combined loop lists per arch level a = 0..levels: "1s1t" puts the spatial loops of entry a
    // above the temporal loops of memory a - 1; "1s2t" puts those of entry a - 1 there.
    std::vector<LevelLoops> one_s1t(levels + 1), one_s2t(levels + 1);
    for (std::size_t a = 0; a <= levels; ++a) {
        if (a > 0)
            for (const auto& loop : temporal[a - 1]) {
                one_s1t[a].emplace_back(loop.dim, static_cast<double>(loop.size));
                one_s2t[a].emplace_back(loop.dim, static_cast<double>(loop.size));
            }
        one_s1t[a].insert(one_s1t[a].end(), spatial_levels[a].begin(), spatial_levels[a].end());
        if (a > 0) one_s2t[a].insert(one_s2t[a].end(), spatial_levels[a - 1].begin(), spatial_levels[a - 1].end());
    }
    const LevelProducts p1 = level_products(layer, op, one_s1t);
    const LevelProducts p2 = level_products(layer, op, one_s2t);
    const LevelProducts ps = level_products(layer, op, spatial_levels);

    // Partial sums: an output level holds partial sums while an irrelevant (reduction) loop of the
    // output still iterates above it.
    std::vector<bool> psum(levels + 1, false);
    if (op == Operand::O) {
        std::vector<bool> ir_at(levels + 1, false);
        for (std::size_t a = 0; a <= levels; ++a)
            for (const auto& [dim, factor] : one_s1t[a])
                if (relevance(layer, op, dim) == Rel::IR && factor > 1) ir_at[a] = true;
        for (std::size_t m = 0; m < levels; ++m)
            for (std::size_t a = m + 1; a <= levels; ++a) psum[m] = psum[m] || ir_at[a];
    }
    auto precision_at = [&](std::size_t a) {
        if (op != Operand::O) return operand_precision(layer, op);
        return psum[a] ? layer.precision.psum_bits : layer.precision.o_bits;
    };

    out.data_elems.resize(levels + 1);
    out.data_bits.resize(levels + 1);
    out.effective_bits.resize(levels + 1);
    out.unit_count.resize(levels + 1);
    std::vector<double> unit_unique(levels + 1);
    double r_cabl = 1;
    for (std::size_t a = 0; a <= levels; ++a) {
        r_cabl *= p2.r[a];
        out.data_elems[a] = std::round(r_cabl);
        out.data_bits[a] = out.data_elems[a] * precision_at(a);
        out.effective_bits[a] = std::floor(out.data_bits[a] / top_r[a]);
    }
    for (std::size_t a = levels + 1; a-- > 0;) {
        double total = 1, unique = 1;
        for (std::size_t j = a; j <= levels; ++j) {
            total *= ps.total[j];
            unique *= ps.r[j];
        }
        out.unit_count[a] = std::round(std::round(total * 1000.0) / 1000.0);
        unit_unique[a] = unique;
    }
    std::vector<double> boost(levels + 1, 1.0);
    for (std::size_t a = 0; a < levels; ++a) boost[a] = std::round(unit_unique[a] / unit_unique[a + 1]);

    // Output reduction loops at and above each arch level (for partial-sum traffic).
    std::vector<double> ir_caal(levels + 3, 1.0);
    for (std::size_t a = levels + 1; a-- > 0;) ir_caal[a] = (a <= levels ? p1.ir[a] : 1.0) * ir_caal[a + 1];
    for (std::size_t a = levels + 1; a < ir_caal.size(); ++a) ir_caal[a] = 1.0;

    std::vector<double> cycle_each(levels + 1);
    cycle_each[0] = op == Operand::O ? 1.0 : mac_stationary;
    for (std::size_t m = 0; m < levels; ++m) cycle_each[m + 1] = cycles_cabl[m];

    const double total = out.total_cycles;
    const double output_elems = static_cast<double>(layer.output_elements());
    out.flows.resize(levels);
    for (std::size_t m = 0; m < levels; ++m) {
        const double low_raw_next = out.data_elems[m + 1] * precision_at(m + 1) / cycle_each[m + 1];
        const double high_raw = out.data_elems[m] * precision_at(m) / cycle_each[m] * boost[m];
        auto& f = out.flows[m];
        Flow to_low{out.data_elems[m] * boost[m], 0, std::trunc(cycle_each[m]),
                    std::floor(total / cycle_each[m]), std::trunc(high_raw), 0};
        Flow from_high{out.data_elems[m + 1], 0, std::trunc(cycle_each[m + 1]),
                       std::floor(total / cycle_each[m + 1]), std::trunc(low_raw_next), 0};
        if (op != Operand::O) {
            to_low.precision = from_high.precision = operand_precision(layer, op);
            f[kTl] = to_low;
            f[kFh] = from_high;
        } else {
            const double psum_reads = std::trunc(output_elems * (ir_caal[m + 1] - 1));
            const double psum_writes = std::trunc(output_elems * (ir_caal[m + 2] - 1));
            Flow from_low = to_low;  // outputs (or partial sums) coming up
            from_low.amount = std::trunc(from_low.amount);
            from_low.precision = psum_reads != 0 ? layer.precision.psum_bits : layer.precision.o_bits;
            Flow to_high = from_high;
            to_high.precision = psum_writes != 0 ? layer.precision.psum_bits : layer.precision.o_bits;
            f[kFl] = from_low;
            f[kTh] = to_high;
            if (psum[m]) {
                f[kTl] = from_low;  // partial sums read back down to keep accumulating
                f[kTl].precision = psum_reads != 0 ? layer.precision.psum_bits : 0;
            }
            if (psum[m + 1]) {
                f[kFh] = to_high;
                f[kFh].precision = psum_writes != 0 ? layer.precision.psum_bits : 0;
            }
        }
        // Without double buffering a transfer must fit the part of the period in which the top
        // irrelevant loops of the receiving level do not iterate.
        for (std::size_t dir = 0; dir < 4; ++dir) {
            const double factor = std::trunc((dir == kTl || dir == kFl) ? top_ir[m] : top_ir[m + 1]);
            f[dir].window = std::trunc(f[dir].period / factor);
        }
    }
    // The top level exchanges nothing with the outside world.
    if (levels) {
        out.flows.back()[kTh] = Flow{};
        out.flows.back()[kFh] = Flow{};
    }
    return out;
}

// Data needed by each operand the layer has.
bool layer_has(const Layer& layer, Operand op) { return layer.has_operand(op); }

// Operand order of ZigZag's layer nodes (output first, then the equation's inputs): it decides
// which operand of a shared memory claims double buffering first.
std::vector<Operand> operand_order(const Layer& layer) {
    using workload::OpKind;
    if (layer.kind == OpKind::Gemm || layer.kind == OpKind::MatMul) return {Operand::O, Operand::I, Operand::W};
    std::vector<Operand> order{Operand::O};
    if (layer_has(layer, Operand::W)) order.push_back(Operand::W);
    order.push_back(Operand::I);
    return order;
}

double word_accesses(const Flow& flow, const hardware::Port& port, double instances) {
    if (flow.amount == 0 || flow.precision == 0) return 0;
    return std::trunc(std::ceil(flow.amount * flow.precision / port.bw_min_bits) *
                      (port.bw_min_bits / port.bw_max_bits) * flow.period_count * instances);
}

// Reduces loading times `cycles` toward their floors `floors` by at most `budget` cycles in total,
// levelling the largest first (ZigZag's reduce_balanced).
// Deviation: ZigZag keeps lowering values that already reached their floor (and can raise them when
// a value starts below its floor), which yields negative loading times (its issue #125; -3122 cycles
// on eyeriss conv1). Here a result is never below zero.
std::vector<double> reduce_balanced(const std::vector<double>& cycles, const std::vector<double>& floors, double budget) {
    if (budget <= 0 || cycles.empty()) return cycles;
    std::vector<std::size_t> order(cycles.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return cycles[a] > cycles[b]; });
    std::vector<double> c(cycles.size()), m(cycles.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
        c[i] = cycles[order[i]];
        m[i] = floors[order[i]];
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
    std::vector<double> out(cycles.size());
    for (std::size_t i = 0; i < order.size(); ++i) out[order[i]] = std::max(0.0, c[i]);
    return out;
}

// Union length of periodic busy windows: activity i occupies the first allowed_i cycles of every
// period_i. ZigZag draws them into a bitmap of the longest period; the periods are prefix products
// of one loop order, so they divide one another and the union can be counted recursively.
struct Window {
    double period, allowed, count;
};

double uncovered_prefix(const std::vector<Window>& w, std::size_t i, double x) {
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

double window_union(std::vector<Window> windows) {
    for (const auto& w : windows)
        if (w.period == w.allowed) return w.period * w.count;
    std::stable_sort(windows.begin(), windows.end(), [](const Window& a, const Window& b) { return a.period < b.period; });
    const Window& longest = windows.back();
    return (longest.period - uncovered_prefix(windows, windows.size(), longest.period)) * longest.count;
}

}  // namespace

void check_mapping(const Layer& layer, const Accelerator& acc, const Mapping& mapping) {
    const auto expected = mapping::temporal_loops(layer, mapping.spatial);
    for (Operand op : mapping::kOperands) {
        if (!layer_has(layer, op)) continue;
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
    check_mapping(layer, acc, mapping);
    const auto order = operand_order(layer);

    // The fractional spatial mapping gives energy and memory use; the integer one gives latency.
    std::array<OperandAnalysis, 3> frac, whole;
    for (Operand op : order) {
        const auto i = mapping::index(op);
        frac[i] = analyse_operand(layer, acc, op, mapping.spatial, false, mapping.temporal.of(op));
        whole[i] = analyse_operand(layer, acc, op, mapping.spatial, true, mapping.temporal.of(op));
    }
    const double total_cycles = frac[mapping::index(Operand::O)].total_cycles;
    for (Operand op : order)
        if (frac[mapping::index(op)].total_cycles != total_cycles)
            throw MappingError("mapping's temporal loops give different cycle counts per operand");

    LayerCost cost;
    cost.mac_energy_pj = acc.array.mac_energy_pj * static_cast<double>(layer.macs());

    // ---- Energy ------------------------------------------------------------------------------
    auto level_of = [&](Operand op, std::size_t memory) -> std::size_t {
        const auto& mems = frac[mapping::index(op)].memories;
        return static_cast<std::size_t>(std::find(mems.begin(), mems.end(), memory) - mems.begin());
    };
    for (Operand op : order) {
        const auto& an = frac[mapping::index(op)];
        for (std::size_t m = 0; m < an.memories.size(); ++m) {
            const auto& memory = acc.memories[an.memories[m]];
            MemoryTraffic traffic;
            traffic.memory = an.memories[m];
            traffic.operand = op;
            for (Direction dir : hardware::kAllDirections) {
                const auto d = static_cast<std::size_t>(dir);
                const Flow& flow = an.flows[m][d];
                if (flow.amount == 0 || flow.precision == 0) continue;
                const hardware::Port* port = memory.port_for(op, dir);
                if (!port)
                    throw MappingError("memory '" + memory.name + "' has no port for operand " +
                                       std::string(workload::to_string(op)) + " " + std::string(to_string(dir)));
                traffic.word_accesses[d] = word_accesses(flow, *port, an.unit_count[m + 1]);
                const double per_access = hardware::is_read(dir) ? memory.r_energy_pj : memory.w_energy_pj;
                traffic.energy_pj += traffic.word_accesses[d] * per_access;
                if (memory.is_dram) cost.dram_bits += traffic.word_accesses[d] * port->bw_max_bits;
            }
            cost.memory_energy_pj += traffic.energy_pj;
            cost.traffic.push_back(traffic);
        }
    }

    // ---- Memory use and double buffering -------------------------------------------------------
    // Utilisation of each (operand, level), individually and summed over a shared memory.
    std::map<std::pair<std::size_t, std::size_t>, double> eff_individual, eff_shared;  // (operand, level)
    std::map<std::size_t, double> used_bits_shared, eff_bits_shared;                    // per memory
    for (Operand op : order) {
        const auto& an = frac[mapping::index(op)];
        for (std::size_t m = 0; m < an.memories.size(); ++m) {
            used_bits_shared[an.memories[m]] += an.data_bits[m + 1];
            eff_bits_shared[an.memories[m]] += an.effective_bits[m + 1];
        }
    }
    for (const auto& [memory, bits] : used_bits_shared)
        if (bits > acc.memories[memory].size_bits * (1 + 1e-9))
            throw MappingError("mapping keeps " + std::to_string(static_cast<long long>(bits)) + " bits in memory '" +
                               acc.memories[memory].name + "' of " +
                               std::to_string(static_cast<long long>(acc.memories[memory].size_bits)) + " bits (layer '" +
                               layer.name + "')");
    for (Operand op : order) {
        const auto& an = frac[mapping::index(op)];
        for (std::size_t m = 0; m < an.memories.size(); ++m) {
            const double size = acc.memories[an.memories[m]].size_bits;
            eff_individual[{mapping::index(op), m}] = an.effective_bits[m + 1] / size;
            eff_shared[{mapping::index(op), m}] = eff_bits_shared[an.memories[m]] / size;
        }
    }
    std::array<std::vector<bool>, 3> double_buffered;
    for (Operand op : order) {
        const auto i = mapping::index(op);
        const auto& an = frac[i];
        double_buffered[i].assign(an.memories.size() + 1, false);
        for (std::size_t m = 0; m < an.memories.size(); ++m) {
            const double shared = eff_shared[{i, m}], individual = eff_individual[{i, m}];
            if (shared <= 0.5) {
                double_buffered[i][m + 1] = true;
            } else if (individual <= 1 - shared) {
                double_buffered[i][m + 1] = true;
                // Claiming the free half leaves less for the other operands of that memory.
                for (Operand other : order) {
                    const auto j = mapping::index(other);
                    const auto lvl = level_of(other, an.memories[m]);
                    if (lvl < frac[j].memories.size()) eff_shared[{j, lvl}] += individual;
                }
            }
        }
    }

    // ---- Stalls: per physical port, periodic transfers against their allowed windows ----------
    struct Activity {
        Operand op;
        std::size_t level;
        std::size_t dir;
        double real, allowed, period, count;
    };
    auto real_cycles = [&](const Flow& f, const hardware::Port& port) {
        return std::ceil(f.amount * f.precision / port.bw_max_bits);
    };
    double stall = 0;
    for (std::size_t mem = 0; mem < acc.memories.size(); ++mem) {
        for (const auto& port : acc.memories[mem].ports) {
            std::vector<Activity> activities;
            for (const auto& use : port.uses) {
                if (!layer_has(layer, use.operand) ||
                    std::find(order.begin(), order.end(), use.operand) == order.end())
                    continue;
                const auto i = mapping::index(use.operand);
                const auto lvl = level_of(use.operand, mem);
                if (lvl >= whole[i].memories.size()) continue;
                const auto d = static_cast<std::size_t>(use.direction);
                const Flow& f = whole[i].flows[lvl][d];
                if (f.period_count == 0) continue;
                const bool receiver_double = (d == kTl || d == kFl) ? double_buffered[i][lvl] : double_buffered[i][lvl + 1];
                activities.push_back({use.operand, lvl, d, real_cycles(f, port), receiver_double ? f.period : f.window,
                                      f.period, f.period_count});
            }
            if (activities.empty()) continue;
            double port_stall = 0;
            if (activities.size() == 1) {
                const auto& a = activities[0];
                port_stall = (a.real - a.allowed) * (a.count - 1);
            } else {
                double positive = 0, negative = 0, busy = 0;
                std::vector<Window> windows;
                for (const auto& a : activities) {
                    const double ss = (a.real - a.allowed) * (a.count - 1);
                    (ss > 0 ? positive : negative) += ss;
                    busy += a.allowed * (a.count - 1);
                    windows.push_back({a.period, a.allowed, a.count});
                }
                port_stall = positive + std::max(0.0, negative + busy - window_union(windows));
            }
            stall = std::max(stall, port_stall);
        }
    }
    cost.stall_cycles = stall;

    // ---- On-loading and off-loading -------------------------------------------------------------
    // Transfers done once (period count 1) happen before computing starts (inputs) or after it ends
    // (outputs), but may overlap computation with the port bandwidth the periodic transfers leave.
    using Key = std::tuple<std::size_t, std::size_t, std::size_t>;  // operand, level, direction
    std::map<Key, std::pair<double, bool>> loading;                 // cycles, port shared by W and I
    const double compute_cycles = total_cycles + stall;
    for (std::size_t mem = 0; mem < acc.memories.size(); ++mem) {
        for (const auto& port : acc.memories[mem].ports) {
            bool serves_w = false, serves_i = false;
            for (const auto& use : port.uses) {
                serves_w = serves_w || use.operand == Operand::W;
                serves_i = serves_i || use.operand == Operand::I;
            }
            const bool shared_inputs = serves_w && serves_i;
            std::vector<Key> once, periodic;
            double periodic_bw = 0;
            for (const auto& use : port.uses) {
                const auto d = static_cast<std::size_t>(use.direction);
                if (use.operand == Operand::O && (d == kTl || d == kFh)) continue;  // partial sums
                if (!layer_has(layer, use.operand) ||
                    std::find(order.begin(), order.end(), use.operand) == order.end())
                    continue;
                const auto i = mapping::index(use.operand);
                const auto lvl = level_of(use.operand, mem);
                if (lvl >= whole[i].memories.size()) continue;
                const Flow& f = whole[i].flows[lvl][d];
                if (f.period_count == 0) continue;
                if (f.period_count == 1) {
                    once.emplace_back(i, lvl, d);
                } else {
                    periodic.emplace_back(i, lvl, d);
                    periodic_bw += f.bw_average;
                }
            }
            std::vector<double> needed, floors;
            for (const auto& [i, lvl, d] : once) {
                needed.push_back(real_cycles(whole[i].flows[lvl][d], port));
                floors.push_back(std::ceil(whole[i].data_bits[1] / port.bw_max_bits));
            }
            const double surplus =
                std::max(0.0, (port.bw_max_bits - periodic_bw) / port.bw_max_bits * compute_cycles);
            const auto reduced = reduce_balanced(needed, floors, surplus);
            for (std::size_t k = 0; k < once.size(); ++k) loading[once[k]] = {reduced[k], shared_inputs};
            for (const auto& [i, lvl, d] : periodic)
                loading[{i, lvl, d}] = {real_cycles(whole[i].flows[lvl][d], port), shared_inputs};
        }
    }
    auto loading_of = [&](std::size_t i, std::size_t lvl, std::size_t d) {
        auto it = loading.find({i, lvl, d});
        return it == loading.end() ? std::pair<double, bool>{0.0, false} : it->second;
    };
    struct Parts {
        double individual = 0, half_shared = 0, shared = 0;
    };
    std::vector<std::pair<Operand, Parts>> inputs;
    for (Operand op : order) {
        if (op == Operand::O) continue;
        const auto i = mapping::index(op);
        Parts parts;
        for (std::size_t m = 0; m + 1 < whole[i].memories.size(); ++m) {
            const auto fill = loading_of(i, m, kFh);
            const auto feed = loading_of(i, m + 1, kTl);
            const double longest = std::max(fill.first, feed.first);
            if (!fill.second && !feed.second)
                parts.individual += longest;
            else if (fill.second && feed.second)
                parts.shared += longest;
            else
                parts.half_shared += longest;  // Deviation: ZigZag overwrites (=) instead of adding
        }
        inputs.emplace_back(op, parts);
    }
    if (inputs.size() == 1) {
        cost.onload_cycles = inputs[0].second.individual;
    } else if (inputs.size() == 2) {
        const Parts& a = inputs[0].second;
        const Parts& b = inputs[1].second;
        const double first = a.shared + std::max(b.shared + b.half_shared + b.individual, a.half_shared + a.individual);
        const double second = b.shared + std::max(a.shared + a.half_shared + a.individual, b.half_shared + b.individual);
        cost.onload_cycles = std::min(first, second);
    }
    {
        const auto o = mapping::index(Operand::O);
        double offload = 0;
        for (std::size_t m = 0; m + 1 < whole[o].memories.size(); ++m)
            offload += std::max(loading_of(o, m, kTh).first, loading_of(o, m + 1, kFl).first);
        cost.offload_cycles = offload;
    }

    cost.temporal_cycles = total_cycles;
    const double units = static_cast<double>(acc.array.total_units());
    cost.ideal_cycles = std::ceil(static_cast<double>(layer.macs()) / units);
    cost.spatial_utilisation = static_cast<double>(layer.macs()) / (units * total_cycles);
    cost.temporal_utilisation = total_cycles / cost.latency_cycles();
    return cost;
}

}  // namespace elaa::cost
