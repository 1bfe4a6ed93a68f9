// Plots of an assessment, drawn by matplotlib (scripts/plot_assessment.py, compiled into elaa and
// run with Debian's python3 on the CSVs already written to the output directory).
#pragma once

#include <filesystem>
#include <string>

namespace elaa::report {

// Runs an embedded plot script (e.g. "scripts/plot_assessment.py") on DIR, which writes
// DIR/plots/*.png and *.svg from the CSVs there. Throws InputError when python3 or matplotlib is
// missing (saying how to install it) or the script fails.
void render_plots(const std::string& script, const std::filesystem::path& dir);

// Assessment: results.csv, layers.csv, pareto.csv -> six plots.
inline void render_assessment_plots(const std::filesystem::path& dir) { render_plots("scripts/plot_assessment.py", dir); }
// Optimisation run: pareto.csv, history.csv -> scatter matrix of the objectives, hypervolume.
inline void render_optimisation_plots(const std::filesystem::path& dir) { render_plots("scripts/plot_optimise.py", dir); }

}  // namespace elaa::report
