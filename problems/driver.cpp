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
#include <stdexcept>
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
constexpr std::uint64_t kIslandStep = 0x100000000ull;   // islands' run seeds: kIslandStep + island

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
    std::vector<IslandPopulation> islands;
    ParetoArchive archive;
    Normalisation norm;
    std::vector<HistoryPoint> history;

    std::vector<pagmo::vector_double> all_objectives() const {
        std::vector<pagmo::vector_double> out;
        for (const auto& island : islands) out.insert(out.end(), island.objectives.begin(), island.objectives.end());
        return out;
    }
};

json population_json(const IslandPopulation& p) {
    json out = json::array();
    for (std::size_t i = 0; i < p.genomes.size(); ++i) out.push_back({{"x", p.genomes[i]}, {"f", p.objectives[i]}});
    return out;
}

IslandPopulation population_from(const json& j) {
    IslandPopulation p;
    for (const auto& ind : j) {
        p.genomes.push_back(ind.at("x").get<std::vector<double>>());
        p.objectives.push_back(ind.at("f").get<std::vector<double>>());
    }
    return p;
}

std::string state_payload(const RunConfig& config, const State& s) {
    json history = json::array();
    for (const auto& h : s.history)
        history.push_back({{"generation", h.generation}, {"hypervolume", h.hypervolume}, {"archive", h.archive_size}});
    json payload{{"config_source", config.source},
                 {"config_text", config.text},
                 {"generations_done", s.generations_done},
                 {"archive", entries_json(s.archive.entries())},
                 {"normalisation", {{"ideal", s.norm.ideal}, {"nadir", s.norm.nadir}}},
                 {"history", history}};
    // One island keeps the single-population layout of earlier checkpoints.
    if (s.islands.size() == 1) {
        payload["population"] = population_json(s.islands.front());
    } else {
        payload["islands"] = json::array();
        for (const auto& island : s.islands) payload["islands"].push_back(population_json(island));
    }
    return payload.dump();
}

json parse_payload(const std::filesystem::path& file) {
    const std::string payload = read_checkpoint(file);
    try {
        return json::parse(payload);
    } catch (const json::exception& e) {
        throw InputError(file.string() + ": corrupt checkpoint payload (" + e.what() + ")");
    }
}

// A count stored in a checkpoint: a JSON integer in [0, T's maximum]. nlohmann's get<unsigned>()
// of a float such as 2.3e56 is undefined behaviour (fuzz finding 4), so the type is checked first.
template <typename T>
T count_at(const json& object, const char* key, const std::filesystem::path& file) {
    const json& value = object.at(key);
    if (!value.is_number_unsigned() || value.get<std::uint64_t>() > std::numeric_limits<T>::max())
        throw InputError(file.string() + ": checkpoint field '" + key + "' must be a count (a non-negative integer), got " +
                         value.dump());
    return static_cast<T>(value.get<std::uint64_t>());
}

State state_from(const json& j, const std::filesystem::path& file) {
    State s;
    try {
        s.generations_done = count_at<unsigned>(j, "generations_done", file);
        if (j.contains("islands")) {
            for (const auto& island : j.at("islands")) s.islands.push_back(population_from(island));
        } else {
            s.islands.push_back(population_from(j.at("population")));
        }
        s.archive.assign(entries_from(j.at("archive")));
        s.norm.ideal = j.at("normalisation").at("ideal").get<std::vector<double>>();
        s.norm.nadir = j.at("normalisation").at("nadir").get<std::vector<double>>();
        for (const auto& h : j.at("history"))
            s.history.push_back({count_at<unsigned>(h, "generation", file), h.at("hypervolume").get<double>(),
                                 count_at<std::size_t>(h, "archive", file)});
    } catch (const json::exception& e) {
        throw InputError(file.string() + ": checkpoint payload lacks what a run needs (" + e.what() + ")");
    }
    return s;
}

RunConfig saved_config_of(const json& j, const std::filesystem::path& file) {
    try {
        return parse_run_config(j.at("config_text").get<std::string>(), j.at("config_source").get<std::string>());
    } catch (const json::exception& e) {
        throw InputError(file.string() + ": checkpoint has no run config (" + e.what() + ")");
    }
}

