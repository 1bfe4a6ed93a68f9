// Tables describing networks: the zoo listing and one network's layers.
#pragma once

#include <string>

#include "report/table.hpp"
#include "workload/network.hpp"

namespace elaa::report {

// One row per zoo network: name, family, resolution, layers, MACs, params, top-1, top-5, source.
// `weights` picks the accuracy row (empty: each network's default row).
Table zoo_table(const std::string& family_filter, const std::string& weights);

// One row per layer: kind, loop bounds, stride, padding, groups, MACs and ops.
Table layer_table(const workload::Network& net);

// Millions with `decimals` digits ("4089.184").
std::string millions(std::int64_t count, int decimals = 3);

}  // namespace elaa::report
