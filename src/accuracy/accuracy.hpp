// Published ImageNet-1k accuracy per zoo network. A number is only ever answered from a table row
// measured on that exact definition: never interpolated, never defaulted.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace elaa::accuracy {

struct AccuracyEntry {
    std::string network;    // zoo name
    double top1 = 0;        // percent
    std::optional<double> top5;
    std::string precision;  // "fp32", "int8", ... (the precision the accuracy was measured at)
    std::string weights;    // which published row: torchvision weights enum, TF checkpoint, recipe
    std::string source;     // table file and the upstream source it cites
};

class AccuracyTables {
public:
    // The tables compiled into elaa from data/accuracy/.
    static const AccuracyTables& builtin();

    // Every published row for a network (empty when there is none).
    std::vector<AccuracyEntry> rows(std::string_view network) const;
    // The default row (data/accuracy/defaults.toml says which, and why), or the row whose `weights`
    // (or precision) equals `weights` when given. nullopt when there is no such row.
    std::optional<AccuracyEntry> find(std::string_view network, std::string_view weights = "") const;
    // As find(), but throws elaa::InputError saying which rows exist when there is none.
    AccuracyEntry lookup(std::string_view network, std::string_view weights = "") const;

private:
    std::vector<AccuracyEntry> entries_;
};

}  // namespace elaa::accuracy
