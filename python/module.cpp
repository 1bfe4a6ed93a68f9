// The native part of the `elaa` Python package (python/elaa/__init__.py builds the public API on it).
//
// Every function goes through the same library calls as the command line (src/app), so a value here
// is the value `elaa` prints. Tables cross as the CLI's own CSV text (pandas parses it), reports as
// the `--json` document: nothing is re-formatted, so nothing can drift. Long calls release the GIL.
#include <pybind11/operators.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <atomic>
#include <exception>
#include <sstream>
#include <thread>
#include <variant>

#include <nlohmann/json.hpp>

#include "accuracy/accuracy.hpp"
#include "app/commands.hpp"
#include "assess/insights.hpp"
#include "cli/command_line.hpp"
#include "cost/evaluate.hpp"
#include "hardware/presets.hpp"
#include "hardware/toml.hpp"
#include "optimise/export.hpp"
#include "report/arch_tables.hpp"
#include "report/assess_report.hpp"
#include "report/network_tables.hpp"
#include "report/version.hpp"
#include "util/error.hpp"
#include "util/staged_directory.hpp"
#include "workload/onnx/import.hpp"
#include "workload/zoo/zoo.hpp"

namespace py = pybind11;
using namespace elaa;

namespace {

std::string csv_of(const report::Table& table) {
    std::ostringstream out;
    table.write_csv(out);
    return out.str();
}

template <class Write>
std::string text_of(Write&& write) {
    std::ostringstream out;
    write(out);
    return out.str();
}

py::dict network_info(const workload::Network& net) {
    py::dict info;
    info["name"] = net.name;
    info["family"] = net.family;
    info["resolution"] = net.resolution;
    info["batch"] = net.batch;
    info["layers"] = net.layers.size();
    info["macs"] = net.macs();
    info["params"] = net.params();
    // An imported model is not the zoo network that happens to share its name: no accuracy.
    if (net.family != "onnx")
        if (const auto acc = accuracy::AccuracyTables::builtin().find(net.name)) {
            info["top1"] = acc->top1;
            info["top5"] = acc->top5 ? py::cast(*acc->top5) : py::none();
            info["accuracy_source"] = acc->source;
        }
    return info;
}

// A Python callable reported to from C++ (possibly from a worker thread, never two at once): takes
// the GIL, notices Ctrl-C, and keeps the first exception the callable raised so that it is raised
// again when the run has ended cleanly (a checkpoint written, a staging directory removed).
class PythonProgress {
public:
    explicit PythonProgress(py::object callable) : callable_(std::move(callable)) {}
    // False: stop (the callable returned False, raised, or the user pressed Ctrl-C).
    template <class... Args>
    bool operator()(Args&&... args) {
        py::gil_scoped_acquire gil;
        if (error_) return false;
        try {
            if (PyErr_CheckSignals() != 0) throw py::error_already_set();
            if (callable_.is_none()) return true;
            const py::object answer = callable_(std::forward<Args>(args)...);
            return !(py::isinstance<py::bool_>(answer) && !answer.cast<bool>());
        } catch (...) {
            error_ = std::current_exception();
            return false;
        }
    }
    bool failed() const { return error_ != nullptr; }  // no GIL needed
    void rethrow() const {
        if (error_) std::rethrow_exception(error_);
    }

private:
    py::object callable_;
    std::exception_ptr error_;
};

// Applies `change` to a copy and re-reads the result through the TOML loader: the same checks as a
// file (an unrolling larger than its array dimension, a zero clock...) and figures derived from
// the technology tables re-derived for the new sizes.
template <class Change>
void modify(hardware::Accelerator& acc, Change&& change) {
    hardware::Accelerator changed = acc;
    change(changed);
    const std::string source = acc.name + " (as modified)";
    try {
        acc = hardware::parse_accelerator(hardware::to_toml(changed), source);
    } catch (const InputError& e) {
        // "<source>:<line>: ...": a line of the generated text would mean nothing to the user.
        std::string message = e.what();
        if (message.rfind(source + ":", 0) == 0) {
            const auto rest = message.find(": ", source.size() + 1);
            if (rest != std::string::npos) message = source + message.substr(rest);
        }
        throw InputError(message);
    }
}

hardware::Memory& memory_named(hardware::Accelerator& acc, const std::string& name) {
    std::string names;
    for (auto& memory : acc.memories) {
        if (memory.name == name) return memory;
        names += (names.empty() ? "" : ", ") + memory.name;
    }
    throw InputError(acc.name + ": no memory named '" + name + "'; its memories are " + names);
}

// The array's sizes; an unrolling that used a whole dimension keeps using the whole (new) one.
void set_array(hardware::Accelerator& acc, const std::vector<int>& sizes) {
    if (sizes.size() != acc.array.dim_sizes.size())
        throw InputError(acc.name + ": array has " + std::to_string(acc.array.dim_sizes.size()) +
                         " dimensions, " + std::to_string(sizes.size()) + " sizes given");
    for (int size : sizes)
        if (size < 1) throw InputError(acc.name + ": array sizes must be positive, got " + std::to_string(size));
    for (auto& dataflow : acc.dataflows)
        for (std::size_t d = 0; d < dataflow.per_dim.size() && d < sizes.size(); ++d) {
            auto& loops = dataflow.per_dim[d].loops;
            if (loops.size() == 1 && loops[0].second == acc.array.dim_sizes[d]) loops[0].second = sizes[d];
        }
    acc.array.dim_sizes = sizes;
}

py::list memories_of(const hardware::Accelerator& acc) {
    py::list out;
    for (std::size_t m = 0; m < acc.memories.size(); ++m) {
        const auto& memory = acc.memories[m];
        std::vector<std::string> operands;
        for (auto operand : memory.operands) operands.emplace_back(workload::to_string(operand));
        py::dict row;
        row["name"] = memory.name;
        row["type"] = std::string(hardware::to_string(memory.type));
        row["operands"] = operands;
        row["size_bytes"] = memory.size_bits / 8;
        row["instances"] = acc.instances(m);
        row["banks"] = memory.banks;
        row["r_energy_pj"] = memory.r_energy_pj;
        row["w_energy_pj"] = memory.w_energy_pj;
        row["area_mm2"] = memory.area_mm2;
        out.append(row);
    }
    return out;
}

hardware::Accelerator accelerator_from_toml(const py::object& path_or_text) {
    // A path-like object is a path; a string is TOML text when it spans lines (an accelerator always
    // does), else a path.
    if (py::isinstance<py::str>(path_or_text)) {
        const auto text = path_or_text.cast<std::string>();
        if (text.find('\n') != std::string::npos) return hardware::parse_accelerator(text, "<TOML text>");
        return hardware::load_accelerator(text);
    }
    return hardware::load_accelerator(py::module_::import("os").attr("fspath")(path_or_text).cast<std::string>());
}

// The CLI's ranges for counts given as Python ints (which may be negative or huge).
unsigned thread_count(std::optional<long long> threads) {
    if (!threads) return std::max(1u, std::thread::hardware_concurrency());
    if (*threads < 1 || *threads > 4096) throw InputError("threads must be a whole number from 1 to 4096, got " + std::to_string(*threads));
    return static_cast<unsigned>(*threads);
}

using ArchArg = std::variant<hardware::Accelerator, std::string>;

hardware::Accelerator resolve(const ArchArg& arch) {
    if (const auto* acc = std::get_if<hardware::Accelerator>(&arch)) return *acc;
    return app::load_arch(std::get<std::string>(arch));
}

py::dict evaluate(const ArchArg& arch, const std::string& net, const std::optional<std::string>& objective,
                  const std::optional<std::string>& search, const std::string& kinds, long long batch, long long threads,
                  const std::string& density, const std::string& mapping, bool leakage) {
    app::EvalRequest request;
    request.objective = objective;
    request.search = search;
    request.kinds = kinds;
    if (batch < 1 || batch > (1 << 20)) throw InputError("batch must be a whole number from 1 to 1048576, got " + std::to_string(batch));
    request.batch = static_cast<int>(batch);
    request.threads = thread_count(threads);
    request.density_file = density;
    request.mapping_file = mapping;
    request.leakage = leakage;
    if (const auto* name = std::get_if<std::string>(&arch)) request.arch_source = *name;
    std::string json, summary, layers;
    {
        auto accelerator = resolve(arch);  // a copy: no Python object is touched without the GIL
        py::gil_scoped_release release;
        const auto run = app::run_eval(std::move(accelerator), app::load_network(net), request);
        const auto ctx = run->context();
        json = report::eval_json(ctx).dump();
        summary = text_of([&](std::ostream& o) { report::write_eval_summary(o, ctx); });
        layers = csv_of(report::eval_layer_table(ctx));
    }
    py::dict out;
    out["json"] = json;
    out["summary"] = summary;
    out["layer_csv"] = layers;
    return out;
}

py::dict assess_run(const std::string& archs, const std::string& nets, const std::optional<std::string>& objective,
                const std::optional<std::string>& search, std::optional<long long> threads, const std::string& out_dir,
                bool plots, py::object progress) {
    const cli::AssessArgs defaults;
    assess::AssessOptions options;
    const auto objective_name = objective.value_or(defaults.objective), search_name = search.value_or(defaults.search);
    if (!mapping::parse_objective(objective_name, options.objective))
        throw InputError("objective '" + objective_name + "' is not one of latency, energy, edp");
    if (!mapping::parse_search_space(search_name, options.space))
        throw InputError("search '" + search_name + "' is not one of fast, loma, full, deep");
    options.threads = thread_count(threads);
    PythonProgress report(std::move(progress));
    std::atomic<bool> stop{false};
    options.stop = &stop;
    std::string results, layers, pareto, insights;
    try {
        py::gil_scoped_release release;
        options.archs = assess::select_accelerators(archs);
        options.nets = assess::select_networks(nets);
        std::optional<StagedDirectory> out;
        if (!out_dir.empty()) out.emplace(out_dir);  // checks the output location before the long run
        assess::Assessment result;
        try {
            result = assess::run_assessment(options, [&](std::size_t done, std::size_t total) {
                if (!report(done, total)) stop = true;  // no further pair starts
            });
        } catch (const cost::MappingError& e) {
            throw InputError(e.what());
        }
        if (report.failed()) throw InputError("assess: stopped by the progress callback");  // replaced below
        if (out) {
            app::write_assessment(out->path(), result,
                                  "python: elaa.assess(archs='" + archs + "', nets='" + nets + "', objective='" +
                                      objective_name + "', search='" + search_name + "')",
                                  plots);
            out->commit();
        }
        results = text_of([&](std::ostream& o) { report::write_results_csv(o, result); });
        layers = text_of([&](std::ostream& o) { report::write_layers_csv(o, result); });
        pareto = text_of([&](std::ostream& o) { report::write_pareto_csv(o, result); });
        insights = assess::insights_markdown(result);
    } catch (const InputError&) {
        report.rethrow();  // what the callback raised (or Ctrl-C) explains the stop better
        throw;
    }
    py::dict files;
    files["results_csv"] = results;
    files["layers_csv"] = layers;
    files["pareto_csv"] = pareto;
    files["insights"] = insights;
    return files;
}

py::dict generation_dict(const optimise::GenerationReport& r) {
    py::dict d;
    d["generation"] = r.generation;
    d["generations"] = r.generations;
    d["evaluations"] = r.evaluations;
    d["evaluations_per_s"] = r.evaluations_per_s;
    d["genome_hit_rate"] = r.genome_hit_rate;
    d["layer_hit_rate"] = r.layer_hit_rate;
    d["hypervolume"] = r.hypervolume;
    d["archive_size"] = r.archive_size;
    d["eta_s"] = r.eta_s;
    return d;
}

py::dict optimise_run(const std::string& config, const std::string& out, const std::string& resume,
                      std::optional<long long> threads, bool force, std::optional<long long> cache_mib, bool plots,
                      py::object progress) {
    app::OptimiseRequest request;
    request.config = config;
    request.out = out;
    request.resume = resume;
    request.threads = thread_count(threads);
    if (cache_mib) {
        if (*cache_mib < 0 || *cache_mib > (1LL << 30))
            throw InputError("cache_mib must be a whole number from 0 to 1073741824 (0 = unbounded), got " +
                             std::to_string(*cache_mib));
        request.search_cache_bytes = static_cast<std::size_t>(*cache_mib) << 20;
    }
    request.force = force;
    PythonProgress report(std::move(progress));
    std::atomic<bool> stop{false};
    optimise::RunResult result;
    app::PreparedRun prepared;
    std::size_t designs = 0;
    {
        py::gil_scoped_release release;
        prepared = app::prepare_optimisation(request);
        auto control = app::run_control(request, prepared);
        control.stop = &stop;
        control.progress = [&](const optimise::GenerationReport& r) {
            bool go_on;
            {
                py::gil_scoped_acquire gil;
                go_on = report(generation_dict(r));
            }
            if (!go_on) stop = true;
        };
        result = optimise::run_optimisation(prepared.config, control);
        if (!result.stopped_early && !report.failed()) designs = app::export_run(prepared.dir, "all", plots);
    }
    report.rethrow();  // the checkpoint is saved: the run resumes from it
    py::dict d;
    d["dir"] = prepared.dir;
    d["generations_done"] = result.generations_done;
    d["generations"] = prepared.config.generations;
    d["stopped_early"] = result.stopped_early;
    d["exported_designs"] = designs;
    return d;
}

py::dict load_run(const std::filesystem::path& dir) {
    std::string pareto, history;
    {
        py::gil_scoped_release release;
        const auto saved = optimise::load_saved_run(dir);
        const optimise::DesignEvaluator evaluator(saved.config);
        const auto designs = optimise::pareto_designs(evaluator, saved.archive);
        pareto = text_of([&](std::ostream& o) { optimise::write_pareto_csv(o, evaluator, designs); });
        history = app::history_csv(saved.history);
    }
    py::dict d;
    d["pareto_csv"] = pareto;
    d["history_csv"] = history;
    return d;
}

}  // namespace

