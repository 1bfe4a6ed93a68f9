// Published ImageNet-1k accuracy per zoo network. A number is only ever answered from a table row
// measured on that exact definition: never interpolated, never defaulted.
//
// The tables are data/accuracy/*.csv (compiled in); data/accuracy/README.md says where each comes
// from and how its rows are named. data/accuracy/defaults.csv picks, for every network with more
// than one fp32 row, the row answered when no weights are asked for, and says why.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace elaa {
class CsvTable;
}

namespace elaa::accuracy {

struct AccuracyEntry {
    std::string network;    // zoo name
    double top1 = 0;        // percent
    std::optional<double> top5;
    std::string precision;  // "fp32", "int8", ... (the precision the accuracy was measured at)
    std::string weights;    // which published row: torchvision weights enum, TF checkpoint, recipe
    std::string source;     // table file and the upstream source it cites
    // Input resolution the accuracy was measured at, when the table states it.
    std::optional<int> resolution;
    // For quantized rows whose table names the float weights they were made from (torchvision).
    std::string quantized_from;
    // Where the row was read: table file under data/accuracy/ and its 1-based line.
    std::string table;
    std::size_t line = 0;
};

// A table row that is deliberately not an accuracy row of any zoo network.
struct ExcludedRow {
    std::string table;
    std::size_t line = 0;
    std::string what;    // the row's model / weights, for messages
    std::string reason;
};

// One line of defaults.csv.
struct DefaultChoice {
    std::string network;
    std::string weights;
    std::string reason;
};

class AccuracyTables {
public:
    // Resolves a path such as "accuracy/imagenet_models.csv" to its text (nullopt: missing).
    using FileReader = std::function<std::optional<std::string_view>(std::string_view path)>;

    // The tables compiled into elaa from data/accuracy/.
    static const AccuracyTables& builtin();
    // Loads and validates the tables read through `read` (builtin() uses the embedded files; tests
    // pass altered copies). Throws InputError naming the file and line of any inconsistency.
    static AccuracyTables load(const FileReader& read);

    // Every published row for a network (empty when there is none).
    std::vector<AccuracyEntry> rows(std::string_view network) const;
    // The default row (data/accuracy/defaults.csv says which, and why), or the row whose `weights`
    // (or precision) equals `weights` when given. nullopt when there is no such row.
    std::optional<AccuracyEntry> find(std::string_view network, std::string_view weights = "") const;
    // As find(), but throws elaa::InputError saying which rows exist when there is none.
    AccuracyEntry lookup(std::string_view network, std::string_view weights = "") const;

    // Every network with at least one row, sorted.
    std::vector<std::string> networks() const;
    // Rows of the tables that map to no zoo network, each with the reason.
    const std::vector<ExcludedRow>& excluded() const { return excluded_; }
    // The lines of defaults.csv, in file order.
    const std::vector<DefaultChoice>& defaults() const { return defaults_; }

private:
    struct NetworkRows {
        std::vector<AccuracyEntry> rows;
        std::optional<std::size_t> default_row;  // index into rows
    };
    // The row answering (network, weights), or the reason there is none.
    struct Resolution {
        const AccuracyEntry* row = nullptr;
        std::string problem;
    };

    Resolution resolve(std::string_view network, std::string_view weights) const;
    Resolution resolve_precision(const NetworkRows& net, std::string_view network,
                                 std::string_view precision) const;
    void add_rows(std::vector<AccuracyEntry> entries);
    void apply_default(const CsvTable& defaults, std::size_t line_row);
    void assign_implicit_defaults(const std::string& defaults_file);

    std::map<std::string, NetworkRows, std::less<>> networks_;
    std::vector<ExcludedRow> excluded_;
    std::vector<DefaultChoice> defaults_;
};

}  // namespace elaa::accuracy
