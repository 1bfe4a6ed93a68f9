// Whole-network evaluation: the mapping search against ZigZag's reference run, evaluate_network's
// threading, kind filter and caching, and `elaa eval` end to end (reports, --mapping round trip,
// options, and one-line errors for bad input).
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "cost/network_cost.hpp"
#include "hardware/presets.hpp"
#include "util/csv.hpp"
#include "workload/builder.hpp"
#include "workload/zoo/zoo.hpp"
#include "zigzag_reference.hpp"

using namespace elaa;
using nlohmann::json;
using test::run_elaa;

namespace {

// ZigZag 3.8.5's test-suite run of resnet18.onnx on tpu_like (LOMA, lpf_limit 6, latency
// objective): shared/reference/zigzag-model.md, first table.
constexpr double kZigzagEnergyPj = 1871436380.656;
constexpr double kZigzagLatencyCycles = 3703960.5;

const std::string kData = std::string(ELAA_SOURCE_DIR) + "/tests/data/";

cost::EvalOptions options_for(mapping::SearchSpace space, std::vector<cost::KindClass> kinds,
                              mapping::Objective objective = mapping::Objective::Latency) {
    cost::EvalOptions o;
    o.search.space = space;
    o.search.objective = objective;
    o.kinds = std::move(kinds);
    return o;
}

const std::vector<cost::KindClass> kConvFc{cost::KindClass::Conv, cost::KindClass::Fc};

bool within(double value, double reference, double relative) {
    return std::abs(value - reference) <= relative * std::abs(reference);
}

// Everything a LayerCost reports, compared exactly.
void check_same_cost(const cost::LayerCost& a, const cost::LayerCost& b) {
    CHECK(a.mac_energy_pj == b.mac_energy_pj);
    CHECK(a.memory_energy_pj == b.memory_energy_pj);
    CHECK(a.temporal_cycles == b.temporal_cycles);
    CHECK(a.stall_cycles == b.stall_cycles);
    CHECK(a.onload_cycles == b.onload_cycles);
    CHECK(a.offload_cycles == b.offload_cycles);
    CHECK(a.spatial_utilisation == b.spatial_utilisation);
    CHECK(a.dram_bits == b.dram_bits);
    REQUIRE(a.traffic.size() == b.traffic.size());
    for (std::size_t t = 0; t < a.traffic.size(); ++t) {
        CHECK(a.traffic[t].memory == b.traffic[t].memory);
        CHECK(a.traffic[t].word_accesses == b.traffic[t].word_accesses);
        CHECK(a.traffic[t].energy_pj == b.traffic[t].energy_pj);
    }
}

void check_same_network_cost(const cost::NetworkCost& a, const cost::NetworkCost& b) {
    CHECK(a.energy_pj == b.energy_pj);
    CHECK(a.latency_cycles == b.latency_cycles);
    CHECK(a.dram_bits == b.dram_bits);
    CHECK(a.macs == b.macs);
    CHECK(a.spatial_utilisation == b.spatial_utilisation);
    CHECK(a.temporal_utilisation == b.temporal_utilisation);
    REQUIRE(a.layers.size() == b.layers.size());
    for (std::size_t i = 0; i < a.layers.size(); ++i) {
        INFO("layer " << a.layers[i].layer->name);
        REQUIRE(a.layers[i].costed == b.layers[i].costed);
        if (!a.layers[i].costed) continue;
        CHECK(a.layers[i].result.mapping == b.layers[i].result.mapping);
        check_same_cost(a.layers[i].result.cost, b.layers[i].result.cost);
    }
}

std::size_t costed_count(const cost::NetworkCost& c) {
    return static_cast<std::size_t>(
        std::count_if(c.layers.begin(), c.layers.end(), [](const cost::LayerResult& l) { return l.costed; }));
}

// A file in the system temp directory, removed when the test ends.
struct TempFile {
    std::filesystem::path path;
    explicit TempFile(const std::string& stem)
        : path(std::filesystem::temp_directory_path() /
               (stem + "_" + std::to_string(::getpid()) + "_" + std::to_string(std::rand()) + ".json")) {}
    ~TempFile() { std::filesystem::remove(path); }
    void write(const std::string& text) const {
        std::ofstream out(path);
        out << text;
    }
};

json eval_json(const std::string& args) {
    const auto r = run_elaa("eval " + args + " --json -");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    return json::parse(r.out);
}

const std::string kResnetTpu = "--arch tpu_like --net resnet18 --search loma --kinds conv,fc";

}  // namespace

