// Pareto fronts of points whose coordinates are all minimised.
#pragma once

#include <vector>

namespace elaa::assess {

// a dominates b: no worse in every coordinate and better in at least one.
bool dominates(const std::vector<double>& a, const std::vector<double>& b);

// Indices of the non-dominated points, in input order. Equal points are all kept.
std::vector<std::size_t> pareto_front(const std::vector<std::vector<double>>& points);

}  // namespace elaa::assess
