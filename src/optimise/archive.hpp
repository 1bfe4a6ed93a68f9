// The external archive of `elaa optimise`: every non-dominated feasible design ever evaluated. With
// four objectives NSGA-II's population alone loses front members, so the exported Pareto set comes
// from here.
#pragma once

#include <vector>

namespace elaa::optimise {

struct ArchiveEntry {
    std::vector<double> genome;      // normalised (decode-rounded)
    std::vector<double> objectives;  // all minimised
    bool operator==(const ArchiveEntry&) const = default;
};

class ParetoArchive {
public:
    // Adds the design unless an entry dominates it or has the same genome; removes the entries it
    // dominates. Returns whether it was added. Insertion order is kept (deterministic output).
    bool offer(const std::vector<double>& genome, const std::vector<double>& objectives);
    const std::vector<ArchiveEntry>& entries() const { return entries_; }
    void assign(std::vector<ArchiveEntry> entries) { entries_ = std::move(entries); }

private:
    std::vector<ArchiveEntry> entries_;
};

}  // namespace elaa::optimise
