// A design space for `elaa optimise`, read from a TOML file (schema: docs/search-space.md).
//
// A space is a base accelerator plus genes: each gene sets one target (an array dimension's size, a
// memory's capacity or port width, the clock, the dataflow template, the datapath precision or the
// network) to one of its values. Everything no gene sets stays as the base accelerator states it.
// This file only loads and validates; encodings/encoding.hpp turns genomes into designs.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "encodings/network_grid.hpp"
#include "hardware/accelerator.hpp"
#include "workload/layer.hpp"

namespace elaa::encodings {

// How a gene's genome value maps to its target's value.
enum class GeneKind {
    Pow2,    // integer index i over the powers of two min, 2·min, ..., max
    Choice,  // integer index i over a list of values (numbers or names)
    Int,     // the integer itself, min..max
    Real,    // the real number itself, min..max (continuous)
};
std::string_view to_string(GeneKind kind);

// What a gene sets.
enum class Target {
    ArraySize,        // array.<dim>.size
    MemorySize,       // memory.<name>.size_bits
    MemoryBandwidth,  // memory.<name>.bw_bits: bw_max_bits of every port of the memory
    Frequency,        // frequency_mhz
    Dataflow,         // dataflow: a template name
    Precision,        // precision: a datapath precision name
    Network,          // network: a zoo network name
    // Topology genes (encodings/network_grid.hpp): a family and a position on its grid.
    NetworkFamily,      // network.family: a family name
    NetworkWidth,       // network.width: a width multiplier
    NetworkResolution,  // network.resolution: an input resolution in pixels
    NetworkDepth,       // network.depth: the rank of the depth within the family (0: shallowest)
};

// What a topology genome whose grid cell has no network with a published accuracy row at the
// design's precision becomes (space key network_missing).
enum class MissingCell {
    Infeasible,  // an infeasible design, with the reason
    Nearest,     // the nearest such cell of the family, by gene positions (ties: the first in zoo-name order)
};

// A datapath precision the space may choose. The names are those of data/technology/mac.csv;
// `accuracy` is the precision column of the accuracy rows that apply.
struct PrecisionSpec {
    std::string name;  // "int8", "int16", "fp16", "fp32"
    int bits = 8;      // operand bits (weights, activations, outputs); partial sums are twice
                       // that (hardware::Accelerator::layer_precision, the evaluator's convention)
    bool floating = false;
    std::string accuracy;  // accuracy-table precision answering this datapath
};
const std::vector<PrecisionSpec>& known_precisions();
const PrecisionSpec* find_precision(std::string_view name);

// A named spatial dataflow for a 2-D array: the loop each array dimension unrolls, for the default
// operator class and for depthwise layers (also used for pooling and element-wise layers, which
// are depthwise-shaped: K = C = 1, G = channels). Factors are the array dimensions' sizes.
struct DataflowTemplate {
    std::string name;
    std::vector<workload::Dim> default_loops;    // one per array dimension
    std::vector<workload::Dim> depthwise_loops;  // one per array dimension
};
const std::vector<DataflowTemplate>& known_templates();
const DataflowTemplate* find_template(std::string_view name);

struct Gene {
    std::string name;    // for CSV columns and messages; defaults to the target text
    std::string target_text;  // as written, e.g. "memory.weight_buf.size_bits"
    Target target = Target::Frequency;
    std::size_t index = 0;  // array dimension or memory index for the array/memory targets
    GeneKind kind = GeneKind::Real;
    double min = 0, max = 0;       // Int, Real: the range
    std::vector<double> numbers;   // Pow2 and numeric Choice: the values, in genome order
    std::vector<std::string> labels;  // Choice over names (dataflow, precision, network)
    std::size_t line = 0;  // where the gene is declared

    bool is_integer() const { return kind != GeneKind::Real; }
    // Number of values of an integer gene (Pow2, Choice, Int); 0 for Real.
    std::size_t count() const;
};

struct SearchSpace {
    std::string name;
    std::string description;
    std::string file;  // the space file, for messages
    std::string base_source;     // the base accelerator's file or preset name, as resolved
    hardware::Accelerator base;  // costs re-derived for every decoded design
    std::vector<Gene> genes;     // in file order

    std::string network;    // network = "...": the network when no gene chooses it
    // precision = "...": the precision the base accelerator is written for (its precision_bits),
    // and the design's precision when no gene chooses it. Default "int<base precision_bits>".
    std::string precision;
    std::string dataflow;   // dataflow = "<template>" when no gene chooses it (empty: the base's)
    // scaled_memories = [...]: memories sized in elements (per-MAC registers) whose size_bits and
    // port widths follow the datapath precision: × bits / base bits (partial sums are twice the
    // operand bits at every precision, so accumulators scale alike).
    std::vector<std::size_t> scaled_memories;

    std::optional<double> max_area_mm2;  // chip-area budget: larger designs are infeasible
    MissingCell network_missing = MissingCell::Infeasible;

    const Gene* gene_for(Target target) const;
    // Whether a gene chooses the network (a flat network gene, or topology genes).
    bool chooses_network() const { return gene_for(Target::Network) || gene_for(Target::NetworkFamily); }
};

// Topology genes: the gene of a grid axis, the value at a gene position (Choice and Int genes), the
// position of a value, whether the genes can reach a cell, and every network a space can choose
// (a flat gene's names, the fixed network, or the reachable cells of the families).
Target axis_target(GridAxis axis);
double gene_number(const Gene& gene, std::size_t index);
std::optional<std::size_t> gene_position(const Gene& gene, double value);
bool cell_reachable(const SearchSpace& space, const NetworkFamily& family, const GridCell& cell);
std::vector<std::string> space_networks(const SearchSpace& space);

// Reads and validates a space. The base accelerator is a file relative to the space file or a
// preset name. Every problem is an InputError "<file>:<line>: <place>: <what>".
SearchSpace load_search_space(const std::filesystem::path& path);
// The same from text; relative base paths resolve against `directory`.
SearchSpace parse_search_space(std::string_view text, const std::string& source_name,
                               const std::filesystem::path& directory);

}  // namespace elaa::encodings
