// Silicon validation (issue 12): the sparsity and clock features the Eyeriss v1 preset needs, the
// row-stationary candidates, the density files, and the committed validation run regenerating from
// the committed data file.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "assess/validation.hpp"
#include "cli_runner.hpp"
#include "cost/network_cost.hpp"
#include "hardware/presets.hpp"
#include "hardware/toml.hpp"
#include "mapping/search.hpp"
#include "util/embedded.hpp"
#include "util/error.hpp"
#include "util/toml_read.hpp"
#include "workload/density.hpp"
#include "workload/zoo/zoo.hpp"

using namespace elaa;
namespace fs = std::filesystem;

namespace {


const workload::Layer& layer_named(const workload::Network& net, const std::string& name) {
    for (const auto& l : net.layers)
        if (l.name == name) return l;
    FAIL("no layer " << name);
    return net.layers.front();
}

}  // namespace

TEST_CASE("run-length coding: coded fraction of an activation tensor", "[sparsity]") {
    hardware::Sparsity eyeriss;  // 5-bit runs, 16-bit values, 64-bit words: 3 pairs (21 1/3 bits each)
    eyeriss.rlc_run_bits = 5;
    eyeriss.rlc_word_bits = 64;
    // Dense: one pair per value, 21.33 bits > 16: stored raw.
    CHECK(hardware::rlc_fraction(eyeriss, 1.0, 16) == 1.0);
    // 75 % zeros: 0.25 / (1 - 0.75^32) pairs per value, times 64/3 bits, over 16 bits.
    CHECK(hardware::rlc_fraction(eyeriss, 0.25, 16) == Approx(0.3333668208391414).epsilon(1e-12));
    // All zeros: one pair per 32 zeros: (1/32) * (64/3) / 16.
    CHECK(hardware::rlc_fraction(eyeriss, 0.0, 16) == Approx(1.0 / 24.0).epsilon(1e-12));
    // A word narrower than one pair, or no coding: raw.
    hardware::Sparsity narrow = eyeriss;
    narrow.rlc_word_bits = 16;
    CHECK(hardware::rlc_fraction(narrow, 0.25, 16) == 1.0);
    CHECK(hardware::rlc_fraction(hardware::Sparsity{}, 0.25, 16) == 1.0);
}

TEST_CASE("the eyeriss_v1 preset is the chip's structure", "[validation][hardware]") {
    const auto acc = hardware::load_preset("eyeriss_v1");
    CHECK(acc.array.dim_sizes == std::vector<int>{12, 14});
    CHECK(acc.frequency_mhz == 200);
    CHECK(acc.technology_nm == 65);
    CHECK(acc.layer_precision() == workload::Precision{16, 16, 16, 16});
    CHECK(acc.dataflow_for(workload::OpKind::Conv).row_stationary);
    CHECK(acc.sparsity == hardware::Sparsity{true, 5, 64});
    double glb_bits = 0;
    for (const auto& m : acc.memories)
        if (m.name.starts_with("glb")) glb_bits += m.size_bits;
    CHECK(glb_bits == 108 * 1024 * 8);  // 108 kB (JSSC section III-A)
    CHECK(acc.memories.back().clock_mhz == 60);
    CHECK(acc.instances(0) == 168);  // per-PE spads
    // Round trip through the writer keeps every new key (banks, clock, accumulator, sparsity, dataflow).
    const auto again = hardware::parse_accelerator(hardware::to_toml(acc), "round_trip.toml");
    CHECK(hardware::fingerprint(again) == hardware::fingerprint(acc));
    CHECK(again.memories[4].banks == 25);
    // The suite the assessment runs does not include the chip.
    const auto& suite = hardware::suite_preset_names();
    CHECK(std::find(suite.begin(), suite.end(), "eyeriss_v1") == suite.end());
}