// The checkpointed state, if it can continue `config`: the same config (or `force`), the same
// island count, populations NSGA-II accepts, and genomes and objectives of this problem's sizes.
State resumable_state(const std::filesystem::path& file, const RunConfig& config, bool force, std::size_t genes,
                      std::size_t objectives) {
    const json j = parse_payload(file);
    const auto differences = config_differences(saved_config_of(j, file), config);
    if (!differences.empty() && !force) {
        std::string list;
        for (const auto& d : differences) list += "\n  " + d;
        throw InputError(file.string() + ": the run config differs from the checkpointed one (resume with --force to accept):" + list);
    }
    State s = state_from(j, file);
    const auto where = file.string() + ": ";
    if (s.islands.size() != config.islands.count)
        throw InputError(where + "the checkpoint holds " + std::to_string(s.islands.size()) + " island(s), the config asks for " +
                         std::to_string(config.islands.count) +
                         " (an island run resumes with its island count; the number of ranks may change)");
    for (const auto& island : s.islands) {
        const auto size = island.genomes.size();
        if (size != config.population && !force)
            throw InputError(where + "checkpointed population size " + std::to_string(size) + " differs from the config's " +
                             std::to_string(config.population));
        if (size < 8 || size % 4 != 0)
            throw InputError(where + "checkpointed population size " + std::to_string(size) +
                             " is not one NSGA-II can continue (a multiple of 4, at least 8)");
        if (size != s.islands.front().genomes.size())
            throw InputError(where + "the checkpointed islands differ in size (" + std::to_string(size) + " and " +
                             std::to_string(s.islands.front().genomes.size()) + ")");
        if (s.islands.size() > 1 && config.islands.migrants >= size)
            throw InputError(where + "[islands] migrants = " + std::to_string(config.islands.migrants) +
                             " must be below the checkpointed population size " + std::to_string(size));
        for (std::size_t i = 0; i < size; ++i)
            if (island.genomes[i].size() != genes || island.objectives[i].size() != objectives)
                throw InputError(where + "a checkpointed design has " + std::to_string(island.genomes[i].size()) + " genes and " +
                                 std::to_string(island.objectives[i].size()) + " objectives; this run's problem has " +
                                 std::to_string(genes) + " and " + std::to_string(objectives) +
                                 " (was the checkpoint written for another search space?)");
    }
    return s;
}

// The run seed of island `island`: island 0 uses the run's seed, so one island is plain NSGA-II.
std::uint64_t island_seed(std::uint64_t run_seed, unsigned island) {
    return island == 0 ? run_seed : derived_seed(run_seed, kIslandStep + island);
}

// What one island does in one step: its initial population (generation 0) or one NSGA-II
// generation from `from`, with every genome it evaluated (for the archive), in batch order.
struct IslandStep {
    IslandPopulation population;
    IslandPopulation evaluated;
};

class IslandStepper {
public:
    // `mpi_genomes`: spread each batch of genomes over MPI ranks (one island); otherwise threads.
    IslandStepper(std::shared_ptr<const DesignEvaluator> evaluator, const RunConfig& config, unsigned threads,
                  bool mpi_genomes)
        : prob_{problems::CodesignProblem{evaluator}},
          config_(config),
          mutation_(config.mutation.value_or(1.0 / static_cast<double>(evaluator->encoding().dimension()))),
          threads_(std::max(1u, threads)),
          mpi_genomes_(mpi_genomes) {}

