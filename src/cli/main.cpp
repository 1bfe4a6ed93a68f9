// The `elaa` command line. Each subcommand parses its options and calls the library; no logic here.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <functional>
#include <atomic>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>

#include <fstream>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include "accuracy/accuracy.hpp"
#include "assess/assessment.hpp"
#include "assess/insights.hpp"
#include "optimise/driver.hpp"
#include "optimise/export.hpp"
#include "optimise/mpi_pool.hpp"
#include "report/assess_report.hpp"
#include "report/plots.hpp"
#include "util/staged_directory.hpp"
#include "cli/usage_errors.hpp"
#include "cost/evaluate.hpp"
#include "cost/network_cost.hpp"
#include "hardware/presets.hpp"
#include "hardware/toml.hpp"
#include "mapping/mapping_json.hpp"
#include "report/arch_tables.hpp"
#include "report/eval_report.hpp"
#include "report/network_tables.hpp"
#include "util/error.hpp"
#include "workload/onnx/import.hpp"
#include "workload/zoo/zoo.hpp"

namespace {

using elaa::report::Table;

void print(const Table& table, bool csv) {
    if (csv)
        table.write_csv(std::cout);
    else
        table.write_text(std::cout);
}

void print_network_header(const elaa::workload::Network& net, bool csv, const std::string& weights) {
    // Resolve the accuracy first: a bad --weights fails before anything is printed. An imported
    // model is not the zoo network that happens to share its name, so it gets no accuracy line.
    std::string accuracy_line;
    if (net.family != "onnx") {
        const auto& tables = elaa::accuracy::AccuracyTables::builtin();
        // lookup() with explicit weights lists the available rows when the request matches none.
        const auto acc = weights.empty() ? tables.find(net.name) : std::optional(tables.lookup(net.name, weights));
        if (acc)
            accuracy_line = fmt::format("ImageNet top-1 {:.2f} %{}, {} {} ({})\n", acc->top1,
                                        acc->top5 ? fmt::format(", top-5 {:.2f} %", *acc->top5) : "",
                                        acc->precision, acc->weights, acc->source);
    }
    if (csv) return;  // CSV output stays a single well-formed table
    std::cout << fmt::format("{} ({}), input {}x{}, batch {}: {} layers, {} M MACs, {} M ops, {} M params\n",
                             net.name, net.family, net.resolution, net.resolution, net.batch,
                             net.layers.size(), elaa::report::millions(net.macs()),
                             elaa::report::millions(net.ops()), elaa::report::millions(net.params()))
              << accuracy_line;
}

bool ends_with(const std::string& text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// A preset name, or a path to an accelerator TOML file.
elaa::hardware::Accelerator load_arch(const std::string& arch) {
    if (ends_with(arch, ".toml") || arch.find('/') != std::string::npos) return elaa::hardware::load_accelerator(arch);
    return elaa::hardware::load_preset(arch);
}

// A zoo name, or a path to an ONNX file.
elaa::workload::Network load_network(const std::string& net) {
    if (ends_with(net, ".onnx")) return elaa::workload::import_onnx(net).network;
    return elaa::workload::Zoo::instance().build(net);
}

// Writes to a file, or to stdout for "-".
void write_output(const std::string& path, const std::function<void(std::ostream&)>& write) {
    if (path == "-") {
        write(std::cout);
        return;
    }
    std::ofstream out(path);
    if (!out) throw elaa::InputError(path + ": cannot write");
    write(out);
    if (!out) throw elaa::InputError(path + ": write failed");
}

// A progress bar with ETA on stderr, only when a person watches it (stderr is a terminal).
elaa::assess::Progress progress_bar() {
    if (!::isatty(STDERR_FILENO)) return {};
    const auto start = std::chrono::steady_clock::now();
    return [start](std::size_t done, std::size_t total) {
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const double eta = done ? elapsed / static_cast<double>(done) * static_cast<double>(total - done) : 0;
        const int width = 30, filled = static_cast<int>(width * done / std::max<std::size_t>(total, 1));
        std::cerr << fmt::format("\r[{}{}] {}/{} pairs, {:.1f} s, ETA {:.1f} s ", std::string(filled, '#'),
                                 std::string(width - filled, '.'), done, total, elapsed, eta)
                  << (done == total ? "\n" : "") << std::flush;
    };
}

void write_file(const std::filesystem::path& path, const std::function<void(std::ostream&)>& write) {
    write_output(path.string(), write);
}

std::atomic<bool> g_stop{false};
extern "C" void request_stop(int) { g_stop = true; }

// Writes a file through a temporary sibling and a rename, so a failure leaves the old one.
void write_file_atomically(const std::filesystem::path& path, const std::string& text) {
    const auto temp = path.parent_path() / ("." + path.filename().string() + ".tmp");
    write_file(temp, [&](std::ostream& o) { o << text; });
    std::filesystem::rename(temp, path);
}

// pareto.csv, pareto.json and pareto/design_NNN.toml of a run directory.
void export_run(const std::filesystem::path& dir, const std::string& format, bool plots) {
    const auto saved = elaa::optimise::load_saved_run(dir);
    const elaa::optimise::DesignEvaluator evaluator(saved.config);
    const auto designs = elaa::optimise::pareto_designs(evaluator, saved.archive);
    if (format == "csv" || format == "all") {
        std::ostringstream text;
        elaa::optimise::write_pareto_csv(text, evaluator, designs);
        write_file_atomically(dir / "pareto.csv", text.str());
    }
    if (format == "json" || format == "all")
        write_file_atomically(dir / "pareto.json", elaa::optimise::pareto_json(evaluator, designs).dump(1) + "\n");
    if (format == "csv" || format == "all") {
        std::string history = "generation,hypervolume,archive_size\n";
        for (const auto& h : saved.history)
            history += fmt::format("{},{:.9g},{}\n", h.generation, h.hypervolume, h.archive_size);
        write_file_atomically(dir / "history.csv", history);
    }
    if (format == "toml" || format == "all") {
        elaa::StagedDirectory staged(dir / "pareto");
        for (std::size_t i = 0; i < designs.size(); ++i)
            write_file(staged.path() / elaa::optimise::design_file_name(i + 1),
                       [&](std::ostream& o) { o << elaa::optimise::design_toml(evaluator, designs[i], i + 1); });
        staged.commit();
    }
    // Plots last: the tables above are already in place if matplotlib is missing or fails.
    if (plots && (format == "csv" || format == "all")) elaa::report::render_optimisation_plots(dir);
    std::cerr << fmt::format("elaa: exported {} Pareto designs to {}\n", designs.size(), dir.string());
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"elaa: energy-latency-area-accuracy co-design of DNNs and their accelerators"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "elaa 0.1.0");

    bool csv = false;
    std::string family, weights;
    auto* nets = app.add_subcommand("nets", "List every network in the zoo with MACs, params and accuracy");
    nets->add_flag("--csv", csv, "CSV instead of an aligned table");
    nets->add_option("--family", family, "Only this family (e.g. resnet, mobilenet_v2)");
    nets->add_option("--weights", weights, "Accuracy row to show where a network has several");

    std::string net_name;
    auto* net = app.add_subcommand("net", "Show one network's layer table");
    net->add_option("NAME", net_name, "Zoo name, e.g. resnet50, suite/ResNet50")->required();
    net->add_flag("--csv", csv, "CSV instead of an aligned table");
    net->add_option("--weights", weights, "Accuracy row to show where a network has several");

    std::string onnx_file;
    bool skip_unsupported = false;
    auto* import = app.add_subcommand("import-onnx", "Show the layer table of an ONNX model");
    import->add_option("FILE", onnx_file, "ONNX model (weights may be absent)")->required();
    import->add_flag("--csv", csv, "CSV instead of an aligned table");
    import->add_flag("--skip-unsupported", skip_unsupported,
                     "Import the supported nodes and list the unsupported ones instead of failing");

    app.add_subcommand("archs", "List the accelerator presets with array, on-chip memory, area, clock and peak MACs");

    struct {
        std::string arch, net, objective = "latency", search = "full", kinds = "conv,fc,pool,add,attention,vector", mapping, json, csv;
        int batch = 1;
        unsigned threads = 1;
        bool leakage = false;
    } ev;
    auto* eval = app.add_subcommand("eval", "Energy, latency and area of a network on an accelerator, per layer and in total");
    eval->add_option("--arch", ev.arch, "Accelerator preset (elaa archs) or TOML file")->required();
    eval->add_option("--net", ev.net, "Zoo network (elaa nets) or .onnx file")->required();
    eval->add_option("--objective", ev.objective, "What the mapping search minimises: latency, energy or edp")
        ->capture_default_str();
    eval->add_option("--search", ev.search, "Search space: fast (design-space exploration), loma (ZigZag's) or full (a superset)")->capture_default_str();
    eval->add_option("--kinds", ev.kinds, "Layer kinds to cost: conv, fc, pool, add, attention, vector (comma-separated)")
        ->capture_default_str();
    eval->add_option("--batch", ev.batch, "Images per inference")->check(elaa::cli::whole_number(1))->capture_default_str();
    eval->add_option("--mapping", ev.mapping, "Evaluate the mappings of an earlier --json output instead of searching");
    eval->add_option("--threads", ev.threads, "Layers searched in parallel")->check(elaa::cli::whole_number(1))->capture_default_str();
    eval->add_option("--json", ev.json, "Write the JSON report to PATH (- for stdout)");
    eval->add_option("--csv", ev.csv, "Write the per-layer table as CSV to PATH (- for stdout)");
    eval->add_flag("--leakage", ev.leakage, "Also report memory leakage energy (kept apart from dynamic energy)");

    struct {
        std::string archs = "all", nets = "suite", objective = "latency", search = "loma", out;
        unsigned threads = std::max(1u, std::thread::hardware_concurrency());
        bool no_plots = false;
    } as;
    auto* assess = app.add_subcommand(
        "assess", "Energy-latency-area-accuracy of every network on every accelerator: tables, fronts, plots, insights");
    assess->add_option("--archs", as.archs, "all, or a comma-separated list of presets / TOML files")->capture_default_str();
    assess->add_option("--nets", as.nets, "suite, contemporary, all, or a comma-separated list of zoo networks")->capture_default_str();
    assess->add_option("--objective", as.objective, "Mapping search objective: latency, energy or edp")->capture_default_str();
    assess->add_option("--search", as.search, "Search space: loma (the paper's) or full")->capture_default_str();
    assess->add_option("--threads", as.threads, "Worker threads")->check(elaa::cli::whole_number(1))->capture_default_str();
    assess->add_option("--out", as.out, "Output directory (replaced only when the run completes)")->required();
    assess->add_flag("--no-plots", as.no_plots, "Skip the plots (they need python3-matplotlib)");

    struct {
        std::string config, out, resume;
        unsigned threads = std::max(1u, std::thread::hardware_concurrency());
        std::size_t cache_mib = elaa::optimise::kDefaultSearchCacheBytes >> 20;
        bool force = false, mpi = false, no_plots = false;
    } op;
    auto* optimise = app.add_subcommand("optimise", "Co-optimise accelerator and network with NSGA-II (pagmo2)");
    optimise->add_option("CONFIG", op.config, "Run config TOML (configs/runs/default.toml); optional with --resume");
    auto* out_option = optimise->add_option("--out", op.out, "Run directory for checkpoints and results (must not hold a run)");
    optimise->add_option("--resume", op.resume, "Continue the run in this directory from its last checkpoint")
        ->excludes(out_option);
    optimise->add_option("--threads", op.threads, "Evaluations in parallel")->check(elaa::cli::whole_number(1))->capture_default_str();
    optimise->add_option("--cache-mib", op.cache_mib,
                         "Memory for cached mapping searches per process (MiB; 0 = unbounded); results do not depend on it")
        ->check(elaa::cli::whole_number(0, std::int64_t{1} << 30))
        ->capture_default_str();
    optimise->add_flag("--force", op.force, "Resume even though the config changed");
    optimise->add_flag("--no-plots", op.no_plots, "Skip the plots of the exported Pareto set");
    optimise->add_flag("--mpi", op.mpi,
                       "Spread evaluations over MPI ranks (mpirun -np N elaa optimise ... --mpi); --threads defaults to 1");

    std::string export_dir, export_format = "all";
    bool export_no_plots = false;
    auto* exporter = app.add_subcommand("export", "Write the Pareto set of a run: pareto.csv, pareto.json, pareto/design_NNN.toml");
    exporter->add_option("DIR", export_dir, "Run directory")->required();
    exporter->add_option("--format", export_format, "csv, json, toml or all")->capture_default_str();
    exporter->add_flag("--no-plots", export_no_plots, "Skip the plots");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return elaa::cli::report_parse_error(app, e, argc, argv);
    }
    if (*optimise && op.out.empty() && op.resume.empty())
        return elaa::cli::report_usage_error(*optimise, "optimise: give either --out DIR (a new run) or --resume DIR");

