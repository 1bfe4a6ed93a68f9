#include "optimise/run_config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "util/error.hpp"
#include "util/toml_read.hpp"

namespace elaa::optimise {

using namespace toml_read;

std::string_view to_string(ProblemKind kind) {
    switch (kind) {
        case ProblemKind::Codesign: return "codesign";
        case ProblemKind::HardwareForSuite: return "hardware_for_suite";
        case ProblemKind::NetworkForHardware: return "network_for_hardware";
    }
    return "?";
}

namespace {

std::optional<double> optional_number(const toml::table& t, std::string_view key, const Place& place) {
    if (const auto* node = t.get(key)) return as_number(*node, key, place);
    return std::nullopt;
}

unsigned positive_integer(const toml::node& node, std::string_view key, const Place& place) {
    const auto v = as_integer(node, key, place);
    if (v < 1 || v > 1'000'000) place.fail(node, fmt::format("'{}' must be an integer from 1 to 1000000, got {}", key, v));
    return static_cast<unsigned>(v);
}

double probability(const toml::node& node, std::string_view key, const Place& place) {
    const double v = as_number(node, key, place);
    if (!(v >= 0 && v <= 1)) place.fail(node, fmt::format("'{}' is a probability: it must be within [0, 1], got {}", key, v));
    return v;
}

// "section.key = value" for every leaf, to list what changed between two configs.
void flatten(const toml::table& t, const std::string& prefix, std::map<std::string, std::string>& out) {
    for (auto&& [key, node] : t) {
        const std::string name = prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
        if (const auto* inner = node.as_table()) {
            flatten(*inner, name, out);
        } else {
            std::ostringstream text;
            if (const auto* array = node.as_array())
                text << *array;
            else
                node.visit([&](auto&& value) { text << value; });
            out[name] = text.str();
        }
    }
}

}  // namespace

RunConfig parse_run_config(std::string_view text, const std::string& source) {
    const toml::table root = parse_text(text, source);
    const Place top{source, "top level"};
    check_keys(root, {"run", "nsga2", "checkpoint", "islands", "budgets", "suite", "hardware"}, top);
    RunConfig c;
    c.source = source;
    c.text = std::string(text);
    const auto base = std::filesystem::path(source).parent_path();

    const auto* run_node = root.get("run");
    if (!run_node || !run_node->is_table()) top.fail(root, "missing table [run] (problem, space, seed, ...)");
    const auto& run = *run_node->as_table();
    const Place prun = top.inner("[run]");
    check_keys(run, {"problem", "space", "seed", "search", "mapping_objective"}, prun);
    const std::string problem = as_string(required(run, "problem", "codesign, hardware_for_suite or network_for_hardware", prun), "problem", prun);
    if (problem == "codesign")
        c.problem = ProblemKind::Codesign;
    else if (problem == "hardware_for_suite")
        c.problem = ProblemKind::HardwareForSuite;
    else if (problem == "network_for_hardware")
        c.problem = ProblemKind::NetworkForHardware;
    else
        prun.fail(*run.get("problem"), "'problem' must be codesign, hardware_for_suite or network_for_hardware, got '" + problem + "'");
    if (c.problem != ProblemKind::NetworkForHardware) {
        c.space = base / as_string(required(run, "space", "the search-space file, relative to this file", prun), "space", prun);
    } else if (run.get("space")) {
        prun.fail(*run.get("space"), "network_for_hardware takes no hardware space: set [hardware] accelerator and networks");
    }
    if (const auto* n = run.get("seed")) {
        const auto seed = as_integer(*n, "seed", prun);
        if (seed < 0) prun.fail(*n, "'seed' must be zero or positive");
        c.seed = static_cast<std::uint64_t>(seed);
    }
    if (const auto* n = run.get("search")) {
        const auto s = as_string(*n, "search", prun);
        if (!mapping::parse_search_space(s, c.search)) prun.fail(*n, "'search' must be fast, loma, full or deep, got '" + s + "'");
    }
    if (const auto* n = run.get("mapping_objective")) {
        const auto s = as_string(*n, "mapping_objective", prun);
        if (!mapping::parse_objective(s, c.mapping_objective))
            prun.fail(*n, "'mapping_objective' must be latency, energy or edp, got '" + s + "'");
    }

    if (const auto* n = root.get("nsga2")) {
        const Place p = top.inner("[nsga2]");
        if (!n->is_table()) p.fail(*n, "[nsga2] must be a table");
        const auto& t = *n->as_table();
        check_keys(t, {"population", "generations", "crossover", "eta_c", "mutation", "eta_m"}, p);
        if (const auto* v = t.get("population")) {
            c.population = positive_integer(*v, "population", p);
            // pagmo's NSGA-II rule: at least 5 individuals and a multiple of 4.
            if (c.population < 8 || c.population % 4 != 0)
                p.fail(*v, fmt::format("'population' must be a multiple of 4 and at least 8 (NSGA-II), got {}", c.population));
        }
        if (const auto* v = t.get("generations")) c.generations = positive_integer(*v, "generations", p);
        if (const auto* v = t.get("crossover")) c.crossover = probability(*v, "crossover", p);
        if (const auto* v = t.get("mutation")) c.mutation = probability(*v, "mutation", p);
        if (const auto* v = t.get("eta_c")) c.eta_c = positive(*v, "eta_c", "distribution index", p);
        if (const auto* v = t.get("eta_m")) c.eta_m = positive(*v, "eta_m", "distribution index", p);
    }
    if (const auto* n = root.get("checkpoint")) {
        const Place p = top.inner("[checkpoint]");
        if (!n->is_table()) p.fail(*n, "[checkpoint] must be a table");
        check_keys(*n->as_table(), {"every"}, p);
        if (const auto* v = n->as_table()->get("every")) c.checkpoint_every = positive_integer(*v, "every", p);
    }
    c.islands.migrants = std::max(1u, c.population / 10);
    if (const auto* n = root.get("islands")) {
        const Place p = top.inner("[islands]");
        if (!n->is_table()) p.fail(*n, "[islands] must be a table");
        const auto& t = *n->as_table();
        check_keys(t, {"count", "migrate_every", "migrants"}, p);
        if (const auto* v = t.get("count")) {
            c.islands.count = positive_integer(*v, "count", p);
            if (c.islands.count > 4096) p.fail(*v, fmt::format("'count' must be at most 4096 islands, got {}", c.islands.count));
        }
        if (const auto* v = t.get("migrate_every")) c.islands.migrate_every = positive_integer(*v, "migrate_every", p);
        if (const auto* v = t.get("migrants")) {
            c.islands.migrants = positive_integer(*v, "migrants", p);
            if (c.islands.migrants >= c.population)
                p.fail(*v, fmt::format("'migrants' must be below the population ({}), got {}", c.population, c.islands.migrants));
        }
    }
    if (const auto* n = root.get("budgets")) {
        const Place p = top.inner("[budgets]");
        if (!n->is_table()) p.fail(*n, "[budgets] must be a table");
        const auto& t = *n->as_table();
        check_keys(t, {"max_area_mm2", "max_latency_s", "min_top1"}, p);
        c.budgets.max_area_mm2 = optional_number(t, "max_area_mm2", p);
        c.budgets.max_latency_s = optional_number(t, "max_latency_s", p);
        c.budgets.min_top1 = optional_number(t, "min_top1", p);
        for (const char* key : {"max_area_mm2", "max_latency_s"})
            if (const auto* v = t.get(key); v && !(as_number(*v, key, p) > 0)) p.fail(*v, std::string("'") + key + "' must be positive");
    }
    if (const auto* n = root.get("suite")) {
        const Place p = top.inner("[suite]");
        if (!n->is_table()) p.fail(*n, "[suite] must be a table");
        check_keys(*n->as_table(), {"networks"}, p);
        c.suite = string_array(required(*n->as_table(), "networks", "the networks the hardware must serve", p), "networks", p);
        if (c.suite.empty()) p.fail(*n, "'networks' is empty: name at least one network");
    }
    if (c.problem == ProblemKind::HardwareForSuite && c.suite.empty())
        top.fail(root, "hardware_for_suite needs [suite] networks = [...]");
    if (const auto* n = root.get("hardware")) {
        const Place p = top.inner("[hardware]");
        if (!n->is_table()) p.fail(*n, "[hardware] must be a table");
        const auto& t = *n->as_table();
        check_keys(t, {"accelerator", "networks"}, p);
        c.accelerator = as_string(required(t, "accelerator", "a preset name or TOML file", p), "accelerator", p);
        if (c.accelerator.find(".toml") != std::string::npos) c.accelerator = (base / c.accelerator).string();
        c.networks = string_array(required(t, "networks", "the candidate networks", p), "networks", p);
        if (c.networks.size() < 2) p.fail(t, "'networks' needs at least two networks to choose from");
    }
    if (c.problem == ProblemKind::NetworkForHardware && c.accelerator.empty())
        top.fail(root, "network_for_hardware needs [hardware] accelerator = ... and networks = [...]");
    return c;
}

RunConfig load_run_config(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) throw InputError(path.string() + ": cannot read the run config");
    std::stringstream text;
    text << in.rdbuf();
    return parse_run_config(text.str(), path.string());
}

std::vector<std::string> config_differences(const RunConfig& before, const RunConfig& now) {
    std::map<std::string, std::string> a, b;
    flatten(parse_text(before.text, before.source), "", a);
    flatten(parse_text(now.text, now.source), "", b);
    std::vector<std::string> out;
    for (const auto& [key, value] : a) {
        auto it = b.find(key);
        if (it == b.end())
            out.push_back(key + ": " + value + " -> (removed)");
        else if (it->second != value)
            out.push_back(key + ": " + value + " -> " + it->second);
    }
    for (const auto& [key, value] : b)
        if (!a.count(key)) out.push_back(key + ": (absent) -> " + value);
    return out;
}

}  // namespace elaa::optimise