    IslandStep step(unsigned island, unsigned generation, const IslandPopulation& from) const {
        const auto log = std::make_shared<BatchLog>();
        const pagmo::bfe bfe{PoolBfe{threads_, mpi_genomes_, log}};
        const std::uint64_t seed = island_seed(config_.seed, island);
        IslandStep out;
        pagmo::population pop{prob_, 0u, derived_seed(seed, kInitialStep)};
        if (generation == 0) {
            pop = pagmo::population{prob_, bfe, config_.population, derived_seed(seed, kInitialStep)};
        } else {
            for (std::size_t i = 0; i < from.genomes.size(); ++i) pop.push_back(from.genomes[i], from.objectives[i]);  // no re-evaluation
            pagmo::nsga2 algo{1u, config_.crossover, config_.eta_c, mutation_, config_.eta_m,
                              derived_seed(seed, generation - 1)};
            algo.set_bfe(bfe);
            pop = algo.evolve(pop);
        }
        out.population = {pop.get_x(), pop.get_f()};
        for (auto& [x, f] : log->entries) {
            out.evaluated.genomes.push_back(std::move(x));
            out.evaluated.objectives.push_back(std::move(f));
        }
        return out;
    }

    // The same step as a flat message, for MPI ranks: [island, generation, n, x..., f...] ->
    // [n, x..., f..., m, evaluated x..., evaluated f...] (counts are exact in a double).
    std::vector<double> step_message(const std::vector<double>& task) const {
        std::size_t at = 0;
        const auto island = static_cast<unsigned>(task.at(at++));
        const auto generation = static_cast<unsigned>(task.at(at++));
        const IslandPopulation from = read_population(task, at);
        const IslandStep done = step(island, generation, from);
        std::vector<double> reply;
        write_population(done.population, reply);
        write_population(done.evaluated, reply);
        return reply;
    }
    std::vector<double> task_message(unsigned island, unsigned generation, const IslandPopulation& from) const {
        std::vector<double> task{static_cast<double>(island), static_cast<double>(generation)};
        write_population(from, task);
        return task;
    }
    IslandStep read_step(const std::vector<double>& reply) const {
        std::size_t at = 0;
        IslandStep out;
        out.population = read_population(reply, at);
        out.evaluated = read_population(reply, at);
        return out;
    }

private:
    void write_population(const IslandPopulation& p, std::vector<double>& out) const {
        out.push_back(static_cast<double>(p.genomes.size()));
        for (const auto& x : p.genomes) out.insert(out.end(), x.begin(), x.end());
        for (const auto& f : p.objectives) out.insert(out.end(), f.begin(), f.end());
    }
    IslandPopulation read_population(const std::vector<double>& in, std::size_t& at) const {
        const auto n = static_cast<std::size_t>(in.at(at++));
        const auto nx = prob_.get_nx(), nf = prob_.get_nf();
        if (in.size() < at + n * (nx + nf)) throw std::runtime_error("island message too short");
        IslandPopulation p;
        for (std::size_t i = 0; i < n; ++i, at += nx) p.genomes.emplace_back(in.begin() + static_cast<long>(at), in.begin() + static_cast<long>(at + nx));
        for (std::size_t i = 0; i < n; ++i, at += nf) p.objectives.emplace_back(in.begin() + static_cast<long>(at), in.begin() + static_cast<long>(at + nf));
        return p;
    }

    pagmo::problem prob_;
    RunConfig config_;
    double mutation_;
    unsigned threads_;
    bool mpi_genomes_;
};

}  // namespace

void migrate(std::vector<IslandPopulation>& islands, unsigned migrants) {
    const std::size_t n = islands.size();
    std::vector<IslandPopulation> emigrants(n);
    for (std::size_t i = 0; i < n; ++i)
        for (auto index : pagmo::select_best_N_mo(islands[i].objectives, migrants)) {
            emigrants[i].genomes.push_back(islands[i].genomes[index]);
            emigrants[i].objectives.push_back(islands[i].objectives[index]);
        }
    for (std::size_t i = 0; i < n; ++i) {
        IslandPopulation& target = islands[(i + 1) % n];
        const auto order = pagmo::sort_population_mo(target.objectives);  // best first
        for (std::size_t k = 0; k < emigrants[i].genomes.size(); ++k) {
            const auto worst = order[order.size() - 1 - k];
            target.genomes[worst] = emigrants[i].genomes[k];
            target.objectives[worst] = emigrants[i].objectives[k];
        }
    }
}

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
    out.config = saved_config_of(j, file);
    const State s = state_from(j, file);
    out.generations_done = s.generations_done;
    out.archive = s.archive.entries();
    out.history = s.history;
    return out;
}

