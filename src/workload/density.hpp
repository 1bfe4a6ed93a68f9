// Per-layer activation densities (the non-zero fraction of a layer's input and output), read from
// a TOML table keyed by layer name:
//
//   [conv2]
//   input = 0.60     # 40 % of the ifmap values are zero
//   output = 0.28
//
// Layers not named stay dense (1). A density file is checked against the network it is applied
// to: an unknown layer, a key other than input/output or a value outside (0, 1] is an error naming
// the file, the line and what was expected.
#pragma once

#include <string>
#include <toml++/toml.h>

#include "util/toml_read.hpp"
#include "workload/network.hpp"

namespace elaa::workload {

// Sets the densities `table` gives (its keys are layer names of `net`).
void apply_densities(Network& net, const toml::table& table, const toml_read::Place& place);
// Reads a density file and applies it.
Network with_densities(Network net, const std::string& path);

}  // namespace elaa::workload
