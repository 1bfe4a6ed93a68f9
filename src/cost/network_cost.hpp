// A whole network on one accelerator: every costed layer's best mapping and cost, and the totals.
// Layers run one after another; activations return to the top memory of their operand between
// layers (as in ZigZag), so layers are independent and identical shapes share one search.
#pragma once

#include <array>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "mapping/search.hpp"
#include "workload/network.hpp"

namespace elaa::cost {

// Which layer kinds are costed (`--kinds`): ZigZag's ONNX path costs only conv and fc. fc is every
// product with a weight matrix (classifiers, transformer projections and MLPs), attention every
// product of two activations, vector the softmax / layer norm / GELU operators.
enum class KindClass { Conv, Fc, Pool, Add, Attention, Vector };
inline constexpr std::array<KindClass, 6> kAllKindClasses{KindClass::Conv, KindClass::Fc,        KindClass::Pool,
                                                          KindClass::Add,  KindClass::Attention, KindClass::Vector};
std::string_view to_string(KindClass kind);
bool parse_kind_class(std::string_view text, KindClass& out);
KindClass kind_class(workload::OpKind kind);

struct EvalOptions {
    mapping::SearchOptions search{};
    std::vector<KindClass> kinds{kAllKindClasses.begin(), kAllKindClasses.end()};
    unsigned threads = 1;
    // Mappings given by the user (`--mapping`), by layer name: evaluated as given, no search.
    std::map<std::string, mapping::Mapping> given_mappings;
};

struct LayerResult {
    const workload::Layer* layer = nullptr;
    bool costed = false;              // false: kind not selected by --kinds
    bool given_mapping = false;       // evaluated from --mapping
    bool dataflow_fell_back = false;  // the preset has no entry for this kind: default unrolling used
    mapping::SearchResult result;     // mapping + cost (when costed)
};

struct NetworkCost {
    std::vector<LayerResult> layers;
    double energy_pj = 0, mac_energy_pj = 0, latency_cycles = 0, dram_bits = 0;
    std::int64_t macs = 0;
    double spatial_utilisation = 0, temporal_utilisation = 0;  // over the costed layers
    std::size_t unique_shapes = 0, cache_hits = 0;
};

// Memoises searches by their full evaluation key: the accelerator's fingerprint and the layer's key
// (shape, precisions, objective, search space), both compared in full. Thread-safe.
//
// Entries are kept compact: the fingerprint (about 1 KB) once per accelerator, not once per layer,
// and the traffic table cut to its length (about 1.3 KB an entry instead of 3.5). A hit rebuilds the
// SearchResult exactly. A cache that keeps the figures only (Keep::Figures: every LayerFigures
// value, but no mapping and no traffic table; about 0.3 KB an entry) serves callers that need
// network totals, the optimiser.
//
// Optionally bounded (an optimisation run evaluates designs for hours): entries live in two
// generations of at most half the budget each; when the newer one is full, the older one is
// dropped and the newer becomes the older; a hit in the older generation moves the entry to the
// newer one. Evicting changes speed, never numbers: a search that is no longer cached is simply run
// again and gives the same result.
class SearchCache {
public:
    // `budget_bytes`: the memory the entries may use (estimated: keys, results, their loops and the
    // hash-table nodes); 0 = unbounded.
    enum class Keep { Everything, Figures };
    explicit SearchCache(std::size_t budget_bytes = 0, Keep keep = Keep::Everything)
        : budget_bytes_(budget_bytes), keep_(keep) {}
    std::optional<mapping::SearchResult> find(const std::string& accelerator, const std::string& layer);
    void insert(const std::string& accelerator, const std::string& layer, const mapping::SearchResult& result);
    std::size_t size() const;   // entries in both generations
    std::size_t bytes() const;  // their estimated memory

    // The estimates behind bytes(): one entry, and one accelerator's share (its fingerprint, once per
    // generation that holds any of its entries).
    std::size_t entry_bytes(const std::string& layer, const mapping::SearchResult& result) const;
    static std::size_t accelerator_bytes(const std::string& accelerator);

private:
    struct Detail {  // Keep::Everything only
        mapping::Mapping mapping;
        std::vector<MemoryTraffic> traffic;
    };
    struct Entry {
        LayerFigures figures;
        std::unique_ptr<Detail> detail;
        std::size_t orderings = 0, evaluations = 0;
        bool fell_back_to_loma = false;
    };
    static std::size_t bytes_of(const std::string& layer, const Entry& entry);
    Entry compact(const mapping::SearchResult& result) const;
    static mapping::SearchResult expand(const Entry& entry);
    struct Generation {
        std::unordered_map<std::string, std::unordered_map<std::string, Entry>> by_accelerator;
        std::size_t entries = 0, bytes = 0;
    };
    // Inserts into the newer generation; returns the generation a rotation dropped (empty if none).
    Generation insert_locked(const std::string& accelerator, const std::string& layer, Entry entry);

    mutable std::mutex mutex_;
    std::size_t budget_bytes_;
    Keep keep_;
    Generation newer_, older_;
};

// The layer's part of a search's key: everything of the layer and the search options that can
// change the result (the accelerator's part is hardware::fingerprint).
std::string layer_search_key(const workload::Layer& layer, const mapping::SearchOptions& options);

// With a cache that keeps figures only, layers answered from it have their figures but an empty
// mapping and traffic table.
// Throws cost::MappingError (a layer that fits no mapping, an invalid given mapping) naming the layer.
NetworkCost evaluate_network(const workload::Network& net, const hardware::Accelerator& acc,
                             const EvalOptions& options, SearchCache* cache = nullptr);

}  // namespace elaa::cost
