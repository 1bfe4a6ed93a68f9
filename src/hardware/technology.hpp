// Technology tables: what a memory or a MAC costs at a given size and node, so that an accelerator
// description may omit energies and areas. Data (compiled into the binary) and its provenance are in
// data/technology/ (README.md there):
//   - SRAM and small register-file arrays: CACTI 7 sweeps (sram_cacti7.csv, regfile_cacti7_ref.csv),
//     interpolated bilinearly in (log capacity, log port width) within a node and port organisation,
//     across nodes in log(node); capacities above the grid are extrapolated with the fitted power-law
//     exponents (sram_cacti7_fit.csv), ports wider than the table as banks side by side.
//   - Registers below CACTI's 64-byte floor: per-bit figures of the smallest register-file array.
//   - DRAM: energy per bit (dram.csv); never counted in chip area.
//   - MACs: published 45 nm operator figures (mac.csv) scaled to other nodes by the CACTI tables'
//     own node ratios.
#pragma once

#include <array>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "hardware/accelerator.hpp"

namespace elaa {
class CsvTable;
}

namespace elaa::hardware::tech {

// The figures of one memory instance. Energies are per access of one port-width word.
struct MemoryCost {
    double r_energy_pj = 0;
    double w_energy_pj = 0;
    double area_mm2 = 0;
    double access_time_ns = 0;
    double leakage_mw = 0;
};

// The metrics, for code that treats them alike (interpolation, banking, node scaling).
inline constexpr std::array<double MemoryCost::*, 5> kMemoryMetrics{
    &MemoryCost::r_energy_pj, &MemoryCost::w_energy_pj, &MemoryCost::area_mm2, &MemoryCost::access_time_ns,
    &MemoryCost::leakage_mw};

// Power-law exponents of each metric (y ∝ C^a · W^b), used only outside the tabulated grid.
struct Exponents {
    MemoryCost capacity;  // a per metric
    MemoryCost width;     // b per metric
};

// One CACTI table slice (one node, one port organisation): costs over (capacity, width).
class CostGrid {
public:
    void add(double capacity_bytes, double width_bits, const MemoryCost& cost);
    void set_exponents(const Exponents& exponents) { exponents_ = exponents; }

    // Bilinear in (log C, log W) inside the grid. A width column lacking small capacities (CACTI
    // needs >= 32 rows) is priced at its smallest valid capacity; capacities above the column and
    // widths below the grid follow the power-law exponents; wider ports are several banks.
    MemoryCost at(double capacity_bytes, double width_bits) const;

    double min_capacity_bytes() const;
    double max_width_bits() const;
    bool empty() const { return columns_.empty(); }
    // The tabulated points: width (bits) -> capacity (bytes) -> cost.
    const std::map<double, std::map<double, MemoryCost>>& columns() const { return columns_; }

private:
    MemoryCost in_column(const std::map<double, MemoryCost>& column, double capacity_bytes) const;

    std::map<double, std::map<double, MemoryCost>> columns_;  // width -> capacity -> cost
    Exponents exponents_{};
};

// Grids of one port organisation, one per node.
using NodeGrids = std::map<double, CostGrid>;

// Builds the grids of `port_config` rows of a CACTI table (columns as in sram_cacti7.csv), keeping the
// rows whose capacity passes `keep` (the held-out test drops the 3·2^k sizes this way).
NodeGrids grids_from_table(const CsvTable& table, std::string_view port_config,
                           const std::function<bool(double capacity_bytes)>& keep = {});

// Interpolates `evaluate(grid)` across nodes in log(node) (log-linear in each metric), extrapolating
// with the two nearest nodes outside the tabulated range.
MemoryCost across_nodes(const NodeGrids& grids, double node_nm,
                        const std::function<MemoryCost(const CostGrid&)>& evaluate);

struct PortCounts {
    int read_write = 0;
    int read = 0;
    int write = 0;
};
PortCounts port_counts(const Memory& memory);

// Costs of one instance of a memory of the given type, capacity and widest port at `node_nm`.
MemoryCost memory_cost(MemoryType type, double capacity_bytes, double width_bits, double node_nm,
                       const PortCounts& ports);
// The same for a described memory: its widest port's bw_max is the access width.
MemoryCost memory_cost(const Memory& memory, double node_nm);
double widest_port_bits(const Memory& memory);

// Straight table look-ups, for tests and documentation.
MemoryCost sram_cost(double capacity_bytes, double width_bits, double node_nm, bool separate_read_write_ports);
MemoryCost regfile_cost(double capacity_bytes, double width_bits, double node_nm, const PortCounts& ports);

// Smallest capacity the CACTI tables hold; smaller memories are priced per bit (flip-flop registers).
inline constexpr double kSmallestArrayBytes = 64;
// Largest capacity of the register-file table; larger register files are priced as SRAM.
inline constexpr double kLargestRegfileBytes = 2048;

struct DramCost {
    double read_pj_per_bit = 0;
    double write_pj_per_bit = 0;
};
DramCost dram_cost();

enum class Arithmetic { Int, Float };
struct MacCost {
    double energy_pj = 0;
    double area_um2 = 0;
};
// One multiply-accumulate at `bits` operand precision: the 45 nm figures of mac.csv (integer
// precisions between rows interpolated in log bits) times the node ratios below.
MacCost mac_cost(int bits, double node_nm, Arithmetic arithmetic = Arithmetic::Int);

// Re-derives every figure the accelerator marks as derived (memory energies, areas, timing; MAC
// energy and area) from the tables at its technology node. The TOML loader calls it; a design-space
// search that changes sizes calls it again.
void fill_derived_costs(Accelerator& accelerator);

// Node scaling relative to 45 nm: the median ratio of the CACTI SRAM table's 1rw energies (read and
// write) and areas between the node and 45 nm over all (capacity, width) points valid at both.
double energy_ratio_vs_45nm(double node_nm);
double area_ratio_vs_45nm(double node_nm);

}  // namespace elaa::hardware::tech
