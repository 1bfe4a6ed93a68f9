#include "encodings/encoding.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "accuracy/accuracy.hpp"
#include "hardware/technology.hpp"
#include "util/error.hpp"

namespace elaa::encodings {

namespace {

std::string fmt_number(double value) { return fmt::format("{}", value); }

// The accuracy problem of every (network, precision) pair of the space, computed once: decoding runs
// thousands of times and the tables never change.
std::string accuracy_key(const std::string& network, const std::string& precision) {
    return network + '\n' + precision;
}

std::vector<std::string> choices(const SearchSpace& space, Target target, const std::string& fixed) {
    const Gene* gene = space.gene_for(target);
    return gene ? gene->labels : std::vector<std::string>{fixed};
}

std::string accuracy_problem(const std::string& network, const PrecisionSpec& spec) {
    const auto& tables = accuracy::AccuracyTables::builtin();
    if (tables.find(network, spec.accuracy)) return "";
    std::vector<std::string> available;
    for (const auto& row : tables.rows(network))
        if (std::find(available.begin(), available.end(), row.precision) == available.end())
            available.push_back(row.precision);
    std::string list;
    for (const auto& p : available) list += (list.empty() ? "" : ", ") + p;
    return fmt::format("network '{}' has no {} accuracy row (rows at: {}); accuracy is never interpolated",
                       network, spec.accuracy, list);
}

hardware::Unrolling unroll(workload::Dim dim, int factor) { return hardware::Unrolling{{{dim, factor}}}; }

hardware::Dataflow dataflow_of(const std::vector<workload::Dim>& loops, const std::vector<int>& sizes) {
    hardware::Dataflow flow;
    for (std::size_t d = 0; d < loops.size(); ++d) flow.per_dim.push_back(unroll(loops[d], sizes[d]));
    return flow;
}

}  // namespace

TimingBound timing_bound(const hardware::Accelerator& accelerator) {
    TimingBound bound{std::numeric_limits<double>::infinity(), "", 0};
    for (const auto& memory : accelerator.memories) {
        if (memory.is_dram || !(memory.access_time_ns > bound.access_time_ns)) continue;
        bound = {1000.0 / memory.access_time_ns, memory.name, memory.access_time_ns};
    }
    return bound;
}

// ---------------------------------------------------------------------------------------- layout

Encoding::Encoding(SearchSpace space) : space_(std::move(space)) {
    for (std::size_t i = 0; i < space_.genes.size(); ++i)
        if (!space_.genes[i].is_integer()) order_.push_back(i);
    for (std::size_t i = 0; i < space_.genes.size(); ++i)
        if (space_.genes[i].is_integer()) order_.push_back(i);
    integer_count_ = static_cast<std::size_t>(
        std::count_if(space_.genes.begin(), space_.genes.end(), [](const Gene& g) { return g.is_integer(); }));
    base_precision_ = find_precision(space_.precision);
    if (!base_precision_) throw std::logic_error("search space without a known base precision");

    for (const auto& network : space_networks(space_))
        for (const auto& precision : choices(space_, Target::Precision, space_.precision))
            accuracy_problems_[accuracy_key(network, precision)] = accuracy_problem(network, *find_precision(precision));
}

double Encoding::lower(const Gene& gene) const {
    return gene.kind == GeneKind::Int || gene.kind == GeneKind::Real ? gene.min : 0.0;
}

double Encoding::upper(const Gene& gene) const {
    return gene.kind == GeneKind::Int || gene.kind == GeneKind::Real ? gene.max
                                                                     : static_cast<double>(gene.count() - 1);
}

std::pair<std::vector<double>, std::vector<double>> Encoding::bounds() const {
    std::vector<double> lb, ub;
    for (std::size_t p = 0; p < dimension(); ++p) {
        lb.push_back(lower(gene_at(p)));
        ub.push_back(upper(gene_at(p)));
    }
    return {lb, ub};
}

std::vector<std::string> Encoding::gene_names() const {
    std::vector<std::string> names;
    for (std::size_t p = 0; p < dimension(); ++p) names.push_back(gene_at(p).name);
    return names;
}

std::vector<double> Encoding::normalise(const std::vector<double>& genome) const {
    if (genome.size() != dimension())
        throw std::invalid_argument(fmt::format("genome has {} genes, the space '{}' has {}", genome.size(),
                                                space_.name, dimension()));
    std::vector<double> out(genome.size());
    for (std::size_t p = 0; p < genome.size(); ++p) {
        const Gene& gene = gene_at(p);
        double x = genome[p];
        if (std::isnan(x)) x = lower(gene);
        if (gene.is_integer()) x = std::round(x);
        out[p] = std::clamp(x, lower(gene), upper(gene));
    }
    return out;
}

// -------------------------------------------------------------------------------------- decoding

double Encoding::gene_value(const Gene& gene, double x) const {
    switch (gene.kind) {
        case GeneKind::Int:
        case GeneKind::Real: return x;
        case GeneKind::Pow2:
        case GeneKind::Choice: return gene.numbers.at(static_cast<std::size_t>(x));
    }
    return x;
}

// Operand precision sets the MAC's cost (mac.csv; floating point is priced from its fp rows, which
// fill_derived_costs does not know, so those figures are stated explicitly) and the width of the
// registers sized in elements.
void Encoding::apply_precision(hardware::Accelerator& acc, const PrecisionSpec& spec) const {
    auto& array = acc.array;
    const auto before = acc.layer_precision();
    array.precision_bits = spec.bits;
    array.floating = spec.floating;  // fill_derived_costs prices the MAC from the matching mac.csv row
    const auto after = acc.layer_precision();
    // Per-MAC registers hold elements: operand registers follow the operand width, accumulators
    // (memories holding O) the partial-sum width (Accelerator::layer_precision).
    for (std::size_t index : space_.scaled_memories) {
        auto& memory = acc.memories[index];
        const double ratio = memory.holds(workload::Operand::O)
                                 ? static_cast<double>(after.psum_bits) / before.psum_bits
                                 : static_cast<double>(after.w_bits) / before.w_bits;
        memory.size_bits *= ratio;
        for (auto& port : memory.ports) {
            port.bw_min_bits *= ratio;
            port.bw_max_bits *= ratio;
        }
    }
}

// Templates unroll each array dimension fully; pooling and element-wise layers (K = C = 1,
// G = channels, like depthwise ones) take the depthwise unrolling.
void Encoding::apply_dataflow(hardware::Accelerator& acc, const DataflowTemplate& flow) const {
    const auto& sizes = acc.array.dim_sizes;
    const hardware::Dataflow depthwise = dataflow_of(flow.depthwise_loops, sizes);
    acc.dataflows[static_cast<std::size_t>(hardware::OpClass::Default)] = dataflow_of(flow.default_loops, sizes);
    for (auto op_class : {hardware::OpClass::Depthwise, hardware::OpClass::Pooling, hardware::OpClass::Elementwise})
        acc.dataflows[static_cast<std::size_t>(op_class)] = depthwise;
    acc.dataflow_given.fill(true);
}

Design Encoding::build(const std::vector<double>& genome) const {
    const std::vector<double> x = normalise(genome);
    Design design;
    hardware::Accelerator& acc = design.accelerator;
    acc = space_.base;
    design.network = space_.network;
    const PrecisionSpec* precision = base_precision_;
    const DataflowTemplate* flow = space_.dataflow.empty() ? nullptr : find_template(space_.dataflow);
    const NetworkFamily* family = nullptr;
    std::array<double, 3> grid_position{};

    for (std::size_t p = 0; p < x.size(); ++p) {
        const Gene& gene = gene_at(p);
        const auto index = static_cast<std::size_t>(x[p]);
        switch (gene.target) {
            case Target::ArraySize: acc.array.dim_sizes[gene.index] = static_cast<int>(gene_value(gene, x[p])); break;
            case Target::MemorySize: acc.memories[gene.index].size_bits = gene_value(gene, x[p]); break;
            case Target::MemoryBandwidth: {
                const double bw = gene_value(gene, x[p]);
                const auto& base_ports = space_.base.memories[gene.index].ports;
                auto& ports = acc.memories[gene.index].ports;
                for (std::size_t k = 0; k < ports.size(); ++k) {
                    ports[k].bw_max_bits = bw;
                    ports[k].bw_min_bits = std::min(base_ports[k].bw_min_bits, bw);  // granularity <= width
                }
                break;
            }
            case Target::Frequency: acc.frequency_mhz = gene_value(gene, x[p]); break;
            case Target::Dataflow: flow = find_template(gene.labels[index]); break;
            case Target::Precision: precision = find_precision(gene.labels[index]); break;
            case Target::Network: design.network = gene.labels[index]; break;
            case Target::NetworkFamily: family = find_family(gene.labels[index]); break;
            case Target::NetworkWidth: grid_position[0] = gene_value(gene, x[p]); break;
            case Target::NetworkResolution: grid_position[1] = gene_value(gene, x[p]); break;
            case Target::NetworkDepth: grid_position[2] = gene_value(gene, x[p]); break;
        }
    }
    if (family) resolve_cell(design, *family, grid_position, *precision);
    if (precision != base_precision_) apply_precision(acc, *precision);
    if (flow) apply_dataflow(acc, *flow);
    hardware::tech::fill_derived_costs(acc);

    design.precision = precision->name;
    design.precision_bits = precision->bits;
    design.accuracy_precision = precision->accuracy;
    design.layer_precision = acc.layer_precision();  // what cost::evaluate_network runs layers at
    return design;
}

void Encoding::resolve_cell(Design& design, const NetworkFamily& family, const std::array<double, 3>& at,
                            const PrecisionSpec& precision) const {
    const auto published = [&](const GridCell& cell) {
        const auto it = accuracy_problems_.find(accuracy_key(cell.network, precision.name));
        return it != accuracy_problems_.end() && it->second.empty();
    };
    const GridCell* cell = family.find(at);
    if (cell && (published(*cell) || space_.network_missing == MissingCell::Infeasible)) {
        design.network = cell->network;  // infeasibility() names a missing accuracy row
        return;
    }
    std::string where;
    for (GridAxis axis : kGridAxes)
        if (family.varies(axis))
            where += fmt::format("{}{} {}", where.empty() ? "" : ", ", to_string(axis), fmt_number(at[static_cast<std::size_t>(axis)]));
    if (space_.network_missing == MissingCell::Infeasible) {
        design.cell_problem = fmt::format("family '{}' has no network at {} ({}); accuracy is never interpolated",
                                          family.name, where, family.about);
        return;
    }
    // The nearest reachable cell with a row, by the distance between gene positions; ties keep the first.
    const GridCell* best = nullptr;
    double best_distance = INFINITY;
    for (const auto& candidate : family.cells) {
        if (!cell_reachable(space_, family, candidate) || !published(candidate)) continue;
        double distance = 0;
        for (GridAxis axis : kGridAxes) {
            if (!family.varies(axis)) continue;
            const Gene& gene = *space_.gene_for(axis_target(axis));
            distance += std::abs(static_cast<double>(*gene_position(gene, candidate[axis])) -
                                 static_cast<double>(*gene_position(gene, at[static_cast<std::size_t>(axis)])));
        }
        if (distance < best_distance) {
            best = &candidate;
            best_distance = distance;
        }
    }
    if (best) design.network = best->network;
    else
        design.cell_problem = fmt::format("family '{}' has no network the genes reach with a {} accuracy row",
                                          family.name, precision.accuracy);
}

std::string Encoding::infeasibility(const Design& design) const {
    std::vector<std::string> reasons;
    const auto accuracy = accuracy_problems_.find(accuracy_key(design.network, design.precision));
    if (!design.cell_problem.empty())
        reasons.push_back(design.cell_problem);
    else if (accuracy == accuracy_problems_.end())
        reasons.push_back(fmt::format("network '{}' at precision '{}' is not in the space", design.network,
                                      design.precision));
    else if (!accuracy->second.empty())
        reasons.push_back(accuracy->second);

    const auto& acc = design.accelerator;
    if (space_.max_area_mm2) {
        const double area = acc.area_mm2();
        if (area > *space_.max_area_mm2)
            reasons.push_back(fmt::format("chip area {:.3f} mm² exceeds the space's budget max_area_mm2 = {}", area,
                                          fmt_number(*space_.max_area_mm2)));
    }
    const TimingBound bound = timing_bound(acc);
    if (acc.frequency_mhz > bound.max_frequency_mhz)
        reasons.push_back(fmt::format("clock {:.1f} MHz exceeds the timing bound {:.1f} MHz of memory '{}' (access "
                                      "time {:.3f} ns, one access per cycle)",
                                      acc.frequency_mhz, bound.max_frequency_mhz, bound.memory, bound.access_time_ns));
    std::string out;
    for (const auto& reason : reasons) out += (out.empty() ? "" : "; ") + reason;
    return out;
}

Decoded Encoding::decode(const std::vector<double>& genome) const {
    Design design = build(genome);
    std::string problem = infeasibility(design);
    if (!problem.empty()) return {std::nullopt, std::move(problem)};
    return {std::move(design), ""};
}

// -------------------------------------------------------------------------------------- encoding

namespace {

[[noreturn]] void not_in_space(const Gene& gene, const std::string& value, const std::string& offered) {
    throw InputError(fmt::format("design is not in the search space: gene '{}' has no value {} (it offers {})",
                                 gene.name, value, offered));
}

std::string offered_values(const Gene& gene) {
    if (gene.kind == GeneKind::Int || gene.kind == GeneKind::Real)
        return fmt::format("{} .. {}", fmt_number(gene.min), fmt_number(gene.max));
    std::string out;
    for (std::size_t i = 0; i < gene.count(); ++i)
        out += (out.empty() ? "" : ", ") + (gene.labels.empty() ? fmt_number(gene.numbers[i]) : gene.labels[i]);
    return out;
}

double index_of_number(const Gene& gene, double value) {
    if (gene.kind == GeneKind::Int || gene.kind == GeneKind::Real) {
        const bool integral_ok = gene.kind == GeneKind::Real || value == std::floor(value);
        if (value >= gene.min && value <= gene.max && integral_ok) return value;
    } else {
        const auto found = std::find(gene.numbers.begin(), gene.numbers.end(), value);
        if (found != gene.numbers.end()) return static_cast<double>(found - gene.numbers.begin());
    }
    not_in_space(gene, fmt_number(value), offered_values(gene));
}

double index_of_label(const Gene& gene, const std::string& label) {
    const auto found = std::find(gene.labels.begin(), gene.labels.end(), label);
    if (found == gene.labels.end()) not_in_space(gene, "'" + label + "'", offered_values(gene));
    return static_cast<double>(found - gene.labels.begin());
}

}  // namespace

double Encoding::genome_value(const Gene& gene, const Design& design) const {
    const auto& acc = design.accelerator;
    switch (gene.target) {
        case Target::ArraySize: return index_of_number(gene, acc.array.dim_sizes.at(gene.index));
        case Target::MemorySize: return index_of_number(gene, acc.memories.at(gene.index).size_bits);
        case Target::MemoryBandwidth: {
            const auto& ports = acc.memories.at(gene.index).ports;
            const double bw = ports.empty() ? 0 : ports.front().bw_max_bits;
            for (const auto& port : ports)
                if (port.bw_max_bits != bw)
                    not_in_space(gene, "(its ports differ in bw_max_bits)", offered_values(gene));
            return index_of_number(gene, bw);
        }
        case Target::Frequency: return index_of_number(gene, acc.frequency_mhz);
        case Target::Dataflow: {
            const auto& default_flow = acc.dataflows[static_cast<std::size_t>(hardware::OpClass::Default)];
            for (const auto& label : gene.labels) {
                const DataflowTemplate& t = *find_template(label);
                if (dataflow_of(t.default_loops, acc.array.dim_sizes) == default_flow) return index_of_label(gene, label);
            }
            not_in_space(gene, "(its default dataflow matches no template)", offered_values(gene));
        }
        case Target::Precision: return index_of_label(gene, design.precision);
        case Target::Network: return index_of_label(gene, design.network);
        case Target::NetworkFamily:
        case Target::NetworkWidth:
        case Target::NetworkResolution:
        case Target::NetworkDepth: {
            const auto placed = grid_cell_of(design.network);
            if (!placed) not_in_space(gene, "(network '" + design.network + "' is on no family's grid)", offered_values(gene));
            const auto& [family, cell] = *placed;
            if (gene.target == Target::NetworkFamily) return index_of_label(gene, family->name);
            const GridAxis axis = gene.target == Target::NetworkWidth        ? GridAxis::Width
                                  : gene.target == Target::NetworkResolution ? GridAxis::Resolution
                                                                             : GridAxis::Depth;
            // An axis the family does not vary on takes the gene's first value.
            return family->varies(axis) ? index_of_number(gene, (*cell)[axis]) : lower(gene);
        }
    }
    return 0;
}

std::vector<double> Encoding::encode(const Design& design) const {
    if (design.accelerator.memories.size() != space_.base.memories.size() ||
        design.accelerator.array.dim_sizes.size() != space_.base.array.dim_sizes.size())
        throw InputError("design is not in the search space: its memories or array dimensions differ from the base "
                         "accelerator '" + space_.base_source + "'");
    std::vector<double> genome;
    for (std::size_t p = 0; p < dimension(); ++p) genome.push_back(genome_value(gene_at(p), design));
    // Everything no gene reaches must equal the base: rebuilding from the genome must give the design.
    if (!(build(genome) == design))
        throw InputError(fmt::format("design is not in the search space '{}': it differs from the base accelerator "
                                     "'{}' in fields no gene sets (or in its derived costs)",
                                     space_.name, space_.base_source));
    return genome;
}

std::vector<std::pair<std::string, std::string>> Encoding::describe(const std::vector<double>& genome) const {
    const std::vector<double> x = normalise(genome);
    const NetworkFamily* family = nullptr;
    for (std::size_t p = 0; p < x.size(); ++p)
        if (gene_at(p).target == Target::NetworkFamily) family = find_family(gene_at(p).labels[static_cast<std::size_t>(x[p])]);
    const auto unused_axis = [&](const Gene& gene) {
        for (GridAxis axis : kGridAxes)
            if (gene.target == axis_target(axis)) return family && !family->varies(axis);
        return false;
    };
    std::vector<std::pair<std::string, std::string>> out;
    for (std::size_t p = 0; p < x.size(); ++p) {
        const Gene& gene = gene_at(p);
        const std::string value = unused_axis(gene)      ? "-"  // the chosen family has no such axis
                                  : gene.labels.empty() ? fmt_number(gene_value(gene, x[p]))
                                                        : gene.labels[static_cast<std::size_t>(x[p])];
        out.emplace_back(gene.name, value);
    }
    return out;
}

// ----------------------------------------------------------------------------------- enumeration

std::uint64_t Encoding::design_count() const {
    std::uint64_t count = 1;
    for (const auto& gene : space_.genes)
        if (gene.is_integer()) count *= gene.count();
    return count;
}

std::vector<double> Encoding::nth_genome(std::uint64_t n) const {
    if (n >= design_count())
        throw std::out_of_range(fmt::format("genome {} of a space with {} designs", n, design_count()));
    std::vector<double> genome(dimension());
    for (std::size_t p = dimension(); p-- > 0;) {
        const Gene& gene = gene_at(p);
        if (!gene.is_integer()) {
            genome[p] = lower(gene);
            continue;
        }
        genome[p] = lower(gene) + static_cast<double>(n % gene.count());
        n /= gene.count();
    }
    return genome;
}

}  // namespace elaa::encodings
