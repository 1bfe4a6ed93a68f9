// Plots of an assessment, drawn by matplotlib (scripts/plot_assessment.py, compiled into elaa and
// run with Debian's python3 on the CSVs already written to the output directory).
#pragma once

#include <filesystem>

namespace elaa::report {

// Writes DIR/plots/*.png and *.svg from DIR's results.csv, layers.csv and pareto.csv. Throws
// InputError when python3 or matplotlib is missing (saying how to install it) or the script fails.
void render_assessment_plots(const std::filesystem::path& dir);

}  // namespace elaa::report
