#include "hardware/technology.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "util/csv.hpp"
#include "util/embedded.hpp"
#include "util/error.hpp"

namespace elaa::hardware::tech {

namespace {

// The two keys of a sorted map that bracket `x`: equal when x is a key (or the map has one entry),
// the nearest two when x lies outside (so callers extrapolate with the end slope).
template <class T>
std::pair<double, double> bracket(const std::map<double, T>& points, double x) {
    if (points.count(x) || points.size() == 1) {
        const double key = points.count(x) ? x : points.begin()->first;
        return {key, key};
    }
    auto upper = points.upper_bound(x);
    if (upper == points.begin()) ++upper;
    if (upper == points.end()) --upper;
    return {std::prev(upper)->first, upper->first};
}

// Linear in (log x, log v): a power law between two points. Falls back to linear in v when a value is
// not positive (logarithm undefined).
double log_log(double x, double x0, double x1, double v0, double v1) {
    if (x0 == x1) return v0;
    const double t = (std::log(x) - std::log(x0)) / (std::log(x1) - std::log(x0));
    if (v0 > 0 && v1 > 0) return std::exp(std::log(v0) + t * (std::log(v1) - std::log(v0)));
    return v0 + t * (v1 - v0);
}

MemoryCost log_log(double x, double x0, double x1, const MemoryCost& c0, const MemoryCost& c1) {
    MemoryCost out;
    for (auto metric : kMemoryMetrics) out.*metric = log_log(x, x0, x1, c0.*metric, c1.*metric);
    return out;
}

// cost · ratio^exponent per metric.
MemoryCost power_scale(const MemoryCost& cost, double ratio, const MemoryCost& exponents) {
    MemoryCost out;
    for (auto metric : kMemoryMetrics) out.*metric = cost.*metric * std::pow(ratio, exponents.*metric);
    return out;
}

double log_interpolate(const std::map<double, double>& points, double x) {
    const auto [x0, x1] = bracket(points, x);
    return log_log(x, x0, x1, points.at(x0), points.at(x1));
}

double median(std::vector<double> values) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

CsvTable embedded_table(std::string_view file) {
    const std::string path = "technology/" + std::string(file);
    const auto text = embedded_file(path);
    // The tables are compiled in by CMake: their absence is a build defect, not a user error.
    if (!text) throw std::logic_error("technology table not compiled into the binary: data/" + path);
    return CsvTable::parse(*text, "data/" + path);
}

double cell(const CsvTable& table, std::size_t row, std::string_view column) {
    return table.number(row, column).value_or(0);
}

NodeGrids grids_where(const CsvTable& table, const std::function<bool(std::size_t row)>& keep_row) {
    NodeGrids grids;
    for (std::size_t row = 0; row < table.rows(); ++row) {
        if (!keep_row(row)) continue;
        MemoryCost cost;
        cost.r_energy_pj = cell(table, row, "r_energy_pj");
        cost.w_energy_pj = cell(table, row, "w_energy_pj");
        cost.area_mm2 = cell(table, row, "area_mm2");
        cost.access_time_ns = cell(table, row, "access_time_ns");
        cost.leakage_mw = cell(table, row, "leakage_mw");
        grids[cell(table, row, "tech_nm")].add(cell(table, row, "capacity_bytes"), cell(table, row, "width_bits"),
                                               cost);
    }
    return grids;
}

// Power-law exponents per node from sram_cacti7_fit.csv (fitted on the 1rw rows of each node).
std::map<double, Exponents> fitted_exponents() {
    const CsvTable fit = embedded_table("sram_cacti7_fit.csv");
    std::map<double, Exponents> out;
    for (std::size_t row = 0; row < fit.rows(); ++row) {
        const std::string& metric_name = fit.at(row, "metric");
        for (std::size_t m = 0; m < kMemoryMetrics.size(); ++m) {
            static constexpr std::array<std::string_view, 5> kNames{"r_energy_pj", "w_energy_pj", "area_mm2",
                                                                     "access_time_ns", "leakage_mw"};
            if (metric_name != kNames[m]) continue;
            Exponents& e = out[cell(fit, row, "tech_nm")];
            e.capacity.*kMemoryMetrics[m] = cell(fit, row, "a_capacity");
            e.width.*kMemoryMetrics[m] = cell(fit, row, "b_width");
        }
    }
    return out;
}

// Gives each node's grid the exponents fitted at the nearest fitted node.
void attach_exponents(NodeGrids& grids, const std::map<double, Exponents>& exponents) {
    for (auto& [node, grid] : grids) {
        const auto nearest = std::min_element(exponents.begin(), exponents.end(), [&](const auto& a, const auto& b) {
            return std::abs(std::log(a.first / node)) < std::abs(std::log(b.first / node));
        });
        if (nearest != exponents.end()) grid.set_exponents(nearest->second);
    }
}

// The register-file table's port organisations, smallest first.
constexpr std::array<PortCounts, 5> kRegfileOrganisations{
    {{1, 0, 0}, {0, 1, 1}, {0, 2, 1}, {0, 2, 2}, {0, 4, 2}}};

std::string organisation_key(const PortCounts& p) {
    return std::to_string(p.read_write) + "," + std::to_string(p.read) + "," + std::to_string(p.write);
}

// Node ratios vs 45 nm from the 1rw SRAM grid's own points (see energy_ratio_vs_45nm).
void node_ratios(const NodeGrids& sram, std::map<double, double>& energy, std::map<double, double>& area) {
    const auto& reference = sram.at(45).columns();
    for (const auto& [node, grid] : sram) {
        std::vector<double> energy_ratios, area_ratios;
        for (const auto& [width, column] : grid.columns()) {
            const auto ref_column = reference.find(width);
            if (ref_column == reference.end()) continue;
            for (const auto& [capacity, cost] : column) {
                const auto ref = ref_column->second.find(capacity);
                if (ref == ref_column->second.end()) continue;
                energy_ratios.push_back(cost.r_energy_pj / ref->second.r_energy_pj);
                energy_ratios.push_back(cost.w_energy_pj / ref->second.w_energy_pj);
                area_ratios.push_back(cost.area_mm2 / ref->second.area_mm2);
            }
        }
        energy[node] = median(energy_ratios);
        area[node] = median(area_ratios);
    }
}

struct MacRow {
    Arithmetic arithmetic;
    int bits;
    MacCost cost_45nm;
};

struct Tables {
    NodeGrids sram_one_port;    // 1rw
    NodeGrids sram_read_write;  // 1r1w
    std::map<std::string, NodeGrids> regfile;  // by organisation_key
    DramCost dram;
    std::vector<MacRow> macs;
    std::map<double, double> energy_ratio, area_ratio;  // node -> ratio vs 45 nm
};

Tables load_tables() {
    Tables t;
    const auto exponents = fitted_exponents();

    const CsvTable sram = embedded_table("sram_cacti7.csv");
    t.sram_one_port = grids_from_table(sram, "1rw");
    t.sram_read_write = grids_from_table(sram, "1r1w");
    attach_exponents(t.sram_one_port, exponents);
    attach_exponents(t.sram_read_write, exponents);

    const CsvTable regfile = embedded_table("regfile_cacti7_ref.csv");
    for (const auto& organisation : kRegfileOrganisations) {
        auto grids = grids_where(regfile, [&](std::size_t row) {
            return cell(regfile, row, "rw_ports") == organisation.read_write &&
                   cell(regfile, row, "rd_ports") == organisation.read &&
                   cell(regfile, row, "wr_ports") == organisation.write;
        });
        attach_exponents(grids, exponents);
        t.regfile[organisation_key(organisation)] = std::move(grids);
    }

    const CsvTable dram = embedded_table("dram.csv");
    for (std::size_t row = 0; row < dram.rows(); ++row)
        if (dram.at(row, "name") == "default")
            t.dram = {cell(dram, row, "read_pj_per_bit"), cell(dram, row, "write_pj_per_bit")};

    const CsvTable mac = embedded_table("mac.csv");
    for (std::size_t row = 0; row < mac.rows(); ++row) {
        // mac.csv holds 45 nm figures only; other nodes come from the node ratios.
        if (cell(mac, row, "tech_nm") != 45) throw std::logic_error("data/technology/mac.csv: rows must be 45 nm");
        t.macs.push_back({mac.at(row, "arithmetic") == "fp" ? Arithmetic::Float : Arithmetic::Int,
                          static_cast<int>(cell(mac, row, "bits")),
                          {cell(mac, row, "mac_energy_pj"), cell(mac, row, "mac_area_um2")}});
    }

    node_ratios(t.sram_one_port, t.energy_ratio, t.area_ratio);
    return t;
}

const Tables& tables() {
    static const Tables loaded = load_tables();
    return loaded;
}

// The smallest tabulated register-file organisation with at least the memory's read and write ports
// (a read/write port counts as one of each); the largest when none suffices.
PortCounts regfile_organisation(const PortCounts& ports) {
    if (ports.read_write == 1 && ports.read == 0 && ports.write == 0) return kRegfileOrganisations[0];
    const int reads = ports.read + ports.read_write;
    const int writes = ports.write + ports.read_write;
    for (std::size_t i = 1; i < kRegfileOrganisations.size(); ++i)
        if (kRegfileOrganisations[i].read >= reads && kRegfileOrganisations[i].write >= writes)
            return kRegfileOrganisations[i];
    return kRegfileOrganisations.back();
}

bool single_read_write_port(const PortCounts& ports) {
    return ports.read_write == 1 && ports.read == 0 && ports.write == 0;
}

// Registers below CACTI's 64-byte floor: the smallest register-file array's figures per bit. A W-bit
// access costs W/w0 times the 64 B array's w0-bit access; area and leakage scale with the bits stored.
MemoryCost register_cost(double capacity_bytes, double width_bits, double node_nm, const PortCounts& ports) {
    const double w0 = width_bits >= 16 ? 16 : 8;  // the widths a 64 B array has (>= 32 rows)
    MemoryCost cost = regfile_cost(kSmallestArrayBytes, w0, node_nm, ports);
    const double access_scale = width_bits / w0;
    const double storage_scale = capacity_bytes / kSmallestArrayBytes;
    cost.r_energy_pj *= access_scale;
    cost.w_energy_pj *= access_scale;
    cost.area_mm2 *= storage_scale;
    cost.leakage_mw *= storage_scale;
    return cost;
}

}  // namespace

void CostGrid::add(double capacity_bytes, double width_bits, const MemoryCost& cost) {
    columns_[width_bits][capacity_bytes] = cost;
}

double CostGrid::min_capacity_bytes() const {
    double smallest = INFINITY;
    for (const auto& [width, column] : columns_) smallest = std::min(smallest, column.begin()->first);
    return smallest;
}

double CostGrid::max_width_bits() const { return columns_.empty() ? 0 : columns_.rbegin()->first; }

MemoryCost CostGrid::in_column(const std::map<double, MemoryCost>& column, double capacity_bytes) const {
    // CACTI has no organisation with fewer than 32 rows: such a memory is built as the smallest valid one.
    if (capacity_bytes <= column.begin()->first) return column.begin()->second;
    const auto& [largest, largest_cost] = *column.rbegin();
    if (capacity_bytes >= largest)
        return power_scale(largest_cost, capacity_bytes / largest, exponents_.capacity);
    const auto [c0, c1] = bracket(column, capacity_bytes);
    return log_log(capacity_bytes, c0, c1, column.at(c0), column.at(c1));
}

MemoryCost CostGrid::at(double capacity_bytes, double width_bits) const {
    if (columns_.empty()) throw std::logic_error("CostGrid::at on an empty grid");
    const double widest = max_width_bits();
    if (width_bits > widest) {
        // Side-by-side banks, each holding its share of the words' bits.
        const double banks = std::ceil(width_bits / widest);
        MemoryCost cost = at(capacity_bytes / banks, width_bits / banks);
        cost.r_energy_pj *= banks;
        cost.w_energy_pj *= banks;
        cost.area_mm2 *= banks;
        cost.leakage_mw *= banks;
        return cost;  // access time: banks work in parallel
    }
    const double narrowest = columns_.begin()->first;
    if (width_bits < narrowest)
        return power_scale(in_column(columns_.begin()->second, capacity_bytes), width_bits / narrowest,
                           exponents_.width);
    const auto [w0, w1] = bracket(columns_, width_bits);
    const MemoryCost c0 = in_column(columns_.at(w0), capacity_bytes);
    if (w0 == w1) return c0;
    return log_log(width_bits, w0, w1, c0, in_column(columns_.at(w1), capacity_bytes));
}

NodeGrids grids_from_table(const CsvTable& table, std::string_view port_config,
                           const std::function<bool(double capacity_bytes)>& keep) {
    return grids_where(table, [&](std::size_t row) {
        return table.at(row, "port_config") == port_config && cell(table, row, "banks") == 1 &&
               (!keep || keep(cell(table, row, "capacity_bytes")));
    });
}

MemoryCost across_nodes(const NodeGrids& grids, double node_nm,
                        const std::function<MemoryCost(const CostGrid&)>& evaluate) {
    if (grids.empty()) throw std::logic_error("across_nodes: no grids");
    const auto [n0, n1] = bracket(grids, node_nm);
    const MemoryCost c0 = evaluate(grids.at(n0));
    if (n0 == n1) return c0;
    return log_log(node_nm, n0, n1, c0, evaluate(grids.at(n1)));
}

PortCounts port_counts(const Memory& memory) {
    PortCounts counts;
    for (const auto& port : memory.ports) {
        switch (port.type) {
            case PortType::Read: ++counts.read; break;
            case PortType::Write: ++counts.write; break;
            case PortType::ReadWrite: ++counts.read_write; break;
        }
    }
    return counts;
}

double widest_port_bits(const Memory& memory) {
    double widest = 0;
    for (const auto& port : memory.ports) widest = std::max(widest, port.bw_max_bits);
    return widest;
}

MemoryCost sram_cost(double capacity_bytes, double width_bits, double node_nm, bool separate_read_write_ports) {
    const NodeGrids& grids =
        separate_read_write_ports ? tables().sram_read_write : tables().sram_one_port;
    return across_nodes(grids, node_nm, [&](const CostGrid& g) { return g.at(capacity_bytes, width_bits); });
}

MemoryCost regfile_cost(double capacity_bytes, double width_bits, double node_nm, const PortCounts& ports) {
    const NodeGrids& grids = tables().regfile.at(organisation_key(regfile_organisation(ports)));
    return across_nodes(grids, node_nm, [&](const CostGrid& g) { return g.at(capacity_bytes, width_bits); });
}

MemoryCost memory_cost(MemoryType type, double capacity_bytes, double width_bits, double node_nm,
                       const PortCounts& ports) {
    if (type == MemoryType::Dram) {
        const DramCost dram = dram_cost();
        MemoryCost cost;
        cost.r_energy_pj = dram.read_pj_per_bit * width_bits;
        cost.w_energy_pj = dram.write_pj_per_bit * width_bits;
        return cost;  // off-chip: no chip area; timing unknown
    }
    if (capacity_bytes < kSmallestArrayBytes) return register_cost(capacity_bytes, width_bits, node_nm, ports);
    if (type == MemoryType::RegFile && capacity_bytes <= kLargestRegfileBytes)
        return regfile_cost(capacity_bytes, width_bits, node_nm, ports);
    return sram_cost(capacity_bytes, width_bits, node_nm, !single_read_write_port(ports));
}

MemoryCost memory_cost(const Memory& memory, double node_nm) {
    if (memory.banks <= 1)
        return memory_cost(memory.type, memory.size_bits / 8, widest_port_bits(memory), node_nm, port_counts(memory));
    // An access reads one bank; every bank takes area and leaks.
    MemoryCost cost = memory_cost(memory.type, memory.size_bits / 8 / memory.banks, widest_port_bits(memory), node_nm,
                                  port_counts(memory));
    cost.area_mm2 *= memory.banks;
    cost.leakage_mw *= memory.banks;
    return cost;
}

DramCost dram_cost() { return tables().dram; }

double energy_ratio_vs_45nm(double node_nm) { return log_interpolate(tables().energy_ratio, node_nm); }
double area_ratio_vs_45nm(double node_nm) { return log_interpolate(tables().area_ratio, node_nm); }

MacCost mac_cost(int bits, double node_nm, Arithmetic arithmetic) {
    std::map<double, MacCost> rows;
    for (const auto& row : tables().macs)
        if (row.arithmetic == arithmetic) rows[row.bits] = row.cost_45nm;
    if (rows.empty() || bits <= 0)
        throw InputError("no MAC figures for " + std::to_string(bits) + "-bit " +
                         (arithmetic == Arithmetic::Float ? "floating point" : "integer") +
                         " arithmetic in data/technology/mac.csv");
    const auto [b0, b1] = bracket(rows, bits);
    MacCost cost{log_log(bits, b0, b1, rows.at(b0).energy_pj, rows.at(b1).energy_pj),
                 log_log(bits, b0, b1, rows.at(b0).area_um2, rows.at(b1).area_um2)};
    cost.energy_pj *= energy_ratio_vs_45nm(node_nm);
    cost.area_um2 *= area_ratio_vs_45nm(node_nm);
    return cost;
}

void fill_derived_costs(Accelerator& accelerator) {
    const double node = accelerator.technology_nm;
    auto& array = accelerator.array;
    if (array.mac_energy_derived || array.mac_area_derived) {
        const MacCost mac = mac_cost(array.precision_bits, node, array.floating ? Arithmetic::Float : Arithmetic::Int);
        if (array.mac_energy_derived) array.mac_energy_pj = mac.energy_pj;
        if (array.mac_area_derived) array.mac_area_um2 = mac.area_um2;
    }
    for (auto& memory : accelerator.memories) {
        const MemoryDerived& d = memory.derived;
        if (!(d.r_energy || d.w_energy || d.area || d.access_time || d.leakage)) continue;
        const MemoryCost cost = memory_cost(memory, node);
        if (d.r_energy) memory.r_energy_pj = cost.r_energy_pj;
        if (d.w_energy) memory.w_energy_pj = cost.w_energy_pj;
        if (d.area) memory.area_mm2 = cost.area_mm2;
        if (d.access_time) memory.access_time_ns = cost.access_time_ns;
        if (d.leakage) memory.leakage_mw = cost.leakage_mw;
    }
}

}  // namespace elaa::hardware::tech
