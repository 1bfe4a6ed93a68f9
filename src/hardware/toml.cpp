#include "hardware/toml.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <toml++/toml.h>

#include "hardware/technology.hpp"
#include "util/error.hpp"
#include "util/suggest.hpp"
#include "util/toml_read.hpp"

namespace elaa::hardware {

namespace {

using namespace toml_read;
using workload::kAllDims;

std::string loop_dim_names() {
    std::vector<std::string> names;
    for (auto dim : kAllDims) names.emplace_back(workload::to_string(dim));
    return join(names);
}

std::optional<Operand> parse_operand(std::string_view text) {
    for (auto operand : {Operand::W, Operand::I, Operand::O})
        if (workload::to_string(operand) == text) return operand;
    return std::nullopt;
}

std::optional<Direction> parse_direction(std::string_view text) {
    for (auto direction : kAllDirections)
        if (to_string(direction) == text) return direction;
    return std::nullopt;
}

// ---------------------------------------------------------------------------------------------- array

OperationalArray parse_array(const toml::table& root, const Place& top) {
    const toml::node& node = required(root, "array", "the [array] table", top);
    if (!node.is_table()) top.fail(node, "'array' must be a table, got " + type_name(node));
    const toml::table& table = *node.as_table();
    const Place place = top.inner("[array]");
    check_keys(table,
               {"dimensions", "sizes", "precision_bits", "accumulator_bits", "arithmetic", "mac_energy_pj", "mac_area_um2"},
               place);

    OperationalArray array;
    if (const toml::node* arithmetic = table.get("arithmetic")) {
        const auto text = as_string(*arithmetic, "arithmetic", place);
        if (text != "int" && text != "float")
            place.fail(*arithmetic, fmt::format("'arithmetic' must be \"int\" or \"float\", got '{}'", text));
        array.floating = text == "float";
    }
    const toml::node& dims = required(table, "dimensions", "array of dimension names, e.g. [\"D1\", \"D2\"]", place);
    array.dim_names = string_array(dims, "dimensions", place);
    if (array.dim_names.empty()) place.fail(dims, "'dimensions' must name at least one array dimension");
    for (std::size_t i = 0; i < array.dim_names.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
            if (array.dim_names[i] == array.dim_names[j])
                place.fail(dims, fmt::format("dimension '{}' is listed twice", array.dim_names[i]));

    const toml::node& sizes = required(table, "sizes", "array of positive integers, one per dimension", place);
    for (const auto& element : as_array(sizes, "sizes", "integers", place)) {
        const auto size = as_integer(element, "sizes", place);
        if (size <= 0) place.fail(element, fmt::format("'sizes' must be positive integers, got {}", size));
        array.dim_sizes.push_back(static_cast<int>(size));
    }
    if (array.dim_sizes.size() != array.dim_names.size())
        place.fail(sizes, fmt::format("'sizes' has {} entries but 'dimensions' names {}", array.dim_sizes.size(),
                                      array.dim_names.size()));

    if (const toml::node* bits = table.get("precision_bits")) {
        const auto value = as_integer(*bits, "precision_bits", place);
        if (value < 1 || value > 64) place.fail(*bits, fmt::format("'precision_bits' must be 1..64, got {}", value));
        array.precision_bits = static_cast<int>(value);
    }
    if (const toml::node* bits = table.get("accumulator_bits")) {
        const auto value = as_integer(*bits, "accumulator_bits", place);
        if (value < array.precision_bits || value > 128)
            place.fail(*bits, fmt::format("'accumulator_bits' must be {}..128 (at least precision_bits), got {}",
                                          array.precision_bits, value));
        array.accumulator_bits = static_cast<int>(value);
    }
    if (const toml::node* energy = table.get("mac_energy_pj"))
        array.mac_energy_pj = non_negative(*energy, "mac_energy_pj", place);
    else
        array.mac_energy_derived = true;
    if (const toml::node* area = table.get("mac_area_um2"))
        array.mac_area_um2 = non_negative(*area, "mac_area_um2", place);
    else
        array.mac_area_derived = true;
    return array;
}

// ------------------------------------------------------------------------------------------ dataflow

// "K 32" or "C 4, FX 3".
Unrolling parse_unrolling(const toml::node& node, const std::string& array_dim, int array_size, const Place& place) {
    const std::string text = as_string(node, array_dim, place);
    Unrolling unrolling;
    long product = 1;
    std::stringstream entries(text);
    std::string entry;
    while (std::getline(entries, entry, ',')) {
        std::istringstream words(entry);
        std::string dim_name, factor_text, extra;
        words >> dim_name >> factor_text >> extra;
        if (dim_name.empty() || factor_text.empty() || !extra.empty())
            place.fail(node, fmt::format("{} = \"{}\": each unrolling must be '<loop dimension> <factor>', "
                                         "several separated by commas (e.g. \"C 4, FX 3\")",
                                         array_dim, text));
        const auto dim = std::find_if(kAllDims.begin(), kAllDims.end(),
                                      [&](auto d) { return workload::to_string(d) == dim_name; });
        if (dim == kAllDims.end())
            place.fail(node, fmt::format("{} = \"{}\": unknown loop dimension '{}'; loop dimensions are {}", array_dim,
                                         text, dim_name, loop_dim_names()));
        int factor = 0;
        try {
            std::size_t used = 0;
            factor = std::stoi(factor_text, &used);
            if (used != factor_text.size()) factor = 0;
        } catch (const std::exception&) {
            factor = 0;
        }
        if (factor < 1)
            place.fail(node, fmt::format("{} = \"{}\": unrolling factor '{}' must be a positive integer", array_dim,
                                         text, factor_text));
        unrolling.loops.emplace_back(*dim, factor);
        product *= factor;
    }
    if (unrolling.loops.empty())
        place.fail(node, fmt::format("{} = \"\": give '<loop dimension> <factor>'", array_dim));
    if (product > array_size)
        place.fail(node, fmt::format("{} = \"{}\": unrolling product {} exceeds the array dimension {} = {}",
                                     array_dim, text, product, array_dim, array_size));
    return unrolling;
}

Dataflow parse_dataflow_entry(const toml::node& node, std::string_view key, const OperationalArray& array,
                              const Place& dataflow_place) {
    const Place place = dataflow_place.inner(fmt::format("[dataflow] {}", key));
    if (node.is_string()) {
        const auto text = *node.value<std::string_view>();
        if (text == "row_stationary") {
            if (array.dim_sizes.size() != 2)
                place.fail(node, fmt::format("'{}' = \"row_stationary\" needs a 2-D array (PE rows, PE columns), the "
                                             "array has {} dimensions",
                                             key, array.dim_sizes.size()));
            Dataflow dataflow;
            dataflow.row_stationary = true;
            return dataflow;
        }
        if (text != "auto")
            place.fail(node, fmt::format("'{}' must be \"auto\", \"row_stationary\" or an inline table such as {{ {} = "
                                         "\"K 32\" }}, got \"{}\"",
                                         key, array.dim_names.front(), text));
        return Dataflow{};
    }
    if (!node.is_table())
        place.fail(node, fmt::format("'{}' must be \"auto\", \"row_stationary\" or an inline table mapping array dimensions to "
                                     "unrollings, got {}",
                                     key, type_name(node)));
    Dataflow dataflow;
    dataflow.per_dim.resize(array.dim_names.size());
    for (auto&& [dim_key, value] : *node.as_table()) {
        const auto index = array.dim_index(std::string(dim_key.str()));
        if (!index)
            place.fail(dim_key.source(), fmt::format("unknown array dimension '{}'; the array's dimensions are {}",
                                                     dim_key.str(), join(array.dim_names)));
        dataflow.per_dim[*index] =
            parse_unrolling(value, std::string(dim_key.str()), array.dim_sizes[*index], place);
    }
    return dataflow;
}

void parse_dataflows(const toml::table& root, Accelerator& acc, const Place& top) {
    const toml::node& node = required(root, "dataflow", "the [dataflow] table", top);
    if (!node.is_table()) top.fail(node, "'dataflow' must be a table, got " + type_name(node));
    const toml::table& table = *node.as_table();
    const Place place = top.inner("[dataflow]");
    check_keys(table, {"default", "depthwise", "pooling", "elementwise"}, place);
    required(table, "default", "\"auto\", \"row_stationary\" or an inline table such as { D1 = \"K 32\", D2 = \"C 32\" }", place);
    for (auto cls : {OpClass::Default, OpClass::Depthwise, OpClass::Pooling, OpClass::Elementwise}) {
        const auto index = static_cast<std::size_t>(cls);
        if (const toml::node* entry = table.get(to_string(cls))) {
            acc.dataflows[index] = parse_dataflow_entry(*entry, to_string(cls), acc.array, place);
            acc.dataflow_given[index] = true;
        }
    }
}

// ---------------------------------------------------------------------------------------------- ports

bool port_can(PortType type, Direction direction) {
    if (type == PortType::ReadWrite) return true;
    return (type == PortType::Read) == is_read(direction);
}

Port parse_port(const toml::node& node, const Memory& memory, const Place& memory_place) {
    if (!node.is_table())
        memory_place.fail(node, "'ports' must hold tables such as { name = \"r_port_1\", type = \"read\", "
                                "bw_min_bits = 64, bw_max_bits = 512, uses = [\"I to_low\"] }, found " +
                                    type_name(node));
    const toml::table& table = *node.as_table();
    Port port;
    port.name = as_string(required(table, "name", "port name", memory_place), "name", memory_place);
    const Place place = memory_place.inner(fmt::format("{} port '{}'", memory_place.name, port.name));
    check_keys(table, {"name", "type", "bw_min_bits", "bw_max_bits", "uses"}, place);

    const toml::node& type_node = required(table, "type", "\"read\", \"write\" or \"read_write\"", place);
    const std::string type = as_string(type_node, "type", place);
    if (type == "read") port.type = PortType::Read;
    else if (type == "write") port.type = PortType::Write;
    else if (type == "read_write") port.type = PortType::ReadWrite;
    else place.fail(type_node, fmt::format("'type' must be \"read\", \"write\" or \"read_write\", got \"{}\"", type));

    port.bw_min_bits = positive(required(table, "bw_min_bits", "bits per cycle", place), "bw_min_bits",
                                "bits per cycle", place);
    const toml::node& max_node = required(table, "bw_max_bits", "bits per cycle", place);
    port.bw_max_bits = positive(max_node, "bw_max_bits", "bits per cycle", place);
    if (port.bw_min_bits > port.bw_max_bits)
        place.fail(max_node, fmt::format("bw_min_bits = {} exceeds bw_max_bits = {}", port.bw_min_bits,
                                         port.bw_max_bits));

    const toml::node& uses_node =
        required(table, "uses", "array such as [\"I to_low\", \"O from_low\"]", place);
    for (const auto& element : as_array(uses_node, "uses", "strings", place)) {
        const std::string text = as_string(element, "uses", place);
        std::istringstream words(text);
        std::string operand_text, direction_text, extra;
        words >> operand_text >> direction_text >> extra;
        const auto operand = parse_operand(operand_text);
        const auto direction = parse_direction(direction_text);
        if (!operand || !direction || !extra.empty())
            place.fail(element, fmt::format("use \"{}\" must be '<operand> <direction>' with operand W, I or O and "
                                            "direction to_low, from_high, from_low or to_high",
                                            text));
        if (!memory.holds(*operand))
            place.fail(element, fmt::format("use \"{}\": memory '{}' does not hold operand {} (its operands: {})",
                                            text, memory.name, operand_text,
                                            [&] {
                                                std::vector<std::string> held;
                                                for (auto op : memory.operands)
                                                    held.emplace_back(workload::to_string(op));
                                                return join(held);
                                            }()));
        if (!port_can(port.type, *direction))
            place.fail(element, fmt::format("use \"{}\": a {} port cannot {} ({} needs a {} port)", text,
                                            to_string(port.type), is_read(*direction) ? "read" : "write",
                                            direction_text, is_read(*direction) ? "read or read_write" : "write or read_write"));
        port.uses.push_back({*operand, *direction});
    }
    return port;
}

// --------------------------------------------------------------------------------------------- memory

std::vector<Operand> parse_operands(const toml::node& node, const Place& place) {
    std::vector<Operand> operands;
    for (const auto& element : as_array(node, "operands", "operand names", place)) {
        const std::string text = as_string(element, "operands", place);
        const auto operand = parse_operand(text);
        if (!operand) place.fail(element, fmt::format("unknown operand '{}'; operands are W, I, O", text));
        if (std::find(operands.begin(), operands.end(), *operand) != operands.end())
            place.fail(element, fmt::format("operand '{}' is listed twice", text));
        operands.push_back(*operand);
    }
    if (operands.empty()) place.fail(node, "'operands' must name at least one of W, I, O");
    return operands;
}

MemoryType parse_memory_type(const toml::node& node, const Place& place) {
    const std::string type = as_string(node, "type", place);
    if (type == "sram") return MemoryType::Sram;
    if (type == "regfile") return MemoryType::RegFile;
    if (type == "dram") return MemoryType::Dram;
    place.fail(node, fmt::format("'type' must be \"sram\", \"regfile\" or \"dram\", got \"{}\"", type));
}

// An optional non-negative figure: stated, or marked to be derived from the technology tables.
void optional_figure(const toml::table& table, std::string_view key, double& value, bool& derived,
                     const Place& place) {
    if (const toml::node* node = table.get(key)) value = non_negative(*node, key, place);
    else derived = true;
}

Memory parse_memory(const toml::node& node, const OperationalArray& array, const Place& top) {
    if (!node.is_table()) top.fail(node, "'memories' must be an array of tables ([[memories]])");
    const toml::table& table = *node.as_table();
    Memory memory;
    memory.name = as_string(required(table, "name", "memory name", top.inner("[[memories]]")), "name",
                            top.inner("[[memories]]"));
    const Place place = top.inner(fmt::format("memory '{}'", memory.name));
    check_keys(table,
               {"name", "type", "size_bits", "operands", "r_energy_pj", "w_energy_pj", "area_mm2", "access_time_ns",
                "leakage_mw", "banks", "clock_mhz", "sliding_window", "served_dimensions", "ports"},
               place);

    memory.type = parse_memory_type(required(table, "type", "\"sram\", \"regfile\" or \"dram\"", place), place);
    memory.is_dram = memory.type == MemoryType::Dram;
    memory.size_bits = positive(required(table, "size_bits", "capacity in bits", place), "size_bits", "bits", place);
    memory.operands =
        parse_operands(required(table, "operands", "array of operands such as [\"W\"] or [\"I\", \"O\"]", place), place);

    if (const toml::node* banks = table.get("banks")) {
        const auto value = as_integer(*banks, "banks", place);
        if (value < 1 || value > 4096) place.fail(*banks, fmt::format("'banks' must be 1..4096, got {}", value));
        memory.banks = static_cast<int>(value);
    }
    if (const toml::node* clock = table.get("clock_mhz"))
        memory.clock_mhz = positive(*clock, "clock_mhz", "MHz of this memory's ports", place);
    if (const toml::node* slide = table.get("sliding_window")) {
        memory.sliding_window = as_bool(*slide, "sliding_window", place);
        if (memory.sliding_window && !memory.holds(Operand::I))
            place.fail(*slide, "'sliding_window' needs a memory holding I (input activations)");
    }

    MemoryDerived& derived = memory.derived;
    optional_figure(table, "r_energy_pj", memory.r_energy_pj, derived.r_energy, place);
    optional_figure(table, "w_energy_pj", memory.w_energy_pj, derived.w_energy, place);
    optional_figure(table, "area_mm2", memory.area_mm2, derived.area, place);
    optional_figure(table, "access_time_ns", memory.access_time_ns, derived.access_time, place);
    optional_figure(table, "leakage_mw", memory.leakage_mw, derived.leakage, place);
    if (memory.is_dram && memory.area_mm2 != 0)
        place.fail(*table.get("area_mm2"), "DRAM is off-chip and never counted in chip area: remove 'area_mm2'");

    const toml::node& served = required(table, "served_dimensions",
                                        "array of the array dimensions one instance serves; [] = one copy per MAC",
                                        place);
    for (const auto& name : string_array(served, "served_dimensions", place)) {
        const auto index = array.dim_index(name);
        if (!index)
            place.fail(served, fmt::format("served dimension '{}' is not an array dimension; the array's "
                                           "dimensions are {}",
                                           name, join(array.dim_names)));
        if (std::find(memory.served_dims.begin(), memory.served_dims.end(), *index) != memory.served_dims.end())
            place.fail(served, fmt::format("served dimension '{}' is listed twice", name));
        memory.served_dims.push_back(*index);
    }

    const toml::node& ports_node = required(table, "ports", "array of port tables", place);
    for (const auto& port_node : as_array(ports_node, "ports", "port tables", place)) {
        Port port = parse_port(port_node, memory, place);
        for (const auto& existing : memory.ports)
            if (existing.name == port.name) place.fail(port_node, fmt::format("port '{}' is defined twice", port.name));
        for (const auto& use : port.uses)
            if (const Port* other = memory.port_for(use.operand, use.direction))
                place.fail(port_node, fmt::format("'{} {}' is allocated to both port '{}' and port '{}'",
                                                  workload::to_string(use.operand), to_string(use.direction),
                                                  other->name, port.name));
        memory.ports.push_back(std::move(port));
    }
    if (memory.ports.empty()) place.fail(ports_node, "a memory needs at least one port");
    return memory;
}

// Every operand needs a hierarchy ending in the top memory, and each of its levels needs the port
// allocations its data flows use: to_low everywhere, from_high below the top; outputs also come up
// (from_low everywhere) and leave upwards (to_high below the top).
void check_hierarchies(const Accelerator& acc, const std::vector<const toml::node*>& memory_nodes, const Place& top) {
    const Memory& top_memory = acc.memories.back();
    for (auto operand : {Operand::W, Operand::I, Operand::O}) {
        const auto levels = acc.hierarchy(operand);
        const std::string op(workload::to_string(operand));
        if (levels.empty())
            top.fail(*memory_nodes.back(), fmt::format("operand {} has no memory: list it in the 'operands' of at "
                                                       "least one [[memories]] entry",
                                                       op));
        if (!top_memory.holds(operand))
            top.fail(*memory_nodes.back(),
                     fmt::format("operand {}'s hierarchy ends at '{}', below the top memory '{}' which does not hold "
                                 "it: the last [[memories]] entry is the backing store and must hold W, I and O",
                                 op, acc.memories[levels.back()].name, top_memory.name));
        for (std::size_t level = 0; level < levels.size(); ++level) {
            const Memory& memory = acc.memories[levels[level]];
            const bool is_top = level + 1 == levels.size();
            std::vector<Direction> needed{Direction::ReadToLow};
            if (!is_top) needed.push_back(Direction::WriteFromHigh);
            if (operand == Operand::O) {
                needed.push_back(Direction::WriteFromLow);
                if (!is_top) needed.push_back(Direction::ReadToHigh);
            }
            for (auto direction : needed)
                if (!memory.port_for(operand, direction))
                    top.inner(fmt::format("memory '{}'", memory.name))
                        .fail(*memory_nodes[levels[level]],
                              fmt::format("no port carries '{} {}', which operand {} needs at this level (add it to "
                                          "a port's 'uses')",
                                          op, to_string(direction), op));
        }
    }
}

void parse_memories(const toml::table& root, Accelerator& acc, const Place& top) {
    const toml::node& node = required(root, "memories", "[[memories]] entries, bottom-up", top);
    const toml::array& list = as_array(node, "memories", "tables ([[memories]])", top);
    std::vector<const toml::node*> nodes;
    for (const auto& entry : list) {
        Memory memory = parse_memory(entry, acc.array, top);
        for (const auto& existing : acc.memories)
            if (existing.name == memory.name)
                top.fail(entry, fmt::format("memory '{}' is defined twice", memory.name));
        acc.memories.push_back(std::move(memory));
        nodes.push_back(&entry);
    }
    if (acc.memories.empty()) top.fail(node, "'memories' must list at least one memory");
    check_hierarchies(acc, nodes, top);
}

// ------------------------------------------------------------------------------------------ sparsity

Sparsity parse_sparsity(const toml::node& node, const Place& top) {
    const Place place = top.inner("[sparsity]");
    if (!node.is_table()) place.fail(node, "[sparsity] must be a table");
    const auto& t = *node.as_table();
    check_keys(t, {"gate_zero_inputs", "rlc_run_bits", "rlc_word_bits"}, place);
    Sparsity sparsity;
    if (const auto* n = t.get("gate_zero_inputs")) sparsity.gate_zero_inputs = as_bool(*n, "gate_zero_inputs", place);
    if (const auto* n = t.get("rlc_run_bits")) {
        const auto value = as_integer(*n, "rlc_run_bits", place);
        if (value < 0 || value > 16) place.fail(*n, fmt::format("'rlc_run_bits' must be 0..16 (0 = no coding), got {}", value));
        sparsity.rlc_run_bits = static_cast<int>(value);
    }
    if (const auto* n = t.get("rlc_word_bits")) {
        const auto value = as_integer(*n, "rlc_word_bits", place);
        if (value < 1 || value > 4096) place.fail(*n, fmt::format("'rlc_word_bits' must be 1..4096, got {}", value));
        sparsity.rlc_word_bits = static_cast<int>(value);
    }
    return sparsity;
}

Accelerator from_table(const toml::table& root, const std::string& source) {
    const Place top{source, "top level"};
    check_keys(root,
               {"name", "description", "frequency_mhz", "technology_nm", "assumptions", "array", "dataflow",
                "memories", "evaluation", "sparsity"},
               top);
    Accelerator acc;
    acc.name = as_string(required(root, "name", "accelerator name", top), "name", top);
    if (const toml::node* description = root.get("description"))
        acc.description = as_string(*description, "description", top);
    acc.frequency_mhz =
        positive(required(root, "frequency_mhz", "clock in MHz", top), "frequency_mhz", "clock in MHz", top);
    const toml::node& node_nm = required(root, "technology_nm", "technology node in nm, e.g. 28", top);
    const auto technology = as_integer(node_nm, "technology_nm", top);
    if (technology <= 0) top.fail(node_nm, fmt::format("'technology_nm' must be positive, got {}", technology));
    acc.technology_nm = static_cast<int>(technology);
    if (const toml::node* assumptions = root.get("assumptions"))
        acc.assumptions = string_array(*assumptions, "assumptions", top);

    if (const toml::node* evaluation = root.get("evaluation")) {
        const Place place = top.inner("[evaluation]");
        if (!evaluation->is_table()) place.fail(*evaluation, "[evaluation] must be a table");
        const auto& t = *evaluation->as_table();
        check_keys(t, {"search", "mapping_objective"}, place);
        if (const auto* n = t.get("search")) {
            acc.evaluation.search = as_string(*n, "search", place);
            const auto& e = acc.evaluation.search;  // mapping::parse_search_space's names (hardware sits below mapping)
            if (e != "fast" && e != "loma" && e != "full" && e != "deep")
                place.fail(*n, "'search' must be fast, loma, full or deep, got '" + acc.evaluation.search + "'");
        }
        if (const auto* n = t.get("mapping_objective")) {
            acc.evaluation.objective = as_string(*n, "mapping_objective", place);
            const auto& o = acc.evaluation.objective;
            if (o != "latency" && o != "energy" && o != "edp")
                place.fail(*n, "'mapping_objective' must be latency, energy or edp, got '" + o + "'");
        }
    }
    if (const toml::node* sparsity = root.get("sparsity")) acc.sparsity = parse_sparsity(*sparsity, top);
    acc.array = parse_array(root, top);
    parse_dataflows(root, acc, top);
    parse_memories(root, acc, top);
    tech::fill_derived_costs(acc);
    return acc;
}

// --------------------------------------------------------------------------------------------- writer

std::string toml_string(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            case '\r': out += "\\r"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) out += fmt::format("\\u{:04x}", static_cast<int>(c));
                else out += c;
        }
    }
    return out + "\"";
}

