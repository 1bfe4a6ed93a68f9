// Reports of `elaa eval`: the per-layer table, the totals and the JSON document.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <ostream>

#include "cost/network_cost.hpp"
#include "report/table.hpp"

namespace elaa::report {

struct EvalContext {
    const workload::Network& net;
    const hardware::Accelerator& acc;
    const cost::NetworkCost& cost;
    const cost::EvalOptions& options;
    bool leakage = false;  // report leakage energy (separately from the dynamic energy)
};

// Static (leakage) energy of the on-chip memories over the network's latency, in pJ.
double leakage_energy_pj(const hardware::Accelerator& acc, double latency_cycles);

// One row per layer: kind, MACs, energy, latency and its parts, utilisations, mapping.
Table eval_layer_table(const EvalContext& ctx);
// Totals and notes (units spelled out; cycles converted at the accelerator's clock).
void write_eval_summary(std::ostream& out, const EvalContext& ctx);
nlohmann::json eval_json(const EvalContext& ctx);

}  // namespace elaa::report
