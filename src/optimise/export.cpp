#include "optimise/export.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "hardware/toml.hpp"
#include "report/table.hpp"

namespace elaa::optimise {

namespace {

std::string num(double v) { return fmt::format("{:.9g}", v); }

// The network column, unless a gene of the same name already shows it.
bool network_column(const DesignEvaluator& ev, const ExportedDesign& d) {
    if (ev.config().problem == ProblemKind::HardwareForSuite) return false;
    for (const auto& [gene, value] : d.genes)
        if (gene == "network") return false;
    return true;
}

// Objective columns with units, as exported.
struct Column {
    std::string name;
    double value;
};
std::vector<Column> figures(const DesignEvaluator& ev, const ExportedDesign& d) {
    const auto& e = d.evaluation;
    std::vector<Column> out;
    const bool suite = ev.config().problem == ProblemKind::HardwareForSuite;
    out.push_back({suite ? "geomean_energy_uj" : "energy_uj", e.energy_j * 1e6});
    out.push_back({suite ? "geomean_latency_ms" : "latency_ms", e.latency_s * 1e3});
    out.push_back({"area_mm2", e.area_mm2});
    if (!suite) out.push_back({"top1", e.top1});
    return out;
}

}  // namespace

std::vector<ExportedDesign> pareto_designs(const DesignEvaluator& evaluator, const std::vector<ArchiveEntry>& archive) {
    std::vector<ExportedDesign> out;
    for (const auto& entry : archive) {
        const auto decoded = evaluator.encoding().decode(entry.genome);
        if (!decoded.design) continue;  // cannot happen for archived (feasible) designs
        out.push_back({entry, *decoded.design, evaluator.evaluate(entry.genome), evaluator.encoding().describe(entry.genome)});
    }
    std::stable_sort(out.begin(), out.end(), [](const ExportedDesign& a, const ExportedDesign& b) {
        return std::pair(a.evaluation.energy_j, a.evaluation.latency_s) < std::pair(b.evaluation.energy_j, b.evaluation.latency_s);
    });
    return out;
}

std::string design_file_name(std::size_t number) { return fmt::format("design_{:03d}.toml", number); }

void write_pareto_csv(std::ostream& out, const DesignEvaluator& evaluator, const std::vector<ExportedDesign>& designs) {
    auto row = [&](const std::vector<std::string>& cells) {
        for (std::size_t i = 0; i < cells.size(); ++i) out << (i ? "," : "") << report::csv_field(cells[i]);
        out << '\n';
    };
    std::vector<std::string> header{"design", "file"};
    if (!designs.empty()) {
        for (const auto& [gene, value] : designs.front().genes) header.push_back(gene);
        if (network_column(evaluator, designs.front())) header.push_back("network");
        for (const auto& c : figures(evaluator, designs.front())) header.push_back(c.name);
        if (evaluator.config().problem != ProblemKind::HardwareForSuite) header.push_back("accuracy_source");
    }
    row(header);
    for (std::size_t i = 0; i < designs.size(); ++i) {
        const auto& d = designs[i];
        std::vector<std::string> cells{std::to_string(i + 1), "pareto/" + design_file_name(i + 1)};
        for (const auto& [gene, value] : d.genes) cells.push_back(value);
        if (network_column(evaluator, d)) cells.push_back(d.evaluation.network);
        for (const auto& c : figures(evaluator, d)) cells.push_back(num(c.value));
        if (evaluator.config().problem != ProblemKind::HardwareForSuite) cells.push_back(d.evaluation.accuracy_source);
        row(cells);
    }
}

nlohmann::json pareto_json(const DesignEvaluator& evaluator, const std::vector<ExportedDesign>& designs) {
    nlohmann::json list = nlohmann::json::array();
    for (std::size_t i = 0; i < designs.size(); ++i) {
        const auto& d = designs[i];
        nlohmann::json genes = nlohmann::json::object();
        for (const auto& [gene, value] : d.genes) genes[gene] = value;
        nlohmann::json item{{"design", i + 1}, {"file", "pareto/" + design_file_name(i + 1)}, {"genes", genes},
                            {"genome", d.entry.genome}, {"objectives", d.entry.objectives}};
        for (const auto& c : figures(evaluator, d)) item[c.name] = c.value;
        if (evaluator.config().problem != ProblemKind::HardwareForSuite) {
            item["network"] = d.evaluation.network;
            item["accuracy_source"] = d.evaluation.accuracy_source;
        }
        list.push_back(item);
    }
    return {{"problem", std::string(to_string(evaluator.config().problem))},
            {"objectives", evaluator.objective_names()},
            {"designs", list}};
}

std::string design_toml(const DesignEvaluator& evaluator, const ExportedDesign& d, std::size_t number) {
    auto acc = d.design.accelerator;
    acc.name = fmt::format("design_{:03d}", number);
    const auto& c = evaluator.config();
    acc.evaluation.search = std::string(mapping::to_string(c.search));
    acc.evaluation.objective = std::string(mapping::to_string(c.mapping_objective));
    const auto& e = d.evaluation;
    acc.description = fmt::format("elaa optimise ({}) Pareto design {} of {}: {:.6g} uJ, {:.6g} ms, {:.6g} mm2{}", to_string(c.problem),
                                  number, c.source, e.energy_j * 1e6, e.latency_s * 1e3, e.area_mm2,
                                  e.network.empty() ? "" : fmt::format(", {} at {:.4g} % top-1", e.network, e.top1));
    std::string header = "# " + acc.description + "\n";
    if (!e.network.empty()) header += "# reproduce: elaa eval --arch " + design_file_name(number) + " --net " + e.network + "\n";
    return header + hardware::to_toml(acc);
}

}  // namespace elaa::optimise
