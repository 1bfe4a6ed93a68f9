// Shared by the zoo acceptance tests: the published tables and the notion of "match".
#pragma once

#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "util/csv.hpp"
#include "util/embedded.hpp"

namespace elaa::test {

// A table under data/ (compiled in), e.g. "accuracy/imagenet_models.csv".
inline CsvTable published_table(const std::string& path) {
    const auto text = embedded_file(path);
    REQUIRE(text.has_value());
    return CsvTable::parse(*text, path);
}

// Number of digits printed after the decimal point in a table cell ("4.089" -> 3, "569" -> 0).
inline int printed_decimals(const std::string& cell) {
    const auto dot = cell.find('.');
    return dot == std::string::npos ? 0 : static_cast<int>(cell.size() - dot - 1);
}

// |zoo - published| <= max(0.5 % of published, half a unit of the last printed digit). Tables are
// rounded: shufflenet_v2_x0_5 prints 0.04 G MACs, so anything in [0.035, 0.045] matches.
inline bool matches_published(double zoo_value, const std::string& published_cell) {
    const double published = std::stod(published_cell);
    const double half_unit = 0.5 * std::pow(10.0, -printed_decimals(published_cell));
    return std::abs(zoo_value - published) <= std::max(0.005 * published, half_unit);
}

}  // namespace elaa::test