RunResult run_optimisation(const RunConfig& config, const RunControl& control) {
    return run_optimisation(config, control, std::make_shared<const DesignEvaluator>(config, control.search_cache_bytes));
}

RunResult run_optimisation(const RunConfig& config, const RunControl& control,
                           std::shared_ptr<const DesignEvaluator> evaluator) {
    const auto checkpoint = control.dir / kCheckpointFile;
    const auto nobj = evaluator->objective_count();
    const unsigned island_count = config.islands.count;
    // One island spreads its genomes over the ranks; several islands go to the ranks whole.
    const bool mpi_islands = control.mpi && island_count > 1;
    const IslandStepper stepper(evaluator, config, control.threads, control.mpi && island_count == 1);

    std::size_t evaluated = 0;  // genomes evaluated by this process's batches (all ranks)
    // Every island's step of `generation`, in island order (the archive sees them in that order).
    auto step_all = [&](unsigned generation, State& s) {
        std::vector<IslandStep> steps;
        if (mpi_islands) {
            std::vector<std::vector<double>> tasks;
            for (unsigned i = 0; i < island_count; ++i)
                tasks.push_back(stepper.task_message(i, generation, generation ? s.islands[i] : IslandPopulation{}));
            for (const auto& reply : mpi_evaluate(tasks, [&](const auto& task) { return stepper.step_message(task); }))
                steps.push_back(stepper.read_step(reply));
        } else {
            for (unsigned i = 0; i < island_count; ++i)
                steps.push_back(stepper.step(i, generation, generation ? s.islands[i] : IslandPopulation{}));
        }
        s.islands.clear();
        for (auto& step : steps) {
            const auto& done = step.evaluated;
            evaluated += done.genomes.size();
            for (std::size_t i = 0; i < done.genomes.size(); ++i)
                if (feasible(done.objectives[i])) s.archive.offer(evaluator->encoding().normalise(done.genomes[i]), done.objectives[i]);
            s.islands.push_back(std::move(step.population));
        }
    };

    State s;
    if (control.resume) {
        s = resumable_state(checkpoint, config, control.force, evaluator->encoding().dimension(), nobj);
    } else {
        step_all(0, s);
        s.norm = Normalisation::from(s.all_objectives(), nobj);
        s.history.push_back({0, s.norm.population_hv(s.all_objectives()), s.archive.entries().size()});
        write_checkpoint(checkpoint, state_payload(config, s));
    }

    RunResult result;
    const auto start = std::chrono::steady_clock::now();
    const auto evaluated_before = evaluated;
    unsigned steps = 0;
    while (s.generations_done < config.generations) {
        step_all(s.generations_done + 1, s);
        ++s.generations_done;
        ++steps;
        if (island_count > 1 && s.generations_done % config.islands.migrate_every == 0)
            migrate(s.islands, config.islands.migrants);
        s.history.push_back({s.generations_done, s.norm.population_hv(s.all_objectives()), s.archive.entries().size()});

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
        // Read after the report, so that a stop the report asks for (the Python callback) ends this generation.
        const bool stop = (control.stop && control.stop->load()) ||
                          (control.max_generations_now && steps >= control.max_generations_now);
        if (s.generations_done % config.checkpoint_every == 0 || s.generations_done == config.generations || stop)
            write_checkpoint(checkpoint, state_payload(config, s));
        if (stop) {
            result.stopped_early = s.generations_done < config.generations;
            break;
        }
    }
    result.generations_done = s.generations_done;
    result.archive = s.archive.entries();
    result.history = s.history;
    result.population_objectives = s.all_objectives();
    return result;
}

Work mpi_worker_task(const RunConfig& config, std::shared_ptr<const DesignEvaluator> evaluator, unsigned threads) {
    if (config.islands.count == 1)
        return [evaluator](const std::vector<double>& x) { return evaluator->evaluate(x).objectives; };
    auto stepper = std::make_shared<IslandStepper>(evaluator, config, threads, false);
    return [stepper](const std::vector<double>& task) { return stepper->step_message(task); };
}

}  // namespace elaa::optimise