TEST_CASE("bad [sparsity], banks and clock keys are one-line errors", "[validation][hardware]") {
    const std::string base(*embedded_file("configs/chips/eyeriss_v1.toml"));
    auto fails_with = [&](const std::string& from, const std::string& to, const std::string& expected) {
        std::string text = base;
        const auto at = text.find(from);
        REQUIRE(at != std::string::npos);
        text.replace(at, from.size(), to);
        try {
            hardware::parse_accelerator(text, "chip.toml");
            FAIL("accepted: " << to);
        } catch (const InputError& e) {
            CHECK_THAT(e.what(), Catch::Contains(expected));
            CHECK_THAT(e.what(), Catch::StartsWith("chip.toml:"));
        }
    };
    fails_with("rlc_run_bits = 5", "rlc_run_bits = 17", "'rlc_run_bits' must be 0..16 (0 = no coding), got 17");
    fails_with("gate_zero_inputs = true", "gate_zero_inputs = 1", "'gate_zero_inputs' must be true or false");
    fails_with("rlc_word_bits = 64", "rlc_wordbits = 64", "unknown key 'rlc_wordbits'");
    fails_with("banks = 25", "banks = 0", "'banks' must be 1..4096, got 0");
    fails_with("clock_mhz = 60", "clock_mhz = -60", "'clock_mhz' must be positive");
    fails_with("size_bits = 3584\n", "size_bits = 3584\nsliding_window = true\n",
               "'sliding_window' needs a memory holding I (input activations)");
    fails_with("accumulator_bits = 16\n", "accumulator_bits = 8\n", "'accumulator_bits' must be 16..128");
    fails_with("default = \"row_stationary\"", "default = \"rowstationary\"",
               "must be \"auto\", \"row_stationary\" or an inline table");
}

TEST_CASE("row-stationary candidates fold and replicate PE sets as Eyeriss does", "[validation][mapping]") {
    const auto acc = hardware::load_preset("eyeriss_v1");
    const auto net = workload::Zoo::instance().build("alexnet_caffe");
    auto d1_d2 = [](const hardware::Dataflow& df) {
        std::vector<std::vector<std::pair<workload::Dim, int>>> out;
        for (const auto& u : df.per_dim) out.push_back(u.loops);
        return out;
    };
    using workload::Dim;
    // CONV2: a 5 x 27 set does not fit 14 columns; folded into two strips it uses 5 x 27 = 135 PEs.
    const auto conv2 = mapping::row_stationary_dataflows(layer_named(net, "conv2"), acc, 4);
    REQUIRE(!conv2.empty());
    CHECK(d1_d2(conv2.front()) ==
          std::vector<std::vector<std::pair<Dim, int>>>{{{Dim::FY, 5}, {Dim::OY, 2}}, {{Dim::OY, 14}}});
    // CONV4: the chip's r = 2 (channels) and t = 2 (filters) sets of 3 x 13 are a candidate: 156 PEs.
    const auto conv4 = mapping::row_stationary_dataflows(layer_named(net, "conv4"), acc, 1000);
    const std::vector<std::vector<std::pair<Dim, int>>> chip{{{Dim::FY, 3}, {Dim::C, 2}, {Dim::K, 2}}, {{Dim::OY, 13}}};
    CHECK(std::count_if(conv4.begin(), conv4.end(), [&](const auto& df) { return d1_d2(df) == chip; }) == 1);
    for (const auto& df : conv4) {  // every candidate fits the 12 x 14 array
        for (std::size_t d = 0; d < 2; ++d) {
            int product = 1;
            for (const auto& [dim, f] : df.per_dim[d].loops) product *= f;
            CHECK(product <= acc.array.dim_sizes[d]);
        }
    }
}

TEST_CASE("density files set per-layer densities and reject what they cannot mean", "[validation][workload]") {
    auto net = workload::Zoo::instance().build("alexnet_caffe");
    const std::string source = "d.toml";
    workload::apply_densities(net, toml_read::parse_text("[conv2]\ninput = 0.6\noutput = 0.3\n", source),
                              toml_read::Place{source, "top level"});
    CHECK(layer_named(net, "conv2").input_density == 0.6);
    CHECK(layer_named(net, "conv2").output_density == 0.3);
    CHECK(layer_named(net, "conv1").input_density == 1);
    auto fails = [&](const std::string& text, const std::string& expected) {
        try {
            workload::apply_densities(net, toml_read::parse_text(text, source), toml_read::Place{source, "top level"});
            FAIL("accepted: " << text);
        } catch (const InputError& e) {
            CHECK(std::string(e.what()) == expected);
        }
    };
    fails("[conv9]\ninput = 0.5\n", "d.toml:1: top level: network 'alexnet_caffe' has no layer 'conv9'; closest: conv1, conv2, conv3");
    fails("[conv2]\ninput = 0\n", "d.toml:2: [conv2]: 'input' must be a density in (0, 1] (the non-zero fraction), got 0");
    fails("[conv2]\nin = 0.5\n", "d.toml:2: [conv2]: unknown key 'in'; accepted keys here: input, output (did you mean 'input'?)");
    // A sparse layer is a different search: its key differs from the dense one's.
    auto dense = layer_named(net, "conv3");
    auto sparse = dense;
    sparse.input_density = 0.5;
    const mapping::SearchOptions options;
    CHECK(cost::layer_search_key(dense, options) != cost::layer_search_key(sparse, options));
    CHECK(cost::layer_search_key(dense, options).find("den") == std::string::npos);
}

