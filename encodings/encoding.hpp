// Genomes of a search space: the layout pagmo sees (real genes first, integer genes last), decoding a
// genome into an accelerator + network (or a stated reason it is infeasible), and encoding back.
// Pagmo-free: the optimiser's problem classes wrap this. docs/search-space.md describes the rules.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "encodings/search_space.hpp"
#include "hardware/accelerator.hpp"
#include "workload/layer.hpp"

namespace elaa::encodings {

struct Design {
    hardware::Accelerator accelerator;  // costs derived, valid for hardware::to_toml / elaa eval --arch
    std::string network;                // zoo name
    std::string precision;              // datapath precision chosen: "int8", "fp32", ...
    int precision_bits = 8;             // operand bits (= accelerator.array.precision_bits)
    std::string accuracy_precision;     // precision column of the accuracy row that applies
    // The layer precision the evaluator uses on this datapath (accelerator.layer_precision():
    // operands at precision_bits, partial sums at twice that).
    workload::Precision layer_precision;
    // Topology genes: why the chosen grid cell gives no network (network then empty).
    std::string cell_problem;
    bool operator==(const Design&) const = default;
};

struct Decoded {
    std::optional<Design> design;  // set when feasible
    std::string infeasible;        // why not, when design is empty
};

// The clock the slowest on-chip memory allows: one access per cycle, f_max = 1000 / access_time_ns.
struct TimingBound {
    double max_frequency_mhz = 0;  // +infinity when no on-chip memory states an access time
    std::string memory;            // the limiting memory
    double access_time_ns = 0;
};
TimingBound timing_bound(const hardware::Accelerator& accelerator);

class Encoding {
public:
    explicit Encoding(SearchSpace space);

    const SearchSpace& space() const { return space_; }

    // Genome layout: every real gene, then every integer gene (pagmo's nix last), each group in the
    // order of the space file.
    std::size_t dimension() const { return order_.size(); }
    std::size_t integer_dimension() const { return integer_count_; }
    // Lower and upper bounds; integer bounds are integral (indices 0..n-1 for pow2 and choice).
    std::pair<std::vector<double>, std::vector<double>> bounds() const;
    const Gene& gene_at(std::size_t position) const { return space_.genes[order_[position]]; }
    std::vector<std::string> gene_names() const;

    // The deterministic rounding decode applies: integer genes round half away from zero, every gene
    // is clamped to its bounds, NaN becomes the lower bound. encode(decode(g)) == normalise(g).
    std::vector<double> normalise(const std::vector<double>& genome) const;

    // The design a genome describes, feasible or not (costs derived). Throws std::invalid_argument
    // when the genome's length is not dimension().
    Design build(const std::vector<double>& genome) const;
    // Why a design cannot be evaluated ("" when it can): no accuracy row for the network at its
    // precision, chip area above the space's budget, clock above the timing bound.
    std::string infeasibility(const Design& design) const;
    // build + infeasibility.
    Decoded decode(const std::vector<double>& genome) const;

    // The genome of a design; throws InputError when the design is not in the space (a value no gene
    // offers, or fields that differ from the base where no gene reaches).
    std::vector<double> encode(const Design& design) const;

    // (gene name, decoded value) in genome order, for CSV export.
    std::vector<std::pair<std::string, std::string>> describe(const std::vector<double>& genome) const;

    // Discrete designs: the product of the integer genes' value counts (real genes not counted).
    std::uint64_t design_count() const;
    // The n-th genome (0 <= n < design_count()) in mixed radix over the integer genes, the last gene
    // varying fastest; real genes at their lower bound. For exhaustive enumeration of small spaces.
    std::vector<double> nth_genome(std::uint64_t n) const;

private:
    double lower(const Gene& gene) const;
    double upper(const Gene& gene) const;
    double gene_value(const Gene& gene, double x) const;  // numeric target value of a normalised gene
    void apply_precision(hardware::Accelerator& acc, const PrecisionSpec& spec) const;
    void apply_dataflow(hardware::Accelerator& acc, const DataflowTemplate& flow) const;
    double genome_value(const Gene& gene, const Design& design) const;
    // Topology genes: the network of the chosen family at the chosen grid position (or, under
    // network_missing = "nearest", the nearest cell with an accuracy row at the precision).
    void resolve_cell(Design& design, const NetworkFamily& family, const std::array<double, 3>& at,
                      const PrecisionSpec& precision) const;

    SearchSpace space_;
    std::vector<std::size_t> order_;  // genome position -> index into space_.genes
    std::size_t integer_count_ = 0;
    const PrecisionSpec* base_precision_ = nullptr;
    // "<network>\n<precision>" -> why it has no accuracy row ("" when it has one), for every pair
    // the space can produce: computed once, decoding runs thousands of times.
    std::map<std::string, std::string, std::less<>> accuracy_problems_;
};

}  // namespace elaa::encodings
