// Search-quality benchmark (docs/optimise.md#search-quality): how close do NSGA-II and other pagmo
// multi-objective algorithms get to the true Pareto front at elaa optimise's default budget?
//
// 1. Every design of an enumerable space (configs/spaces/quality.toml) is costed once, as
//    `elaa optimise` would cost it, and the objective vectors are kept in a table (cached on disk).
// 2. Each algorithm then runs on a lookup problem over that table, so a run costs milliseconds and
//    ten seeds of five algorithms are affordable. Every evaluation is counted; the run's archive is
//    every feasible design it evaluated within the budget (what elaa optimise exports), and its
//    hypervolume is taken against the true front's, in objectives normalised by the true front's
//    ideal and nadir, reference point 1.1 (the [quality] test's convention).
//
// 3. With --live CONFIG, the same algorithms run on a space too large to enumerate (the default
//    run's), every design costed live; the reference front is then that of all runs together.
//
// Output: summary and per-seed tables on stdout and, with --curves, HV ratio against evaluations.
// This is a measurement, not a test: nothing here asserts.
#include <pagmo/algorithm.hpp>
#include <pagmo/algorithms/maco.hpp>
#include <pagmo/algorithms/moead.hpp>
#include <pagmo/algorithms/nsga2.hpp>
#include <pagmo/algorithms/nspso.hpp>
#include <pagmo/population.hpp>
#include <pagmo/problem.hpp>
#include <pagmo/utils/multi_objective.hpp>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "assess/pareto.hpp"
#include "optimise/design_evaluator.hpp"
#include "optimise/driver.hpp"
#include "optimise/run_config.hpp"

using namespace elaa;
namespace fs = std::filesystem;

