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

    const Gene* gene_for(Target target) const;
};

// Reads and validates a space. The base accelerator is a file relative to the space file or a
// preset name. Every problem is an InputError "<file>:<line>: <place>: <what>".
SearchSpace load_search_space(const std::filesystem::path& path);
// The same from text; relative base paths resolve against `directory`.
SearchSpace parse_search_space(std::string_view text, const std::string& source_name,
                               const std::filesystem::path& directory);

}  // namespace elaa::encodings
