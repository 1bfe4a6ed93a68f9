#include "accuracy/accuracy.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "accuracy/table_rows.hpp"
#include "util/csv.hpp"
#include "util/embedded.hpp"
#include "util/error.hpp"
#include "util/suggest.hpp"

namespace elaa::accuracy {

namespace {

constexpr std::string_view kDefaultsFile = "defaults.csv";

std::string data_path(std::string_view file) { return "data/accuracy/" + std::string(file); }

CsvTable read_table(const AccuracyTables::FileReader& read, std::string_view file) {
    const auto text = read("accuracy/" + std::string(file));
    if (!text) throw InputError(data_path(file) + ": missing (it should be compiled into elaa)");
    return CsvTable::parse(*text, data_path(file));
}

std::string describe(const AccuracyEntry& row, bool is_default) {
    return fmt::format("{} ({}, top-1 {}{})", row.weights, row.precision, row.top1, is_default ? ", default" : "");
}

// "a (fp32, top-1 76.13, default), b (int8, top-1 75.92)": what a caller can ask for instead.
std::string list_rows(const std::vector<AccuracyEntry>& rows, const AccuracyEntry* default_row) {
    std::string text;
    for (const AccuracyEntry& row : rows) {
        if (!text.empty()) text += ", ";
        text += describe(row, &row == default_row);
    }
    return text;
}

std::size_t count_fp32(const std::vector<AccuracyEntry>& rows) {
    return static_cast<std::size_t>(
        std::count_if(rows.begin(), rows.end(), [](const AccuracyEntry& row) { return row.precision == "fp32"; }));
}

const AccuracyEntry* row_with_weights(const std::vector<AccuracyEntry>& rows, std::string_view weights) {
    const auto it = std::find_if(rows.begin(), rows.end(), [&](const AccuracyEntry& row) { return row.weights == weights; });
    return it == rows.end() ? nullptr : &*it;
}

}  // namespace

const AccuracyTables& AccuracyTables::builtin() {
    static const AccuracyTables tables = load(embedded_file);
    return tables;
}

AccuracyTables AccuracyTables::load(const FileReader& read) {
    AccuracyTables tables;
    for (const TableSpec& spec : accuracy_table_specs()) {
        TableRows rows = spec.read(read_table(read, spec.file), spec.file);
        tables.add_rows(std::move(rows.entries));
        tables.excluded_.insert(tables.excluded_.end(), rows.excluded.begin(), rows.excluded.end());
    }
    const CsvTable defaults = read_table(read, kDefaultsFile);
    for (std::size_t row = 0; row < defaults.rows(); ++row) tables.apply_default(defaults, row);
    tables.assign_implicit_defaults(defaults.source());
    return tables;
}

// Rows are keyed by (network, weights): two rows with the same key would make lookup ambiguous.
void AccuracyTables::add_rows(std::vector<AccuracyEntry> entries) {
    for (AccuracyEntry& entry : entries) {
        auto& net = networks_[entry.network];
        if (const AccuracyEntry* other = row_with_weights(net.rows, entry.weights))
            throw InputError(fmt::format("{}:{}: {} already has a row with weights '{}' ({}:{})",
                                         data_path(entry.table), entry.line, entry.network, entry.weights,
                                         data_path(other->table), other->line));
        net.rows.push_back(std::move(entry));
    }
}

// Each defaults.csv line must name an existing network and one of its fp32 rows, once.
void AccuracyTables::apply_default(const CsvTable& defaults, std::size_t line_row) {
    DefaultChoice choice{defaults.at(line_row, "network"), defaults.at(line_row, "weights"),
                         defaults.at(line_row, "reason")};
    const std::string at = defaults.source() + ":" + std::to_string(defaults.line_of(line_row));
    const auto net = networks_.find(choice.network);
    if (net == networks_.end()) {
        const auto close = closest_names(choice.network, networks(), 3);
        throw InputError(at + ": network '" + choice.network + "' has no accuracy row" +
                         (close.empty() ? "" : fmt::format(" (closest: {})", fmt::join(close, ", "))));
    }
    if (net->second.default_row) throw InputError(at + ": a second default for '" + choice.network + "'");
    const AccuracyEntry* row = row_with_weights(net->second.rows, choice.weights);
    if (!row)
        throw InputError(at + ": '" + choice.network + "' has no row with weights '" + choice.weights +
                         "'; its rows: " + list_rows(net->second.rows, nullptr));
    if (row->precision != "fp32")
        throw InputError(at + ": the default of '" + choice.network + "' must be an fp32 row, '" +
                         choice.weights + "' is " + row->precision);
    if (choice.reason.empty()) throw InputError(at + ": the reason for this default is empty");
    net->second.default_row = static_cast<std::size_t>(row - net->second.rows.data());
    defaults_.push_back(std::move(choice));
}

// Networks without a defaults.csv line: one fp32 row is the default; a network published only
// quantized (MobileNet-EdgeTPU) answers its single row; several rows and no fp32 one leave no default
// (weights must be given). Several fp32 rows without a line is an error: the default must always
// be a written-down decision.
void AccuracyTables::assign_implicit_defaults(const std::string& defaults_file) {
    for (auto& [name, net] : networks_) {
        if (net.default_row) continue;
        const std::size_t fp32 = count_fp32(net.rows);
        if (fp32 > 1)
            throw InputError(defaults_file + ": no default for '" + name + "', which has " + std::to_string(fp32) +
                             " fp32 rows: " + list_rows(net.rows, nullptr));
        const auto first_fp32 = std::find_if(net.rows.begin(), net.rows.end(),
                                             [](const AccuracyEntry& row) { return row.precision == "fp32"; });
        if (fp32 == 1)
            net.default_row = static_cast<std::size_t>(first_fp32 - net.rows.begin());
        else if (net.rows.size() == 1)
            net.default_row = 0;
    }
}

std::vector<AccuracyEntry> AccuracyTables::rows(std::string_view network) const {
    const auto net = networks_.find(network);
    return net == networks_.end() ? std::vector<AccuracyEntry>{} : net->second.rows;
}

std::vector<std::string> AccuracyTables::networks() const {
    std::vector<std::string> names;
    for (const auto& [name, net] : networks_) names.push_back(name);
    return names;
}

std::optional<AccuracyEntry> AccuracyTables::find(std::string_view network, std::string_view weights) const {
    const Resolution found = resolve(network, weights);
    if (!found.row) return std::nullopt;
    return *found.row;
}

AccuracyEntry AccuracyTables::lookup(std::string_view network, std::string_view weights) const {
    const Resolution found = resolve(network, weights);
    if (!found.row) throw InputError(found.problem);
    return *found.row;
}

AccuracyTables::Resolution AccuracyTables::resolve(std::string_view network, std::string_view weights) const {
    const std::string name(network);
    const auto net = networks_.find(network);
    if (net == networks_.end()) {
        std::string problem = "no published accuracy for '" + name + "': no table in data/accuracy/ has a row for it";
        const auto close = closest_names(network, networks(), 1);
        if (!close.empty() && edit_distance(network, close.front()) <= 2)
            problem += " (did you mean '" + close.front() + "'?)";
        return {nullptr, problem};
    }
    const auto& rows = net->second.rows;
    const AccuracyEntry* default_row = net->second.default_row ? &rows[*net->second.default_row] : nullptr;
    if (weights.empty()) {
        if (default_row) return {default_row, ""};
        return {nullptr, "'" + name + "' has several published rows and none is the default; choose one by weights: " +
                             list_rows(rows, nullptr)};
    }
    if (const AccuracyEntry* row = row_with_weights(rows, weights)) return {row, ""};
    return resolve_precision(net->second, network, weights);
}

// `precision` names a precision ("int8"). When several rows have it, the one that belongs to the
// default is meant: the default row itself, or the quantized version of the default's weights.
AccuracyTables::Resolution AccuracyTables::resolve_precision(const NetworkRows& net, std::string_view network,
                                                             std::string_view precision) const {
    const AccuracyEntry* default_row = net.default_row ? &net.rows[*net.default_row] : nullptr;
    std::vector<const AccuracyEntry*> matches;
    for (const AccuracyEntry& row : net.rows)
        if (row.precision == precision) matches.push_back(&row);
    if (matches.size() == 1) return {matches.front(), ""};
    for (const AccuracyEntry* row : matches) {
        if (row == default_row) return {row, ""};
        if (default_row && row->quantized_from == default_row->weights) return {row, ""};
    }
    const std::string name(network);
    if (matches.empty())
        return {nullptr, "no accuracy row for '" + name + "' with weights or precision '" + std::string(precision) +
                             "'; available: " + list_rows(net.rows, default_row)};
    std::vector<AccuracyEntry> candidates;
    for (const AccuracyEntry* row : matches) candidates.push_back(*row);
    return {nullptr, "several " + std::string(precision) + " rows for '" + name +
                         "'; choose one by weights: " + list_rows(candidates, nullptr)};
}

}  // namespace elaa::accuracy
