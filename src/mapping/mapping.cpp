#include "mapping/mapping.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace elaa::mapping {

double SpatialMapping::unrolling(Dim dim) const {
    double product = 1;
    for (const auto& loops : per_array_dim)
        for (const auto& loop : loops)
            if (loop.dim == dim) product *= loop.factor;
    return product;
}

double SpatialMapping::active_units() const {
    double product = 1;
    for (const auto& loops : per_array_dim)
        for (const auto& loop : loops) product *= loop.factor;
    return product;
}

SpatialMapping resolve_spatial(const workload::Layer& layer, const hardware::Accelerator& acc,
                               const hardware::Dataflow& dataflow) {
    const auto& unrollings = dataflow.per_dim;
    SpatialMapping out;
    out.per_array_dim.resize(acc.array.dim_sizes.size());
    // Clamp every factor to its array dimension and to the layer bound first.
    std::vector<std::vector<std::pair<Dim, int>>> clamped(unrollings.size());
    for (std::size_t d = 0; d < unrollings.size() && d < acc.array.dim_sizes.size(); ++d)
        for (const auto& [dim, factor] : unrollings[d].loops) {
            const auto bound = layer.bound(dim);
            clamped[d].emplace_back(dim, static_cast<int>(std::min<std::int64_t>(
                                             {static_cast<std::int64_t>(factor),
                                              static_cast<std::int64_t>(acc.array.dim_sizes[d]), bound})));
        }
    for (std::size_t d = 0; d < clamped.size(); ++d) {
        for (const auto& [dim, factor] : clamped[d]) {
            // Only the first array dim with the largest unrolling of `dim` absorbs the remainder.
            int largest = 0;
            std::size_t first_largest = 0;
            for (std::size_t e = 0; e < clamped.size(); ++e)
                for (const auto& [other, f] : clamped[e])
                    if (other == dim && f > largest) {
                        largest = f;
                        first_largest = e;
                    }
            SpatialLoop loop{dim, static_cast<double>(factor), factor};
            if (first_largest == d) {
                double earlier = 1;  // unrolled on earlier array dims
                for (std::size_t e = 0; e < d; ++e)
                    for (const auto& placed : out.per_array_dim[e])
                        if (placed.dim == dim) earlier *= placed.factor;
                const double bound = static_cast<double>(layer.bound(dim));
                const double remainder = std::ceil(bound / (factor * earlier));
                loop.factor = bound / remainder / earlier;
                loop.factor_int = static_cast<int>(loop.factor);
            }
            out.per_array_dim[d].push_back(loop);
        }
    }
    return out;
}

std::vector<std::vector<std::pair<Dim, double>>> spatial_entries(const hardware::Accelerator& acc,
                                                                 const std::vector<std::size_t>& memories,
                                                                 const SpatialMapping& spatial, bool integer) {
    std::vector<std::vector<std::pair<Dim, double>>> entries(memories.size() + 1);
    std::vector<bool> taken(acc.array.dim_sizes.size(), false);
    auto add = [&](std::vector<std::pair<Dim, double>>& entry, std::size_t d) {
        taken[d] = true;
        if (d >= spatial.per_array_dim.size()) return;
        for (const auto& loop : spatial.per_array_dim[d]) {
            const double factor = integer ? loop.factor_int : loop.factor;
            auto it = std::find_if(entry.begin(), entry.end(), [&](const auto& l) { return l.first == loop.dim; });
            if (it != entry.end())
                it->second *= factor;
            else
                entry.emplace_back(loop.dim, factor);
        }
    };
    for (std::size_t m = 0; m < memories.size(); ++m)
        for (std::size_t d : acc.memories[memories[m]].served_dims)
            if (d < taken.size() && !taken[d]) add(entries[m], d);
    for (std::size_t d = 0; d < taken.size(); ++d)
        if (!taken[d]) add(entries.back(), d);
    return entries;
}

std::vector<Loop> temporal_loops(const workload::Layer& layer, const SpatialMapping& spatial) {
    std::vector<Loop> out;
    for (Dim dim : workload::kAllDims) {
        const auto size = static_cast<std::int64_t>(
            std::ceil(static_cast<double>(layer.bound(dim)) / spatial.unrolling(dim) - 1e-9));
        if (size > 1) out.push_back({dim, size});
    }
    return out;
}

std::string to_string(const SpatialMapping& spatial, const hardware::Accelerator& acc) {
    std::ostringstream out;
    for (std::size_t d = 0; d < spatial.per_array_dim.size(); ++d) {
        out << (d ? " " : "") << acc.array.dim_names[d] << ":";
        if (spatial.per_array_dim[d].empty()) out << "-";
        for (std::size_t i = 0; i < spatial.per_array_dim[d].size(); ++i) {
            const auto& loop = spatial.per_array_dim[d][i];
            out << (i ? "," : "") << workload::to_string(loop.dim) << loop.factor;
        }
    }
    return out.str();
}

std::string to_string(const TemporalMapping& temporal) {
    std::ostringstream out;
    for (Operand op : kOperands) {
        if (temporal.of(op).empty()) continue;
        out << workload::to_string(op) << ": ";
        for (std::size_t m = 0; m < temporal.of(op).size(); ++m) {
            out << "[";
            for (std::size_t i = 0; i < temporal.of(op)[m].size(); ++i)
                out << (i ? " " : "") << workload::to_string(temporal.of(op)[m][i].dim)
                    << temporal.of(op)[m][i].size;
            out << "]";
        }
        out << "  ";
    }
    return out.str();
}

}  // namespace elaa::mapping
