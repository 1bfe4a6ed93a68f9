// Holding the model against measured silicon: a chip preset runs the workloads its paper measured,
// and each published figure is set beside the modelled one. The published values, their sources,
// the workloads (network, batch, layer kinds) and the activation densities live in a data file
// (data/validation/*.toml, compiled in), never in code.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "cost/network_cost.hpp"
#include "hardware/accelerator.hpp"
#include "report/table.hpp"
#include "workload/network.hpp"

namespace elaa::assess {

// The figures a chip paper reports per batch, in the units papers use.
struct ValidationMetric {
    std::string key;    // frame_rate_fps, chip_power_mw, ...
    std::string label;  // "frame rate"
    std::string unit;   // "frames/s"
    double modelled = 0;
    std::optional<double> measured;
    std::string source;  // of the measured value
    // (modelled - measured) / measured; empty without a measurement.
    std::optional<double> relative_error() const;
};

struct ValidationLayer {
    std::string name;
    double latency_ms = 0, chip_power_mw = 0, dram_mb = 0, glb_mb = 0, active_pes = 0, input_density = 1;
    std::string mapping;
};

struct ValidationCase {
    std::string name, description, chip, network;
    int batch = 1;
    std::string objective;
    std::vector<ValidationMetric> metrics;
    std::vector<ValidationLayer> layers;
};

struct Validation {
    std::string source;  // the data file
    std::vector<ValidationCase> cases;
};

// Names of the compiled-in validation data files (data/validation/*.toml).
std::vector<std::string> builtin_validation_files();
// Runs every case of a data file: a path, or a compiled-in file ("validation/eyeriss_v1.toml").
Validation run_validation(const std::string& path_or_builtin, unsigned threads);

// The modelled figures of one costed network (exposed for tests): what the metrics are made of.
struct ChipFigures {
    double frame_rate_fps = 0, chip_power_mw = 0, energy_per_mac_pj = 0, dram_mb = 0, glb_mb = 0, active_pes = 0;
};
ChipFigures chip_figures(const cost::NetworkCost& cost, const hardware::Accelerator& acc, int batch,
                         const std::vector<std::string>& glb_memories);

report::Table validation_table(const Validation& validation);  // one row per case and metric
report::Table validation_layer_table(const Validation& validation);
nlohmann::json validation_json(const Validation& validation);

}  // namespace elaa::assess
