// Timing of the cost model and the mapping search (Google Benchmark). The targets these figures are
// compared with, and how to read them, are in docs/performance.md; nothing here asserts a time.
//
//   build-bench/bench_search                                   every benchmark
//   build-bench/bench_search --benchmark_filter=Search/loma    one group
//   build-bench/bench_search --benchmark_filter=PerShape       per-shape medians (slow: ~15 s)
//   build-bench/bench_search --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
//
// Times are per iteration, CPU time of the benchmark thread (the library's default column "CPU").
#include <benchmark/benchmark.h>

#include <algorithm>
#include <ctime>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "cost/evaluate.hpp"
#include "cost/network_cost.hpp"
#include "hardware/presets.hpp"
#include "mapping/search.hpp"
#include "workload/zoo/zoo.hpp"

namespace {

using elaa::hardware::Accelerator;
using elaa::mapping::SearchOptions;
using elaa::mapping::SearchSpace;
using elaa::workload::Layer;
using elaa::workload::Network;

// Presets and networks are built once per process: their construction is not what is measured.
const Accelerator& preset(const std::string& name) {
    static std::map<std::string, Accelerator> loaded;
    auto it = loaded.find(name);
    if (it == loaded.end()) it = loaded.emplace(name, elaa::hardware::load_preset(name)).first;
    return it->second;
}

const Network& network(const std::string& name) {
    static std::map<std::string, Network> built;
    auto it = built.find(name);
    if (it == built.end()) it = built.emplace(name, elaa::workload::Zoo::instance().build(name)).first;
    return it->second;
}

const Layer& layer_of(const std::string& net, const std::string& layer) {
    for (const auto& l : network(net).layers)
        if (l.name == layer) return l;
    throw std::runtime_error(net + " has no layer '" + layer + "'");
}

SearchOptions options_for(SearchSpace space) {
    SearchOptions options;
    options.space = space;  // objective: latency, the CLI's default
    return options;
}

// The representative layer shapes: a large-kernel stem, the commonest ResNet shape, a Gemm, and
// MobileNet's depthwise/pointwise pair (the shapes where dataflows differ most).
struct LayerCase {
    const char* label;
    const char* net;
    const char* layer;
};
constexpr LayerCase kLayers[] = {
    {"resnet18.conv1_7x7_3to64_112", "resnet18", "conv1"},
    {"resnet18.3x3_64to64_56", "resnet18", "layer1.0.conv1"},
    {"resnet18.fc_512to1000", "resnet18", "fc"},
    {"mobilenet_v2.dw3x3_144_56", "mobilenet_v2", "dwconv8"},
    {"mobilenet_v2.pw1x1_24to144_56", "mobilenet_v2", "conv7"},
};
constexpr const char* kPresets[] = {"tpu_like", "eyeriss_like"};

// (a) One cost-model evaluation of a fixed mapping: the inner loop of every search. The mapping is
// the one loma finds, so the evaluation takes the path a search's best candidate takes.
void evaluator_one_mapping(benchmark::State& state, const std::string& arch, const LayerCase& c) {
    const Accelerator& acc = preset(arch);
    const Layer& layer = layer_of(c.net, c.layer);
    const auto found = elaa::mapping::search(layer, acc, options_for(SearchSpace::Loma));
    const elaa::cost::Evaluator evaluate(layer, acc, found.mapping.spatial);
    for (auto _ : state) benchmark::DoNotOptimize(evaluate(found.mapping.temporal));
}

// (b), (c) One search of one layer shape, as `elaa eval` runs it once per unique shape. The counters
// say how much work the search did (per search, not per second).
void search_one_layer(benchmark::State& state, const std::string& arch, const LayerCase& c, SearchSpace space) {
    const Accelerator& acc = preset(arch);
    const Layer& layer = layer_of(c.net, c.layer);
    const auto options = options_for(space);
    elaa::mapping::SearchResult result;
    for (auto _ : state) {
        result = elaa::mapping::search(layer, acc, options);
        benchmark::DoNotOptimize(result.cost.latency_cycles());
    }
    state.counters["orderings"] = static_cast<double>(result.orderings);
    state.counters["evaluations"] = static_cast<double>(result.evaluations);
    // Mean time per evaluated mapping inside the search (allocation + cost model).
    state.counters["per_eval"] = benchmark::Counter(static_cast<double>(result.evaluations),
                                                    benchmark::Counter::kIsIterationInvariantRate |
                                                        benchmark::Counter::kInvert);
}

// (d) The whole-network search behind `elaa eval --kinds conv,fc` (no process start-up, no report):
// every unique layer shape searched once, single-threaded, no cache shared between iterations.
void search_network(benchmark::State& state, const std::string& arch, const std::string& net, SearchSpace space) {
    const Accelerator& acc = preset(arch);
    const Network& n = network(net);
    elaa::cost::EvalOptions options;
    options.search = options_for(space);
    options.kinds = {elaa::cost::KindClass::Conv, elaa::cost::KindClass::Fc};
    std::size_t unique = 0;
    for (auto _ : state) {
        const auto cost = elaa::cost::evaluate_network(n, acc, options);
        unique = cost.unique_shapes;
        benchmark::DoNotOptimize(cost.latency_cycles);
    }
    state.counters["unique_shapes"] = static_cast<double>(unique);
    // Mean time per unique shape, the unit of the targets.
    state.counters["per_shape"] = benchmark::Counter(static_cast<double>(unique),
                                                     benchmark::Counter::kIsIterationInvariantRate |
                                                         benchmark::Counter::kInvert);
}

// (e) Every unique conv/fc shape of a network searched on its own, each timed with the thread's CPU
// clock: the median and maximum over shapes are what the per-shape targets are stated in (a network
// total hides a skewed distribution). Per shape, the fastest of the iterations counts (noise only
// ever adds time).
double thread_cpu_ms() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) * 1e-6;
}