TEST_CASE("the committed validation run regenerates from the committed data file", "[validation]") {
    const auto v = assess::run_validation("validation/eyeriss_v1.toml", 2);
    const fs::path ref = fs::path(ELAA_SOURCE_DIR) / "results" / "validation";
    std::ostringstream table, layers, json;
    assess::validation_table(v).write_csv(table);
    assess::validation_layer_table(v).write_csv(layers);
    json << assess::validation_json(v).dump(1) << "\n";
    CHECK(table.str() == test::read_all(ref / "validation.csv"));
    CHECK(layers.str() == test::read_all(ref / "layers.csv"));
    CHECK(json.str() == test::read_all(ref / "validation.json"));

    // The measured column is the data file's, metric by metric.
    const auto data = toml_read::parse_file(ELAA_SOURCE_DIR "/data/validation/eyeriss_v1.toml");
    REQUIRE(v.cases.size() == 3);
    for (std::size_t i = 0; i < v.cases.size(); ++i) {
        const auto& measured = *data["case"].as_array()->at(i).as_table()->get("measured")->as_table();
        for (const auto& m : v.cases[i].metrics) {
            INFO(v.cases[i].name << " " << m.key);
            REQUIRE(m.measured);
            CHECK(*m.measured == measured[m.key]["value"].value<double>().value());
        }
    }
    // AlexNet at batch 4: 4 x 665.7 M MACs; CONV2 on 5 x 27 PEs, CONV3 on 156 (the chip's counts).
    const auto& alexnet = v.cases[0];
    CHECK(alexnet.layers.size() == 5);
    CHECK(alexnet.layers[1].active_pes == Approx(135));
    CHECK(alexnet.layers[2].active_pes == Approx(156));
    // The Table III case evaluates the given CONV2 and CONV4 mappings: the chip's PE counts, 135 and 156.
    const auto& table3 = v.cases[2];
    CHECK(table3.layers[1].mapping == "D1:FY5,OY2 D2:OY13.5");
    CHECK(table3.layers[3].active_pes == Approx(156));
}

TEST_CASE("elaa validate prints the table and writes its files", "[validation][cli]") {
    const fs::path dir = fs::temp_directory_path() / ("elaa_validate_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    {
        std::ofstream data(dir / "mini.toml");
        data << "[[case]]\nname = \"mini\"\nchip = \"eyeriss_v1\"\nnetwork = \"alexnet_caffe\"\nbatch = 1\n"
                "kinds = [\"conv\"]\nsearch = \"fast\"\nglb_memories = [\"glb_ifmap_psum\"]\n"
                "[case.measured]\nframe_rate_fps = { value = 100, source = \"made up\" }\n";
    }
    auto r = test::run_elaa("validate --threads 2 --no-plots --data " + (dir / "mini.toml").string() + " --out " +
                            (dir / "out").string());
    REQUIRE(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains("mini  frame rate"));
    const auto csv = test::read_all(dir / "out" / "validation.csv");
    CHECK_THAT(csv, Catch::StartsWith("case,metric,unit,measured,modelled,error_pct,source\nmini,frame rate,frames/s,100,"));
    CHECK(fs::exists(dir / "out" / "layers.csv"));
    CHECK(fs::exists(dir / "out" / "validation.json"));
    {
        std::ofstream data(dir / "bad.toml");
        data << "[[case]]\nname = \"bad\"\nchip = \"eyeriss_v1\"\nnetwork = \"alexnet_caffe\"\nbatch = 1\n"
                "glb_memories = [\"glb\"]\n";
    }
    r = test::run_elaa("validate --data " + (dir / "bad.toml").string());
    CHECK(r.exit_code == 2);
    CHECK(r.err == "elaa: error: " + (dir / "bad.toml").string() +
                       ":6: case 'bad': 'glb_memories': chip 'eyeriss_v1' has no memory 'glb'\n");
    {
        std::ofstream data(dir / "nomap.toml");
        data << "[[case]]\nname = \"m\"\nchip = \"eyeriss_v1\"\nnetwork = \"alexnet_caffe\"\nbatch = 1\n"
                "mappings = \"missing.json\"\n";
    }
    r = test::run_elaa("validate --data " + (dir / "nomap.toml").string());
    CHECK(r.exit_code == 2);
    CHECK(r.err == "elaa: error: " + (dir / "nomap.toml").string() + ":6: case 'm': 'mappings': cannot read '" +
                       (dir / "missing.json").string() + "'\n");
    r = test::run_elaa("validate --data /nonexistent.toml");
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::StartsWith("elaa: error: /nonexistent.toml"));
    fs::remove_all(dir);
}