// ------------------------------------------------------------------------------------- search

TEST_CASE("eval: loma search on tpu_like reproduces ZigZag's resnet18 run", "[eval]") {
    const auto acc = hardware::load_preset("tpu_like");
    const auto net = workload::Zoo::instance().build("resnet18");
    const auto result = cost::evaluate_network(net, acc, options_for(mapping::SearchSpace::Loma, kConvFc));
    WARN("elaa loma: " << std::setprecision(12) << result.energy_pj << " pJ, " << result.latency_cycles
                       << " cycles; ZigZag " << kZigzagEnergyPj << " pJ, " << kZigzagLatencyCycles << " cycles");
    CHECK(within(result.energy_pj, kZigzagEnergyPj, 0.02));
    CHECK(within(result.latency_cycles, kZigzagLatencyCycles, 0.02));

    // Per layer: ZigZag's rows are its Conv and Gemm nodes. The ONNX graph lists a block's downsample
    // elsewhere than the zoo does, so each row takes the first unused costed layer of its shape
    // (layers of one shape have one search result).
    const auto table = test::zigzag_reference("tpu_like_resnet18.csv");
    std::vector<const cost::LayerResult*> costed;
    for (const auto& l : result.layers)
        if (l.costed) costed.push_back(&l);
    REQUIRE(costed.size() == table.rows());
    std::vector<bool> used(costed.size(), false);
    std::size_t close = 0;
    for (std::size_t row = 0; row < table.rows(); ++row) {
        auto num = [&](const char* col) { return std::stod(table.at(row, col)); };
        INFO(table.at(row, "layer_name"));
        const cost::LayerResult* match = nullptr;
        for (std::size_t i = 0; i < costed.size() && !match; ++i) {
            const auto& l = *costed[i]->layer;
            if (!used[i] && static_cast<double>(l.K * l.G) == num("K") * num("G") &&
                static_cast<double>(l.C * l.G) == num("C") * num("G") && static_cast<double>(l.OY) == num("OY") &&
                static_cast<double>(l.OX) == num("OX") && static_cast<double>(l.FY) == num("FY") &&
                static_cast<double>(l.FX) == num("FX") && static_cast<double>(l.stride_y) == num("stride_y")) {
                used[i] = true;
                match = costed[i];
            }
        }
        REQUIRE(match);
        const auto& c = match->result.cost;
        const bool ok = within(c.energy_pj(), num("energy_pJ"), 0.05) &&
                        within(c.latency_cycles(), num("latency_cycles"), 0.05);
        if (ok)
            ++close;
        else
            WARN(match->layer->name << ": elaa " << c.energy_pj() << " pJ " << c.latency_cycles() << " cycles, ZigZag "
                                    << num("energy_pJ") << " pJ " << num("latency_cycles") << " cycles");
    }
    CHECK(static_cast<double>(close) >= 0.9 * static_cast<double>(table.rows()));
}

TEST_CASE("eval: the full search is never worse than loma on its objective, layer by layer", "[eval]") {
    struct Case {
        std::string preset, network;
        mapping::Objective objective;
    };
    // Bad option values (--objective power, --kinds conv,relu) are command-line errors, exit 1:
    // tests/test_cli_options.cpp.
    const std::vector<Case> cases{{"tpu_like", "resnet18", mapping::Objective::Latency},
                                  {"tpu_like", "mobilenet_v2", mapping::Objective::Latency},
                                  {"eyeriss_like", "resnet18", mapping::Objective::Latency},
                                  {"eyeriss_like", "mobilenet_v2", mapping::Objective::Latency},
                                  {"eyeriss_like", "resnet18", mapping::Objective::Energy}};
    for (const auto& c : cases) {
        INFO(c.preset << " " << c.network << " " << mapping::to_string(c.objective));
        const auto acc = hardware::load_preset(c.preset);
        const auto net = workload::Zoo::instance().build(c.network);
        auto loma_options = options_for(mapping::SearchSpace::Loma, kConvFc, c.objective);
        auto full_options = options_for(mapping::SearchSpace::Full, kConvFc, c.objective);
        loma_options.threads = full_options.threads = 2;
        const auto loma = cost::evaluate_network(net, acc, loma_options);
        const auto full = cost::evaluate_network(net, acc, full_options);
        std::size_t strictly_better = 0;
        for (std::size_t i = 0; i < net.layers.size(); ++i) {
            if (!loma.layers[i].costed) continue;
            INFO(net.layers[i].name);
            const auto& l = loma.layers[i].result.cost;
            const auto& f = full.layers[i].result.cost;
            CHECK_FALSE(mapping::better(l, f, c.objective));
            strictly_better += mapping::better(f, l, c.objective) ? 1 : 0;
        }
        WARN(c.preset << " " << c.network << ": full beats loma on " << strictly_better << " layers");
    }
}

