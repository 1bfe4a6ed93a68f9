#include "assess/validation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "cost/evaluate.hpp"
#include "hardware/presets.hpp"
#include "mapping/mapping.hpp"
#include "mapping/mapping_json.hpp"
#include "util/embedded.hpp"
#include "util/error.hpp"
#include "util/toml_read.hpp"
#include "workload/density.hpp"
#include "workload/zoo/zoo.hpp"

namespace elaa::assess {

namespace {

using toml_read::Place;

struct MetricSpec {
    const char* key;
    const char* label;
    const char* unit;
};
// The order of the table: throughput, power and energy, then the traffic, then the array.
constexpr std::array<MetricSpec, 6> kMetrics{{
    {"frame_rate_fps", "frame rate", "frames/s"},
    {"chip_power_mw", "chip power", "mW"},
    {"energy_per_mac_pj", "chip energy per MAC", "pJ/MAC"},
    {"dram_mb_per_batch", "DRAM traffic", "MB/batch"},
    {"glb_mb_per_batch", "GLB accesses", "MB/batch"},
    {"active_pes", "active PEs", "PEs"},
}};

constexpr double kBitsPerMB = 8e6;  // papers' MB: 10^6 bytes

double metric_value(const ChipFigures& f, std::string_view key) {
    if (key == "frame_rate_fps") return f.frame_rate_fps;
    if (key == "chip_power_mw") return f.chip_power_mw;
    if (key == "energy_per_mac_pj") return f.energy_per_mac_pj;
    if (key == "dram_mb_per_batch") return f.dram_mb;
    if (key == "glb_mb_per_batch") return f.glb_mb;
    return f.active_pes;
}

struct LayerSplit {
    double dram_energy_pj = 0, glb_bits = 0;
};

LayerSplit split_traffic(const cost::LayerCost& c, const hardware::Accelerator& acc,
                         const std::vector<std::string>& glb_memories) {
    LayerSplit out;
    for (const auto& t : c.traffic) {
        const auto& memory = acc.memories.at(t.memory);
        if (memory.is_dram) out.dram_energy_pj += t.energy_pj;
        if (std::find(glb_memories.begin(), glb_memories.end(), memory.name) == glb_memories.end()) continue;
        for (auto dir : hardware::kAllDirections) {
            const auto d = static_cast<std::size_t>(dir);
            if (t.word_accesses[d] == 0) continue;
            out.glb_bits += t.word_accesses[d] * memory.port_for(t.operand, dir)->bw_max_bits;
        }
    }
    return out;
}

std::vector<std::string> string_list(const toml::table& t, std::string_view key, const Place& place) {
    const auto* node = t.get(key);
    return node ? toml_read::string_array(*node, key, place) : std::vector<std::string>{};
}

std::string number(double v) { return fmt::format("{:.4g}", v); }

// A file named by a data file, beside it: compiled in for a compiled-in data file ("validation/x.toml"),
// on disk otherwise.
std::string companion_path(const std::string& data_source, const std::string& name) {
    const auto dir = std::filesystem::path(data_source).parent_path();
    return (dir.empty() ? std::filesystem::path(name) : dir / name).string();
}

std::optional<std::string> read_companion(const std::string& path) {
    if (const auto builtin = embedded_file(path)) return std::string(*builtin);
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

ValidationCase run_case(const toml::table& t, const Place& file_place, unsigned threads) {
    ValidationCase vc;
    vc.name = toml_read::as_string(toml_read::required(t, "name", "the case's name", file_place), "name", file_place);
    const Place place = file_place.inner("case '" + vc.name + "'");
    toml_read::check_keys(t,
                          {"name", "description", "chip", "network", "batch", "kinds", "objective", "search",
                           "glb_memories", "mappings", "measured", "density"},
                          place);
    if (const auto* d = t.get("description")) vc.description = toml_read::as_string(*d, "description", place);
    vc.chip = toml_read::as_string(toml_read::required(t, "chip", "a chip preset such as \"eyeriss_v1\"", place), "chip", place);
    vc.network = toml_read::as_string(toml_read::required(t, "network", "a zoo network", place), "network", place);
    const auto& batch = toml_read::required(t, "batch", "the measured batch size", place);
    const auto b = toml_read::as_integer(batch, "batch", place);
    if (b < 1 || b > 4096) place.fail(batch, fmt::format("'batch' must be 1..4096, got {}", b));
    vc.batch = static_cast<int>(b);

    cost::EvalOptions options;
    options.threads = threads;
    vc.objective = "latency";
    if (const auto* o = t.get("objective")) {
        vc.objective = toml_read::as_string(*o, "objective", place);
        if (!mapping::parse_objective(vc.objective, options.search.objective))
            place.fail(*o, "'objective' must be latency, energy or edp, got '" + vc.objective + "'");
    }
    if (const auto* s = t.get("search")) {
        const auto text = toml_read::as_string(*s, "search", place);
        if (!mapping::parse_search_space(text, options.search.space))
            place.fail(*s, "'search' must be fast, loma, full or deep, got '" + text + "'");
    }
    if (const auto* k = t.get("kinds")) {
        options.kinds.clear();
        for (const auto& kind : toml_read::string_array(*k, "kinds", place)) {
            cost::KindClass parsed;
            if (!cost::parse_kind_class(kind, parsed)) place.fail(*k, "'kinds': unknown layer kind '" + kind + "'");
            options.kinds.push_back(parsed);
        }
    }

    const auto acc = hardware::load_preset(vc.chip);
    const auto glb = string_list(t, "glb_memories", place);
    for (const auto& name : glb)
        if (std::none_of(acc.memories.begin(), acc.memories.end(), [&](const auto& m) { return m.name == name; }))
            place.fail(*t.get("glb_memories"), fmt::format("'glb_memories': chip '{}' has no memory '{}'", vc.chip, name));

    auto net = workload::with_batch(workload::Zoo::instance().build(vc.network), vc.batch);
    if (const auto* d = t.get("density")) {
        if (d->is_string()) {  // a density file beside the data file (what `elaa eval --density` reads)
            const std::string path = companion_path(file_place.source, toml_read::as_string(*d, "density", place));
            const auto text = read_companion(path);
            if (!text) place.fail(*d, fmt::format("'density': cannot read '{}'", path));
            workload::apply_densities(net, toml_read::parse_text(*text, path), Place{path, "top level"});
        } else if (d->is_table()) {
            workload::apply_densities(net, *d->as_table(), place.inner("[case.density]"));
        } else {
            place.fail(*d, "'density' must name a density file or be a table of layers such as [case.density.conv2]");
        }
    }

    if (const auto* m = t.get("mappings")) {
        // Given mappings (an `elaa eval --json` file beside the data file) for some layers; the others
        // are searched.
        const auto name = toml_read::as_string(*m, "mappings", place);
        const std::string path = companion_path(file_place.source, name);
        const auto text = read_companion(path);
        if (!text) place.fail(*m, fmt::format("'mappings': cannot read '{}'", path));
        options.given_mappings = mapping::parse_mappings(*text, path, acc);
        for (const auto& [layer, mapping] : options.given_mappings)
            if (std::none_of(net.layers.begin(), net.layers.end(), [&](const auto& l) { return l.name == layer; }))
                place.fail(*m, fmt::format("'mappings': {} maps layer '{}', which network '{}' does not have", path,
                                           layer, vc.network));
    }

    cost::NetworkCost result;
    try {
        result = cost::evaluate_network(net, acc, options);
    } catch (const cost::MappingError& e) {
        throw InputError(fmt::format("{}: case '{}': {}", file_place.source, vc.name, e.what()));
    }
    const ChipFigures figures = chip_figures(result, acc, vc.batch, glb);

    const toml::table* measured = nullptr;
    if (const auto* m = t.get("measured")) {
        if (!m->is_table()) place.fail(*m, "'measured' must be a table of metrics");
        measured = m->as_table();
        std::vector<std::string_view> keys;
        for (const auto& spec : kMetrics) keys.push_back(spec.key);
        for (auto&& [key, node] : *measured)
            if (std::find(keys.begin(), keys.end(), key.str()) == keys.end())
                place.fail(key.source(), fmt::format("unknown measured metric '{}'; metrics: {}", key.str(),
                                                     fmt::join(keys, ", ")));
    }
    for (const auto& spec : kMetrics) {
        ValidationMetric metric{spec.key, spec.label, spec.unit, metric_value(figures, spec.key), {}, {}};
        if (measured)
            if (const auto* node = measured->get(spec.key)) {
                const Place at = place.inner(fmt::format("[case.measured] {}", spec.key));
                if (!node->is_table()) at.fail(*node, "expected { value = ..., source = \"...\" }");
                const auto& entry = *node->as_table();
                toml_read::check_keys(entry, {"value", "source"}, at);
                metric.measured = toml_read::positive(toml_read::required(entry, "value", "the measured value", at),
                                                      "value", spec.unit, at);
                metric.source = toml_read::as_string(
                    toml_read::required(entry, "source", "where the value was published", at), "source", at);
            }
        vc.metrics.push_back(std::move(metric));
    }

    const double seconds_per_cycle = 1e-6 / acc.frequency_mhz;
    for (const auto& lr : result.layers) {
        if (!lr.costed) continue;
        const auto& c = lr.result.cost;
        const LayerSplit split = split_traffic(c, acc, glb);
        const double seconds = c.latency_cycles() * seconds_per_cycle;
        vc.layers.push_back({lr.layer->name, seconds * 1e3, (c.energy_pj() - split.dram_energy_pj) * 1e-9 / seconds,
                             c.dram_bits / kBitsPerMB, split.glb_bits / kBitsPerMB,
                             lr.result.mapping.spatial.active_units(), lr.layer->input_density,
                             mapping::to_string(lr.result.mapping.spatial, acc)});
    }
    return vc;
}

}  // namespace

std::optional<double> ValidationMetric::relative_error() const {
    if (!measured) return std::nullopt;
    return (modelled - *measured) / *measured;
}

ChipFigures chip_figures(const cost::NetworkCost& cost, const hardware::Accelerator& acc, int batch,
                         const std::vector<std::string>& glb_memories) {
    ChipFigures f;
    double dram_energy = 0, glb_bits = 0, busy_weighted = 0, cycles = 0;
    for (const auto& lr : cost.layers) {
        if (!lr.costed) continue;
        const auto& c = lr.result.cost;
        const LayerSplit split = split_traffic(c, acc, glb_memories);
        dram_energy += split.dram_energy_pj;
        glb_bits += split.glb_bits;
        // Active PEs averaged over time, as the chip's "88 % of the PEs are active" is.
        busy_weighted += lr.result.mapping.spatial.active_units() * c.latency_cycles();
        cycles += c.latency_cycles();
    }
    const double seconds = cost.latency_cycles * 1e-6 / acc.frequency_mhz;
    const double chip_energy_pj = cost.energy_pj - dram_energy;
    if (seconds > 0) {
        f.frame_rate_fps = batch / seconds;
        f.chip_power_mw = chip_energy_pj * 1e-9 / seconds;
    }
    if (cost.macs > 0) f.energy_per_mac_pj = chip_energy_pj / static_cast<double>(cost.macs);
    f.dram_mb = cost.dram_bits / kBitsPerMB;
    f.glb_mb = glb_bits / kBitsPerMB;
    if (cycles > 0) f.active_pes = busy_weighted / cycles;
    return f;
}

std::vector<std::string> builtin_validation_files() {
    std::vector<std::string> out;
    for (const auto& path : embedded_files())
        if (path.starts_with("validation/") && path.ends_with(".toml")) out.push_back(path);
    return out;
}

Validation run_validation(const std::string& source, unsigned threads) {
    Validation v;
    v.source = source;
    const auto builtin = embedded_file(source);
    const toml::table root = builtin ? toml_read::parse_text(*builtin, source) : toml_read::parse_file(source);
    const Place top{v.source, "top level"};
    toml_read::check_keys(root, {"description", "case"}, top);
    const auto& cases = toml_read::as_array(toml_read::required(root, "case", "[[case]] tables", top), "case",
                                            "[[case]] tables", top);
    for (const auto& node : cases) {
        if (!node.is_table()) top.fail(node, "'case' must hold [[case]] tables");
        v.cases.push_back(run_case(*node.as_table(), top, threads));
    }
    return v;
}

report::Table validation_table(const Validation& validation) {
    report::Table table({"case", "metric", "unit", "measured", "modelled", "error_pct", "source"});
    table.right_align({3, 4, 5});
    for (const auto& c : validation.cases)
        for (const auto& m : c.metrics) {
            const auto error = m.relative_error();
            table.add_row({c.name, m.label, m.unit, m.measured ? number(*m.measured) : "-", number(m.modelled),
                           error ? fmt::format("{:+.1f}", *error * 100) : "-", m.measured ? m.source : "not published"});
        }
    return table;
}

report::Table validation_layer_table(const Validation& validation) {
    report::Table table({"case", "layer", "input_density", "latency_ms", "chip_power_mw", "dram_mb", "glb_mb",
                         "active_pes", "spatial"});
    table.right_align({2, 3, 4, 5, 6, 7});
    for (const auto& c : validation.cases)
        for (const auto& l : c.layers)
            table.add_row({c.name, l.name, number(l.input_density), number(l.latency_ms), number(l.chip_power_mw),
                           number(l.dram_mb), number(l.glb_mb), number(l.active_pes), l.mapping});
    return table;
}

nlohmann::json validation_json(const Validation& validation) {
    nlohmann::json out;
    out["source"] = validation.source;
    out["cases"] = nlohmann::json::array();
    for (const auto& c : validation.cases) {
        nlohmann::json jc{{"name", c.name},     {"description", c.description}, {"chip", c.chip},
                          {"network", c.network}, {"batch", c.batch},            {"objective", c.objective}};
        for (const auto& m : c.metrics) {
            nlohmann::json jm{{"label", m.label}, {"unit", m.unit}, {"modelled", m.modelled}};
            if (m.measured) {
                jm["measured"] = *m.measured;
                jm["relative_error"] = *m.relative_error();
                jm["source"] = m.source;
            }
            jc["metrics"][m.key] = jm;
        }
        for (const auto& l : c.layers)
            jc["layers"].push_back({{"name", l.name},
                                    {"input_density", l.input_density},
                                    {"latency_ms", l.latency_ms},
                                    {"chip_power_mw", l.chip_power_mw},
                                    {"dram_mb", l.dram_mb},
                                    {"glb_mb", l.glb_mb},
                                    {"active_pes", l.active_pes},
                                    {"spatial", l.mapping}});
        out["cases"].push_back(jc);
    }
    return out;
}

}  // namespace elaa::assess
