// How each accuracy table's rows become AccuracyEntry rows of zoo networks (the naming rules of
// data/accuracy/README.md), and which rows are deliberately left out.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "accuracy/accuracy.hpp"
#include "util/csv.hpp"

namespace elaa::accuracy {

struct TableRows {
    std::vector<AccuracyEntry> entries;
    std::vector<ExcludedRow> excluded;
};

struct TableSpec {
    std::string_view file;  // under data/accuracy/
    TableRows (*read)(const CsvTable& table, std::string_view file);
};

// Every accuracy table elaa reads, in load order.
std::span<const TableSpec> accuracy_table_specs();

}  // namespace elaa::accuracy
