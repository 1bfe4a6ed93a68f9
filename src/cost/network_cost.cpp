#include "cost/network_cost.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <exception>
#include <thread>
#include <utility>

#include "cost/evaluate.hpp"

namespace elaa::cost {

std::string_view to_string(KindClass kind) {
    switch (kind) {
        case KindClass::Conv: return "conv";
        case KindClass::Fc: return "fc";
        case KindClass::Pool: return "pool";
        case KindClass::Add: return "add";
        case KindClass::Attention: return "attention";
        case KindClass::Vector: return "vector";
    }
    return "?";
}

bool parse_kind_class(std::string_view text, KindClass& out) {
    for (auto k : kAllKindClasses)
        if (to_string(k) == text) {
            out = k;
            return true;
        }
    return false;
}

KindClass kind_class(workload::OpKind kind) {
    using workload::OpKind;
    switch (kind) {
        case OpKind::Conv:
        case OpKind::GroupedConv:
        case OpKind::DepthwiseConv: return KindClass::Conv;
        case OpKind::Gemm: return KindClass::Fc;
        case OpKind::MatMul: return KindClass::Attention;
        case OpKind::MaxPool:
        case OpKind::AvgPool: return KindClass::Pool;
        case OpKind::Add:
        case OpKind::Mul: return KindClass::Add;
        case OpKind::Softmax:
        case OpKind::LayerNorm:
        case OpKind::Gelu: return KindClass::Vector;
    }
    return KindClass::Conv;
}

namespace {

// What one entry costs, estimated from sizes (not capacities, so that a copy costs the same): its
// key, the result with its loops, and the hash-table node around them.
std::size_t entry_bytes(const std::string& key, const mapping::SearchResult& result) {
    constexpr std::size_t kNodeOverhead = 64;  // node, bucket pointer, cached hash, allocator slack
    std::size_t bytes = key.size() + sizeof(mapping::SearchResult) + kNodeOverhead;
    for (const auto& levels : result.mapping.temporal.levels)
        for (const auto& level : levels) bytes += sizeof(level) + level.size() * sizeof(mapping::Loop);
    for (const auto& dim : result.mapping.spatial.per_array_dim)
        bytes += sizeof(dim) + dim.size() * sizeof(mapping::SpatialLoop);
    return bytes;
}

}  // namespace

std::optional<mapping::SearchResult> SearchCache::find(const std::string& key) {
    Generation dropped;  // freed after the lock is released, not while other threads wait for it
    std::lock_guard lock(mutex_);
    if (auto it = newer_.entries.find(key); it != newer_.entries.end()) return it->second;
    auto it = older_.entries.find(key);  // std::unordered_map compares the whole key on a hash match
    if (it == older_.entries.end()) return std::nullopt;
    mapping::SearchResult found = it->second;
    older_.bytes -= entry_bytes(it->first, it->second);
    older_.entries.erase(it);
    dropped = insert_locked(key, found);  // still in use: keep it through the next eviction
    return found;
}

void SearchCache::insert(const std::string& key, const mapping::SearchResult& result) {
    Generation dropped;  // as in find()
    std::lock_guard lock(mutex_);
    if (newer_.entries.count(key) || older_.entries.count(key)) return;  // two threads searched it at once
    dropped = insert_locked(key, result);
}

SearchCache::Generation SearchCache::insert_locked(const std::string& key, mapping::SearchResult result) {
    const std::size_t bytes = entry_bytes(key, result);
    Generation dropped;
    if (budget_bytes_ && newer_.bytes + bytes > budget_bytes_ / 2 && !newer_.entries.empty()) {
        dropped = std::exchange(older_, std::exchange(newer_, Generation{}));
    }
    newer_.entries.emplace(key, std::move(result));
    newer_.bytes += bytes;
    return dropped;
}

std::size_t SearchCache::size() const {
    std::lock_guard lock(mutex_);
    return newer_.entries.size() + older_.entries.size();
}

std::size_t SearchCache::bytes() const {
    std::lock_guard lock(mutex_);
    return newer_.bytes + older_.bytes;
}

std::string search_key(const workload::Layer& l, const std::string& accelerator_fingerprint,
                       const mapping::SearchOptions& options) {
    char buf[512];
    std::snprintf(buf, sizeof buf, "%s|%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld|s%d,%d|d%d,%d|p%d,%d,%d,%d|i%lld,%lld|"
                  "b%d|q%d,%d,%d,%d|%s,%s,%zu|",
                  std::string(workload::to_string(l.kind)).c_str(), static_cast<long long>(l.B),
                  static_cast<long long>(l.K), static_cast<long long>(l.C), static_cast<long long>(l.OY),
                  static_cast<long long>(l.OX), static_cast<long long>(l.FY), static_cast<long long>(l.FX),
                  static_cast<long long>(l.G), l.stride_y, l.stride_x, l.dilation_y, l.dilation_x, l.pad_top,
                  l.pad_left, l.pad_bottom, l.pad_right, static_cast<long long>(l.in_h),
                  static_cast<long long>(l.in_w), l.broadcast_second_operand ? 1 : 0,
                  l.precision.w_bits, l.precision.i_bits, l.precision.o_bits, l.precision.psum_bits,
                  std::string(mapping::to_string(options.objective)).c_str(),
                  std::string(mapping::to_string(options.space)).c_str(), options.max_orderings);
    std::string key = buf;
    // Densities enter the key only when set, so that dense keys (and the cache) stay as they were.
    if (l.input_density != 1 || l.output_density != 1) {
        std::snprintf(buf, sizeof buf, "den%.17g,%.17g|", l.input_density, l.output_density);
        key += buf;
    }
    return key + accelerator_fingerprint;
}

NetworkCost evaluate_network(const workload::Network& net, const hardware::Accelerator& acc,
                             const EvalOptions& options, SearchCache* cache) {
    NetworkCost out;
    out.layers.resize(net.layers.size());
    const std::string fp = hardware::fingerprint(acc);
    // Every layer runs at the accelerator's datapath precision (8-bit presets: ZigZag's 8/8/8 with
    // 16-bit partial sums).
    const workload::Precision precision = acc.layer_precision();
    auto at_datapath = [&](const workload::Layer& layer) {
        workload::Layer adjusted = layer;
        adjusted.precision = precision;
        return adjusted;
    };

    // Distinct searches first, so that each runs once whatever the thread count.
    std::vector<std::string> keys(net.layers.size());
    std::vector<std::size_t> first_of_key;  // layer index of each distinct search
    std::unordered_map<std::string, std::size_t> key_index;
    std::vector<std::size_t> job_of_layer(net.layers.size(), SIZE_MAX);
    for (std::size_t i = 0; i < net.layers.size(); ++i) {
        const auto& layer = net.layers[i];
        auto& lr = out.layers[i];
        lr.layer = &layer;
        lr.costed = std::find(options.kinds.begin(), options.kinds.end(), kind_class(layer.kind)) != options.kinds.end();
        if (!lr.costed) continue;
        acc.dataflow_for(layer.kind, &lr.dataflow_fell_back);
        if (auto given = options.given_mappings.find(layer.name); given != options.given_mappings.end()) {
            lr.given_mapping = true;
            try {
                lr.result.mapping = given->second;
                lr.result.cost = evaluate(at_datapath(layer), acc, given->second);
            } catch (const MappingError& e) {
                throw MappingError("given mapping for layer '" + layer.name + "': " + e.what());
            }
            continue;
        }
        keys[i] = search_key(at_datapath(layer), fp, options.search);
        auto [it, inserted] = key_index.emplace(keys[i], first_of_key.size());
        if (inserted) first_of_key.push_back(i);
        job_of_layer[i] = it->second;
    }
    out.unique_shapes = first_of_key.size();

    std::vector<mapping::SearchResult> results(first_of_key.size());
    std::vector<std::exception_ptr> errors(first_of_key.size());
    std::atomic<std::size_t> next{0}, hits{0};
    auto worker = [&] {
        for (std::size_t j = next++; j < first_of_key.size(); j = next++) {
            const auto& layer = net.layers[first_of_key[j]];
            const std::string& key = keys[first_of_key[j]];
            try {
                if (cache) {
                    if (auto found = cache->find(key)) {
                        results[j] = std::move(*found);
                        ++hits;
                        continue;
                    }
                }
                results[j] = mapping::search(at_datapath(layer), acc, options.search);
                if (cache) cache->insert(key, results[j]);
            } catch (...) {
                errors[j] = std::current_exception();
            }
        }
    };
    const unsigned threads = std::max(1u, std::min<unsigned>(options.threads, static_cast<unsigned>(first_of_key.size())));
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
    for (const auto& e : errors)
        if (e) std::rethrow_exception(e);
    // Layers answered without a search of their own: repeated shapes plus hits of the shared cache.
    const auto searched_layers = static_cast<std::size_t>(
        std::count_if(job_of_layer.begin(), job_of_layer.end(), [](std::size_t j) { return j != SIZE_MAX; }));
    out.cache_hits = searched_layers - (first_of_key.size() - hits);

    // Totals in layer order (sums are in a fixed order: bit-identical for any thread count).
    double ideal_weighted = 0, temporal = 0;
    for (std::size_t i = 0; i < net.layers.size(); ++i) {
        auto& lr = out.layers[i];
        if (!lr.costed) continue;
        if (job_of_layer[i] != SIZE_MAX) lr.result = results[job_of_layer[i]];
        const auto& c = lr.result.cost;
        out.energy_pj += c.energy_pj();
        out.mac_energy_pj += c.mac_energy_pj;
        out.latency_cycles += c.latency_cycles();
        out.dram_bits += c.dram_bits;
        out.macs += net.layers[i].macs();
        ideal_weighted += c.spatial_utilisation * c.temporal_cycles;
        temporal += c.temporal_cycles;
    }
    if (temporal > 0) {
        out.spatial_utilisation = ideal_weighted / temporal;
        out.temporal_utilisation = temporal / out.latency_cycles;
    }
    return out;
}

}  // namespace elaa::cost