// ---------------------------------------------------------------------------- evaluate_network

TEST_CASE("eval: 1, 2 and 3 threads give bit-identical results", "[eval]") {
    const auto acc = hardware::load_preset("tpu_like");
    const auto net = workload::Zoo::instance().build("resnet18");
    auto options = options_for(mapping::SearchSpace::Loma, kConvFc);
    options.threads = 1;
    const auto one = cost::evaluate_network(net, acc, options);
    for (unsigned threads : {2u, 3u}) {
        INFO(threads << " threads");
        options.threads = threads;
        check_same_network_cost(one, cost::evaluate_network(net, acc, options));
    }
}

TEST_CASE("eval: --kinds selects the costed layers", "[eval]") {
    const auto acc = hardware::load_preset("tpu_like");
    const auto net = workload::Zoo::instance().build("resnet18");
    const auto conv_fc = cost::evaluate_network(net, acc, options_for(mapping::SearchSpace::Loma, kConvFc));
    const auto all = cost::evaluate_network(
        net, acc,
        options_for(mapping::SearchSpace::Loma,
                    {cost::KindClass::Conv, cost::KindClass::Fc, cost::KindClass::Pool, cost::KindClass::Add}));
    std::size_t pool_or_add = 0;
    for (std::size_t i = 0; i < net.layers.size(); ++i) {
        INFO(net.layers[i].name);
        const auto k = cost::kind_class(net.layers[i].kind);
        const bool conv_or_fc = k == cost::KindClass::Conv || k == cost::KindClass::Fc;
        pool_or_add += conv_or_fc ? 0 : 1;
        CHECK(conv_fc.layers[i].costed == conv_or_fc);
        CHECK(all.layers[i].costed);
        if (conv_or_fc) check_same_cost(conv_fc.layers[i].result.cost, all.layers[i].result.cost);
    }
    // resnet18: a max pool, 8 residual adds and the global average pool.
    CHECK(pool_or_add == 10);
    CHECK(costed_count(conv_fc) == 21);
    CHECK(all.energy_pj > conv_fc.energy_pj);
    CHECK(all.macs == conv_fc.macs);  // pooling and adds carry ops, not MACs
}

TEST_CASE("eval: repeated shapes are searched once and a shared cache serves a second network", "[eval]") {
    const auto acc = hardware::load_preset("tpu_like");
    const auto options = options_for(mapping::SearchSpace::Loma, kConvFc);
    const auto resnet18 = workload::Zoo::instance().build("resnet18");
    const auto resnet34 = workload::Zoo::instance().build("resnet34");

    // resnet18's 21 conv/fc layers have 12 shapes: conv1; the 3x3 64-channel conv of layer1 (4
    // layers); per later stage the strided 3x3, the 1x1 downsample and the 3x3 of the rest (3 layers);
    // the fc.
    const auto first = cost::evaluate_network(resnet18, acc, options);
    CHECK(first.unique_shapes == 12);
    CHECK(first.cache_hits == 21 - 12);

    cost::SearchCache cache;
    const auto cached = cost::evaluate_network(resnet18, acc, options, &cache);
    CHECK(cache.size() == 12);
    check_same_network_cost(first, cached);

    // resnet34 ([3, 4, 6, 3] basic blocks) has exactly resnet18's shapes: all 37 layers from the cache.
    const auto fresh34 = cost::evaluate_network(resnet34, acc, options);
    const auto cached34 = cost::evaluate_network(resnet34, acc, options, &cache);
    CHECK(costed_count(cached34) == 37);
    CHECK(cached34.unique_shapes == 12);
    CHECK(cached34.cache_hits == 37);
    CHECK(cache.size() == 12);
    check_same_network_cost(fresh34, cached34);
}

