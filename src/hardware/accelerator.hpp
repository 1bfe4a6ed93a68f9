// An accelerator: a MAC array with a spatial dataflow, and a per-operand memory hierarchy down to
// DRAM. Pure data plus derived quantities (area, replication); loaded from TOML by hardware/toml.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "workload/layer.hpp"

namespace elaa::hardware {

using workload::Dim;
using workload::Operand;

// The four directions data crosses a memory's ports (ZigZag's tl / fh / fl / th).
enum class Direction {
    ReadToLow,      // tl: read out to the level below (operands flowing down, psums read back)
    WriteFromHigh,  // fh: written by the level above (fill)
    WriteFromLow,   // fl: written by the level below (outputs / partial sums coming up)
    ReadToHigh,     // th: read out to the level above (outputs leaving)
};
inline constexpr std::array<Direction, 4> kAllDirections{Direction::ReadToLow, Direction::WriteFromHigh,
                                                        Direction::WriteFromLow, Direction::ReadToHigh};
std::string_view to_string(Direction direction);  // "to_low", "from_high", "from_low", "to_high"
bool is_read(Direction direction);

enum class PortType { Read, Write, ReadWrite };
std::string_view to_string(PortType type);

struct PortUse {
    Operand operand;
    Direction direction;
    bool operator==(const PortUse&) const = default;
};

struct Port {
    std::string name;
    PortType type = PortType::ReadWrite;
    double bw_min_bits = 0;  // access granularity (bits/cycle)
    double bw_max_bits = 0;  // bandwidth (bits/cycle); r/w energies are per bw_max-wide access
    std::vector<PortUse> uses;
    bool operator==(const Port&) const = default;
};

// What a memory is built from; selects the technology table its costs are derived from.
enum class MemoryType { Sram, RegFile, Dram };
std::string_view to_string(MemoryType type);  // "sram", "regfile", "dram"

// Which of a memory's figures were derived from the technology tables (key omitted in the TOML)
// rather than stated; to_toml() omits them again so that a saved file re-derives them.
struct MemoryDerived {
    bool r_energy = false;
    bool w_energy = false;
    bool area = false;
    bool access_time = false;
    bool leakage = false;
    bool operator==(const MemoryDerived&) const = default;
};

struct Memory {
    std::string name;
    double size_bits = 0;
    std::vector<Operand> operands;     // which operands this memory holds (shared when several)
    double r_energy_pj = 0;            // per bw_max-wide read
    double w_energy_pj = 0;            // per bw_max-wide write
    double area_mm2 = 0;               // one instance
    double access_time_ns = 0;         // 0 when unknown
    double leakage_mw = 0;             // one instance; 0 when unknown
    bool is_dram = false;              // off-chip: never counted in chip area
    std::vector<Port> ports;
    std::vector<std::size_t> served_dims;  // array dimensions (indices) one instance serves
    MemoryType type = MemoryType::Sram;    // kept consistent with is_dram by the loader
    // Banks an instance is built from (derived figures: each access reads one bank of
    // size_bits / banks; area and leakage count every bank).
    int banks = 1;
    // The clock of this memory's ports when it is not the core's (a DRAM link on its own clock
    // domain); 0 = the core clock. Bandwidths are bits per cycle of this clock.
    double clock_mhz = 0;
    // Input memories only: the memory shifts its input window (a line buffer), so a step of the
    // loop above along OX or OY fetches only the new columns or rows (cost/evaluate.cpp).
    bool sliding_window = false;
    MemoryDerived derived{};

    bool operator==(const Memory&) const = default;

    bool holds(Operand operand) const;
    // The port allocated to (operand, direction); nullptr when none.
    const Port* port_for(Operand operand, Direction direction) const;
};

// One array dimension's unrolling: a list of (loop dimension, factor); several = mixed unrolling.
struct Unrolling {
    std::vector<std::pair<Dim, int>> loops;
    bool operator==(const Unrolling&) const = default;
};

// The spatial dataflow: one unrolling per array dimension, per operator class.
struct Dataflow {
    std::vector<Unrolling> per_dim;  // indexed like ArrayDims; empty = searched per layer
    // When searched: the candidates are row-stationary (Eyeriss: filter rows down a PE column,
    // output rows along a PE row, PE sets replicated over channels and filters) instead of "auto".
    bool row_stationary = false;
    bool automatic() const { return per_dim.empty(); }
    bool operator==(const Dataflow&) const = default;
};

// Which dataflow entry applies to a layer kind.
enum class OpClass { Default, Depthwise, Pooling, Elementwise };
OpClass op_class(workload::OpKind kind);
std::string_view to_string(OpClass op_class);

struct OperationalArray {
    std::vector<std::string> dim_names;  // "D1", "D2", ...
    std::vector<int> dim_sizes;
    double mac_energy_pj = 0;
    double mac_area_um2 = 0;
    int precision_bits = 8;
    // Partial-sum width; 0 = twice precision_bits for integers, precision_bits for floating point.
    int accumulator_bits = 0;
    bool floating = false;  // floating-point MACs ([array] arithmetic = "float"); integer otherwise
    bool mac_energy_derived = false;  // from data/technology/mac.csv (key omitted in the TOML)
    bool mac_area_derived = false;

