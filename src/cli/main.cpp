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
#include <optional>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include "accuracy/accuracy.hpp"
#include "app/commands.hpp"
#include "assess/assessment.hpp"
#include "assess/insights.hpp"
#include "optimise/driver.hpp"
#include "optimise/export.hpp"
#include "optimise/mpi_pool.hpp"
#include "report/assess_report.hpp"
#include "report/plots.hpp"
#include "util/staged_directory.hpp"
#include "cli/command_line.hpp"
#include "assess/validation.hpp"
#include "cli/completion.hpp"
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
#include "workload/density.hpp"
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

void report_export(const std::string& dir, std::size_t designs) {
    std::cerr << fmt::format("elaa: exported {} Pareto designs to {}\n", designs, dir);
}

std::atomic<bool> g_stop{false};
extern "C" void request_stop(int) { g_stop = true; }

}  // namespace

int main(int argc, char** argv) {
    elaa::cli::CommandLine command_line;
    auto& app = command_line.app;
    auto& ev = command_line.eval_args;
    auto& as = command_line.assess_args;
    auto& op = command_line.optimise_args;
    auto *nets = command_line.nets, *net = command_line.net, *import = command_line.import, *eval = command_line.eval,
         *assess = command_line.assess, *optimise = command_line.optimise, *exporter = command_line.exporter;

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return elaa::cli::report_parse_error(app, e, argc, argv);
    }
    if (*optimise && op.out.empty() && op.resume.empty())
        return elaa::cli::report_usage_error(*optimise, "optimise: give either --out DIR (a new run) or --resume DIR");

    try {
        if (*nets) {
            print(elaa::report::zoo_table(command_line.nets_args.family, command_line.nets_args.weights),
                  command_line.nets_args.csv);
        } else if (*net) {
            const auto& args = command_line.net_args;
            const auto network = elaa::workload::Zoo::instance().build(args.name);
            print_network_header(network, args.csv, args.weights);
            print(elaa::report::layer_table(network), args.csv);
        } else if (*command_line.archs) {
            print(elaa::report::arch_table(), false);
        } else if (*eval) {
            elaa::app::EvalRequest request;
            // Unset when not given: a design file may state how it was evaluated.
            if (eval->count("--objective")) request.objective = ev.objective;
            if (eval->count("--search")) request.search = ev.search;
            request.kinds = ev.kinds;
            request.batch = ev.batch;
            request.threads = ev.threads;
            request.density_file = ev.density;
            request.mapping_file = ev.mapping;
            request.leakage = ev.leakage;
            request.arch_source = ev.arch;
            const auto run = elaa::app::run_eval(elaa::app::load_arch(ev.arch), elaa::app::load_network(ev.net), request);
            const auto ctx = run->context();
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
            elaa::mapping::parse_objective(as.objective, options.objective);  // both checked by the command line
            elaa::mapping::parse_search_space(as.search, options.space);
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
            std::string command;
            for (int i = 0; i < argc; ++i) command += (i ? " " : "") + std::string(argv[i]);
            elaa::app::write_assessment(out.path(), result, command, !as.no_plots);
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
            elaa::app::OptimiseRequest request;
            request.config = op.config;
            request.out = op.out;
            request.resume = op.resume;
            request.threads = op.threads;
            request.search_cache_bytes = op.cache_mib << 20;
            request.force = op.force;
            const auto prepared = elaa::app::prepare_optimisation(request);
            const auto& config = prepared.config;
            const auto& dir = prepared.dir;
            if (op.mpi) {
                elaa::optimise::mpi_send_config(config.text, config.source);
                release.config_sent = true;
            }
            auto control = elaa::app::run_control(request, prepared);
            control.mpi = op.mpi;
            control.stop = &g_stop;
            control.progress = [](const elaa::optimise::GenerationReport& r) {
                std::cerr << fmt::format("gen {:>4}/{}  {:>7} evals ({:.0f}/s)  cache: genomes {:.0f} %, layers {:.0f} %"
                                         "  HV {:.4f}  archive {}  ETA {:.0f} s\n",
                                         r.generation, r.generations, r.evaluations, r.evaluations_per_s,
                                         100 * r.genome_hit_rate, 100 * r.layer_hit_rate, r.hypervolume, r.archive_size,
                                         r.eta_s);
            };
            std::signal(SIGINT, request_stop);
            const auto evaluator = std::make_shared<const elaa::optimise::DesignEvaluator>(config, control.search_cache_bytes);
            const auto result = elaa::optimise::run_optimisation(config, control, evaluator);
            std::signal(SIGINT, SIG_DFL);
            if (result.stopped_early) {
                std::cerr << fmt::format("elaa: stopped after generation {} of {}; checkpoint saved. Resume with: "
                                         "elaa optimise --resume {}\n",
                                         result.generations_done, config.generations, dir.string());
                return 0;
            }
            report_export(dir, elaa::app::export_run(dir, "all", !op.no_plots, evaluator.get()));
        } else if (*exporter) {
            const auto& args = command_line.export_args;
            report_export(args.dir, elaa::app::export_run(args.dir, args.format, !args.no_plots));
        } else if (*import) {
            elaa::workload::OnnxImportOptions options;
            const auto& args = command_line.import_args;
            options.skip_unsupported = args.skip_unsupported;
            const auto result = elaa::workload::import_onnx(args.file, options);
            for (const auto& skipped : result.skipped) std::cerr << "elaa: skipped unsupported " << skipped << "\n";
            print_network_header(result.network, args.csv, "");
            print(elaa::report::layer_table(result.network), args.csv);
        } else if (*command_line.validate) {
            const auto& args = command_line.validate_args;
            std::optional<elaa::StagedDirectory> out;
            if (!args.out.empty()) out.emplace(args.out);  // checks the output location before the run
            const auto validation = elaa::assess::run_validation(
                args.data.empty() ? std::string("validation/eyeriss_v1.toml") : args.data, args.threads);
            elaa::assess::validation_table(validation).write_text(std::cout);
            std::cout << "\n";
            elaa::assess::validation_layer_table(validation).write_text(std::cout);
            if (out) {
                elaa::app::write_validation(out->path(), validation, !args.no_plots);
                out->commit();
            }
        } else if (*command_line.completion) {
            const auto& shell = command_line.completion_args.shell;
            std::cout << (shell == "bash" ? elaa::cli::bash_completion(command_line) : elaa::cli::zsh_completion(command_line));
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