TEST_CASE("eval: a bounded search cache keeps two generations within its budget and never changes a result",
          "[eval]") {
    const auto acc = hardware::load_preset("tpu_like");
    const auto options = options_for(mapping::SearchSpace::Loma, kConvFc);
    const auto resnet18 = workload::Zoo::instance().build("resnet18");
    const auto reference = cost::evaluate_network(resnet18, acc, options);

    // A budget of five of the smallest possible entries plus the fingerprint's share in each
    // generation holds two or three entries per generation, so resnet18's 12 searches rotate the
    // generations several times.
    const std::string fp = hardware::fingerprint(acc);
    const cost::SearchCache sizing;  // entry_bytes depends on what a cache keeps
    const std::size_t entry = sizing.entry_bytes("", mapping::SearchResult{});
    const std::size_t budget = 5 * entry + 2 * cost::SearchCache::accelerator_bytes(fp);
    cost::SearchCache small(budget);
    const auto first = cost::evaluate_network(resnet18, acc, options, &small);
    CHECK(small.size() < 12);
    CHECK(small.size() >= 2);
    std::size_t largest = 0;  // each generation stops at half the budget: one entry may cross it
    for (const auto& layer : reference.layers)
        if (layer.costed) largest = std::max(largest, sizing.entry_bytes(std::string(200, 'k'), layer.result));
    CHECK(small.bytes() <= budget + largest);
    check_same_network_cost(reference, first);
    // A second pass reruns the evicted searches and gives the same numbers.
    check_same_network_cost(reference, cost::evaluate_network(resnet18, acc, options, &small));

    // The generations by hand: entries of equal size e under one accelerator of share a, budget
    // 4e + 2a, so each generation holds two.
    auto result = [](std::size_t id) {
        mapping::SearchResult r;
        r.orderings = id;
        return r;
    };
    const std::size_t e = sizing.entry_bytes("k1", result(1));
    CHECK(e == 2 + sizing.entry_bytes("", result(1)));  // keys count by their length
    const std::size_t a = cost::SearchCache::accelerator_bytes("acc");
    cost::SearchCache cache(4 * e + 2 * a);
    cache.insert("acc", "k1", result(1));
    cache.insert("acc", "k2", result(2));
    CHECK(cache.bytes() == 2 * e + a);  // the fingerprint once, not once per entry
    cache.insert("acc", "k3", result(3));  // newer full: {k1, k2} become the older generation
    CHECK(cache.size() == 3);
    CHECK(cache.bytes() == 3 * e + 2 * a);
    CHECK(cache.find("acc", "k1")->orderings == 1);  // found in the older one, moved to the newer {k3, k1}
    CHECK_FALSE(cache.find("other", "k1"));  // the same layer on another accelerator is another search
    cache.insert("acc", "k4", result(4));  // newer full again: {k3, k1} older, k2 dropped
    CHECK_FALSE(cache.find("acc", "k2"));
    CHECK(cache.find("acc", "k3")->orderings == 3);
    CHECK(cache.find("acc", "k1")->orderings == 1);
    CHECK(cache.find("acc", "k4")->orderings == 4);
    CHECK(cache.size() == 3);
    CHECK(cache.bytes() <= 4 * e + 2 * a);

    // Unbounded (the default): all 12 stay, in under two thirds of what 12 SearchResults with the
    // fingerprint in every key would take, even before their loops (the inline traffic table alone
    // is 1.8 KB).
    cost::SearchCache unbounded;
    cost::evaluate_network(resnet18, acc, options, &unbounded);
    CHECK(unbounded.size() == 12);
    CHECK(unbounded.bytes() > 12 * entry);
    CHECK(3 * unbounded.bytes() < 2 * 12 * (sizeof(mapping::SearchResult) + fp.size() + 64));

    // Keeping the figures only (the optimiser's cache): hits give every figure, no mapping and no
    // traffic table, in under a third of the memory.
    cost::SearchCache figures(0, cost::SearchCache::Keep::Figures);
    const auto searched = cost::evaluate_network(resnet18, acc, options, &figures);
    check_same_network_cost(reference, searched);  // misses are searches: complete
    const auto answered = cost::evaluate_network(resnet18, acc, options, &figures);
    CHECK(answered.cache_hits == 21);
    CHECK(answered.energy_pj == reference.energy_pj);
    CHECK(answered.latency_cycles == reference.latency_cycles);
    CHECK(answered.dram_bits == reference.dram_bits);
    CHECK(answered.spatial_utilisation == reference.spatial_utilisation);
    CHECK(answered.temporal_utilisation == reference.temporal_utilisation);
    for (std::size_t i = 0; i < answered.layers.size(); ++i) {
        if (!answered.layers[i].costed) continue;
        const auto& got = answered.layers[i].result;
        const auto& want = reference.layers[i].result.cost;
        CHECK(got.cost.energy_pj() == want.energy_pj());
        CHECK(got.cost.latency_cycles() == want.latency_cycles());
        CHECK(got.cost.ideal_cycles == want.ideal_cycles);
        CHECK(got.cost.traffic.empty());
        CHECK(got.mapping.temporal.levels[0].empty());
    }
    CHECK(figures.size() == 12);
    CHECK(figures.bytes() * 3 < unbounded.bytes());
}