// Integral values as TOML integers (the loader accepts them for any number), others in the shortest
// form that reads back to the same double.
std::string number(double value) {
    if (std::isfinite(value) && value == std::floor(value) && std::abs(value) < 1e15)
        return fmt::format("{:.0f}", value);
    return fmt::format("{}", value);
}

std::string string_list(const std::vector<std::string>& items) {
    std::vector<std::string> string_items;
    for (const auto& item : items) string_items.push_back(toml_string(item));
    // Appended piecewise: GCC 12 warns falsely (-Wrestrict) on "[" + string + "]".
    std::string out = "[";
    out += join(string_items);
    out += ']';
    return out;
}

std::string unrolling_text(const Unrolling& unrolling) {
    std::vector<std::string> parts;
    for (const auto& [dim, factor] : unrolling.loops) parts.push_back(fmt::format("{} {}", workload::to_string(dim), factor));
    return join(parts);
}

std::string dataflow_text(const Dataflow& dataflow, const OperationalArray& array) {
    if (dataflow.automatic()) return dataflow.row_stationary ? "\"row_stationary\"" : "\"auto\"";
    std::vector<std::string> entries;
    for (std::size_t d = 0; d < dataflow.per_dim.size() && d < array.dim_names.size(); ++d)
        if (!dataflow.per_dim[d].loops.empty())
            entries.push_back(array.dim_names[d] + " = " + toml_string(unrolling_text(dataflow.per_dim[d])));
    if (entries.empty()) return "{}";
    std::string out = "{ ";
    out += join(entries);
    out += " }";
    return out;
}

