#include "accuracy/table_rows.hpp"

#include <array>
#include <cmath>
#include <string>

#include "util/error.hpp"

namespace elaa::accuracy {

namespace {

std::string where(const CsvTable& table, std::size_t row) {
    return table.source() + ":" + std::to_string(table.line_of(row));
}

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

// An entry that remembers which table line it came from (for the reachability test and messages).
AccuracyEntry entry_from(const CsvTable& table, std::size_t row, std::string_view file) {
    AccuracyEntry entry;
    entry.table = std::string(file);
    entry.line = table.line_of(row);
    return entry;
}

ExcludedRow exclusion(const CsvTable& table, std::size_t row, std::string_view file, std::string what,
                     std::string reason) {
    return {std::string(file), table.line_of(row), std::move(what), std::move(reason)};
}

// A number the row must have: an empty cell here means the table changed shape under us.
double required(const CsvTable& table, std::size_t row, std::string_view column) {
    const auto value = table.number(row, column);
    if (!value) throw InputError(where(table, row) + ": column '" + std::string(column) + "' is empty");
    return *value;
}

std::optional<int> resolution_of(const CsvTable& table, std::size_t row, std::string_view column) {
    const auto value = table.number(row, column);
    if (!value) return std::nullopt;
    return static_cast<int>(std::lround(*value));
}

// The tables' precision spellings ("float", "8-bit", "uint8 (TFLite, ...)") as elaa precisions.
std::string precision_of(const CsvTable& table, std::size_t row, std::string_view column) {
    const std::string& cell = table.at(row, column);
    if (cell == "float") return "fp32";
    if (cell == "8-bit" || starts_with(cell, "uint8")) return "int8";
    throw InputError(where(table, row) + ": unknown precision '" + cell + "' in column '" +
                     std::string(column) + "'");
}

std::string grid_name(std::string_view base, const std::string& width, const std::string& resolution) {
    return std::string(base) + "_" + width + "_" + resolution;
}

// ---- imagenet_models.csv (torchvision 0.21) ----------------------------------------------------

TableRows read_torchvision(const CsvTable& table, std::string_view file) {
    static constexpr std::string_view kQuantizedPrefix = "quantized.";
    static constexpr std::string_view kSwagEndToEnd = "SWAG_E2E";
    TableRows out;
    for (std::size_t row = 0; row < table.rows(); ++row) {
        const std::string& model = table.at(row, "model");
        const std::string& weights = table.at(row, "weights");
        if (!table.number(row, "top1")) {
            // VGG16_Weights.IMAGENET1K_FEATURES: a feature extractor, torchvision publishes NaN.
            out.excluded.push_back(exclusion(table, row, file, model + " " + weights,
                                            "no ImageNet accuracy published (torchvision's metrics are NaN)"));
            continue;
        }
        const bool quantized = starts_with(model, kQuantizedPrefix);
        if (quantized != (table.at(row, "quantized") == "1"))
            throw InputError(where(table, row) + ": the 'quantized' column disagrees with the model name");
        AccuracyEntry entry = entry_from(table, row, file);
        // An INT8 model is the float architecture with quantized weights: same zoo network.
        entry.network = quantized ? model.substr(kQuantizedPrefix.size()) : model;
        // SWAG weights fine-tuned end to end are evaluated at a larger crop, where the same
        // architecture is a network of its own (more MACs, a larger position embedding).
        if (weights.find(kSwagEndToEnd) != std::string::npos)
            entry.network += "@" + table.at(row, "input_resolution");
        entry.precision = quantized ? "int8" : "fp32";
        entry.weights = weights;
        entry.top1 = required(table, row, "top1");
        entry.top5 = table.number(row, "top5");
        entry.resolution = resolution_of(table, row, "input_resolution");
        entry.source = std::string(file) + ": " + table.at(row, "source");
        if (quantized) {
            entry.quantized_from = table.at(row, "unquantized_weights");
            entry.source += "; INT8 (" + table.at(row, "backend") + ") quantized from " + entry.quantized_from;
        }
        out.entries.push_back(std::move(entry));
    }
    return out;
}

// ---- TF-slim / TF MobileNet and MnasNet grids ----------------------------------------------------

// One row of a TF grid whose network name is <base>_<width>_<resolution>.
AccuracyEntry grid_entry(const CsvTable& table, std::size_t row, std::string_view file, std::string_view base) {
    AccuracyEntry entry = entry_from(table, row, file);
    entry.network = grid_name(base, table.at(row, "width_multiplier"), table.at(row, "resolution"));
    entry.top1 = required(table, row, "top1");
    entry.top5 = table.number(row, "top5");
    entry.resolution = resolution_of(table, row, "resolution");
    entry.source = std::string(file) + ": " + table.at(row, "source");
    return entry;
}

// TF-slim grids with a checkpoint per row; `int8_note` says how the quantized rows were made.
TableRows read_checkpoint_grid(const CsvTable& table, std::string_view file, std::string_view base,
                               std::string_view int8_note) {
    TableRows out;
    for (std::size_t row = 0; row < table.rows(); ++row) {
        AccuracyEntry entry = grid_entry(table, row, file, base);
        entry.precision = precision_of(table, row, "precision");
        entry.weights = table.at(row, "checkpoint");
        if (entry.precision == "int8") entry.source += int8_note;
        out.entries.push_back(std::move(entry));
    }
    return out;
}

TableRows read_mobilenet_v1(const CsvTable& table, std::string_view file) {
    return read_checkpoint_grid(table, file, "mobilenet_v1",
                                " (uint8 quantisation-aware training, evaluated as TFLite)");
}

// The V2 table has float checkpoints only (the README gives no accuracy for its uint8 ones).
TableRows read_mobilenet_v2(const CsvTable& table, std::string_view file) {
    return read_checkpoint_grid(table, file, "mobilenet_v2", " (quantized)");
}

TableRows read_mobilenet_v3(const CsvTable& table, std::string_view file) {
    TableRows out;
    for (std::size_t row = 0; row < table.rows(); ++row) {
        AccuracyEntry entry = grid_entry(table, row, file, table.at(row, "model"));
        entry.precision = precision_of(table, row, "precision");
        // The README lists no checkpoint names for these rows: the precision cell tells them apart.
        entry.weights = table.at(row, "precision");
        out.entries.push_back(std::move(entry));
    }
    return out;
}

// MnasNet's README repeats top-1 in an unlabelled trailing column. Where the two disagree the source
// is inconsistent, so both values become rows and defaults.csv says which one is answered.
TableRows read_mnasnet(const CsvTable& table, std::string_view file) {
    TableRows out;
    for (std::size_t row = 0; row < table.rows(); ++row) {
        AccuracyEntry entry = grid_entry(table, row, file, table.at(row, "model"));
        entry.precision = "fp32";
        entry.weights = table.at(row, "checkpoint");
        const auto trailing = table.number(row, "unlabeled_trailing_col");
        if (trailing && *trailing != entry.top1) {
            AccuracyEntry from_trailing = entry;
            from_trailing.top1 = *trailing;
            from_trailing.weights += "@trailing-col";
            from_trailing.source += " (top-1 from the unlabelled trailing column; the Top-1 column disagrees)";
            entry.weights += "@top1-col";
            entry.source += " (Top-1 column; the unlabelled trailing column disagrees)";
            out.entries.push_back(std::move(from_trailing));
        }
        out.entries.push_back(std::move(entry));
    }
    return out;
}

// ---- efficientnet.csv (TF EfficientNet) ---------------------------------------------------------

// Why a model of efficientnet.csv has no zoo network; nullopt for B0-B7, which map to
// efficientnet_tf_b<n>. Unknown models throw so that a new table row cannot vanish silently.
std::optional<std::string> efficientnet_exclusion(const CsvTable& table, std::size_t row) {
    const std::string& model = table.at(row, "model");
    static constexpr std::string_view kB = "efficientnet-b";
    if (starts_with(model, kB) && model.size() == kB.size() + 1) {
        const char digit = model.back();
        if (digit >= '0' && digit <= '7') return std::nullopt;
        if (digit == '8') return "EfficientNet-B8 has only an AdvProp checkpoint; the zoo defines efficientnet_tf_b0..b7";
    }
    if (starts_with(model, "efficientnet-l2"))
        return "EfficientNet-L2 (NoisyStudent, JFT data) has no zoo network; the zoo defines efficientnet_tf_b0..b7";
    if (starts_with(model, "efficientnet-lite"))
        return "EfficientNet-Lite is a different network (no squeeze-excitation, ReLU6) without a zoo network, "
               "and the table gives no resolution";
    if (starts_with(model, "efficientnetv2-"))
        return "EfficientNetV2 (Fused-MBConv) has no TF zoo network; torchvision's efficientnet_v2_* rows come "
               "from imagenet_models.csv";
    throw InputError(where(table, row) + ": unknown model '" + model + "' (no naming rule for it)");
}

TableRows read_efficientnet(const CsvTable& table, std::string_view file) {
    TableRows out;
    for (std::size_t row = 0; row < table.rows(); ++row) {
        const std::string& model = table.at(row, "model");
        const std::string& recipe = table.at(row, "training_or_table");
        if (auto reason = efficientnet_exclusion(table, row)) {
            out.excluded.push_back(exclusion(table, row, file, model + " " + recipe, std::move(*reason)));
            continue;
        }
        AccuracyEntry entry = entry_from(table, row, file);
        entry.network = "efficientnet_tf_b" + model.substr(model.size() - 1);
        entry.precision = "fp32";
        entry.weights = recipe;  // one row per training recipe
        entry.top1 = required(table, row, "top1");
        entry.top5 = table.number(row, "top5");
        entry.resolution = resolution_of(table, row, "resolution");
        entry.source = std::string(file) + ": " + table.at(row, "source");
        out.entries.push_back(std::move(entry));
    }
    return out;
}

// ---- suite36_accuracy.csv (ZigZag-v1 NN_layers suite) -------------------------------------------

// One of the suite's figures (primary, qubvel, alt): the columns <prefix>top1/top5 and <source>.
struct SuiteFigure {
    std::string_view weights;
    std::string_view top1, top5, source;
};

TableRows read_suite(const CsvTable& table, std::string_view file) {
    static constexpr std::array<SuiteFigure, 3> kFigures = {{
        {"primary", "top1", "top5", "source"},
        {"qubvel", "qubvel_top1", "qubvel_top5", "qubvel_source"},
        {"alt", "alt_top1", "alt_top5", "alt_source"},
    }};
    TableRows out;
    for (std::size_t row = 0; row < table.rows(); ++row) {
        for (const SuiteFigure& figure : kFigures) {
            // Every network has a primary figure; qubvel/alt only where a second one was read.
            const auto top1 = figure.weights == "primary" ? std::optional(required(table, row, figure.top1))
                                                          : table.number(row, figure.top1);
            if (!top1) continue;
            AccuracyEntry entry = entry_from(table, row, file);
            entry.network = "suite/" + table.at(row, "network");
            entry.precision = "fp32";
            entry.weights = std::string(figure.weights);
            entry.top1 = *top1;
            entry.top5 = table.number(row, figure.top5);
            entry.source = std::string(file) + ": " + table.at(row, figure.source);
            out.entries.push_back(std::move(entry));
        }
    }
    return out;
}

constexpr std::array<TableSpec, 7> kTables = {{
    {"imagenet_models.csv", read_torchvision},
    {"mobilenet_v1_grid.csv", read_mobilenet_v1},
    {"mobilenet_v2_grid.csv", read_mobilenet_v2},
    {"mobilenet_v3_grid.csv", read_mobilenet_v3},
    {"mnasnet_grid.csv", read_mnasnet},
    {"efficientnet.csv", read_efficientnet},
    {"suite36_accuracy.csv", read_suite},
}};

}  // namespace

std::span<const TableSpec> accuracy_table_specs() { return kTables; }

}  // namespace elaa::accuracy
