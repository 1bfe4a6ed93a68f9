#include "accuracy/accuracy.hpp"

#include "util/error.hpp"

namespace elaa::accuracy {

const AccuracyTables& AccuracyTables::builtin() {
    static const AccuracyTables tables;
    return tables;
}

std::vector<AccuracyEntry> AccuracyTables::rows(std::string_view) const { return {}; }

std::optional<AccuracyEntry> AccuracyTables::find(std::string_view, std::string_view) const {
    return std::nullopt;
}

AccuracyEntry AccuracyTables::lookup(std::string_view network, std::string_view) const {
    throw InputError("no published accuracy for '" + std::string(network) + "' (tables not yet loaded)");
}

}  // namespace elaa::accuracy
