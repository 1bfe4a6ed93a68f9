// The one translation unit of the driver that uses pagmo: NSGA-II steps, the batch evaluator, the
// hypervolume. Everything else sees optimise/driver.hpp.
#include "optimise/driver.hpp"

#include <pagmo/algorithms/nsga2.hpp>
#include <pagmo/bfe.hpp>
#include <pagmo/population.hpp>
#include <pagmo/problem.hpp>
#include <pagmo/utils/hypervolume.hpp>
#include <pagmo/utils/multi_objective.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "optimise/checkpoint.hpp"
#include "optimise/mpi_pool.hpp"
#include "problems/codesign_problem.hpp"
#include "util/error.hpp"

namespace elaa::optimise {

namespace {

using nlohmann::json;

// Seeds derived from (run seed, generation): results do not depend on when a run was checkpointed
// or resumed, or on the number of threads.
unsigned derived_seed(std::uint64_t run_seed, std::uint64_t step) {
    std::uint64_t z = run_seed + 0x9E3779B97F4A7C15ull * (step + 1);  // splitmix64
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return static_cast<unsigned>((z ^ (z >> 31)) & 0xffffffffu);
}
constexpr std::uint64_t kInitialStep = 0xFFFFFFFFull;  // the initial population's seed step

// Every genome evaluated in one batch, in batch order (for the archive).
struct BatchLog {
    std::mutex mutex;
    std::vector<std::pair<pagmo::vector_double, pagmo::vector_double>> entries;
};

// A batch evaluator: a pool of `threads` std::threads over the genomes, or (mpi) every MPI rank;
// results by index either way.
struct PoolBfe {
    unsigned threads = 1;
    bool mpi = false;
    std::shared_ptr<BatchLog> log;

    pagmo::vector_double operator()(const pagmo::problem& p, const pagmo::vector_double& dvs) const {
        const auto nx = p.get_nx(), nf = p.get_nf(), n = dvs.size() / nx;
        // The UDP is thread-safe (constant): evaluate it directly instead of through the problem,
        // which would count fitness evaluations twice.
        const auto* udp = p.extract<problems::CodesignProblem>();
        pagmo::vector_double out(n * nf);
        std::vector<pagmo::vector_double> xs(n);
        for (std::size_t i = 0; i < n; ++i) xs[i].assign(dvs.begin() + static_cast<long>(i * nx), dvs.begin() + static_cast<long>((i + 1) * nx));
        if (mpi) {
            const auto fs = mpi_evaluate(xs, [&](const std::vector<double>& x) { return udp->fitness(x); });
            for (std::size_t i = 0; i < n; ++i) std::copy(fs[i].begin(), fs[i].end(), out.begin() + static_cast<long>(i * nf));
        } else {
            std::atomic<std::size_t> next{0};
            auto work = [&] {
                for (std::size_t i = next++; i < n; i = next++) {
                    const auto f = udp->fitness(xs[i]);
                    std::copy(f.begin(), f.end(), out.begin() + static_cast<long>(i * nf));
                }
            };
            std::vector<std::thread> pool;
            for (unsigned t = 1; t < std::min<std::size_t>(threads, n); ++t) pool.emplace_back(work);
            work();
            for (auto& t : pool) t.join();
        }
        if (log) {
            std::lock_guard lock(log->mutex);
            for (std::size_t i = 0; i < n; ++i)
                log->entries.emplace_back(xs[i], pagmo::vector_double(out.begin() + static_cast<long>(i * nf),
                                                                      out.begin() + static_cast<long>((i + 1) * nf)));
        }
        return out;
    }
    std::string get_name() const { return "elaa thread pool"; }
    pagmo::thread_safety get_thread_safety() const { return pagmo::thread_safety::basic; }
    template <typename Archive>
    void serialize(Archive&, unsigned) {}
};

bool feasible(const std::vector<double>& f) { return f.empty() || f[0] < kPenalty; }

// Objectives normalised by fixed scales (the initial population's feasible ideal and nadir), so
// that hypervolume is not dominated by one unit and stays comparable across generations.
struct Normalisation {
    std::vector<double> ideal, nadir;