    try {
        if (*nets) {
            print(elaa::report::zoo_table(family, weights), csv);
        } else if (*net) {
            const auto network = elaa::workload::Zoo::instance().build(net_name);
            print_network_header(network, csv, weights);
            print(elaa::report::layer_table(network), csv);
        } else if (app.got_subcommand("archs")) {
            print(elaa::report::arch_table(), false);
        } else if (*eval) {
            elaa::cost::EvalOptions options;
            const auto acc = load_arch(ev.arch);
            // A design file may state how it was evaluated; explicit options win.
            if (eval->count("--objective") == 0 && !acc.evaluation.objective.empty()) ev.objective = acc.evaluation.objective;
            if (eval->count("--search") == 0 && !acc.evaluation.search.empty()) ev.search = acc.evaluation.search;
            if (!elaa::mapping::parse_objective(ev.objective, options.search.objective))
                throw elaa::InputError("--objective: '" + ev.objective + "' is not one of latency, energy, edp");
            if (!elaa::mapping::parse_search_space(ev.search, options.search.space))
                throw elaa::InputError("--search: '" + ev.search + "' is not one of fast, loma, full");
            options.kinds.clear();
            for (const auto& kind : CLI::detail::split(ev.kinds, ',')) {
                elaa::cost::KindClass k;
                if (!elaa::cost::parse_kind_class(kind, k))
                    throw elaa::InputError("--kinds: '" + kind + "' is not one of conv, fc, pool, add, attention, vector");
                options.kinds.push_back(k);
            }
            options.threads = ev.threads;
            const auto network = elaa::workload::with_batch(load_network(ev.net), ev.batch);
            if (!ev.mapping.empty()) options.given_mappings = elaa::mapping::load_mappings(ev.mapping, acc);
            elaa::cost::NetworkCost result;
            try {
                result = elaa::cost::evaluate_network(network, acc, options);
            } catch (const elaa::cost::MappingError& e) {
                throw elaa::InputError(e.what());
            }
            const elaa::report::EvalContext ctx{network, acc, result, options, ev.leakage};
            if (!ev.json.empty())
                write_output(ev.json, [&](std::ostream& out) { out << elaa::report::eval_json(ctx).dump(1) << "\n"; });
            if (!ev.csv.empty())
                write_output(ev.csv, [&](std::ostream& out) { elaa::report::eval_layer_table(ctx).write_csv(out); });
            if (ev.json != "-" && ev.csv != "-") {
                elaa::report::eval_layer_table(ctx).write_text(std::cout);
                std::cout << "\n";
                elaa::report::write_eval_summary(std::cout, ctx);
            }
        } else if (*assess) {
            elaa::assess::AssessOptions options;
            if (!elaa::mapping::parse_objective(as.objective, options.objective))
                throw elaa::InputError("--objective: '" + as.objective + "' is not one of latency, energy, edp");
            if (!elaa::mapping::parse_search_space(as.search, options.space))
                throw elaa::InputError("--search: '" + as.search + "' is not one of fast, loma, full");
            options.threads = as.threads;
            options.archs = elaa::assess::select_accelerators(as.archs);
            options.nets = elaa::assess::select_networks(as.nets);
            elaa::StagedDirectory out(as.out);  // checks the output location before the long run
            elaa::assess::Assessment result;
            try {
                result = elaa::assess::run_assessment(options, progress_bar());
            } catch (const elaa::cost::MappingError& e) {
                throw elaa::InputError(e.what());
            }
            const auto dir = out.path();
            write_file(dir / "results.csv", [&](std::ostream& o) { elaa::report::write_results_csv(o, result); });
            write_file(dir / "layers.csv", [&](std::ostream& o) { elaa::report::write_layers_csv(o, result); });
            write_file(dir / "pareto.csv", [&](std::ostream& o) { elaa::report::write_pareto_csv(o, result); });
            std::string command;
            for (int i = 0; i < argc; ++i) command += (i ? " " : "") + std::string(argv[i]);
            write_file(dir / "run.json",
                       [&](std::ostream& o) { o << elaa::report::run_json(result, command).dump(1) << "\n"; });
            write_file(dir / "insights.md", [&](std::ostream& o) { o << elaa::assess::insights_markdown(result); });
            if (!as.no_plots) elaa::report::render_assessment_plots(dir);
            out.commit();
            std::cout << fmt::format("assessed {} networks x {} accelerators into {}\n", result.networks.size(),
                                     result.accelerators.size(), as.out);
        } else if (*optimise) {
            std::unique_ptr<elaa::optimise::MpiSession> mpi;
            if (op.mpi) {
                mpi = std::make_unique<elaa::optimise::MpiSession>(argc, argv);
                if (optimise->count("--threads") == 0) op.threads = 1;  // one rank per core
                if (mpi->rank() != 0) {
                    // A worker: evaluate what rank 0 sends, with the config rank 0 runs.
                    const auto [text, source] = elaa::optimise::mpi_receive_config();
                    if (text.empty()) return 0;  // rank 0 failed before the run started
                    const auto config = elaa::optimise::parse_run_config(text, source);
                    elaa::optimise::mpi_worker_loop(elaa::optimise::mpi_worker_task(
                        config, std::make_shared<const elaa::optimise::DesignEvaluator>(config, op.cache_mib << 20), op.threads));
                    return 0;
                }
            }
            // Rank 0 (or the only process): whatever happens, the workers must be released.
            struct Release {
                bool active;
                bool config_sent = false;
                ~Release() {
                    if (!active) return;
                    if (!config_sent) elaa::optimise::mpi_send_config("", "");
                    else elaa::optimise::mpi_stop_workers();
                }
            } release{op.mpi};
            const std::filesystem::path dir = op.resume.empty() ? op.out : op.resume;
            elaa::optimise::RunConfig config;
            if (!op.config.empty())
                config = elaa::optimise::load_run_config(op.config);
            else if (!op.resume.empty())
                config = elaa::optimise::load_saved_run(dir).config;
            else
                throw elaa::InputError("optimise: a new run needs its CONFIG file");
            if (op.resume.empty()) {
                std::error_code ec;
                if (std::filesystem::exists(dir / elaa::optimise::kCheckpointFile, ec))
                    throw elaa::InputError(dir.string() + " already holds a run: resume it with --resume " + dir.string() +
                                           ", or choose another --out");
                std::filesystem::create_directories(dir, ec);
                if (ec) throw elaa::InputError(dir.string() + ": cannot create the run directory (" + ec.message() + ")");
            }
            if (op.mpi) {
                elaa::optimise::mpi_send_config(config.text, config.source);
                release.config_sent = true;
            }
            elaa::optimise::RunControl control;
            control.mpi = op.mpi;
            control.dir = dir;
            control.resume = !op.resume.empty();
            control.force = op.force;
            control.threads = op.threads;
            control.search_cache_bytes = op.cache_mib << 20;
            control.stop = &g_stop;
            control.progress = [](const elaa::optimise::GenerationReport& r) {
                std::cerr << fmt::format("gen {:>4}/{}  {:>7} evals ({:.0f}/s)  cache: genomes {:.0f} %, layers {:.0f} %"
                                         "  HV {:.4f}  archive {}  ETA {:.0f} s\n",
                                         r.generation, r.generations, r.evaluations, r.evaluations_per_s,
                                         100 * r.genome_hit_rate, 100 * r.layer_hit_rate, r.hypervolume, r.archive_size,
                                         r.eta_s);
            };
            std::signal(SIGINT, request_stop);
            const auto result = elaa::optimise::run_optimisation(config, control);
            std::signal(SIGINT, SIG_DFL);
            if (result.stopped_early) {
                std::cerr << fmt::format("elaa: stopped after generation {} of {}; checkpoint saved. Resume with: "
                                         "elaa optimise --resume {}\n",
                                         result.generations_done, config.generations, dir.string());
                return 0;
            }
            export_run(dir, "all", !op.no_plots);
        } else if (*exporter) {
            if (export_format != "csv" && export_format != "json" && export_format != "toml" && export_format != "all")
                throw elaa::InputError("--format: '" + export_format + "' is not one of csv, json, toml, all");
            export_run(export_dir, export_format, !export_no_plots);
        } else if (*import) {
            elaa::workload::OnnxImportOptions options;
            options.skip_unsupported = skip_unsupported;
            const auto result = elaa::workload::import_onnx(onnx_file, options);
            for (const auto& skipped : result.skipped) std::cerr << "elaa: skipped unsupported " << skipped << "\n";
            print_network_header(result.network, csv, "");
            print(elaa::report::layer_table(result.network), csv);
        }
    } catch (const elaa::InputError& e) {
        std::cerr << "elaa: error: " << e.what() << "\n";
        return 2;
    } catch (const std::filesystem::filesystem_error& e) {
        // A path the file system refuses (too long, no permission) where no check of ours came first.
        std::cerr << "elaa: error: " << (e.path1().empty() ? "" : e.path1().string() + ": ") << e.code().message() << "\n";
        return 2;
    }
    return 0;
}
