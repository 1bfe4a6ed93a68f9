#include "encodings/search_space.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <toml++/toml.h>

#include "accuracy/accuracy.hpp"
#include "hardware/presets.hpp"
#include "hardware/toml.hpp"
#include "util/error.hpp"
#include "util/suggest.hpp"
#include "util/toml_read.hpp"
#include "workload/zoo/zoo.hpp"

namespace elaa::encodings {

using namespace toml_read;
using workload::Dim;

std::string_view to_string(GeneKind kind) {
    switch (kind) {
        case GeneKind::Pow2: return "pow2";
        case GeneKind::Choice: return "choice";
        case GeneKind::Int: return "int";
        case GeneKind::Real: return "real";
    }
    return "?";
}

const std::vector<PrecisionSpec>& known_precisions() {
    // The rows of data/technology/mac.csv that price a datapath.
    static const std::vector<PrecisionSpec> specs{
        {"int8", 8, false, "int8"},
        {"int16", 16, false, "int16"},
        {"fp16", 16, true, "fp16"},
        {"fp32", 32, true, "fp32"},
    };
    return specs;
}

const PrecisionSpec* find_precision(std::string_view name) {
    for (const auto& spec : known_precisions())
        if (spec.name == name) return &spec;
    return nullptr;
}

const std::vector<DataflowTemplate>& known_templates() {
    // Conventional names of spatial unrollings (Chen et al.'s taxonomy as ZigZag uses it). Which
    // operand actually stays put over time is the mapper's temporal choice; the name says which
    // operand the spatial unrolling keeps distinct per MAC. Depthwise layers have K = C = 1 per
    // group, so every template gives them G (channels) and an output-pixel loop instead.
    static const std::vector<DataflowTemplate> templates{
        // TPU-like: each MAC holds a distinct weight; inputs broadcast along D1, psums reduced along D2.
        {"weight_stationary", {Dim::K, Dim::C}, {Dim::G, Dim::OX}},
        // ENVISION-like: each MAC owns an output (channel, pixel); weights broadcast along D2.
        {"output_stationary", {Dim::K, Dim::OX}, {Dim::G, Dim::OX}},
        // Each MAC holds a distinct input (channel, pixel); psums reduced along D1.
        {"input_stationary", {Dim::C, Dim::OX}, {Dim::G, Dim::OX}},
        // ShiDianNao-like: a 2-D tile of output pixels, weights broadcast to every MAC.
        {"pixel_parallel", {Dim::OY, Dim::OX}, {Dim::OY, Dim::OX}},
    };
    return templates;
}

const DataflowTemplate* find_template(std::string_view name) {
    for (const auto& t : known_templates())
        if (t.name == name) return &t;
    return nullptr;
}

std::size_t Gene::count() const {
    switch (kind) {
        case GeneKind::Pow2: return numbers.size();
        case GeneKind::Choice: return labels.empty() ? numbers.size() : labels.size();
        case GeneKind::Int: return static_cast<std::size_t>(max - min) + 1;
        case GeneKind::Real: return 0;
    }
    return 0;
}

const Gene* SearchSpace::gene_for(Target target) const {
    for (const auto& gene : genes)
        if (gene.target == target) return &gene;
    return nullptr;
}

namespace {

std::vector<std::string> names_of_templates() {
    std::vector<std::string> out;
    for (const auto& t : known_templates()) out.push_back(t.name);
    return out;
}

std::vector<std::string> names_of_precisions() {
    std::vector<std::string> out;
    for (const auto& p : known_precisions()) out.push_back(p.name);
    return out;
}

std::vector<std::string> memory_names(const hardware::Accelerator& acc) {
    std::vector<std::string> out;
    for (const auto& m : acc.memories) out.push_back(m.name);
    return out;
}

// "unknown X 'q'; <what> are: closest first".
std::string unknown(std::string_view what, const std::string& query, const std::vector<std::string>& candidates,
                    std::string_view plural) {
    return fmt::format("unknown {} '{}'; {}: {}", what, query, plural,
                       join(closest_names(query, candidates, std::min<std::size_t>(candidates.size(), 8))));
}

std::string fmt_number(double value) { return fmt::format("{}", value); }

bool is_power_of_two(double value) {
    if (!(value >= 1) || value != std::floor(value) || value > 9.007e15) return false;
    const auto n = static_cast<std::uint64_t>(value);
    return (n & (n - 1)) == 0;
}

// ------------------------------------------------------------------------------------------ targets

struct ParsedTarget {
    Target target;
    std::size_t index = 0;
};

ParsedTarget parse_target(const toml::node& node, const std::string& text, const hardware::Accelerator& base,
                          const Place& place) {
    std::vector<std::string> parts;
    std::stringstream stream(text);
    for (std::string part; std::getline(stream, part, '.');) parts.push_back(part);
    static const std::string accepted =
        "array.<dimension>.size, memory.<name>.size_bits, memory.<name>.bw_bits, frequency_mhz, dataflow, "
        "precision, network, network.family, network.width, network.resolution, network.depth";

    if (parts.size() == 1) {
        if (text == "frequency_mhz") return {Target::Frequency};
        if (text == "dataflow") return {Target::Dataflow};
        if (text == "precision") return {Target::Precision};
        if (text == "network") return {Target::Network};
    }
    if (parts.size() == 2 && parts[0] == "network") {
        if (parts[1] == "family") return {Target::NetworkFamily};
        if (parts[1] == "width") return {Target::NetworkWidth};
        if (parts[1] == "resolution") return {Target::NetworkResolution};
        if (parts[1] == "depth") return {Target::NetworkDepth};
    }
    if (parts.size() == 3 && parts[0] == "array" && parts[2] == "size") {
        const auto dim = base.array.dim_index(parts[1]);
        if (!dim)
            place.fail(node, unknown("array dimension", parts[1], base.array.dim_names,
                                     "the base accelerator's dimensions are"));
        return {Target::ArraySize, *dim};
    }
    if (parts.size() == 3 && parts[0] == "memory" && (parts[2] == "size_bits" || parts[2] == "bw_bits")) {
        const auto names = memory_names(base);
        const auto found = std::find(names.begin(), names.end(), parts[1]);
        if (found == names.end())
            place.fail(node, unknown("memory", parts[1], names, "the base accelerator's memories are"));
        const Target target = parts[2] == "size_bits" ? Target::MemorySize : Target::MemoryBandwidth;
        return {target, static_cast<std::size_t>(found - names.begin())};
    }
    place.fail(node, fmt::format("unknown target '{}'; targets are {}", text, accepted));
}

bool is_categorical(Target target) {
    return target == Target::Dataflow || target == Target::Precision || target == Target::Network ||
           target == Target::NetworkFamily;
}

bool is_grid_axis(Target target) {
    return target == Target::NetworkWidth || target == Target::NetworkResolution || target == Target::NetworkDepth;
}

// Which gene kinds make sense for a target: categorical targets are choices over names, the clock
// is continuous (or a list), sizes and widths are integers.
void check_kind_fits(const Gene& gene, const toml::node& kind_node, const Place& place) {
    const bool categorical = is_categorical(gene.target);
    // Grid axes take the grid's own values: a list (ordered, so that mutation moves to neighbours),
    // or for the depth rank a range of integers.
    const bool ok = categorical                           ? gene.kind == GeneKind::Choice
                    : gene.target == Target::NetworkDepth ? gene.kind == GeneKind::Choice || gene.kind == GeneKind::Int
                    : is_grid_axis(gene.target)           ? gene.kind == GeneKind::Choice
                                                          : (gene.kind != GeneKind::Real || gene.target == Target::Frequency);
    if (ok) return;
    const std::string allowed = categorical                           ? "choice"
                                : gene.target == Target::NetworkDepth ? "choice or int"
                                : is_grid_axis(gene.target)           ? "choice"
                                : gene.target == Target::Frequency    ? "real, int, pow2 or choice"
                                                                      : "pow2, int or choice";
    place.fail(kind_node, fmt::format("kind '{}' cannot set '{}'; use {}", to_string(gene.kind), gene.target_text,
                                      allowed));
}

// -------------------------------------------------------------------------------------- gene values

void read_range(Gene& gene, const toml::table& table, const Place& place) {
    const toml::node& min_node = required(table, "min", "the smallest value", place);
    const toml::node& max_node = required(table, "max", "the largest value", place);
    if (table.get("values")) place.fail(*table.get("values"), fmt::format("kind '{}' takes min and max, not 'values'",
                                                                         to_string(gene.kind)));
    const bool integral = gene.kind != GeneKind::Real;
    gene.min = integral ? static_cast<double>(as_integer(min_node, "min", place)) : as_number(min_node, "min", place);
    gene.max = integral ? static_cast<double>(as_integer(max_node, "max", place)) : as_number(max_node, "max", place);
    const bool zero_ok = gene.target == Target::NetworkDepth;  // rank 0: the shallowest
    if (!(gene.min > 0) && !(zero_ok && gene.min == 0))
        place.fail(min_node, fmt::format("'min' must be positive, got {}", fmt_number(gene.min)));
    if (gene.min > gene.max)
        place.fail(max_node, fmt::format("inverted bounds: min = {} is above max = {}", fmt_number(gene.min),
                                         fmt_number(gene.max)));
    if (gene.kind == GeneKind::Pow2) {
        for (const auto& [value, node] : {std::pair{gene.min, &min_node}, std::pair{gene.max, &max_node}})
            if (!is_power_of_two(value))
                place.fail(*node, fmt::format("kind 'pow2' needs powers of two, got {}", fmt_number(value)));
        for (double v = gene.min; v <= gene.max; v *= 2) gene.numbers.push_back(v);
    }
}

void read_values(Gene& gene, const toml::table& table, const Place& place) {
    const toml::node& node = required(table, "values", "the list of values", place);
    for (const char* key : {"min", "max"})
        if (table.get(key)) place.fail(*table.get(key), fmt::format("kind 'choice' takes 'values', not '{}'", key));
    const toml::array& values = as_array(node, "values", is_categorical(gene.target) ? "strings" : "numbers", place);
    if (values.empty()) place.fail(node, "'values' is empty; list at least two values");
    if (is_categorical(gene.target)) {
        gene.labels = string_array(node, "values", place);
    } else {
        const bool integral = gene.target != Target::Frequency && gene.target != Target::NetworkWidth;
        for (const auto& element : values) {
            const double value = integral ? static_cast<double>(as_integer(element, "values", place))
                                          : as_number(element, "values", place);
            const bool zero_ok = gene.target == Target::NetworkDepth;  // rank 0: the shallowest
            if (!(value > 0) && !(zero_ok && value == 0))
                place.fail(element, fmt::format("'values' must be positive, got {}", fmt_number(value)));
            gene.numbers.push_back(value);
        }
    }
    // Grid axes are ordinal: neighbouring genome values must be neighbouring networks.
    if (is_grid_axis(gene.target))
        for (std::size_t i = 1; i < gene.numbers.size(); ++i)
            if (!(gene.numbers[i] > gene.numbers[i - 1]))
                place.fail(*values.get(i), fmt::format("'{}' is ordinal: list its values in increasing order ({} "
                                                       "follows {})",
                                                       gene.target_text, fmt_number(gene.numbers[i]),
                                                       fmt_number(gene.numbers[i - 1])));
    // Two indices decoding to the same design would break encode(decode(g)) == g.
    for (std::size_t i = 0; i < values.size(); ++i)
        for (std::size_t j = 0; j < i; ++j) {
            const bool same = gene.labels.empty() ? gene.numbers[i] == gene.numbers[j] : gene.labels[i] == gene.labels[j];
            if (same) place.fail(*values.get(i), fmt::format("'values' lists {} twice", gene.labels.empty()
                                                                                      ? fmt_number(gene.numbers[i])
                                                                                      : "'" + gene.labels[i] + "'"));
        }
}

// nsga2 rejects genes with lb == ub, and such a gene would change nothing.
void reject_single_value(const Gene& gene, const toml::table& table, const Place& place) {
    const bool single = gene.kind == GeneKind::Real ? gene.min == gene.max : gene.count() == 1;
    if (!single) return;
    place.fail(table, fmt::format("gene '{}' has a single value: that is not a gene (the optimiser rejects equal "
                                  "bounds); remove it and set {} in the base accelerator (or the space's top level)",
                                  gene.name, gene.target_text));
}

// ------------------------------------------------------------------------------- cost-bearing checks

// A gene that resizes a memory must change its costs: every figure it affects must be derived.
void require_derived_memory(const hardware::Memory& memory, const std::string& base_file, const std::string& why,
                            const toml::node& node, const Place& place) {
    std::vector<std::string> stated;
    const auto& d = memory.derived;
    if (!d.r_energy) stated.push_back("r_energy_pj");
    if (!d.w_energy) stated.push_back("w_energy_pj");
    if (!memory.is_dram) {
        if (!d.area) stated.push_back("area_mm2");
        if (!d.access_time) stated.push_back("access_time_ns");
    }
    if (stated.empty()) return;
    place.fail(node, fmt::format("{}, but memory '{}' states {} explicitly in the base accelerator '{}', so its cost "
                                 "would not change; remove {} from memory '{}' there so that the technology tables "
                                 "derive them",
                                 why, memory.name, join(stated), base_file, stated.size() > 1 ? "them" : "it",
                                 memory.name));
}

void check_gene_has_cost(const Gene& gene, const SearchSpace& space, const toml::node& node, const Place& place) {
    const auto& base = space.base;
    if (gene.target == Target::MemorySize || gene.target == Target::MemoryBandwidth) {
        const auto& memory = base.memories[gene.index];
        if (gene.target == Target::MemorySize && memory.is_dram)
            place.fail(node, fmt::format("'{}': DRAM capacity has no cost in the model, so the optimiser would pin it "
                                         "at its largest value; set it in the base accelerator",
                                         gene.target_text));
        require_derived_memory(memory, space.base_source, fmt::format("gene '{}' changes memory '{}'", gene.name,
                                                                    memory.name),
                               node, place);
    }
    if (gene.target == Target::Precision && !(base.array.mac_energy_derived && base.array.mac_area_derived))
        place.fail(node, fmt::format("gene '{}' changes the datapath precision, but the base accelerator '{}' states "
                                     "mac_energy_pj or mac_area_um2 explicitly; remove them from its [array] so that "
                                     "data/technology/mac.csv derives them",
                                     gene.name, space.base_source));
}

// ------------------------------------------------------------------------------------------- genes

Gene parse_gene(const toml::table& table, const SearchSpace& space, const Place& top) {
    Gene gene;
    gene.line = table.source().begin.line;
    const toml::node& target_node = required(table, "target", "what the gene sets, e.g. \"array.D1.size\"", top);
    gene.target_text = as_string(target_node, "target", top);
    const Place place = top.inner(fmt::format("gene '{}'", gene.target_text));
    check_keys(table, {"name", "target", "kind", "min", "max", "values"}, place);
    gene.name = table.get("name") ? as_string(*table.get("name"), "name", place) : gene.target_text;

    const auto [target, index] = parse_target(target_node, gene.target_text, space.base, place);
    gene.target = target;
    gene.index = index;

    const toml::node& kind_node = required(table, "kind", "pow2, choice, int or real", place);
    const std::string kind = as_string(kind_node, "kind", place);
    if (kind == "pow2") gene.kind = GeneKind::Pow2;
    else if (kind == "choice") gene.kind = GeneKind::Choice;
    else if (kind == "int") gene.kind = GeneKind::Int;
    else if (kind == "real") gene.kind = GeneKind::Real;
    else place.fail(kind_node, fmt::format("unknown kind '{}'; kinds are pow2, choice, int, real", kind));
    check_kind_fits(gene, kind_node, place);

    if (gene.kind == GeneKind::Choice) read_values(gene, table, place);
    else read_range(gene, table, place);
    reject_single_value(gene, table, place);
    check_gene_has_cost(gene, space, target_node, place);
    return gene;
}

void check_labels(const Gene& gene, const toml::table& table, const Place& place) {
    const toml::node& values = *table.get("values");
    for (std::size_t i = 0; i < gene.labels.size(); ++i) {
        const std::string& label = gene.labels[i];
        const toml::node& where = *values.as_array()->get(i);
        if (gene.target == Target::Dataflow && !find_template(label))
            place.fail(where, unknown("dataflow template", label, names_of_templates(), "templates are"));
        if (gene.target == Target::Precision && !find_precision(label))
            place.fail(where, unknown("precision", label, names_of_precisions(), "precisions are"));
        if (gene.target == Target::NetworkFamily && !find_family(label)) {
            std::vector<std::string> families;
            for (const auto& f : network_families()) families.push_back(f.name);
            place.fail(where, unknown("network family", label, families, "families with a grid are"));
        }
    }
}

// --------------------------------------------------------------------------------------- networks

// A network must be buildable and have at least one accuracy row at a precision the space can pick:
// no accuracy is ever interpolated, so a network without one could never be feasible.
void check_network(const std::string& network, const std::vector<std::string>& precisions, const toml::node& where,
                   const Place& place) {
    const auto& zoo = workload::Zoo::instance();
    if (!zoo.find(network)) place.fail(where, unknown("network", network, zoo.names(), "closest zoo networks"));
    const auto& tables = accuracy::AccuracyTables::builtin();
    const auto rows = tables.rows(network);
    if (rows.empty())
        place.fail(where, fmt::format("network '{}' has no accuracy row in data/accuracy; networks with rows, "
                                      "closest first: {}",
                                      network, join(closest_names(network, tables.networks(), 5))));
    std::vector<std::string> accuracy_precisions;
    for (const auto& name : precisions) {
        if (tables.find(network, find_precision(name)->accuracy)) return;
        accuracy_precisions.push_back(find_precision(name)->accuracy);
    }
    std::vector<std::string> available;
    for (const auto& row : rows)
        if (std::find(available.begin(), available.end(), row.precision) == available.end())
            available.push_back(row.precision);
    place.fail(where, fmt::format("network '{}' has no accuracy row at the space's precision{} {} (its rows: {})",
                                  network, accuracy_precisions.size() > 1 ? "s" : "", join(accuracy_precisions),
                                  join(available)));
}

// A precision no network of the space has rows for makes every design using it infeasible.
void check_precision_used(const std::string& precision, const std::vector<std::string>& networks,
                          const toml::node& where, const Place& place) {
    const auto& tables = accuracy::AccuracyTables::builtin();
    for (const auto& network : networks)
        if (tables.find(network, find_precision(precision)->accuracy)) return;
    place.fail(where, fmt::format("no network of the space has an accuracy row at precision '{}', so every design "
                                  "using it would be infeasible; remove it",
                                  precision));
}

// ------------------------------------------------------------------------------------- top level

hardware::Accelerator load_base(const std::string& base, const std::filesystem::path& directory,
                                std::string& resolved, const toml::node& where, const Place& place) {
    const std::filesystem::path path = directory / base;
    std::error_code unreadable;  // a name too long for the file system is "not a file" (finding 5)
    if (std::filesystem::is_regular_file(path, unreadable)) {
        resolved = path.lexically_normal().string();
        return hardware::load_accelerator(path);
    }
    const auto& presets = hardware::preset_names();
    if (std::find(presets.begin(), presets.end(), base) != presets.end()) {
        resolved = "preset " + base;
        return hardware::load_preset(base);
    }
    place.fail(where, fmt::format("base accelerator '{}' is neither a file (looked for '{}') nor a preset ({})", base,
                                  path.string(), join(presets)));
}

const toml::node* optional_node(const toml::table& table, std::string_view key) { return table.get(key); }

std::size_t memory_index(const std::string& name, const hardware::Accelerator& base, const toml::node& where,
                         const Place& place) {
    const auto names = memory_names(base);
    const auto found = std::find(names.begin(), names.end(), name);
    if (found == names.end()) place.fail(where, unknown("memory", name, names, "the base accelerator's memories are"));
    return static_cast<std::size_t>(found - names.begin());
}

void read_scaled_memories(SearchSpace& space, const toml::table& root, const Place& place) {
    const toml::node* node = optional_node(root, "scaled_memories");
    if (!node) return;
    for (const auto& name : string_array(*node, "scaled_memories", place)) {
        const std::size_t index = memory_index(name, space.base, *node, place);
        const auto& memory = space.base.memories[index];
        if (memory.is_dram) place.fail(*node, fmt::format("scaled_memories: '{}' is DRAM, not a register", name));
        for (const auto& gene : space.genes)
            if ((gene.target == Target::MemorySize || gene.target == Target::MemoryBandwidth) && gene.index == index)
                place.fail(*node, fmt::format("scaled_memories: memory '{}' is also set by gene '{}'; a memory either "
                                              "follows the precision or is a gene, not both",
                                              name, gene.name));
        require_derived_memory(memory, space.base_source, "scaled_memories lists '" + name + "'", *node, place);
        space.scaled_memories.push_back(index);
    }
}

void read_precision(SearchSpace& space, const toml::table& root, const Place& place) {
    const toml::node* node = optional_node(root, "precision");
    const int bits = space.base.array.precision_bits;
    space.precision = node ? as_string(*node, "precision", place) : fmt::format("int{}", bits);
    const PrecisionSpec* spec = find_precision(space.precision);
    if (!spec) {
        if (node) place.fail(*node, unknown("precision", space.precision, names_of_precisions(), "precisions are"));
        place.fail(root, fmt::format("the base accelerator's precision_bits = {} matches no known precision; add "
                                     "precision = \"...\" ({})",
                                     bits, join(names_of_precisions())));
    }
    if (spec->bits != bits)
        place.fail(node ? *node : static_cast<const toml::node&>(root),
                   fmt::format("precision '{}' has {} bits but the base accelerator '{}' has precision_bits = {}; "
                               "the base must be written for this precision",
                               spec->name, spec->bits, space.base_source, bits));
}

void read_dataflow(SearchSpace& space, const toml::table& root, const Place& place) {
    const toml::node* node = optional_node(root, "dataflow");
    const Gene* gene = space.gene_for(Target::Dataflow);
    if (node) {
        if (gene) place.fail(*node, fmt::format("'dataflow' is also chosen by gene '{}'; keep one", gene->name));
        space.dataflow = as_string(*node, "dataflow", place);
        if (!find_template(space.dataflow))
            place.fail(*node, unknown("dataflow template", space.dataflow, names_of_templates(), "templates are"));
    }
    const bool uses_templates = node || gene;
    if (uses_templates && space.base.array.dim_sizes.size() != 2)
        place.fail(node ? *node : static_cast<const toml::node&>(root),
                   fmt::format("dataflow templates are defined for 2-D arrays; the base accelerator has {} dimensions",
                               space.base.array.dim_sizes.size()));
    if (!uses_templates)
        if (const Gene* size = space.gene_for(Target::ArraySize))
            place.fail(root, fmt::format("gene '{}' resizes the array, but the base's dataflow is written for its "
                                         "fixed sizes; add a dataflow gene or dataflow = \"<template>\" ({})",
                                         size->name, join(names_of_templates())));
}

// The `values` array of a gene's table (space.genes holds the [[genes]] tables in file order, one each).
const toml::array& values_of_gene(const SearchSpace& space, const toml::array& genes_array, const Gene& gene) {
    const auto position = static_cast<std::size_t>(&gene - space.genes.data());
    return *genes_array.get(position)->as_table()->get("values")->as_array();
}

// Topology genes: every family must vary only on axes that have a gene, and must have a cell the
// genes can reach whose network has an accuracy row at a precision of the space.
void check_topology(const SearchSpace& space, const Gene& family_gene, const std::vector<std::string>& precisions,
                    const toml::array& values, const Place& place) {
    const auto& tables = accuracy::AccuracyTables::builtin();
    for (std::size_t i = 0; i < family_gene.labels.size(); ++i) {
        const NetworkFamily& family = *find_family(family_gene.labels[i]);
        const toml::node& where = *values.get(i);
        for (GridAxis axis : kGridAxes)
            if (family.varies(axis) && !space.gene_for(axis_target(axis)))
                place.fail(where, fmt::format("family '{}' ({}) varies in {}: add a network.{} gene", family.name,
                                              family.about, to_string(axis), to_string(axis)));
        bool reachable = false;
        for (const auto& cell : family.cells) {
            if (!cell_reachable(space, family, cell)) continue;
            for (const auto& precision : precisions)
                reachable = reachable || tables.find(cell.network, find_precision(precision)->accuracy).has_value();
        }
        if (!reachable)
            place.fail(where, fmt::format("no network of family '{}' that the grid genes can reach has an accuracy "
                                          "row at the space's precisions ({}), so every design choosing it would be "
                                          "infeasible",
                                          family.name, join(precisions)));
    }
}

// Every precision of the space needs a network with a row at it.
void check_precisions_used(const SearchSpace& space, const std::vector<std::string>& networks,
                           const toml::array& genes_array, const Place& place) {
    const Gene* precision_gene = space.gene_for(Target::Precision);
    const std::vector<std::string> precisions =
        precision_gene ? precision_gene->labels : std::vector<std::string>{space.precision};
    auto gene_place = [&](const Gene& gene) { return place.inner(fmt::format("gene '{}'", gene.target_text)); };
    if (precision_gene) {
        const toml::array& values = values_of_gene(space, genes_array, *precision_gene);
        for (std::size_t i = 0; i < precisions.size(); ++i)
            check_precision_used(precisions[i], networks, *values.get(i), gene_place(*precision_gene));
    }
}

// Networks and precisions refer to each other: every network needs a row at some precision of the
// space, and every precision of the space needs a network with a row.
void check_networks_and_precisions(SearchSpace& space, const toml::table& root, const toml::array& genes_array,
                                   const Place& place) {
    const Gene* precision_gene = space.gene_for(Target::Precision);
    const Gene* network_gene = space.gene_for(Target::Network);
    const std::vector<std::string> precisions =
        precision_gene ? precision_gene->labels : std::vector<std::string>{space.precision};

    const Gene* family_gene = space.gene_for(Target::NetworkFamily);
    const toml::node* network_node = optional_node(root, "network");
    if (network_node && network_gene)
        place.fail(*network_node, fmt::format("'network' is also chosen by gene '{}'; keep one", network_gene->name));
    if (family_gene && (network_gene || network_node))
        place.fail(network_gene ? static_cast<const toml::node&>(root) : *network_node,
                   fmt::format("the network is chosen by the topology gene '{}'; remove the {}", family_gene->name,
                               network_gene ? "flat network gene '" + network_gene->name + "'" : "'network' key"));
    for (Target axis : {Target::NetworkWidth, Target::NetworkResolution, Target::NetworkDepth})
        if (const Gene* gene = space.gene_for(axis); gene && !family_gene)
            place.fail(root, fmt::format("gene '{}' places the network on a family's grid, which needs a "
                                         "network.family gene",
                                         gene->name));
    if (family_gene) {
        check_topology(space, *family_gene, precisions, values_of_gene(space, genes_array, *family_gene),
                       place.inner(fmt::format("gene '{}'", family_gene->target_text)));
        check_precisions_used(space, space_networks(space), genes_array, place);
        return;
    }
    if (!network_node && !network_gene)
        place.fail(root, "missing key 'network' (the network, when no gene chooses it)");

    auto gene_place = [&](const Gene& gene) { return place.inner(fmt::format("gene '{}'", gene.target_text)); };
    auto values_of = [&](const Gene& gene) -> const toml::array& { return values_of_gene(space, genes_array, gene); };

    std::vector<std::string> networks;
    if (network_gene) {
        networks = network_gene->labels;
        const toml::array& values = values_of(*network_gene);
        for (std::size_t i = 0; i < networks.size(); ++i)
            check_network(networks[i], precisions, *values.get(i), gene_place(*network_gene));
    } else {
        space.network = as_string(*network_node, "network", place);
        networks = {space.network};
        check_network(space.network, precisions, *network_node, place);
    }
    check_precisions_used(space, networks, genes_array, place);
}

void read_genes(SearchSpace& space, const toml::array& genes, const Place& place) {
    for (const auto& element : genes) {
        if (!element.is_table()) place.fail(element, "[[genes]] entries must be tables");
        const toml::table& table = *element.as_table();
        Gene gene = parse_gene(table, space, place);
        for (const auto& other : space.genes) {
            const bool same_target = other.target == gene.target && other.index == gene.index;
            if (same_target)
                place.fail(table, fmt::format("gene '{}' sets '{}', which gene '{}' (line {}) already sets", gene.name,
                                              gene.target_text, other.name, other.line));
            if (other.name == gene.name)
                place.fail(table, fmt::format("gene name '{}' is used twice (line {})", gene.name, other.line));
        }
        if (!gene.labels.empty()) check_labels(gene, table, place.inner(fmt::format("gene '{}'", gene.target_text)));
        space.genes.push_back(std::move(gene));
    }
}

SearchSpace from_table(const toml::table& root, const std::string& source, const std::filesystem::path& directory) {
    const Place place{source, "top level"};
    check_keys(root, {"name", "description", "base", "network", "network_missing", "precision", "dataflow",
                      "scaled_memories", "max_area_mm2", "genes"},
               place);
    SearchSpace space;
    space.file = source;
    space.name = as_string(required(root, "name", "the space's name", place), "name", place);
    if (const toml::node* d = optional_node(root, "description")) space.description = as_string(*d, "description", place);
    const toml::node& base_node =
        required(root, "base", "the base accelerator: a TOML file relative to this one, or a preset name", place);
    space.base = load_base(as_string(base_node, "base", place), directory, space.base_source, base_node, place);
    if (const toml::node* area = optional_node(root, "max_area_mm2"))
        space.max_area_mm2 = positive(*area, "max_area_mm2", "mm²", place);
    if (const toml::node* missing = optional_node(root, "network_missing")) {
        const std::string policy = as_string(*missing, "network_missing", place);
        if (policy == "nearest") space.network_missing = MissingCell::Nearest;
        else if (policy != "infeasible")
            place.fail(*missing, fmt::format("'network_missing' must be \"infeasible\" or \"nearest\", got '{}'", policy));
    }

    const toml::node& genes_node = required(root, "genes", "[[genes]] tables, at least one", place);
    const toml::array& genes = as_array(genes_node, "genes", "[[genes]] tables", place);
    if (genes.empty()) place.fail(genes_node, "'genes' is empty; a space needs at least one gene");
    read_genes(space, genes, place);

    read_precision(space, root, place);
    read_dataflow(space, root, place);
    read_scaled_memories(space, root, place);
    check_networks_and_precisions(space, root, genes, place);
    return space;
}

}  // namespace

Target axis_target(GridAxis axis) {
    switch (axis) {
        case GridAxis::Width: return Target::NetworkWidth;
        case GridAxis::Resolution: return Target::NetworkResolution;
        case GridAxis::Depth: return Target::NetworkDepth;
    }
    return Target::NetworkDepth;
}

double gene_number(const Gene& gene, std::size_t index) {
    return gene.kind == GeneKind::Int ? gene.min + static_cast<double>(index) : gene.numbers.at(index);
}

std::optional<std::size_t> gene_position(const Gene& gene, double value) {
    if (gene.kind == GeneKind::Int) {
        if (value >= gene.min && value <= gene.max && value == std::floor(value))
            return static_cast<std::size_t>(value - gene.min);
        return std::nullopt;
    }
    const auto found = std::find(gene.numbers.begin(), gene.numbers.end(), value);
    if (found == gene.numbers.end()) return std::nullopt;
    return static_cast<std::size_t>(found - gene.numbers.begin());
}

bool cell_reachable(const SearchSpace& space, const NetworkFamily& family, const GridCell& cell) {
    for (GridAxis axis : kGridAxes) {
        if (!family.varies(axis)) continue;
        const Gene* gene = space.gene_for(axis_target(axis));
        if (!gene || !gene_position(*gene, cell[axis])) return false;
    }
    return true;
}

std::vector<std::string> space_networks(const SearchSpace& space) {
    if (const Gene* gene = space.gene_for(Target::Network)) return gene->labels;
    const Gene* family_gene = space.gene_for(Target::NetworkFamily);
    if (!family_gene) return {space.network};
    std::vector<std::string> out;
    for (const auto& name : family_gene->labels) {
        const NetworkFamily& family = *find_family(name);
        for (const auto& cell : family.cells)
            if (cell_reachable(space, family, cell)) out.push_back(cell.network);
    }
    return out;
}

SearchSpace parse_search_space(std::string_view text, const std::string& source_name,
                               const std::filesystem::path& directory) {
    return from_table(parse_text(text, source_name), source_name, directory);
}

SearchSpace load_search_space(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(fmt::format("cannot read search-space file '{}'", path.string()));
    std::ostringstream text;
    text << in.rdbuf();
    return parse_search_space(text.str(), path.string(), path.parent_path());
}

}  // namespace elaa::encodings