PYBIND11_MODULE(_elaa, m) {
    m.doc() = "Native part of elaa; use the `elaa` package.";
    m.attr("__version__") = report::kVersion;

    // One exception class for every error a user's input causes, with the CLI's message.
    // Never destroyed: the class must outlive the module, up to the interpreter's own shutdown.
    static auto* const error = new py::exception<InputError>(m, "Error");
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const InputError& e) {
            (*error)(e.what());
        } catch (const cost::MappingError& e) {
            (*error)(e.what());
        } catch (const std::filesystem::filesystem_error& e) {
            (*error)(((e.path1().empty() ? "" : e.path1().string() + ": ") + e.code().message()).c_str());
        }
    });

    m.def("zoo_csv", [](const std::string& family, const std::string& weights) { return csv_of(report::zoo_table(family, weights)); });
    m.def("network", [](const std::string& name, const std::string& weights) {
        const auto net = workload::Zoo::instance().build(name);
        auto info = network_info(net);
        if (!weights.empty()) {  // a row that does not exist fails, listing the rows that do
            const auto row = accuracy::AccuracyTables::builtin().lookup(net.name, weights);
            info["top1"] = row.top1;
            info["top5"] = row.top5 ? py::cast(*row.top5) : py::none();
            info["accuracy_source"] = row.source;
        }
        return py::make_tuple(csv_of(report::layer_table(net)), info);
    });
    m.def("import_onnx", [](const std::filesystem::path& path, bool skip_unsupported) {
        workload::OnnxImportOptions options;
        options.skip_unsupported = skip_unsupported;
        const auto result = workload::import_onnx(path, options);
        return py::make_tuple(csv_of(report::layer_table(result.network)), network_info(result.network), result.skipped);
    });
    m.def("archs_csv", [] { return csv_of(report::arch_table()); });
    m.def("preset_names", [] { return hardware::preset_names(); });
    m.def("suite_preset_names", [] { return hardware::suite_preset_names(); });

    py::class_<hardware::Accelerator>(m, "Accelerator", "An accelerator: MAC array, dataflow and memory hierarchy.")
        .def_static("preset", &hardware::load_preset, py::arg("name"), "A preset by name (elaa.presets()).")
        .def_static("from_toml", &accelerator_from_toml, py::arg("path_or_text"),
                    "An accelerator file (docs/hardware.md), given as a path or as TOML text.")
        .def_property("name", [](const hardware::Accelerator& a) { return a.name; },
                      [](hardware::Accelerator& a, const std::string& name) { a.name = name; })
        .def_property_readonly("description", [](const hardware::Accelerator& a) { return a.description; })
        .def_property_readonly("technology_nm", [](const hardware::Accelerator& a) { return a.technology_nm; })
        .def_property_readonly("precision_bits", [](const hardware::Accelerator& a) { return a.array.precision_bits; })
        .def_property(
            "clock_mhz", [](const hardware::Accelerator& a) { return a.frequency_mhz; },
            [](hardware::Accelerator& a, double mhz) { modify(a, [&](hardware::Accelerator& c) { c.frequency_mhz = mhz; }); },
            "Core clock in MHz.")
        .def_property_readonly("array_dims", [](const hardware::Accelerator& a) { return a.array.dim_names; })
        .def_property(
            "array", [](const hardware::Accelerator& a) { return a.array.dim_sizes; },
            [](hardware::Accelerator& a, const std::vector<int>& sizes) {
                modify(a, [&](hardware::Accelerator& c) { set_array(c, sizes); });
            },
            "MAC array sizes, one per dimension (array_dims). Setting them rescales every unrolling that "
            "used a whole dimension.")
        .def_property_readonly("memories", &memories_of, "One dict per memory, bottom-up.")
        .def(
            "set_memory_size",
            [](hardware::Accelerator& a, const std::string& memory, double size_bytes) {
                modify(a, [&](hardware::Accelerator& c) { memory_named(c, memory).size_bits = size_bytes * 8; });
            },
            py::arg("memory"), py::arg("size_bytes"),
            "Resizes one memory (bytes per instance); energies and areas the file does not state are re-derived.")
        .def_property_readonly("area_mm2", &hardware::Accelerator::area_mm2)
        .def_property_readonly("array_area_mm2", &hardware::Accelerator::array_area_mm2)
        .def_property_readonly("on_chip_bytes", [](const hardware::Accelerator& a) { return a.on_chip_bits() / 8; })
        .def_property_readonly("peak_macs_per_cycle", &hardware::Accelerator::peak_macs_per_cycle)
        .def_property_readonly("assumptions", [](const hardware::Accelerator& a) { return a.assumptions; })
        .def("to_toml", &hardware::to_toml, "The accelerator file (Accelerator.from_toml reads it back).")
        .def("copy", [](const hardware::Accelerator& a) { return a; })
        .def("__copy__", [](const hardware::Accelerator& a) { return a; })
        .def("__deepcopy__", [](const hardware::Accelerator& a, py::dict) { return a; })
        .def(py::self == py::self)
        .def("__repr__", [](const hardware::Accelerator& a) {
            std::string dims;
            for (auto s : a.array.dim_sizes) dims += (dims.empty() ? "" : "x") + std::to_string(s);
            return "<elaa.Accelerator '" + a.name + "' " + dims + " MACs, " + std::to_string(a.technology_nm) + " nm, " +
                   nlohmann::json(a.frequency_mhz).dump() + " MHz>";
        });

    m.def("evaluate", &evaluate, py::arg("arch"), py::arg("net"), py::arg("objective"), py::arg("search"),
          py::arg("kinds"), py::arg("batch"), py::arg("threads"), py::arg("density"), py::arg("mapping"),
          py::arg("leakage"));
    m.def("assess", &assess_run, py::arg("archs"), py::arg("nets"), py::arg("objective"), py::arg("search"),
          py::arg("threads"), py::arg("out"), py::arg("plots"), py::arg("progress"));
    m.def("optimise", &optimise_run, py::arg("config"), py::arg("out"), py::arg("resume"), py::arg("threads"),
          py::arg("force"), py::arg("cache_mib"), py::arg("plots"), py::arg("progress"));
    m.def("load_run", &load_run, py::arg("dir"));
}