std::string port_text(const Port& port) {
    std::vector<std::string> uses;
    for (const auto& use : port.uses)
        uses.push_back(fmt::format("{} {}", workload::to_string(use.operand), to_string(use.direction)));
    return fmt::format("{{ name = {}, type = \"{}\", bw_min_bits = {}, bw_max_bits = {}, uses = {} }}",
                       toml_string(port.name), to_string(port.type), number(port.bw_min_bits), number(port.bw_max_bits),
                       string_list(uses));
}

void write_memory(std::ostringstream& out, const Memory& memory, const OperationalArray& array) {
    out << "\n[[memories]]\n";
    out << "name = " << toml_string(memory.name) << "\n";
    out << "type = \"" << to_string(memory.type) << "\"\n";
    out << "size_bits = " << number(memory.size_bits) << "\n";
    std::vector<std::string> operands;
    for (auto op : memory.operands) operands.emplace_back(workload::to_string(op));
    out << "operands = " << string_list(operands) << "\n";
    const MemoryDerived& d = memory.derived;
    if (!d.r_energy) out << "r_energy_pj = " << number(memory.r_energy_pj) << "\n";
    if (!d.w_energy) out << "w_energy_pj = " << number(memory.w_energy_pj) << "\n";
    if (!d.area) out << "area_mm2 = " << number(memory.area_mm2) << "\n";
    if (!d.access_time) out << "access_time_ns = " << number(memory.access_time_ns) << "\n";
    if (!d.leakage) out << "leakage_mw = " << number(memory.leakage_mw) << "\n";
    if (memory.banks != 1) out << "banks = " << memory.banks << "\n";
    if (memory.clock_mhz > 0) out << "clock_mhz = " << number(memory.clock_mhz) << "\n";
    if (memory.sliding_window) out << "sliding_window = true\n";
    std::vector<std::string> served;
    for (auto index : memory.served_dims) served.push_back(array.dim_names.at(index));
    out << "served_dimensions = " << string_list(served) << "\n";
    out << "ports = [\n";
    for (const auto& port : memory.ports) out << "  " << port_text(port) << ",\n";
    out << "]\n";
}

}  // namespace