    static Normalisation from(const std::vector<pagmo::vector_double>& fs, std::size_t nobj) {
        Normalisation n;
        n.ideal.assign(nobj, std::numeric_limits<double>::infinity());
        n.nadir.assign(nobj, -std::numeric_limits<double>::infinity());
        for (const auto& f : fs)
            if (feasible(f))
                for (std::size_t k = 0; k < nobj; ++k) {
                    n.ideal[k] = std::min(n.ideal[k], f[k]);
                    n.nadir[k] = std::max(n.nadir[k], f[k]);
                }
        for (std::size_t k = 0; k < nobj; ++k)
            if (!(n.nadir[k] > n.ideal[k])) {  // no feasible point yet, or a flat objective
                n.ideal[k] = std::isfinite(n.ideal[k]) ? n.ideal[k] : 0;
                n.nadir[k] = n.ideal[k] + 1;
            }
        return n;
    }
    double population_hv(const std::vector<pagmo::vector_double>& fs) const {
        std::vector<std::vector<double>> pts;
        for (const auto& f : fs) {
            if (!feasible(f)) continue;
            std::vector<double> p(f.size());
            for (std::size_t k = 0; k < f.size(); ++k) p[k] = (f[k] - ideal[k]) / (nadir[k] - ideal[k]);
            pts.push_back(p);
        }
        return hypervolume(pts, std::vector<double>(ideal.size(), 1.1));
    }
};

json entries_json(const std::vector<ArchiveEntry>& entries) {
    json out = json::array();
    for (const auto& e : entries) out.push_back({{"x", e.genome}, {"f", e.objectives}});
    return out;
}

std::vector<ArchiveEntry> entries_from(const json& j) {
    std::vector<ArchiveEntry> out;
    for (const auto& e : j) out.push_back({e.at("x").get<std::vector<double>>(), e.at("f").get<std::vector<double>>()});
    return out;
}

struct State {
    unsigned generations_done = 0;
    std::vector<pagmo::vector_double> xs, fs;
    ParetoArchive archive;
    Normalisation norm;
    std::vector<HistoryPoint> history;
};

std::string state_payload(const RunConfig& config, const State& s) {
    json history = json::array();
    for (const auto& h : s.history)
        history.push_back({{"generation", h.generation}, {"hypervolume", h.hypervolume}, {"archive", h.archive_size}});
    json pop = json::array();
    for (std::size_t i = 0; i < s.xs.size(); ++i) pop.push_back({{"x", s.xs[i]}, {"f", s.fs[i]}});
    return json{{"config_source", config.source},
                {"config_text", config.text},
                {"generations_done", s.generations_done},
                {"population", pop},
                {"archive", entries_json(s.archive.entries())},
                {"normalisation", {{"ideal", s.norm.ideal}, {"nadir", s.norm.nadir}}},
                {"history", history}}
        .dump();
}

json parse_payload(const std::filesystem::path& file) {
    const std::string payload = read_checkpoint(file);
    try {
        return json::parse(payload);
    } catch (const json::exception& e) {
        throw InputError(file.string() + ": corrupt checkpoint payload (" + e.what() + ")");
    }
}

State state_from(const json& j, const std::filesystem::path& file) {
    State s;
    try {
        s.generations_done = j.at("generations_done").get<unsigned>();
        for (const auto& ind : j.at("population")) {
            s.xs.push_back(ind.at("x").get<std::vector<double>>());
            s.fs.push_back(ind.at("f").get<std::vector<double>>());
        }
        s.archive.assign(entries_from(j.at("archive")));
        s.norm.ideal = j.at("normalisation").at("ideal").get<std::vector<double>>();
        s.norm.nadir = j.at("normalisation").at("nadir").get<std::vector<double>>();
        for (const auto& h : j.at("history"))
            s.history.push_back({h.at("generation").get<unsigned>(), h.at("hypervolume").get<double>(),
                                 h.at("archive").get<std::size_t>()});
    } catch (const json::exception& e) {
        throw InputError(file.string() + ": checkpoint payload lacks what a run needs (" + e.what() + ")");
    }
    return s;
}

}  // namespace

double hypervolume(const std::vector<std::vector<double>>& points, const std::vector<double>& reference) {
    std::vector<pagmo::vector_double> inside;
    for (const auto& p : points) {
        bool dominates_ref = true;
        for (std::size_t k = 0; k < p.size(); ++k) dominates_ref = dominates_ref && p[k] < reference[k];
        if (dominates_ref) inside.push_back(p);
    }
    if (inside.empty()) return 0;
    return pagmo::hypervolume(inside, false).compute(reference);
}

SavedRun load_saved_run(const std::filesystem::path& dir) {
    const auto file = dir / kCheckpointFile;
    const json j = parse_payload(file);
    SavedRun out;
    try {
        out.config = parse_run_config(j.at("config_text").get<std::string>(), j.at("config_source").get<std::string>());
    } catch (const json::exception& e) {
        throw InputError(file.string() + ": checkpoint has no run config (" + e.what() + ")");
    }
    const State s = state_from(j, file);
    out.generations_done = s.generations_done;
    out.archive = s.archive.entries();
    out.history = s.history;
    return out;
}

RunResult run_optimisation(const RunConfig& config, const RunControl& control) {
    return run_optimisation(config, control, std::make_shared<const DesignEvaluator>(config));
}

RunResult run_optimisation(const RunConfig& config, const RunControl& control,
                           std::shared_ptr<const DesignEvaluator> evaluator) {
    pagmo::problem prob{problems::CodesignProblem{evaluator}};
    const auto log = std::make_shared<BatchLog>();
    const pagmo::bfe bfe{PoolBfe{std::max(1u, control.threads), control.mpi, log}};
    const auto checkpoint = control.dir / kCheckpointFile;
    const auto nobj = evaluator->objective_count();
    const double mutation = config.mutation.value_or(1.0 / static_cast<double>(evaluator->encoding().dimension()));

    std::size_t evaluated = 0;  // genomes evaluated by this process's batches (all ranks)
    auto offer_logged = [&](State& s) {
        evaluated += log->entries.size();
        for (const auto& [x, f] : log->entries)
            if (feasible(f)) s.archive.offer(evaluator->encoding().normalise(x), f);
        log->entries.clear();
    };

    State s;
    pagmo::population pop{prob, 0u, derived_seed(config.seed, kInitialStep)};
    if (control.resume) {
        const json j = parse_payload(checkpoint);
        const auto saved_config = parse_run_config(j.at("config_text").get<std::string>(), j.at("config_source").get<std::string>());
        const auto differences = config_differences(saved_config, config);
        if (!differences.empty() && !control.force) {
            std::string list;
            for (const auto& d : differences) list += "\n  " + d;
            throw InputError(checkpoint.string() + ": the run config differs from the checkpointed one (resume with --force to accept):" + list);
        }
        s = state_from(j, checkpoint);
        if (s.xs.size() != config.population && !control.force)
            throw InputError(checkpoint.string() + ": checkpointed population size " + std::to_string(s.xs.size()) +
                             " differs from the config's " + std::to_string(config.population));
        for (std::size_t i = 0; i < s.xs.size(); ++i) pop.push_back(s.xs[i], s.fs[i]);  // no re-evaluation
    } else {
        pop = pagmo::population{prob, bfe, config.population, derived_seed(config.seed, kInitialStep)};
        s.xs = pop.get_x();
        s.fs = pop.get_f();
        offer_logged(s);
        s.norm = Normalisation::from(s.fs, nobj);
        s.history.push_back({0, s.norm.population_hv(s.fs), s.archive.entries().size()});
        write_checkpoint(checkpoint, state_payload(config, s));
    }

    RunResult result;
    const auto start = std::chrono::steady_clock::now();
    const auto evaluated_before = evaluated;
    unsigned steps = 0;
    while (s.generations_done < config.generations) {
        pagmo::nsga2 algo{1u, config.crossover, config.eta_c, mutation, config.eta_m,
                          derived_seed(config.seed, s.generations_done)};
        algo.set_bfe(bfe);
        pop = algo.evolve(pop);
        ++s.generations_done;
        ++steps;
        s.xs = pop.get_x();
        s.fs = pop.get_f();
        offer_logged(s);
        s.history.push_back({s.generations_done, s.norm.population_hv(s.fs), s.archive.entries().size()});

        const bool stop = (control.stop && control.stop->load()) ||
                          (control.max_generations_now && steps >= control.max_generations_now);
        if (s.generations_done % config.checkpoint_every == 0 || s.generations_done == config.generations || stop)
            write_checkpoint(checkpoint, state_payload(config, s));
        if (control.progress) {
            const auto stats = evaluator->stats();
            const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            GenerationReport r;
            r.generation = s.generations_done;
            r.generations = config.generations;
            r.evaluations = evaluated - evaluated_before;
            r.evaluations_per_s = elapsed > 0 ? static_cast<double>(r.evaluations) / elapsed : 0;
            r.genome_hit_rate = stats.evaluations ? static_cast<double>(stats.genome_hits) / static_cast<double>(stats.evaluations) : 0;
            r.layer_hit_rate = stats.layer_searches ? static_cast<double>(stats.layer_hits) / static_cast<double>(stats.layer_searches) : 0;
            r.hypervolume = s.history.back().hypervolume;
            r.eta_s = elapsed / steps * (config.generations - s.generations_done);
            r.archive_size = s.archive.entries().size();
            control.progress(r);
        }
        if (stop) {
            result.stopped_early = s.generations_done < config.generations;
            break;
        }
    }
    result.generations_done = s.generations_done;
    result.archive = s.archive.entries();
    result.history = s.history;
    result.population_objectives = s.fs;
    return result;
}

}  // namespace elaa::optimise
