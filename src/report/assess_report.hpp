// Files of `elaa assess`: results.csv, layers.csv, pareto.csv and run.json. The CSVs hold only
// results (fixed row order and number format), so they are byte-identical between runs and thread
// counts; provenance (version, commit, settings, time) goes to run.json.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <ostream>
#include <string>

#include "assess/assessment.hpp"

namespace elaa::report {

// Derived per-pair figures shared by the CSVs, the insights and the plots.
struct PairFigures {
    double energy_uj, latency_cycles, latency_s, inferences_per_s, area_mm2;
    double top1;
    double energy_per_mac_pj, tops_per_w, gops_per_mm2, dram_bytes;
    double energy_mac_uj, energy_onchip_uj, energy_dram_uj;
};
PairFigures pair_figures(const assess::Assessment& a, const assess::PairResult& p);

void write_results_csv(std::ostream& out, const assess::Assessment& a);
void write_layers_csv(std::ostream& out, const assess::Assessment& a);
// Rows of every front: the 4-objective front over all (network, accelerator) pairs ("4d"), and per
// accelerator the 2-D energy-top-1 and latency-top-1 fronts ("energy_top1:<acc>", ...).
void write_pareto_csv(std::ostream& out, const assess::Assessment& a);
nlohmann::json run_json(const assess::Assessment& a, const std::string& command_line);

}  // namespace elaa::report