TEST_CASE("eval: a depthwise layer on tpu_like falls back to the default dataflow and uses 1 MAC", "[eval]") {
    workload::NetworkBuilder b("dw", "test", 14);
    const auto x = b.input(32, 14, 14);
    b.conv(x, 32, workload::win(3, 1), 32, false, "dw3x3");
    const auto net = b.finish();
    REQUIRE(net.layers[0].kind == workload::OpKind::DepthwiseConv);
    const auto acc = hardware::load_preset("tpu_like");
    const auto result = cost::evaluate_network(net, acc, options_for(mapping::SearchSpace::Loma, kConvFc));
    const auto& l = result.layers[0];
    REQUIRE(l.costed);
    CHECK(l.dataflow_fell_back);
    // K = C = 1 per group: the K 32 x C 32 unrolling activates a single MAC of 1024.
    CHECK(l.result.mapping.spatial.active_units() == 1);
    CHECK(l.result.cost.spatial_utilisation <= 1.0 / 1024 + 1e-12);
    CHECK(l.result.cost.spatial_utilisation == Approx(1.0 / 1024));
    CHECK(l.result.cost.temporal_cycles == static_cast<double>(net.layers[0].macs()));
}

// ---------------------------------------------------------------------------------- CLI: reports

TEST_CASE("eval CLI: the JSON report has the documented keys and ZigZag's total", "[eval]") {
    const json doc = eval_json(kResnetTpu);
    for (const char* key : {"accelerator", "network", "objective", "search", "total", "layers"}) {
        INFO(key);
        CHECK(doc.contains(key));
    }
    CHECK(doc["accelerator"] == "tpu_like");
    CHECK(doc["network"] == "resnet18");
    CHECK(doc["objective"] == "latency");
    CHECK(doc["search"] == "loma");
    const auto& total = doc["total"];
    for (const char* key : {"energy_pj", "latency_cycles", "latency_s", "inferences_per_s", "area_mm2", "macs",
                            "dram_bytes", "spatial_utilisation", "temporal_utilisation"}) {
        INFO(key);
        REQUIRE(total.contains(key));
        CHECK(total[key].is_number());
    }
    CHECK(within(total["energy_pj"].get<double>(), kZigzagEnergyPj, 1e-6));
    CHECK(within(total["latency_cycles"].get<double>(), kZigzagLatencyCycles, 1e-6));
    // 1 GHz (assumed by the preset): seconds = cycles / 1e9.
    CHECK(total["latency_s"].get<double>() == Approx(total["latency_cycles"].get<double>() / 1e9));
    CHECK(total["inferences_per_s"].get<double>() == Approx(1 / total["latency_s"].get<double>()));

    REQUIRE(doc["layers"].is_array());
    CHECK(doc["layers"].size() == 31);  // every layer is listed; 21 are costed
    std::size_t costed = 0;
    std::int64_t macs = 0;
    for (const auto& layer : doc["layers"]) {
        INFO(layer.dump().substr(0, 200));
        REQUIRE(layer.contains("name"));
        REQUIRE(layer.contains("kind"));
        REQUIRE(layer.contains("macs"));
        if (layer["mapping"].is_null()) continue;
        ++costed;
        macs += layer["macs"].get<std::int64_t>();
        for (const char* key :
             {"energy_pj", "latency_cycles", "dram_bytes", "spatial_utilisation", "temporal_utilisation"})
            CHECK(layer[key].is_number());
        REQUIRE(layer["energy_breakdown"].is_object());
        CHECK(layer["energy_breakdown"].contains("mac"));
        double energy = 0;
        for (const auto& [part, value] : layer["energy_breakdown"].items()) energy += value.get<double>();
        CHECK(energy == Approx(layer["energy_pj"].get<double>()).epsilon(1e-12));
        double cycles = 0;
        for (const char* part : {"compute", "stall", "onload", "offload"}) {
            REQUIRE(layer["latency_breakdown"].contains(part));
            cycles += layer["latency_breakdown"][part].get<double>();
        }
        CHECK(cycles == Approx(layer["latency_cycles"].get<double>()).epsilon(1e-12));
        CHECK(layer["mapping"].contains("spatial"));
        CHECK(layer["mapping"].contains("temporal"));
    }
    CHECK(costed == 21);
    CHECK(macs == total["macs"].get<std::int64_t>());
}