// On one accelerator the layer's key is the whole key the network evaluation memoises by.
std::vector<const Layer*> unique_searched_shapes(const Network& n, const SearchOptions& options) {
    std::map<std::string, const Layer*> by_key;
    for (const auto& layer : n.layers) {
        const auto kind = elaa::cost::kind_class(layer.kind);
        if (kind == elaa::cost::KindClass::Conv || kind == elaa::cost::KindClass::Fc)
            by_key.emplace(elaa::cost::layer_search_key(layer, options), &layer);
    }
    std::vector<const Layer*> out;
    for (const auto& [key, layer] : by_key) out.push_back(layer);
    return out;
}

void per_shape_distribution(benchmark::State& state, const std::string& arch, const std::string& net, SearchSpace space) {
    const Accelerator& acc = preset(arch);
    const auto options = options_for(space);
    const auto shapes = unique_searched_shapes(network(net), options);
    std::vector<double> fastest(shapes.size(), 1e300);
    for (auto _ : state)
        for (std::size_t i = 0; i < shapes.size(); ++i) {
            const double start = thread_cpu_ms();
            benchmark::DoNotOptimize(elaa::mapping::search(*shapes[i], acc, options).cost.latency_cycles());
            fastest[i] = std::min(fastest[i], thread_cpu_ms() - start);
        }
    std::sort(fastest.begin(), fastest.end());
    const std::size_t n = fastest.size();
    const double median = n % 2 ? fastest[n / 2] : (fastest[n / 2 - 1] + fastest[n / 2]) / 2;
    state.counters["shapes"] = static_cast<double>(n);
    state.counters["median_ms"] = median;
    state.counters["max_ms"] = fastest.back();
}

std::string space_name(SearchSpace space) { return std::string(elaa::mapping::to_string(space)); }

// Registration in a static initialiser: benchmark_main runs whatever is registered.
const bool registered = [] {
    for (const char* arch : kPresets)
        for (const auto& c : kLayers)
            benchmark::RegisterBenchmark(("Evaluator/" + std::string(arch) + "/" + c.label).c_str(),
                                         [arch, c](benchmark::State& s) { evaluator_one_mapping(s, arch, c); })
                ->Unit(benchmark::kMicrosecond);
    for (SearchSpace space : {SearchSpace::Loma, SearchSpace::Full})
        for (const char* arch : kPresets)
            for (const auto& c : kLayers)
                benchmark::RegisterBenchmark(
                    ("Search/" + space_name(space) + "/" + arch + "/" + c.label).c_str(),
                    [arch, c, space](benchmark::State& s) { search_one_layer(s, arch, c, space); })
                    ->Unit(benchmark::kMillisecond);
    for (SearchSpace space : {SearchSpace::Loma, SearchSpace::Full})
        benchmark::RegisterBenchmark(("Network/" + space_name(space) + "/tpu_like/resnet18").c_str(),
                                     [space](benchmark::State& s) { search_network(s, "tpu_like", "resnet18", space); })
            ->Unit(benchmark::kMillisecond);
    for (SearchSpace space : {SearchSpace::Loma, SearchSpace::Full})
        for (const char* arch : kPresets)
            for (const char* net : {"resnet18", "mobilenet_v2", "efficientnet_b0"})
                benchmark::RegisterBenchmark(
                    ("PerShape/" + space_name(space) + "/" + arch + "/" + net).c_str(),
                    [arch, net, space](benchmark::State& s) { per_shape_distribution(s, arch, net, space); })
                    ->Unit(benchmark::kMillisecond)
                    ->Iterations(3);
    return true;
}();

}  // namespace