Accelerator parse_accelerator(std::string_view toml_text, std::string source_name) {
    return from_table(parse_text(toml_text, source_name), source_name);
}

Accelerator load_accelerator(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(fmt::format("cannot read accelerator file '{}'", path.string()));
    std::ostringstream text;
    text << in.rdbuf();
    return parse_accelerator(text.str(), path.string());
}

std::string to_toml(const Accelerator& acc) {
    std::ostringstream out;
    out << "name = " << toml_string(acc.name) << "\n";
    if (!acc.description.empty()) out << "description = " << toml_string(acc.description) << "\n";
    out << "frequency_mhz = " << number(acc.frequency_mhz) << "\n";
    out << "technology_nm = " << acc.technology_nm << "\n";
    if (!acc.assumptions.empty()) {
        out << "assumptions = [\n";
        for (const auto& assumption : acc.assumptions) out << "  " << toml_string(assumption) << ",\n";
        out << "]\n";
    }

    if (!acc.evaluation.search.empty() || !acc.evaluation.objective.empty()) {
        out << "\n[evaluation]  # how this design was evaluated: elaa eval's defaults for it\n";
        if (!acc.evaluation.search.empty()) out << "search = " << toml_string(acc.evaluation.search) << "\n";
        if (!acc.evaluation.objective.empty())
            out << "mapping_objective = " << toml_string(acc.evaluation.objective) << "\n";
    }

    if (acc.sparsity.any()) {
        out << "\n[sparsity]\n";
        out << "gate_zero_inputs = " << (acc.sparsity.gate_zero_inputs ? "true" : "false") << "\n";
        out << "rlc_run_bits = " << acc.sparsity.rlc_run_bits << "\n";
        out << "rlc_word_bits = " << acc.sparsity.rlc_word_bits << "\n";
    }

    const OperationalArray& array = acc.array;
    out << "\n[array]\n";
    out << "dimensions = " << string_list(array.dim_names) << "\n";
    std::vector<std::string> sizes;
    for (int size : array.dim_sizes) sizes.push_back(std::to_string(size));
    out << "sizes = [" << join(sizes) << "]\n";
    out << "precision_bits = " << array.precision_bits << "\n";
    if (array.accumulator_bits > 0) out << "accumulator_bits = " << array.accumulator_bits << "\n";
    if (array.floating) out << "arithmetic = \"float\"\n";
    if (!array.mac_energy_derived) out << "mac_energy_pj = " << number(array.mac_energy_pj) << "\n";
    if (!array.mac_area_derived) out << "mac_area_um2 = " << number(array.mac_area_um2) << "\n";

    out << "\n[dataflow]\n";
    for (auto cls : {OpClass::Default, OpClass::Depthwise, OpClass::Pooling, OpClass::Elementwise}) {
        const auto index = static_cast<std::size_t>(cls);
        // The default entry is always written: the loader requires it.
        if (acc.dataflow_given[index] || cls == OpClass::Default)
            out << to_string(cls) << " = " << dataflow_text(acc.dataflows[index], array) << "\n";
    }

    for (const auto& memory : acc.memories) write_memory(out, memory, array);
    return out.str();
}

}  // namespace elaa::hardware
