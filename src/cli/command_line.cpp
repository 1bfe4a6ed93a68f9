#include "cli/command_line.hpp"

#include <algorithm>
#include <thread>

#include "cli/usage_errors.hpp"
#include "cost/network_cost.hpp"
#include "hardware/presets.hpp"
#include "mapping/search.hpp"
#include "optimise/design_evaluator.hpp"
#include "workload/zoo/zoo.hpp"

namespace elaa::cli {

namespace {

template <typename Range>
std::vector<std::string> names_of(const Range& values) {
    std::vector<std::string> names;
    for (const auto& v : values) names.emplace_back(to_string(v));
    return names;
}

std::string joined(const std::vector<std::string>& words, const char* separator) {
    std::string text;
    for (const auto& w : words) text += (text.empty() ? "" : separator) + w;
    return text;
}

std::vector<std::string> plus(std::vector<std::string> front, const std::vector<std::string>& back) {
    front.insert(front.end(), back.begin(), back.end());
    return front;
}

// A flag that refuses values other than the boolean words (CLI11 alone would take "--csv=1x").
CLI::Option* add_flag(CLI::App& command, const std::string& name, bool& value, const std::string& help) {
    return command.add_flag(name, value, help)->check(boolean_word());
}

unsigned default_threads() { return std::max(1u, std::thread::hardware_concurrency()); }

}  // namespace

CommandLine::CommandLine() {
    const auto objectives = names_of(mapping::kAllObjectives);
    const auto spaces = names_of(mapping::kAllSearchSpaces);
    const auto kinds = names_of(cost::kAllKindClasses);
    const auto& presets = hardware::preset_names();
    const auto networks = workload::Zoo::instance().names();
    const auto arch_hint = files_hint(".toml", presets);

    app.require_subcommand(1);
    app.set_version_flag("--version", "elaa 0.1.0");

    nets = app.add_subcommand("nets", "List every network in the zoo with MACs, params and accuracy");
    add_flag(*nets, "--csv", nets_args.csv, "CSV instead of an aligned table");
    nets->add_option("--family", nets_args.family, "Only this family (e.g. resnet, mobilenet_v2)");
    nets->add_option("--weights", nets_args.weights, "Accuracy row to show where a network has several");

    net = app.add_subcommand("net", "Show one network's layer table");
    hinted(net->add_option("NAME", net_args.name, "Zoo name, e.g. resnet50, suite/ResNet50")->required(), words_hint(networks));
    add_flag(*net, "--csv", net_args.csv, "CSV instead of an aligned table");
    net->add_option("--weights", net_args.weights, "Accuracy row to show where a network has several");

    import = app.add_subcommand("import-onnx", "Show the layer table of an ONNX model");
    hinted(import->add_option("FILE", import_args.file, "ONNX model (weights may be absent)")->required(), files_hint(".onnx"));
    add_flag(*import, "--csv", import_args.csv, "CSV instead of an aligned table");
    add_flag(*import, "--skip-unsupported", import_args.skip_unsupported,
             "Import the supported nodes and list the unsupported ones instead of failing");

    archs = app.add_subcommand("archs", "List the accelerator presets with array, on-chip memory, area, clock and peak MACs");

    auto& ev = eval_args;
    ev.kinds = joined(kinds, ",");
    eval = app.add_subcommand("eval", "Energy, latency and area of a network on an accelerator, per layer and in total");
    hinted(eval->add_option("--arch", ev.arch, "Accelerator preset (elaa archs) or TOML file")->required(), arch_hint);
    hinted(eval->add_option("--net", ev.net, "Zoo network (elaa nets) or .onnx file")->required(), files_hint(".onnx", networks));
    hinted(eval->add_option("--objective", ev.objective, "What the mapping search minimises: " + joined(objectives, ", "))
               ->check(one_of(objectives))
               ->capture_default_str(),
           words_hint(objectives));
    hinted(eval->add_option("--search", ev.search,
                            "Search space: fast (design-space exploration), loma (ZigZag's), full (a superset) or deep (finer tiles, slower)")
               ->check(one_of(spaces))
               ->capture_default_str(),
           words_hint(spaces));
    hinted(eval->add_option("--kinds", ev.kinds, "Layer kinds to cost: " + joined(kinds, ", ") + " (comma-separated)")
               ->check(list_of(kinds))
               ->capture_default_str(),
           comma_list_hint(kinds));
    eval->add_option("--batch", ev.batch, "Images per inference")->check(whole_number(1))->capture_default_str();
    hinted(eval->add_option("--mapping", ev.mapping, "Evaluate the mappings of an earlier --json output instead of searching"),
           files_hint(".json"));
    hinted(eval->add_option("--density", ev.density,
                            "Per-layer activation densities (TOML: [layer] input = 0.6, output = 0.3); dense if omitted"),
           files_hint(".toml"));
    eval->add_option("--threads", ev.threads, "Layers searched in parallel")->check(whole_number(1))->capture_default_str();
    hinted(eval->add_option("--json", ev.json, "Write the JSON report to PATH (- for stdout)"), files_hint(".json", {"-"}));
    hinted(eval->add_option("--csv", ev.csv, "Write the per-layer table as CSV to PATH (- for stdout)"), files_hint(".csv", {"-"}));
    add_flag(*eval, "--leakage", ev.leakage, "Also report memory leakage energy (kept apart from dynamic energy)");

    auto& as = assess_args;
    as.threads = default_threads();
    assess = app.add_subcommand(
        "assess", "Energy-latency-area-accuracy of every network on every accelerator: tables, fronts, plots, insights");
    hinted(assess->add_option("--archs", as.archs, "all, or a comma-separated list of presets / TOML files")
               ->capture_default_str(),
           comma_list_hint(plus({"all"}, presets)));
    hinted(assess->add_option("--nets", as.nets, "suite, contemporary, all, or a comma-separated list of zoo networks")
               ->capture_default_str(),
           comma_list_hint(plus({"suite", "contemporary", "all"}, networks)));
    hinted(assess->add_option("--objective", as.objective, "Mapping search objective: " + joined(objectives, ", "))
               ->check(one_of(objectives))
               ->capture_default_str(),
           words_hint(objectives));
    hinted(assess->add_option("--search", as.search, "Search space: loma (the paper's), full, deep, or fast")
               ->check(one_of(spaces))
               ->capture_default_str(),
           words_hint(spaces));
    assess->add_option("--threads", as.threads, "Worker threads")->check(whole_number(1))->capture_default_str();
    hinted(assess->add_option("--out", as.out, "Output directory (replaced only when the run completes)")->required(),
           directories_hint());
    add_flag(*assess, "--no-plots", as.no_plots, "Skip the plots (they need python3-matplotlib)");

    auto& op = optimise_args;
    op.threads = default_threads();
    op.cache_mib = optimise::kDefaultSearchCacheBytes >> 20;
    optimise = app.add_subcommand("optimise", "Co-optimise accelerator and network with NSGA-II (pagmo2)");
    hinted(optimise->add_option("CONFIG", op.config, "Run config TOML (configs/runs/default.toml); optional with --resume"),
           files_hint(".toml"));
    auto* out = hinted(
        optimise->add_option("--out", op.out, "Run directory for checkpoints and results (must not hold a run)"),
        directories_hint());
    hinted(optimise->add_option("--resume", op.resume, "Continue the run in this directory from its last checkpoint")
               ->excludes(out),
           directories_hint());
    optimise->add_option("--threads", op.threads, "Evaluations in parallel")->check(whole_number(1))->capture_default_str();
    optimise
        ->add_option("--cache-mib", op.cache_mib,
                     "Memory for cached mapping searches per process (MiB; 0 = unbounded); results do not depend on it")
        ->check(whole_number(0, std::int64_t{1} << 30))
        ->capture_default_str();
    add_flag(*optimise, "--force", op.force, "Resume even though the config changed");
    add_flag(*optimise, "--no-plots", op.no_plots, "Skip the plots of the exported Pareto set");
    add_flag(*optimise, "--mpi", op.mpi,
             "Spread evaluations over MPI ranks (mpirun -np N elaa optimise ... --mpi); --threads defaults to 1");

    const std::vector<std::string> formats{"csv", "json", "toml", "all"};
    exporter = app.add_subcommand("export", "Write the Pareto set of a run: pareto.csv, pareto.json, pareto/design_NNN.toml");
    hinted(exporter->add_option("DIR", export_args.dir, "Run directory")->required(), directories_hint());
    hinted(exporter->add_option("--format", export_args.format, joined(formats, ", "))
               ->check(one_of(formats))
               ->capture_default_str(),
           words_hint(formats));
    add_flag(*exporter, "--no-plots", export_args.no_plots, "Skip the plots");

    auto& va = validate_args;
    va.threads = default_threads();
    validate = app.add_subcommand("validate",
                                  "Hold the chip presets against their published measurements (data/validation/*.toml)");
    hinted(validate->add_option("--data", va.data, "Validation data file (default: the compiled-in Eyeriss v1 file)"),
           files_hint(".toml"));
    hinted(validate->add_option("--out", va.out,
                                "Also write validation.csv, layers.csv, validation.json and plots/ here (replaced only when complete)"),
           directories_hint());
    validate->add_option("--threads", va.threads, "Layers searched in parallel")->check(whole_number(1))->capture_default_str();
    add_flag(*validate, "--no-plots", va.no_plots, "Skip the bar plot (it needs python3-matplotlib)");

    const std::vector<std::string> shells{"bash", "zsh"};
    completion = app.add_subcommand("completion", "Print the shell completion script: eval \"$(elaa completion bash)\"");
    hinted(completion->add_option("SHELL", completion_args.shell, "bash or zsh")->required()->check(one_of(shells)),
           words_hint(shells));
}

std::vector<const CLI::App*> CommandLine::subcommands() const {
    return {nets, net, import, archs, eval, assess, optimise, exporter, validate, completion};
}

const ValueHint& CommandLine::hint(const CLI::Option& option) const {
    static const ValueHint none;
    const auto it = hints_.find(&option);
    return it == hints_.end() ? none : it->second;
}

CLI::Option* CommandLine::hinted(CLI::Option* option, ValueHint hint) {
    hints_.emplace(option, std::move(hint));
    return option;
}

}  // namespace elaa::cli
