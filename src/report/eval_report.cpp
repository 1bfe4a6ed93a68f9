#include "report/eval_report.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "mapping/mapping_json.hpp"

namespace elaa::report {

using nlohmann::json;

namespace {

double seconds(const hardware::Accelerator& acc, double cycles) { return cycles / (acc.frequency_mhz * 1e6); }

std::string breakdown_key(const hardware::Accelerator& acc, const cost::MemoryTraffic& t) {
    return acc.memories[t.memory].name + "/" + std::string(workload::to_string(t.operand));
}

std::vector<std::string> notes(const EvalContext& ctx) {
    std::vector<std::string> out = ctx.acc.assumptions;
    std::size_t fell_back = 0;
    for (const auto& l : ctx.cost.layers)
        if (l.costed && l.dataflow_fell_back) ++fell_back;
    if (fell_back)
        out.push_back(fmt::format("{} layer(s) have no dataflow entry of their own in '{}' and use its default unrolling "
                                  "(depthwise layers then use a small part of the array)",
                                  fell_back, ctx.acc.name));
    for (const auto& l : ctx.cost.layers)
        if (l.costed && l.result.fell_back_to_loma)
            out.push_back("layer '" + l.layer->name + "': search space too large, searched the loma space instead");
    return out;
}

}  // namespace

double leakage_energy_pj(const hardware::Accelerator& acc, double latency_cycles) {
    double milliwatts = 0;
    for (std::size_t m = 0; m < acc.memories.size(); ++m)
        if (!acc.memories[m].is_dram) milliwatts += acc.memories[m].leakage_mw * static_cast<double>(acc.instances(m));
    return milliwatts * 1e-3 * seconds(acc, latency_cycles) * 1e12;
}

Table eval_layer_table(const EvalContext& ctx) {
    Table table({"layer", "kind", "macs", "energy_pj", "latency_cycles", "compute", "stall", "onload", "offload",
                 "spatial_util", "temporal_util", "dram_bytes", "mapping"});
    table.right_align({2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
    for (const auto& l : ctx.cost.layers) {
        if (!l.costed) continue;
        const auto& c = l.result.cost;
        table.add_row({l.layer->name, std::string(workload::to_string(l.layer->kind)),
                       std::to_string(l.layer->macs()), fmt::format("{:.1f}", c.energy_pj()),
                       fmt::format("{:.1f}", c.latency_cycles()), fmt::format("{:.0f}", c.temporal_cycles),
                       fmt::format("{:.0f}", c.stall_cycles), fmt::format("{:.1f}", c.onload_cycles),
                       fmt::format("{:.1f}", c.offload_cycles), fmt::format("{:.3f}", c.spatial_utilisation),
                       fmt::format("{:.3f}", c.temporal_utilisation), fmt::format("{:.0f}", c.dram_bits / 8),
                       mapping::to_string(l.result.mapping.spatial, ctx.acc) + " | " +
                           mapping::to_string(l.result.mapping.temporal)});
    }
    return table;
}

void write_eval_summary(std::ostream& out, const EvalContext& ctx) {
    const auto& c = ctx.cost;
    const double s = seconds(ctx.acc, c.latency_cycles);
    std::size_t costed = 0;
    for (const auto& l : c.layers) costed += l.costed ? 1 : 0;
    out << fmt::format("{} on {} ({} search, {} objective): {} of {} layers costed, {} distinct shapes\n", ctx.net.name,
                       ctx.acc.name, mapping::to_string(ctx.options.search.space),
                       mapping::to_string(ctx.options.search.objective), costed, c.layers.size(), c.unique_shapes);
    out << fmt::format("energy   {:.6g} pJ ({:.4f} uJ/inference; MAC {:.4g} pJ, memories {:.4g} pJ)\n", c.energy_pj,
                       c.energy_pj * 1e-6, c.mac_energy_pj, c.energy_pj - c.mac_energy_pj);
    out << fmt::format("latency  {:.1f} cycles ({:.4f} ms at {:g} MHz, {:.1f} inferences/s)\n", c.latency_cycles,
                       s * 1e3, ctx.acc.frequency_mhz, s > 0 ? 1 / s : 0.0);
    out << fmt::format("area     {:.4f} mm2 (MAC array {:.4f} mm2)\n", ctx.acc.area_mm2(), ctx.acc.array_area_mm2());
    out << fmt::format("MACs     {}; utilisation spatial {:.3f}, temporal {:.3f}; DRAM {:.0f} bytes\n", c.macs,
                       c.spatial_utilisation, c.temporal_utilisation, c.dram_bits / 8);
    if (ctx.leakage)
        out << fmt::format("leakage  {:.6g} pJ (not included above)\n", leakage_energy_pj(ctx.acc, c.latency_cycles));
    for (const auto& note : notes(ctx)) out << "note: " << note << "\n";
}

json eval_json(const EvalContext& ctx) {
    const auto& c = ctx.cost;
    const double s = seconds(ctx.acc, c.latency_cycles);
    json total = {{"energy_pj", c.energy_pj},
                  {"latency_cycles", c.latency_cycles},
                  {"latency_s", s},
                  {"inferences_per_s", s > 0 ? 1 / s : 0.0},
                  {"area_mm2", ctx.acc.area_mm2()},
                  {"macs", c.macs},
                  {"dram_bytes", c.dram_bits / 8},
                  {"spatial_utilisation", c.spatial_utilisation},
                  {"temporal_utilisation", c.temporal_utilisation}};
    if (ctx.leakage) total["leakage_energy_pj"] = leakage_energy_pj(ctx.acc, c.latency_cycles);
    json layers = json::array();
    for (const auto& l : c.layers) {
        json j = {{"name", l.layer->name},
                  {"kind", std::string(workload::to_string(l.layer->kind))},
                  {"macs", l.layer->macs()},
                  {"costed", l.costed}};
        if (l.costed) {
            const auto& lc = l.result.cost;
            json energy = {{"mac", lc.mac_energy_pj}};
            for (const auto& t : lc.traffic) energy[breakdown_key(ctx.acc, t)] = t.energy_pj;
            j.update({{"energy_pj", lc.energy_pj()},
                      {"latency_cycles", lc.latency_cycles()},
                      {"dram_bytes", lc.dram_bits / 8},
                      {"spatial_utilisation", lc.spatial_utilisation},
                      {"temporal_utilisation", lc.temporal_utilisation},
                      {"energy_breakdown", energy},
                      {"latency_breakdown",
                       {{"compute", lc.temporal_cycles},
                        {"stall", lc.stall_cycles},
                        {"onload", lc.onload_cycles},
                        {"offload", lc.offload_cycles}}},
                      {"mapping", mapping::to_json(l.result.mapping, ctx.acc)},
                      {"mapping_source", l.given_mapping ? "given" : "search"},
                      {"dataflow_fell_back_to_default", l.dataflow_fell_back}});
        } else {
            j["mapping"] = nullptr;
        }
        layers.push_back(j);
    }
    return {{"accelerator", ctx.acc.name},
            {"network", ctx.net.name},
            {"objective", std::string(mapping::to_string(ctx.options.search.objective))},
            {"search", std::string(mapping::to_string(ctx.options.search.space))},
            {"total", total},
            {"layers", layers},
            {"notes", notes(ctx)}};
}

}  // namespace elaa::report