namespace {

using Point = std::vector<double>;

// The costed space: one objective vector per genome index, and whether it is feasible.
struct Table {
    std::vector<Point> objectives;
    std::vector<char> feasible;
};

// The table is cached next to the build. It is valid for one space and one evaluation setting: the
// file starts with `key` (the run config text and the space file's text) and is reused only when the
// key matches, so an edited space is enumerated again rather than read stale.
Table enumerate(const optimise::DesignEvaluator& evaluator, const std::string& key, const fs::path& cache,
                unsigned threads) {
    const auto& enc = evaluator.encoding();
    const std::uint64_t n = enc.design_count();
    const std::size_t nobj = evaluator.objective_count();
    Table table{std::vector<Point>(n), std::vector<char>(n, 0)};
    if (fs::exists(cache)) {
        std::ifstream in(cache, std::ios::binary);
        std::uint64_t stored = 0, key_size = 0;
        in.read(reinterpret_cast<char*>(&key_size), sizeof key_size);
        std::string stored_key(in && key_size == key.size() ? key_size : 0, '\0');
        in.read(stored_key.data(), static_cast<long>(stored_key.size()));
        in.read(reinterpret_cast<char*>(&stored), sizeof stored);
        if (in && stored_key == key && stored == n) {
            for (std::uint64_t i = 0; i < n && in; ++i) {
                table.objectives[i].resize(nobj);
                in.read(reinterpret_cast<char*>(table.objectives[i].data()), static_cast<long>(nobj * sizeof(double)));
                in.read(&table.feasible[i], 1);
            }
            if (in) {
                std::cerr << fmt::format("read {} designs from {}\n", n, cache.string());
                return table;
            }
        }
        std::cerr << fmt::format("{} does not match the space; enumerating again\n", cache.string());
    }
    std::atomic<std::uint64_t> next{0};
    auto work = [&] {
        for (std::uint64_t i = next++; i < n; i = next++) {
            const auto e = evaluator.evaluate(enc.nth_genome(i));
            table.objectives[i] = e.objectives;
            table.feasible[i] = e.feasible;
            if (i % 5000 == 0) std::cerr << fmt::format("enumerated {} / {}\n", i, n);
        }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
    const fs::path partial = cache.string() + ".part";
    {
        std::ofstream out(partial, std::ios::binary);
        const std::uint64_t key_size = key.size();
        out.write(reinterpret_cast<const char*>(&key_size), sizeof key_size);
        out.write(key.data(), static_cast<long>(key.size()));
        out.write(reinterpret_cast<const char*>(&n), sizeof n);
        for (std::uint64_t i = 0; i < n; ++i) {
            out.write(reinterpret_cast<const char*>(table.objectives[i].data()), static_cast<long>(nobj * sizeof(double)));
            out.write(&table.feasible[i], 1);
        }
    }
    fs::rename(partial, cache);
    return table;
}

// Mixed-radix index of a normalised genome (the inverse of Encoding::nth_genome: last gene fastest).
std::uint64_t index_of(const encodings::Encoding& enc, const Point& genome) {
    const Point g = enc.normalise(genome);
    const auto [lb, ub] = enc.bounds();
    std::uint64_t index = 0;
    for (std::size_t p = 0; p < g.size(); ++p)
        index = index * static_cast<std::uint64_t>(ub[p] - lb[p] + 1) + static_cast<std::uint64_t>(g[p] - lb[p]);
    return index;
}

// One run's bookkeeping: evaluations within the budget and the feasible objective vectors seen, with
// the evaluation count at which each was seen (the curves are computed afterwards, against the
// reference front).
struct Tracker {
    std::uint64_t budget = 0;
    std::uint64_t evaluations = 0;
    std::vector<std::pair<std::uint64_t, Point>> seen;
};

// Thrown by the problem once a run has used its budget; ends that run.
struct BudgetSpent {};

// What a genome costs: the table's row (enumerable space) or a live evaluation (any space).
using Source = std::function<std::pair<Point, bool>(const Point&)>;

// The problem every algorithm sees: the design's objectives, counted against the budget. `integer`
// says whether the algorithm sees the genes as integers (NSGA-II, MACO) or as reals rounded by
// decoding (MOEA/D and NSPSO are continuous-only in pagmo).
struct CountingProblem {
    Source source;
    const encodings::Encoding* encoding = nullptr;
    std::size_t objectives = 0;
    std::shared_ptr<Tracker> tracker;
    bool integer = true;

    // Past the budget the run is over: stop the algorithm rather than cost designs nobody counts.
    Point fitness(const Point& x) const {
        Tracker& t = *tracker;
        if (t.evaluations >= t.budget) throw BudgetSpent{};
        auto [f, feasible] = source(x);
        ++t.evaluations;
        if (feasible) t.seen.emplace_back(t.evaluations, f);
        return f;
    }
    std::pair<Point, Point> get_bounds() const { return encoding->bounds(); }
    pagmo::vector_double::size_type get_nobj() const { return objectives; }
    pagmo::vector_double::size_type get_nix() const { return integer ? encoding->integer_dimension() : 0; }
    std::string get_name() const { return "elaa counting"; }
};

bool weakly_dominates(const Point& a, const Point& b) {
    return std::equal(a.begin(), a.end(), b.begin(), [](double x, double y) { return x <= y; });
}

// Adds a point to a mutually non-dominated archive (equal points kept once).
void add_to_archive(std::vector<Point>& archive, const Point& p) {
    for (const auto& a : archive)
        if (weakly_dominates(a, p)) return;
    std::erase_if(archive, [&](const Point& a) { return weakly_dominates(p, a); });
    archive.push_back(p);
}

struct Algorithm {
    std::string name;
    bool integer;
    // Runs until the budget is spent (the algorithm is given more generations than it needs; the
    // problem throws BudgetSpent at the first evaluation past the budget).
    std::function<void(pagmo::problem&, unsigned population, unsigned seed)> run;
};

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Search quality of pagmo's multi-objective algorithms on elaa spaces"};
    std::string space = std::string(ELAA_SOURCE_DIR) + "/configs/spaces/quality.toml";
    std::string live;
    std::string cache = "quality_table.bin";
    std::string curves;
    unsigned seeds = 10, population = 128, generations = 100, threads = 2;
    std::string only;
    app.add_option("--space", space, "Enumerable search space (the reference is its true front)");
    app.add_option("--live", live,
                   "Run config of a space too large to enumerate (e.g. configs/runs/default.toml): every design is "
                   "costed live and the reference is the front of all runs together");
    app.add_option("--cache", cache, "Table of every design's objectives (written once, then read)");
    app.add_option("--curves", curves, "CSV of hypervolume ratio against evaluations");
    app.add_option("--seeds", seeds, "Seeds per algorithm (1..N)")->check(CLI::PositiveNumber);
    app.add_option("--population", population, "Population (the default run's: 128)")->check(CLI::PositiveNumber);
    app.add_option("--generations", generations, "Generations (the default run's: 100); budget = population x generations")
        ->check(CLI::PositiveNumber);
    app.add_option("--threads", threads, "Threads (enumeration; live runs side by side)")->check(CLI::PositiveNumber);
    app.add_option("--only", only, "Run only these algorithms (comma-separated): nsga2, random, moead, nspso, maco");
    std::string grid;
    app.add_option("--nsga2-grid", grid,
                   "Instead of the algorithms, NSGA-II with each of these operator settings (comma-separated "
                   "crossover/eta_c/eta_m[/mutation], e.g. 0.95/10/50,0.9/20/20; mutation defaults to 1 / genes)");
    CLI11_PARSE(app, argc, argv);

    // The default run's evaluation settings, or the given run config's.
    auto config = live.empty()
                      ? optimise::parse_run_config(
                            fmt::format("[run]\nproblem = \"codesign\"\nspace = \"{}\"\nseed = 1\nsearch = \"fast\"\n"
                                        "mapping_objective = \"latency\"\n",
                                        fs::absolute(space).string()),
                            "quality_run.toml")
                      : optimise::load_run_config(live);
    const optimise::DesignEvaluator evaluator(config);
    const auto& enc = evaluator.encoding();
    const std::size_t nobj = evaluator.objective_count();

    Table table;
    Source source;
    if (live.empty()) {
        std::ifstream space_file(fs::absolute(space), std::ios::binary);
        const std::string key = config.text + std::string(std::istreambuf_iterator<char>(space_file), {});
        table = enumerate(evaluator, key, cache, threads);
        source = [&](const Point& x) {
            const std::uint64_t i = index_of(enc, x);
            return std::pair{table.objectives[i], table.feasible[i] != 0};
        };
    } else {
        source = [&](const Point& x) {
            auto e = evaluator.evaluate(x);
            return std::pair{std::move(e.objectives), e.feasible};
        };
    }

    const std::uint64_t budget = std::uint64_t{population} * generations;
    const double mutation = 1.0 / static_cast<double>(enc.dimension());
    const unsigned many = generations * 4;  // more than the budget needs: BudgetSpent ends the run
    const auto nsga2_with = [&](double crossover, double eta_c, double eta_m, double m) {
        return [=](pagmo::problem& p, unsigned pop, unsigned seed) {
            pagmo::population ps{p, pop, seed};
            pagmo::algorithm a{pagmo::nsga2{many, crossover, eta_c, m, eta_m, seed}};
            a.evolve(ps);
        };
    };
    std::vector<Algorithm> algorithms{
        // elaa optimise's operators: configs/runs/default.toml's [nsga2].
        {"nsga2", true, nsga2_with(0.95, 10, 50, mutation)},
        {"random", true,
         [&](pagmo::problem& p, unsigned, unsigned seed) {
             std::mt19937_64 rng(seed);
             const auto [lb, ub] = p.get_bounds();
             const std::size_t reals = lb.size() - enc.integer_dimension();
             for (std::uint64_t e = 0; e < budget; ++e) {
                 Point x(lb.size());
                 for (std::size_t k = 0; k < x.size(); ++k)
                     x[k] = k < reals ? std::uniform_real_distribution<double>(lb[k], ub[k])(rng)
                                      : static_cast<double>(std::uniform_int_distribution<long>(
                                            static_cast<long>(lb[k]), static_cast<long>(ub[k]))(rng));
                 p.fitness(x);
             }
         }},
        {"moead", false,
         [&](pagmo::problem& p, unsigned pop, unsigned seed) {
             pagmo::population ps{p, pop, seed};
             pagmo::algorithm a{pagmo::moead{many, "low discrepancy", "tchebycheff", 20, 1.0, 0.5, 20., 0.9, 2u,
                                             true, seed}};
             a.evolve(ps);
         }},
        {"nspso", false,
         [&](pagmo::problem& p, unsigned pop, unsigned seed) {
             pagmo::population ps{p, pop, seed};
             pagmo::algorithm a{pagmo::nspso{many, 0.6, 2.0, 2.0, 0.5, 0.5, 2u, "crowding distance", false, seed}};
             a.evolve(ps);
         }},
        {"maco", true,
         [&](pagmo::problem& p, unsigned pop, unsigned seed) {
             pagmo::population ps{p, pop, seed};
             pagmo::algorithm a{pagmo::maco{many, std::min(63u, pop), 1.0, 1u, 7u, 1000000u, 0., false, seed}};
             a.evolve(ps);
         }},
    };

    if (!grid.empty()) {
        // An operator sweep: the variants replace the algorithms, named by their settings.
        algorithms.clear();
        std::stringstream items(grid);
        for (std::string item; std::getline(items, item, ',');) {
            std::vector<double> v;
            bool numbers = true;
            std::stringstream fields(item);
            for (std::string field; std::getline(fields, field, '/');) {
                char* end = nullptr;
                v.push_back(std::strtod(field.c_str(), &end));
                numbers = numbers && !field.empty() && *end == '\0';
            }
            const double m = v.size() == 4 ? v[3] : mutation;
            std::string why = numbers && (v.size() == 3 || v.size() == 4) ? "" : "expected crossover/eta_c/eta_m[/mutation]";
            if (why.empty()) try {
                    pagmo::nsga2{1u, v[0], v[1], m, v[2], 1u};  // pagmo's own range checks
                } catch (const std::exception& e) {
                    why = e.what();
                }
            if (!why.empty()) {
                std::cerr << fmt::format("--nsga2-grid: '{}': {}\n", item, why);
                return 2;
            }
            algorithms.push_back({fmt::format("nsga2 cr {:g} eta_c {:g} eta_m {:g} m {:.3g}", v[0], v[1], v[2], m), true,
                                  nsga2_with(v[0], v[1], v[2], m)});
        }
    }

    // Every (algorithm, seed) run; live runs go side by side on `threads` threads (the evaluator
    // and its caches are shared and thread-safe; each run has its own problem and tracker).
    struct Run {
        const Algorithm* algorithm;
        unsigned seed;
        std::shared_ptr<Tracker> tracker;
    };
    std::vector<Run> runs;
    for (const auto& algorithm : algorithms)
        if (only.empty() || ("," + only + ",").find("," + algorithm.name + ",") != std::string::npos)
            for (unsigned seed = 1; seed <= seeds; ++seed) runs.push_back({&algorithm, seed, std::make_shared<Tracker>()});
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    auto work = [&] {
        for (std::size_t r = next++; r < runs.size() && !failed; r = next++) {
            Run& run = runs[r];
            run.tracker->budget = budget;
            pagmo::problem problem{CountingProblem{source, &enc, nobj, run.tracker, run.algorithm->integer}};
            try {
                run.algorithm->run(problem, population, run.seed);
            } catch (const BudgetSpent&) {
                // the run's budget is spent: the normal end
            } catch (const std::exception& e) {
                std::cerr << fmt::format("{} seed {}: {}\n", run.algorithm->name, run.seed, e.what());
                failed = true;
            }
            if (run.tracker->evaluations < budget)
                std::cerr << fmt::format("{} seed {}: stopped after {} evaluations\n", run.algorithm->name, run.seed,
                                         run.tracker->evaluations);
            if (!live.empty()) std::cerr << fmt::format("done: {} seed {}\n", run.algorithm->name, run.seed);
        }
    };
    {
        std::vector<std::thread> pool;
        for (unsigned t = 1; t < (live.empty() ? 1u : threads); ++t) pool.emplace_back(work);
        work();
        for (auto& t : pool) t.join();
    }
    if (failed) return 1;

    // The reference front: the true one (enumerable space) or that of every run together (live).
    std::vector<Point> candidates;
    if (live.empty()) {
        for (std::uint64_t i = 0; i < enc.design_count(); ++i)
            if (table.feasible[i]) candidates.push_back(table.objectives[i]);
    } else {
        for (const auto& run : runs)
            for (const auto& [e, f] : run.tracker->seen) candidates.push_back(f);
    }
    std::vector<Point> front;
    for (auto i : assess::pareto_front(candidates)) add_to_archive(front, candidates[i]);
    Point ideal(nobj, INFINITY), nadir(nobj, -INFINITY);
    for (const auto& p : front)
        for (std::size_t k = 0; k < nobj; ++k) ideal[k] = std::min(ideal[k], p[k]), nadir[k] = std::max(nadir[k], p[k]);
    const auto normalise = [&](const Point& p) {
        Point q(nobj);
        for (std::size_t k = 0; k < nobj; ++k) q[k] = (p[k] - ideal[k]) / (nadir[k] - ideal[k]);
        return q;
    };
    const Point reference(nobj, 1.1);
    const std::set<Point> front_set(front.begin(), front.end());
    std::vector<Point> front_normalised;
    for (const auto& p : front) front_normalised.push_back(normalise(p));
    const double front_hv = optimise::hypervolume(front_normalised, reference);
    const auto ratio = [&](const std::vector<Point>& archive) {
        std::vector<Point> inside;  // points beyond the reference add nothing
        for (const auto& p : archive) {
            Point q = normalise(p);
            if (std::all_of(q.begin(), q.end(), [](double v) { return v < 1.1; })) inside.push_back(std::move(q));
        }
        return inside.empty() ? 0.0 : optimise::hypervolume(inside, reference) / front_hv;
    };
    if (live.empty())
        std::cout << fmt::format("space {}: {} genomes, {} feasible; true front: {} distinct designs, HV {:.6f}\n",
                                 fs::relative(fs::absolute(space), ELAA_SOURCE_DIR).string(), enc.design_count(),
                                 candidates.size(), front.size(), front_hv);
    else
        std::cout << fmt::format("run config {} ({} genomes): reference = the front of all {} runs together, {} "
                                 "designs, HV {:.6f}\n",
                                 live, enc.design_count(), runs.size(), front.size(), front_hv);

    std::ofstream curve_out;
    if (!curves.empty()) {
        curve_out.open(curves);
        curve_out << "algorithm,seed,evaluations,hv_ratio\n";
    }
    std::cout << fmt::format("budget {} evaluations ({} x {}), seeds 1..{}\n\n", budget, population, generations, seeds);
    std::cout << "| algorithm | median HV ratio | min | max | archive (median) | front recall (median, min) |\n"
                 "|---|---|---|---|---|---|\n";
    const auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        const std::size_t m = v.size();
        return m % 2 ? v[m / 2] : (v[m / 2 - 1] + v[m / 2]) / 2;
    };
    std::map<std::string, std::map<unsigned, double>> per_seed;
    for (const auto& algorithm : algorithms) {
        std::vector<double> finals, sizes, recalls;
        for (const auto& run : runs) {
            if (run.algorithm != &algorithm) continue;
            // Replay the run: its archive after every `population` evaluations.
            std::vector<Point> archive;
            auto seen = run.tracker->seen.begin();
            const auto end = run.tracker->seen.end();
            double r = 0;
            for (std::uint64_t at = population; at <= budget; at += population) {
                for (; seen != end && seen->first <= at; ++seen) add_to_archive(archive, seen->second);
                r = ratio(archive);
                if (curve_out) curve_out << fmt::format("{},{},{},{:.6f}\n", algorithm.name, run.seed, at, r);
            }
            finals.push_back(r);
            per_seed[algorithm.name][run.seed] = r;
            sizes.push_back(static_cast<double>(archive.size()));
            recalls.push_back(static_cast<double>(std::count_if(archive.begin(), archive.end(),
                                                                [&](const Point& a) { return front_set.count(a); })) /
                              static_cast<double>(front_set.size()));
        }
        if (finals.empty()) continue;
        std::cout << fmt::format("| {} | {:.4f} | {:.4f} | {:.4f} | {:.0f} | {:.1f} %, {:.1f} % |\n", algorithm.name,
                                 median(finals), *std::min_element(finals.begin(), finals.end()),
                                 *std::max_element(finals.begin(), finals.end()), median(sizes), 100 * median(recalls),
                                 100 * *std::min_element(recalls.begin(), recalls.end()));
    }
    // Per seed, so that "beats random sampling in every seed" can be read off.
    std::cout << "\n| seed |";
    for (const auto& [name, by_seed] : per_seed) std::cout << " " << name << " |";
    std::cout << "\n|---|";
    for (std::size_t a = 0; a < per_seed.size(); ++a) std::cout << "---|";
    std::cout << "\n";
    for (unsigned seed = 1; seed <= seeds; ++seed) {
        std::cout << "| " << seed << " |";
        for (const auto& [name, by_seed] : per_seed) std::cout << fmt::format(" {:.4f} |", by_seed.at(seed));
        std::cout << "\n";
    }
    return 0;
}