    bool operator==(const OperationalArray&) const = default;
    long total_units() const;
    std::optional<std::size_t> dim_index(const std::string& name) const;
};

// How a design was evaluated when it was produced (an exported optimisation result): `elaa eval`
// uses these unless told otherwise, so that the file alone reproduces the design's figures.
struct EvaluationDefaults {
    std::string search;     // "loma" or "full"; empty: elaa eval's own default
    std::string objective;  // "latency", "energy", "edp"; empty: elaa eval's own default
    bool operator==(const EvaluationDefaults&) const = default;
};

// What the datapath does with zero-valued input activations (the layers' densities say how many
// there are). Eyeriss v1 (JSSC 2017 §IV-B, §V-C) does both.
struct Sparsity {
    // A zero input activation skips its MACs and the accesses that serve them at the innermost
    // level: the weight read, the partial-sum read and write. Energy only: the cycle is spent.
    bool gate_zero_inputs = false;
    // > 0: activations cross the DRAM link run-length coded as (run, value) pairs, a run of at most
    // 2^run_bits - 1 zeros before each value, packed whole into words of rlc_word_bits. 0: raw.
    int rlc_run_bits = 0;
    int rlc_word_bits = 64;
    bool operator==(const Sparsity&) const = default;
    bool any() const { return gate_zero_inputs || rlc_run_bits > 0; }
};

// Fraction of the raw size an activation tensor of `density` (non-zero fraction, zeros independent)
// takes when run-length coded under `sparsity` at `value_bits` per value; 1 when not coded, and
// never above 1 (a tensor RLC would enlarge, like a dense input image, is stored raw).
double rlc_fraction(const Sparsity& sparsity, double density, int value_bits);

struct Accelerator {
    std::string name;
    std::string description;
    double frequency_mhz = 1000;
    int technology_nm = 28;
    std::vector<std::string> assumptions;  // stated in the preset and echoed in outputs
    EvaluationDefaults evaluation;         // [evaluation] table
    Sparsity sparsity;                     // [sparsity] table; none by default

    OperationalArray array;
    std::vector<Memory> memories;  // bottom-up: a memory's operands are served by the ones above it
    std::array<Dataflow, 4> dataflows;  // indexed by OpClass; Default is the fallback
    std::array<bool, 4> dataflow_given{};  // whether the preset states the OpClass entry itself

    bool operator==(const Accelerator&) const = default;

    // The dataflow used for a layer kind, and whether it fell back to the default entry.
    const Dataflow& dataflow_for(workload::OpKind kind, bool* fell_back = nullptr) const;

    // Memory indices holding `operand`, bottom-up (the operand's hierarchy).
    std::vector<std::size_t> hierarchy(Operand operand) const;
    // Physical copies of a memory: product of the array dims it does not serve.
    long instances(std::size_t memory) const;

    double array_area_mm2() const;
    // Chip area: MAC array + every on-chip memory instance times its replication. DRAM excluded.
    double area_mm2() const;
    double on_chip_bits() const;
    long peak_macs_per_cycle() const { return array.total_units(); }
    // Operand precisions of a layer run on this datapath: weights, inputs and outputs at
    // precision_bits; partial sums at accumulator_bits when given, else at twice that for integers
    // (ZigZag's convention) and at the operand width for floating point (the accumulator widths of
    // data/technology/mac.csv).
    workload::Precision layer_precision() const {
        const int bits = array.precision_bits;
        const int psum = array.accumulator_bits > 0 ? array.accumulator_bits : array.floating ? bits : 2 * bits;
        return {bits, bits, bits, psum};
    }
};

}  // namespace elaa::hardware

namespace elaa::hardware {

// Every field that can change a cost in cycles or pJ, in one canonical string: equal fingerprints
// mean equal costs, so a cache can compare keys in full instead of trusting a hash.
std::string fingerprint(const Accelerator& acc);

}  // namespace elaa::hardware
