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
constexpr std::size_t kNodeOverhead = 64;  // hash-table node, bucket pointer, cached hash, allocator slack
}  // namespace

// Estimated from sizes, not capacities, so that a copy costs the same.
std::size_t SearchCache::bytes_of(const std::string& layer, const Entry& entry) {
    std::size_t bytes = layer.size() + sizeof(Entry) + kNodeOverhead;
    if (const auto* d = entry.detail.get()) {
        bytes += sizeof(Detail) + d->traffic.size() * sizeof(MemoryTraffic);
        for (const auto& levels : d->mapping.temporal.levels)
            for (const auto& level : levels) bytes += sizeof(level) + level.size() * sizeof(mapping::Loop);
        for (const auto& dim : d->mapping.spatial.per_array_dim)
            bytes += sizeof(dim) + dim.size() * sizeof(mapping::SpatialLoop);
    }
    return bytes;
}

std::size_t SearchCache::entry_bytes(const std::string& layer, const mapping::SearchResult& result) const {
    return bytes_of(layer, compact(result));
}

std::size_t SearchCache::accelerator_bytes(const std::string& accelerator) {
    return accelerator.size() + sizeof(std::unordered_map<std::string, Entry>) + kNodeOverhead;
}

SearchCache::Entry SearchCache::compact(const mapping::SearchResult& result) const {
    Entry entry{static_cast<const LayerFigures&>(result.cost), nullptr, result.orderings, result.evaluations,
                result.fell_back_to_loma};
    if (keep_ == Keep::Everything)
        entry.detail = std::make_unique<Detail>(
            Detail{result.mapping, std::vector<MemoryTraffic>(result.cost.traffic.begin(), result.cost.traffic.end())});
    return entry;
}

mapping::SearchResult SearchCache::expand(const Entry& entry) {
    mapping::SearchResult result;
    static_cast<LayerFigures&>(result.cost) = entry.figures;
    if (const auto* d = entry.detail.get()) {
        result.mapping = d->mapping;
        result.cost.traffic.assign(d->traffic.begin(), d->traffic.end());
    }
    result.orderings = entry.orderings;
    result.evaluations = entry.evaluations;
    result.fell_back_to_loma = entry.fell_back_to_loma;
    return result;
}

std::optional<mapping::SearchResult> SearchCache::find(const std::string& accelerator, const std::string& layer) {
    Generation dropped;  // freed after the lock is released, not while other threads wait for it
    std::lock_guard lock(mutex_);
    if (auto acc = newer_.by_accelerator.find(accelerator); acc != newer_.by_accelerator.end())
        if (auto it = acc->second.find(layer); it != acc->second.end()) return expand(it->second);
    auto acc = older_.by_accelerator.find(accelerator);  // std::unordered_map compares whole keys on a hash match
    if (acc == older_.by_accelerator.end()) return std::nullopt;
    auto it = acc->second.find(layer);
    if (it == acc->second.end()) return std::nullopt;
    Entry entry = std::move(it->second);
    auto found = expand(entry);
    older_.bytes -= bytes_of(layer, entry);
    --older_.entries;
    acc->second.erase(it);
    if (acc->second.empty()) {
        older_.bytes -= accelerator_bytes(accelerator);
        older_.by_accelerator.erase(acc);
    }
    dropped = insert_locked(accelerator, layer, std::move(entry));  // still in use: keep it through the next eviction
    return found;
}

void SearchCache::insert(const std::string& accelerator, const std::string& layer, const mapping::SearchResult& result) {
    Generation dropped;  // as in find()
    std::lock_guard lock(mutex_);
    for (const auto* generation : {&newer_, &older_})  // two threads searched it at once
        if (auto acc = generation->by_accelerator.find(accelerator); acc != generation->by_accelerator.end())
            if (acc->second.count(layer)) return;
    dropped = insert_locked(accelerator, layer, compact(result));
}

SearchCache::Generation SearchCache::insert_locked(const std::string& accelerator, const std::string& layer, Entry entry) {
    const auto bytes_in_newer = [&] {
        return bytes_of(layer, entry) +
               (newer_.by_accelerator.count(accelerator) ? 0 : accelerator_bytes(accelerator));
    };
    std::size_t bytes = bytes_in_newer();
    Generation dropped;
    if (budget_bytes_ && newer_.bytes + bytes > budget_bytes_ / 2 && newer_.entries > 0) {
        dropped = std::exchange(older_, std::exchange(newer_, Generation{}));
        bytes = bytes_in_newer();  // the accelerator is new to the fresh generation
    }
    newer_.by_accelerator[accelerator].emplace(layer, std::move(entry));
    ++newer_.entries;
    newer_.bytes += bytes;
    return dropped;
}

std::size_t SearchCache::size() const {
    std::lock_guard lock(mutex_);
    return newer_.entries + older_.entries;
}

std::size_t SearchCache::bytes() const {
    std::lock_guard lock(mutex_);
    return newer_.bytes + older_.bytes;
}

std::string layer_search_key(const workload::Layer& l, const mapping::SearchOptions& options) {
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
    return key;
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
        keys[i] = layer_search_key(at_datapath(layer), options.search);
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
                    if (auto found = cache->find(fp, key)) {
                        results[j] = std::move(*found);
                        ++hits;
                        continue;
                    }
                }
                results[j] = mapping::search(at_datapath(layer), acc, options.search);
                if (cache) cache->insert(fp, key, results[j]);
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