TEST_CASE("eval CLI: --mapping re-evaluates a JSON report's mappings bit for bit", "[eval]") {
    const auto first = run_elaa("eval " + kResnetTpu + " --json -");
    REQUIRE(first.exit_code == 0);
    TempFile file("elaa_eval_mapping");
    file.write(first.out);
    const json a = json::parse(first.out);
    const json b = eval_json(kResnetTpu + " --mapping '" + file.path.string() + "'");
    REQUIRE(a["layers"].size() == b["layers"].size());
    for (std::size_t i = 0; i < a["layers"].size(); ++i) {
        const auto& la = a["layers"][i];
        const auto& lb = b["layers"][i];
        INFO(la["name"]);
        CHECK(la["name"] == lb["name"]);
        if (la["mapping"].is_null()) {
            CHECK(lb["mapping"].is_null());
            continue;
        }
        CHECK(lb["mapping_source"] == "given");
        for (const char* key : {"energy_pj", "latency_cycles", "dram_bytes", "spatial_utilisation",
                                "temporal_utilisation", "energy_breakdown", "latency_breakdown", "mapping"})
            CHECK(la[key] == lb[key]);
    }
    CHECK(a["total"] == b["total"]);
}

TEST_CASE("eval CLI: --csv, --leakage and --batch", "[eval]") {
    const json base = eval_json(kResnetTpu);

    const auto csv = run_elaa("eval " + kResnetTpu + " --csv -");
    REQUIRE(csv.exit_code == 0);
    const auto table = CsvTable::parse(csv.out, "eval --csv");
    std::vector<json> costed;
    for (const auto& l : base["layers"])
        if (!l["mapping"].is_null()) costed.push_back(l);
    REQUIRE(table.rows() == costed.size());  // one row per costed layer
    for (std::size_t row = 0; row < table.rows(); ++row) {
        INFO(table.at(row, "layer"));
        CHECK(table.at(row, "layer") == costed[row]["name"].get<std::string>());
        // Printed with one decimal.
        CHECK(std::stod(table.at(row, "energy_pj")) == Approx(costed[row]["energy_pj"].get<double>()).margin(0.051));
        CHECK(std::stod(table.at(row, "latency_cycles")) ==
              Approx(costed[row]["latency_cycles"].get<double>()).margin(0.051));
    }

    const json leak = eval_json(kResnetTpu + " --leakage");
    REQUIRE(leak["total"].contains("leakage_energy_pj"));
    CHECK(leak["total"]["leakage_energy_pj"].get<double>() > 0);
    CHECK(leak["total"]["energy_pj"] == base["total"]["energy_pj"]);
    CHECK_FALSE(base["total"].contains("leakage_energy_pj"));

    const json batch2 = eval_json(kResnetTpu + " --batch 2");
    CHECK(batch2["total"]["macs"].get<std::int64_t>() == 2 * base["total"]["macs"].get<std::int64_t>());
}

