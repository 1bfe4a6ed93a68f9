#include "report/assess_report.hpp"

#include <fmt/format.h>

#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>

#include "assess/pareto.hpp"
#include "report/table.hpp"
#include "report/version.hpp"

namespace elaa::report {

namespace {

std::string num(double v) { return fmt::format("{:.6g}", v); }

// "fp32 accuracy, 8-bit datapath": the accuracy row's precision next to the one the cost assumes.
std::string precision_note(const assess::Assessment& a, const assess::PairResult& p) {
    const auto& acc = a.accuracy[p.network];
    const int bits = a.accelerators[p.accelerator].array.precision_bits;
    return fmt::format("{} accuracy, {}-bit datapath", acc ? acc->precision : "no", bits);
}

void csv_row(std::ostream& out, const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) out << (i ? "," : "") << csv_field(cells[i]);
    out << '\n';
}

}  // namespace

PairFigures pair_figures(const assess::Assessment& a, const assess::PairResult& p) {
    const auto& acc = a.accelerators[p.accelerator];
    const auto& c = p.cost;
    PairFigures f{};
    f.energy_uj = c.energy_pj * 1e-6;
    f.latency_cycles = c.latency_cycles;
    f.latency_s = c.latency_cycles / (acc.frequency_mhz * 1e6);
    f.inferences_per_s = f.latency_s > 0 ? 1 / f.latency_s : 0;
    f.area_mm2 = acc.area_mm2();
    f.top1 = a.accuracy[p.network] ? a.accuracy[p.network]->top1 : 0;
    const double macs = static_cast<double>(c.macs);
    f.energy_per_mac_pj = macs > 0 ? c.energy_pj / macs : 0;
    // One MAC = 2 operations (multiply and add), the convention of TOPS/W figures.
    f.tops_per_w = c.energy_pj > 0 ? 2 * macs / c.energy_pj : 0;
    f.gops_per_mm2 = f.area_mm2 > 0 ? 2 * macs * f.inferences_per_s / 1e9 / f.area_mm2 : 0;
    f.dram_bytes = c.dram_bits / 8;
    f.energy_mac_uj = c.mac_energy_pj * 1e-6;
    f.energy_onchip_uj = p.energy_onchip_pj * 1e-6;
    f.energy_dram_uj = p.energy_dram_pj * 1e-6;
    return f;
}

void write_results_csv(std::ostream& out, const assess::Assessment& a) {
    csv_row(out, {"network", "accelerator", "energy_uj", "latency_cycles", "latency_ms", "inferences_per_s", "area_mm2",
                  "top1", "top5", "accuracy_source", "accuracy_precision", "macs", "spatial_utilisation",
                  "temporal_utilisation", "energy_per_mac_pj", "tops_per_w", "gops_per_mm2", "dram_bytes",
                  "energy_mac_uj", "energy_onchip_uj", "energy_dram_uj"});
    for (const auto& p : a.pairs) {
        const auto f = pair_figures(a, p);
        const auto& acc = a.accuracy[p.network];
        csv_row(out, {a.networks[p.network].name, a.accelerators[p.accelerator].name, num(f.energy_uj),
                      num(f.latency_cycles), num(f.latency_s * 1e3), num(f.inferences_per_s), num(f.area_mm2),
                      acc ? num(acc->top1) : "", acc && acc->top5 ? num(*acc->top5) : "",
                      acc ? acc->weights + " (" + acc->source + ")" : "", precision_note(a, p),
                      std::to_string(p.cost.macs), num(p.cost.spatial_utilisation), num(p.cost.temporal_utilisation),
                      num(f.energy_per_mac_pj), num(f.tops_per_w), num(f.gops_per_mm2), num(f.dram_bytes),
                      num(f.energy_mac_uj), num(f.energy_onchip_uj), num(f.energy_dram_uj)});
    }
}

void write_layers_csv(std::ostream& out, const assess::Assessment& a) {
    csv_row(out, {"network", "accelerator", "layer", "kind", "macs", "energy_pj", "latency_cycles", "spatial_utilisation",
                  "temporal_utilisation", "dram_bytes", "dataflow_fell_back"});
    for (const auto& p : a.pairs)
        for (const auto& l : p.cost.layers) {
            if (!l.costed) continue;
            const auto& c = l.result.cost;
            csv_row(out, {a.networks[p.network].name, a.accelerators[p.accelerator].name, l.layer->name,
                          std::string(workload::to_string(l.layer->kind)), std::to_string(l.layer->macs()),
                          num(c.energy_pj()), num(c.latency_cycles()), num(c.spatial_utilisation),
                          num(c.temporal_utilisation), num(c.dram_bits / 8), l.dataflow_fell_back ? "1" : "0"});
        }
}

void write_pareto_csv(std::ostream& out, const assess::Assessment& a) {
    csv_row(out, {"front", "network", "accelerator", "energy_uj", "latency_ms", "area_mm2", "top1"});
    auto emit = [&](const std::string& front, const std::vector<std::size_t>& pair_indices,
                    const std::function<std::vector<double>(const PairFigures&)>& objectives) {
        std::vector<std::vector<double>> points;
        for (std::size_t i : pair_indices) points.push_back(objectives(pair_figures(a, a.pairs[i])));
        for (std::size_t k : assess::pareto_front(points)) {
            const auto& p = a.pairs[pair_indices[k]];
            const auto f = pair_figures(a, p);
            csv_row(out, {front, a.networks[p.network].name, a.accelerators[p.accelerator].name, num(f.energy_uj),
                          num(f.latency_s * 1e3), num(f.area_mm2), num(f.top1)});
        }
    };
    std::vector<std::size_t> all(a.pairs.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
    // Area belongs to the accelerator, so the 4-objective front is over (network, accelerator) pairs.
    emit("4d", all, [](const PairFigures& f) { return std::vector<double>{f.energy_uj, f.latency_s, f.area_mm2, -f.top1}; });
    for (std::size_t acc = 0; acc < a.accelerators.size(); ++acc) {
        std::vector<std::size_t> of_acc;
        for (std::size_t n = 0; n < a.networks.size(); ++n) of_acc.push_back(n * a.accelerators.size() + acc);
        emit("energy_top1:" + a.accelerators[acc].name, of_acc,
             [](const PairFigures& f) { return std::vector<double>{f.energy_uj, -f.top1}; });
        emit("latency_top1:" + a.accelerators[acc].name, of_acc,
             [](const PairFigures& f) { return std::vector<double>{f.latency_s, -f.top1}; });
    }
}

nlohmann::json run_json(const assess::Assessment& a, const std::string& command_line) {
    const auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    char when[32];
    std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
    nlohmann::json archs = nlohmann::json::array(), nets = nlohmann::json::array();
    for (const auto& acc : a.accelerators) archs.push_back(acc.name);
    for (const auto& net : a.networks) nets.push_back(net.name);
    return {{"tool", "elaa"},
            {"version", kVersion},
            {"git_commit", kGitCommit},
            {"command", command_line},
            {"time_utc", when},
            {"settings",
             {{"objective", std::string(mapping::to_string(a.options.objective))},
              {"search", std::string(mapping::to_string(a.options.space))},
              {"threads", a.options.threads},
              {"accelerators", archs},
              {"networks", nets}}}};
}

}  // namespace elaa::report
