#include "app/commands.hpp"

#include <fmt/format.h>

#include <fstream>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "assess/insights.hpp"
#include "cost/evaluate.hpp"
#include "assess/validation.hpp"
#include "hardware/presets.hpp"
#include "hardware/toml.hpp"
#include "mapping/mapping_json.hpp"
#include "optimise/export.hpp"
#include "report/assess_report.hpp"
#include "report/plots.hpp"
#include "util/error.hpp"
#include "util/staged_directory.hpp"
#include "workload/density.hpp"
#include "workload/onnx/import.hpp"
#include "workload/zoo/zoo.hpp"

namespace elaa::app {

namespace {

bool ends_with(const std::string& text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void write_file(const std::filesystem::path& path, const std::function<void(std::ostream&)>& write) {
    std::ofstream out(path);
    if (!out) throw InputError(path.string() + ": cannot write");
    write(out);
    if (!out) throw InputError(path.string() + ": write failed");
}

// Through a temporary sibling and a rename, so that a failure leaves the old file.
void write_file_atomically(const std::filesystem::path& path, const std::string& text) {
    const auto temp = path.parent_path() / fmt::format(".{}.tmp", path.filename().string());
    write_file(temp, [&](std::ostream& o) { o << text; });
    std::filesystem::rename(temp, path);
}

std::vector<cost::KindClass> parse_kinds(const std::string& kinds) {
    if (kinds.empty()) return {cost::kAllKindClasses.begin(), cost::kAllKindClasses.end()};
    std::vector<cost::KindClass> out;
    std::vector<std::string> names;
    for (auto kind : cost::kAllKindClasses) names.emplace_back(cost::to_string(kind));
    std::istringstream in(kinds);
    for (std::string kind; std::getline(in, kind, ',');) {
        cost::KindClass k;
        if (!cost::parse_kind_class(kind, k))
            throw InputError(fmt::format("kinds: '{}' is not one of {}", kind, fmt::join(names, ", ")));
        out.push_back(k);
    }
    return out;
}

}  // namespace

hardware::Accelerator load_arch(const std::string& arch) {
    if (ends_with(arch, ".toml") || arch.find('/') != std::string::npos) return hardware::load_accelerator(arch);
    return hardware::load_preset(arch);
}

workload::Network load_network(const std::string& net) {
    if (ends_with(net, ".onnx")) return workload::import_onnx(net).network;
    return workload::Zoo::instance().build(net);
}

std::unique_ptr<EvalRun> run_eval(hardware::Accelerator accelerator, workload::Network network, const EvalRequest& request) {
    auto run = std::make_unique<EvalRun>();
    run->accelerator = std::move(accelerator);
    const auto& acc = run->accelerator;
    // A design file may state how it was evaluated; explicit settings win. Where a value comes from
    // the file, the message names the file's table.
    const auto where = [&](const std::optional<std::string>& given, const char* key) {
        const auto& source = request.arch_source.empty() ? acc.name : request.arch_source;
        return given ? std::string(key) : source + ": [evaluation] " + key;
    };
    const std::string objective =
        request.objective ? *request.objective
                          : (acc.evaluation.objective.empty() ? kDefaultEvalObjective : acc.evaluation.objective);
    const std::string search =
        request.search ? *request.search : (acc.evaluation.search.empty() ? kDefaultEvalSearch : acc.evaluation.search);
    auto& options = run->options;
    if (!mapping::parse_objective(objective, options.search.objective))
        throw InputError(where(request.objective, "objective") + " '" + objective + "' is not one of latency, energy, edp");
    if (!mapping::parse_search_space(search, options.search.space))
        throw InputError(where(request.search, "search") + " '" + search + "' is not one of fast, loma, full, deep");
    if (request.batch < 1) throw InputError(fmt::format("batch {} must be at least 1", request.batch));
    if (request.threads < 1) throw InputError("threads must be at least 1");
    options.kinds = parse_kinds(request.kinds);
    options.threads = request.threads;
    run->network = workload::with_batch(std::move(network), request.batch);
    if (!request.density_file.empty())
        run->network = workload::with_densities(std::move(run->network), request.density_file);
    if (!request.mapping_file.empty()) options.given_mappings = mapping::load_mappings(request.mapping_file, acc);
    run->leakage = request.leakage;
    try {
        run->cost = cost::evaluate_network(run->network, acc, options);
    } catch (const cost::MappingError& e) {
        throw InputError(e.what());
    }
    return run;
}

void write_assessment(const std::filesystem::path& dir, const assess::Assessment& result, const std::string& command,
                      bool plots) {
    write_file(dir / "results.csv", [&](std::ostream& o) { report::write_results_csv(o, result); });
    write_file(dir / "layers.csv", [&](std::ostream& o) { report::write_layers_csv(o, result); });
    write_file(dir / "pareto.csv", [&](std::ostream& o) { report::write_pareto_csv(o, result); });
    write_file(dir / "run.json", [&](std::ostream& o) { o << report::run_json(result, command).dump(1) << "\n"; });
    write_file(dir / "insights.md", [&](std::ostream& o) { o << assess::insights_markdown(result); });
    if (plots) report::render_assessment_plots(dir);
}

PreparedRun prepare_optimisation(const OptimiseRequest& request) {
    if (request.out.empty() == request.resume.empty())
        throw InputError("optimise: give either an output directory (a new run) or a run directory to resume, not " +
                         std::string(request.out.empty() ? "neither" : "both"));
    PreparedRun run;
    run.resume = !request.resume.empty();
    run.dir = run.resume ? request.resume : request.out;
    if (!request.config.empty())
        run.config = optimise::load_run_config(request.config);
    else if (run.resume)
        run.config = optimise::load_saved_run(run.dir).config;
    else
        throw InputError("optimise: a new run needs its CONFIG file");
    if (!run.resume) {
        std::error_code ec;
        if (std::filesystem::exists(run.dir / optimise::kCheckpointFile, ec))
            throw InputError(run.dir.string() + " already holds a run: resume it with --resume " + run.dir.string() +
                             ", or choose another --out");
        std::filesystem::create_directories(run.dir, ec);
        if (ec) throw InputError(run.dir.string() + ": cannot create the run directory (" + ec.message() + ")");
    }
    return run;
}

optimise::RunControl run_control(const OptimiseRequest& request, const PreparedRun& run) {
    optimise::RunControl control;
    control.dir = run.dir;
    control.resume = run.resume;
    control.force = request.force;
    control.threads = request.threads;
    control.search_cache_bytes = request.search_cache_bytes;
    return control;
}

void write_validation(const std::filesystem::path& dir, const assess::Validation& validation, bool plots) {
    write_file(dir / "validation.csv", [&](std::ostream& o) { assess::validation_table(validation).write_csv(o); });
    write_file(dir / "layers.csv", [&](std::ostream& o) { assess::validation_layer_table(validation).write_csv(o); });
    write_file(dir / "validation.json", [&](std::ostream& o) { o << assess::validation_json(validation).dump(1) << "\n"; });
    if (plots) report::render_plots("scripts/plot_validation.py", dir);
}

std::string history_csv(const std::vector<optimise::HistoryPoint>& history) {
    std::string csv = "generation,hypervolume,archive_size\n";
    for (const auto& h : history) csv += fmt::format("{},{:.9g},{}\n", h.generation, h.hypervolume, h.archive_size);
    return csv;
}

std::size_t export_run(const std::filesystem::path& dir, const std::string& format, bool plots,
                       const optimise::DesignEvaluator* warm) {
    const auto saved = optimise::load_saved_run(dir);
    std::optional<optimise::DesignEvaluator> cold;
    if (!warm || warm->config().text != saved.config.text) cold.emplace(saved.config);
    const auto& evaluator = cold ? *cold : *warm;
    const auto designs = optimise::pareto_designs(evaluator, saved.archive);
    const bool csv = format == "csv" || format == "all";
    if (csv) {
        std::ostringstream text;
        optimise::write_pareto_csv(text, evaluator, designs);
        write_file_atomically(dir / "pareto.csv", text.str());
        write_file_atomically(dir / "history.csv", history_csv(saved.history));
    }
    if (format == "json" || format == "all")
        write_file_atomically(dir / "pareto.json", optimise::pareto_json(evaluator, designs).dump(1) + "\n");
    if (format == "toml" || format == "all") {
        StagedDirectory staged(dir / "pareto");
        for (std::size_t i = 0; i < designs.size(); ++i)
            write_file(staged.path() / optimise::design_file_name(i + 1),
                       [&](std::ostream& o) { o << optimise::design_toml(evaluator, designs[i], i + 1); });
        staged.commit();
    }
    // Plots last: the tables above are already in place if matplotlib is missing or fails.
    if (plots && csv) report::render_optimisation_plots(dir);
    return designs.size();
}

}  // namespace elaa::app