// ----------------------------------------------------------------------------------- CLI: errors

TEST_CASE("eval CLI: bad input is a one-line error naming the file, key or layer", "[eval]") {
    // Line of the typo in bad_key_typo.toml, found rather than hard-coded.
    std::size_t typo_line = 0;
    {
        std::ifstream in(kData + "bad_key_typo.toml");
        std::string line;
        for (std::size_t n = 1; std::getline(in, line); ++n)
            if (line.rfind("sise_bits", 0) == 0) typo_line = n;
    }
    REQUIRE(typo_line > 0);

    struct Case {
        std::string what, args;
        std::vector<std::string> expected;
    };
    const std::string net = " --net resnet18 --search loma --kinds conv,fc";
    const std::string arch = "--arch tpu_like";
    // Bad option values (--objective power, --kinds conv,relu) are command-line errors, exit 1:
    // tests/test_cli_options.cpp.
    const std::vector<Case> cases{
        {"unknown preset", "--arch tpu_lik" + net,
         {"unknown accelerator preset 'tpu_lik'", "presets: ", "tpu_like", "eyeriss_like"}},
        {"unknown network", arch + " --net resnet1800", {"unknown network 'resnet1800'", "resnet18"}},
        {"TOML typo", "--arch " + kData + "bad_key_typo.toml" + net,
         {"bad_key_typo.toml:" + std::to_string(typo_line) + ":", "unknown key 'sise_bits'",
          "did you mean 'size_bits'?"}},
        {"operand without memory", "--arch " + kData + "bad_no_input_memory.toml" + net,
         {"bad_no_input_memory.toml:", "operand I has no memory"}},
        {"served dimension not in the array", "--arch " + kData + "bad_served_dim.toml" + net,
         {"bad_served_dim.toml:", "memory 'sram'", "served dimension 'D3'"}},
        {"zero size", "--arch " + kData + "bad_zero_size.toml" + net,
         {"bad_zero_size.toml:", "memory 'sram'", "'size_bits' must be positive"}},
        {"smallest tile fits no memory", "--arch " + kData + "toy_w8_shared.toml" + net,
         {"layer 'conv1'", "'rf_w'"}},
        {"mapping not JSON", arch + net + " --mapping " + kData + "not_json.json", {"not_json.json", "not valid JSON"}},
        {"mapping loops do not fit the layer", arch + net + " --mapping " + kData + "mapping_bad_loops.json",
         {"layer 'conv1'", "OX", "multiply to 56", "needs 112"}},
        {"mapping tile exceeds a memory", arch + net + " --mapping " + kData + "mapping_tile_too_big.json",
         {"layer 'conv1'", "memory 'rf_2B'", "112 bits"}},
    };
    for (const auto& c : cases) {
        INFO(c.what << ": elaa eval " << c.args);
        const auto r = run_elaa("eval " + c.args);
        INFO("stderr: " << r.err);
        CHECK(r.exit_code == 2);
        CHECK(r.out.empty());
        CHECK(r.err.rfind("elaa: error: ", 0) == 0);
        CHECK(r.err.find('\n') == r.err.size() - 1);  // exactly one line
        for (const auto& part : c.expected) CHECK(r.err.find(part) != std::string::npos);
    }
}

TEST_CASE("a full search larger than its bound falls back to loma for that layer and says so", "[eval]") {
    const auto acc = hardware::load_preset("tpu_like");
    const auto net = workload::Zoo::instance().build("resnet18");
    const auto& layer = net.layers[1];  // a 3x3 conv: the full space has 5040 orders
    mapping::SearchOptions bounded;
    bounded.space = mapping::SearchSpace::Full;
    bounded.max_orderings = 1000;
    const auto r = mapping::search(layer, acc, bounded);
    CHECK(r.fell_back_to_loma);
    mapping::SearchOptions loma;
    loma.space = mapping::SearchSpace::Loma;
    const auto l = mapping::search(layer, acc, loma);
    CHECK(r.cost.latency_cycles() == l.cost.latency_cycles());  // exactly the loma result
    CHECK(r.orderings == l.orderings);
    mapping::SearchOptions unbounded;
    CHECK_FALSE(mapping::search(layer, acc, unbounded).fell_back_to_loma);
}
