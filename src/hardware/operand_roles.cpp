#include "hardware/operand_roles.hpp"

#include <algorithm>

namespace elaa::hardware {

namespace {

// The port uses that bring the second operand down (filled from above, read out to the level
// below), mirroring the input's on the same ports.
void mirror_input_ports(Memory& memory) {
    for (auto& port : memory.ports) {
        std::vector<PortUse> added;
        for (const auto& use : port.uses)
            if (use.operand == Operand::I &&
                (use.direction == Direction::ReadToLow || use.direction == Direction::WriteFromHigh))
                added.push_back({Operand::W, use.direction});
        port.uses.insert(port.uses.end(), added.begin(), added.end());
    }
}

void drop_operand(Memory& memory, Operand operand) {
    std::erase(memory.operands, operand);
    for (auto& port : memory.ports)
        std::erase_if(port.uses, [&](const PortUse& use) { return use.operand == operand; });
}

}  // namespace

Accelerator with_activation_second_operand(const Accelerator& acc) {
    Accelerator view = acc;
    for (std::size_t m = 0; m < view.memories.size(); ++m) {
        Memory& memory = view.memories[m];
        if (memory.is_dram) continue;  // holds every operand already
        const bool inside_array = acc.instances(m) > 1;
        if (memory.holds(Operand::W) && !memory.holds(Operand::I) && !inside_array) {
            drop_operand(memory, Operand::W);  // an array-wide weight buffer
        } else if (memory.holds(Operand::I) && !memory.holds(Operand::W) && !inside_array) {
            // An array-wide activation memory: operands are listed in the order W, I, O.
            memory.operands.insert(memory.operands.begin(), Operand::W);
            mirror_input_ports(memory);
        }
    }
    return view;
}

bool second_operand_is_activation(const workload::Layer& layer) { return layer.kind == workload::OpKind::MatMul; }

}  // namespace elaa::hardware
