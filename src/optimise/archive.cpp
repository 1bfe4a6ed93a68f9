#include "optimise/archive.hpp"

#include <algorithm>

#include "assess/pareto.hpp"

namespace elaa::optimise {

bool ParetoArchive::offer(const std::vector<double>& genome, const std::vector<double>& objectives) {
    for (const auto& e : entries_)
        if (e.genome == genome || assess::dominates(e.objectives, objectives)) return false;
    std::erase_if(entries_, [&](const ArchiveEntry& e) { return assess::dominates(objectives, e.objectives); });
    entries_.push_back({genome, objectives});
    return true;
}

}  // namespace elaa::optimise
