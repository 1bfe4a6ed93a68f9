// Tables describing accelerators: the preset listing behind `elaa archs`.
#pragma once

#include "hardware/accelerator.hpp"
#include "report/table.hpp"

namespace elaa::report {

// One row per preset: name, array, MAC units, on-chip memory (KiB, all instances), chip area (mm²:
// MAC array + every on-chip memory instance), clock, peak MACs/cycle and peak GMAC/s.
Table arch_table();

// The same row for one accelerator (e.g. a loaded file).
std::vector<std::string> arch_row(const hardware::Accelerator& accelerator);

}  // namespace elaa::report
