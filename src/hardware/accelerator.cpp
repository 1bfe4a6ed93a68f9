#include "hardware/accelerator.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace elaa::hardware {

std::string_view to_string(Direction direction) {
    switch (direction) {
        case Direction::ReadToLow: return "to_low";
        case Direction::WriteFromHigh: return "from_high";
        case Direction::WriteFromLow: return "from_low";
        case Direction::ReadToHigh: return "to_high";
    }
    return "?";
}

bool is_read(Direction direction) {
    return direction == Direction::ReadToLow || direction == Direction::ReadToHigh;
}

std::string_view to_string(PortType type) {
    switch (type) {
        case PortType::Read: return "read";
        case PortType::Write: return "write";
        case PortType::ReadWrite: return "read_write";
    }
    return "?";
}

std::string_view to_string(MemoryType type) {
    switch (type) {
        case MemoryType::Sram: return "sram";
        case MemoryType::RegFile: return "regfile";
        case MemoryType::Dram: return "dram";
    }
    return "?";
}

bool Memory::holds(Operand operand) const {
    return std::find(operands.begin(), operands.end(), operand) != operands.end();
}

const Port* Memory::port_for(Operand operand, Direction direction) const {
    for (const auto& port : ports)
        for (const auto& use : port.uses)
            if (use.operand == operand && use.direction == direction) return &port;
    return nullptr;
}

OpClass op_class(workload::OpKind kind) {
    using workload::OpKind;
    switch (kind) {
        case OpKind::DepthwiseConv: return OpClass::Depthwise;
        case OpKind::MaxPool:
        case OpKind::AvgPool: return OpClass::Pooling;
        case OpKind::Add:
        case OpKind::Mul:
        // Softmax, layer norm and GELU run where the element-wise operators run (docs/hardware.md).
        case OpKind::Softmax:
        case OpKind::LayerNorm:
        case OpKind::Gelu: return OpClass::Elementwise;
        default: return OpClass::Default;
    }
}

std::string_view to_string(OpClass op_class) {
    switch (op_class) {
        case OpClass::Default: return "default";
        case OpClass::Depthwise: return "depthwise";
        case OpClass::Pooling: return "pooling";
        case OpClass::Elementwise: return "elementwise";
    }
    return "?";
}

long OperationalArray::total_units() const {
    long total = 1;
    for (int size : dim_sizes) total *= size;
    return total;
}

std::optional<std::size_t> OperationalArray::dim_index(const std::string& name) const {
    for (std::size_t i = 0; i < dim_names.size(); ++i)
        if (dim_names[i] == name) return i;
    return std::nullopt;
}

const Dataflow& Accelerator::dataflow_for(workload::OpKind kind, bool* fell_back) const {
    const auto cls = static_cast<std::size_t>(op_class(kind));
    const bool given = dataflow_given[cls];
    if (fell_back) *fell_back = !given && cls != static_cast<std::size_t>(OpClass::Default);
    return given ? dataflows[cls] : dataflows[static_cast<std::size_t>(OpClass::Default)];
}

std::vector<std::size_t> Accelerator::hierarchy(Operand operand) const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < memories.size(); ++i)
        if (memories[i].holds(operand)) out.push_back(i);
    return out;
}

long Accelerator::instances(std::size_t memory) const {
    const auto& served = memories[memory].served_dims;
    long count = 1;
    for (std::size_t d = 0; d < array.dim_sizes.size(); ++d)
        if (std::find(served.begin(), served.end(), d) == served.end()) count *= array.dim_sizes[d];
    return count;
}

double Accelerator::array_area_mm2() const {
    return array.mac_area_um2 * 1e-6 * static_cast<double>(array.total_units());
}

double Accelerator::area_mm2() const {
    double area = array_area_mm2();
    for (std::size_t m = 0; m < memories.size(); ++m)
        if (!memories[m].is_dram) area += memories[m].area_mm2 * static_cast<double>(instances(m));
    return area;
}

double Accelerator::on_chip_bits() const {
    double bits = 0;
    for (std::size_t m = 0; m < memories.size(); ++m)
        if (!memories[m].is_dram) bits += memories[m].size_bits * static_cast<double>(instances(m));
    return bits;
}

}  // namespace elaa::hardware

namespace elaa::hardware {

std::string fingerprint(const Accelerator& acc) {
    std::string out;
    auto num = [&](double v) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.17g,", v);
        out += buf;
    };
    out += "array:";
    for (int s : acc.array.dim_sizes) num(s);
    num(acc.array.mac_energy_pj);
    num(acc.array.precision_bits);
    // Appended only when set, so that the fingerprints of designs without them do not change.
    if (acc.array.accumulator_bits > 0) {
        out += "acc:";
        num(acc.array.accumulator_bits);
    }
    if (acc.sparsity.any()) {
        out += "sparsity:";
        num(acc.sparsity.gate_zero_inputs ? 1 : 0);
        num(acc.sparsity.rlc_run_bits);
        num(acc.sparsity.rlc_word_bits);
    }
    // The clock is left out: it scales seconds, not cycles or energy, so designs that differ only in
    // clock share their mapping searches.
    for (const auto& m : acc.memories) {
        out += "|mem:";
        num(m.size_bits);
        for (auto op : m.operands) out += workload::to_string(op);
        out += ';';
        num(m.r_energy_pj);
        num(m.w_energy_pj);
        out += m.is_dram ? "dram;" : "chip;";
        for (auto d : m.served_dims) num(static_cast<double>(d));
        // A memory on its own clock changes cycle counts by its ratio to the core clock.
        if (m.clock_mhz > 0) {
            out += "clock:";
            num(m.clock_mhz / acc.frequency_mhz);
        }
        if (m.sliding_window) out += "slide;";
        for (const auto& p : m.ports) {
            out += "port:";
            out += to_string(p.type);
            num(p.bw_min_bits);
            num(p.bw_max_bits);
            for (const auto& u : p.uses) {
                out += workload::to_string(u.operand);
                out += to_string(u.direction);
                out += ',';
            }
        }
    }
    for (std::size_t c = 0; c < acc.dataflows.size(); ++c) {
        out += "|df";
        out += acc.dataflow_given[c] ? '1' : '0';
        if (acc.dataflows[c].row_stationary) out += "rs";
        for (const auto& u : acc.dataflows[c].per_dim) {
            out += '[';
            for (const auto& [dim, f] : u.loops) {
                out += workload::to_string(dim);
                num(f);
            }
            out += ']';
        }
    }
    return out;
}

double rlc_fraction(const Sparsity& sparsity, double density, int value_bits) {
    if (sparsity.rlc_run_bits <= 0 || value_bits <= 0) return 1.0;
    const int pairs_per_word = sparsity.rlc_word_bits / (sparsity.rlc_run_bits + value_bits);
    if (pairs_per_word < 1) return 1.0;
    // Each non-zero value takes one pair. A run longer than the longest codable run (2^run_bits - 1
    // zeros) needs a pair holding a zero value for every 2^run_bits zeros: with zeros independent at
    // probability z, d / (1 - z^(2^run_bits)) pairs per value in all.
    const double d = std::clamp(density, 0.0, 1.0);
    const double span = std::ldexp(1.0, sparsity.rlc_run_bits);
    const double z = 1.0 - d;
    const double pairs = d <= 0 ? 1.0 / span : d / (1.0 - std::pow(z, span));
    const double coded_bits = pairs * sparsity.rlc_word_bits / pairs_per_word;
    return std::min(1.0, coded_bits / value_bits);
}

}  // namespace elaa::hardware
