// Search spaces and genome encodings (encodings/): layout, decoding rules, round trips over whole
// spaces, infeasibility reasons and the loader's error messages.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <map>
#include <limits>
#include <random>
#include <set>
#include <string>

#include "cost/network_cost.hpp"
#include "encodings/encoding.hpp"
#include "space_errors.hpp"
#include "hardware/technology.hpp"
#include "hardware/toml.hpp"
#include "util/error.hpp"
#include "workload/zoo/zoo.hpp"

using namespace elaa;
using namespace elaa::encodings;

namespace {

using test::kSpaces;

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// The shipped edge space's hardware genes with the flat `network` choice it had before its topology
// genes (tests/test_topology.cpp covers those): the flat gene stays part of the schema, and these
// tests follow any change to the shipped hardware genes.
const Encoding& edge() {
    static const Encoding encoding = [] {
        std::string text = slurp(kSpaces + "/edge.toml");
        const auto topology = text.find("\n# The network as a topology");
        REQUIRE(topology != std::string::npos);
        text.resize(topology + 1);
        const std::string missing = "network_missing = \"nearest\"\n";
        REQUIRE(text.find(missing) != std::string::npos);
        text.erase(text.find(missing), missing.size());
        text += R"([[genes]]
name = "network"
target = "network"
kind = "choice"
values = [
  "mobilenet_v1_0.25_128", "mobilenet_v1_0.50_160", "mobilenet_v1_0.75_192", "mobilenet_v1_1.0_224",
  "mobilenet_v2", "mobilenet_v2_0.35_224", "mobilenet_v2_0.5_160", "mobilenet_v2_0.75_192",
  "mnasnet_a1_0.5_224", "mnasnet_a1_0.75_192", "mnasnet_a1_1_224",
  "efficientnet_tf_b0", "efficientnet_tf_b1", "efficientnet_tf_b2",
  "mobilenet_v3_large", "resnet18", "resnet50",
]
)";
        return Encoding(parse_search_space(text, kSpaces + "/edge.toml", kSpaces));
    }();
    return encoding;
}

const Encoding& tiny() {
    static const Encoding encoding(load_search_space(kSpaces + "/tiny.toml"));
    return encoding;
}

// The genome of the edge space with the named genes set (by decoded value) and the rest at index 0.
std::vector<double> edge_genome(const std::map<std::string, std::string>& values) {
    const Encoding& e = edge();
    std::vector<double> genome = e.bounds().first;
    for (const auto& [name, value] : values) {
        bool found = false;
        for (std::size_t p = 0; p < e.dimension(); ++p) {
            const Gene& gene = e.gene_at(p);
            if (gene.name != name) continue;
            found = true;
            if (gene.kind == GeneKind::Real) { genome[p] = std::stod(value); continue; }
            for (std::size_t i = 0; i < gene.count(); ++i) {
                const std::string label = gene.labels.empty() ? fmt::format("{}", gene.numbers[i]) : gene.labels[i];
                if (label == value) genome[p] = static_cast<double>(i);
            }
        }
        REQUIRE(found);
    }
    return genome;
}

std::string load_error(const std::string& text) { return test::space_load_error(text); }

const std::string kHeader = "name = \"t\"\nbase = \"edge_base.toml\"\n";
const std::string kNetworkGene =
    "[[genes]]\ntarget = \"network\"\nkind = \"choice\"\nvalues = [\"mobilenet_v1_0.25_128\", \"resnet18\"]\n";

// The accelerator survives hardware::to_toml -> parse_accelerator (what `elaa eval --arch` reads).
void check_valid_toml(const hardware::Accelerator& acc) {
    const auto reparsed = hardware::parse_accelerator(hardware::to_toml(acc), "decoded");
    REQUIRE(reparsed == acc);
}

}  // namespace

TEST_CASE("edge space layout: real clock first, integer genes last, bounds", "[encoding]") {
    const Encoding& e = edge();
    REQUIRE(e.dimension() == 10);
    REQUIRE(e.integer_dimension() == 9);
    const std::vector<std::string> names{"clock_mhz",          "rows",          "cols",
                                         "dataflow",           "weight_buf_bits", "act_buf_bits",
                                         "weight_buf_port_bits", "act_buf_port_bits", "precision",
                                         "network"};
    REQUIRE(e.gene_names() == names);
    const auto [lb, ub] = e.bounds();
    REQUIRE(lb == std::vector<double>{100, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    // pow2 4..64 = 5 values, 4 templates, 16 KiB..2 MiB = 8 sizes, 64..1024 = 5 widths, 2 precisions, 17 networks
    REQUIRE(ub == std::vector<double>{1000, 4, 4, 3, 7, 7, 4, 4, 1, 16});
    for (std::size_t p = 0; p < e.dimension(); ++p) REQUIRE(lb[p] < ub[p]);  // nsga2 rejects lb == ub
    REQUIRE(e.design_count() == 5ull * 5 * 4 * 8 * 8 * 5 * 5 * 2 * 17);
}

TEST_CASE("tiny space: every design decodes, is feasible, round-trips and is valid TOML", "[encoding]") {
    const Encoding& t = tiny();
    REQUIRE(t.dimension() == 7);
    REQUIRE(t.integer_dimension() == 7);
    REQUIRE(t.design_count() == 2187);
    std::set<std::string> fingerprints;
    for (std::uint64_t n = 0; n < t.design_count(); ++n) {
        const auto genome = t.nth_genome(n);
        const Decoded decoded = t.decode(genome);
        INFO("genome " << n << ": " << decoded.infeasible);
        REQUIRE(decoded.design);
        REQUIRE(decoded.infeasible.empty());
        REQUIRE(t.encode(*decoded.design) == genome);
        check_valid_toml(decoded.design->accelerator);
        fingerprints.insert(hardware::fingerprint(decoded.design->accelerator) + decoded.design->network);
    }
    REQUIRE(fingerprints.size() == 2187);  // distinct genomes are distinct designs
}

TEST_CASE("edge space: random genomes round-trip; infeasible ones state a documented reason", "[encoding]") {
    const Encoding& e = edge();
    const auto [lb, ub] = e.bounds();
    std::mt19937_64 rng(20240611);
    std::size_t feasible = 0, by_accuracy = 0, by_area = 0, by_timing = 0;
    for (int i = 0; i < 3000; ++i) {
        std::vector<double> genome(e.dimension());
        for (std::size_t p = 0; p < genome.size(); ++p)  // integer genes deliberately non-integral
            genome[p] = std::uniform_real_distribution<double>(lb[p] - 0.49, ub[p] + 0.49)(rng);
        genome[0] = std::clamp(genome[0], lb[0], ub[0]);
        const auto normal = e.normalise(genome);
        const Design design = e.build(genome);
        REQUIRE(e.encode(design) == normal);
        const Decoded decoded = e.decode(genome);
        if (decoded.design) {
            ++feasible;
            REQUIRE(*decoded.design == design);
            if (i % 10 == 0) check_valid_toml(design.accelerator);
            continue;
        }
        const std::string& why = decoded.infeasible;
        const bool accuracy = why.find("accuracy row") != std::string::npos;
        const bool area = why.find("exceeds the space's budget") != std::string::npos;
        const bool timing = why.find("exceeds the timing bound") != std::string::npos;
        INFO(why);
        REQUIRE((accuracy || area || timing));
        by_accuracy += accuracy;
        by_area += area;
        by_timing += timing;
        // The reasons are exactly the checks that fail.
        REQUIRE(accuracy == (design.precision == "int8" &&
                             std::set<std::string>{"mnasnet_a1_0.5_224", "mnasnet_a1_0.75_192", "mnasnet_a1_1_224",
                                                   "efficientnet_tf_b0", "efficientnet_tf_b1", "efficientnet_tf_b2",
                                                   "mobilenet_v2_0.35_224", "mobilenet_v2_0.5_160",
                                                   "mobilenet_v2_0.75_192"}
                                 .count(design.network)));
        REQUIRE(area == (design.accelerator.area_mm2() > 20));
        REQUIRE(timing == (design.accelerator.frequency_mhz > timing_bound(design.accelerator).max_frequency_mhz));
    }
    // Every kind of infeasibility occurs, and most of the space is not infeasible by construction.
    CHECK(feasible > 300);
    CHECK(by_accuracy > 0);
    CHECK(by_area > 0);
    CHECK(by_timing > 0);
}

TEST_CASE("normalise: integer genes round half away from zero and clamp, NaN takes the lower bound",
          "[encoding]") {
    const Encoding& e = edge();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const std::vector<double> genome{2000, 2.5, -7, 1.49, nan, 7.6, 0.5, 3.5, 0.4999, 16.2};
    REQUIRE(e.normalise(genome) == std::vector<double>{1000, 3, 0, 1, 0, 7, 1, 4, 0, 16});
    REQUIRE(e.normalise({nan, 0, 0, 0, 0, 0, 0, 0, 0, 0})[0] == 100);
    REQUIRE_THROWS_AS(e.normalise({1, 2}), std::invalid_argument);
}

TEST_CASE("genes set their targets and costs follow from the technology tables", "[encoding]") {
    const auto genome = edge_genome({{"clock_mhz", "250"},
                                     {"rows", "64"},
                                     {"cols", "8"},
                                     {"dataflow", "output_stationary"},
                                     {"weight_buf_bits", "524288"},
                                     {"act_buf_bits", "4194304"},
                                     {"weight_buf_port_bits", "64"},
                                     {"act_buf_port_bits", "1024"},
                                     {"precision", "int8"},
                                     {"network", "resnet18"}});
    const Design d = edge().build(genome);
    const auto& acc = d.accelerator;
    REQUIRE(acc.frequency_mhz == 250);
    REQUIRE(acc.array.dim_sizes == std::vector<int>{64, 8});
    using hardware::OpClass;
    using workload::Dim;
    const auto flow = [&](OpClass c) { return acc.dataflows[static_cast<std::size_t>(c)].per_dim; };
    REQUIRE(flow(OpClass::Default) ==
            std::vector<hardware::Unrolling>{{{{Dim::K, 64}}}, {{{Dim::OX, 8}}}});
    for (auto c : {OpClass::Depthwise, OpClass::Pooling, OpClass::Elementwise})
        REQUIRE(flow(c) == std::vector<hardware::Unrolling>{{{{Dim::G, 64}}}, {{{Dim::OX, 8}}}});

    const auto& weight_buf = acc.memories[2];
    const auto& act_buf = acc.memories[3];
    REQUIRE(weight_buf.size_bits == 524288);
    REQUIRE(act_buf.size_bits == 4194304);
    for (const auto& port : weight_buf.ports) {
        REQUIRE(port.bw_max_bits == 64);
        REQUIRE(port.bw_min_bits == 8);  // the base's granularity, below the width
    }
    for (const auto& port : act_buf.ports) REQUIRE(port.bw_max_bits == 1024);
    // Costs re-derived: one read port + one write port -> the 1r1w CACTI rows at the new size and width.
    const auto cost = hardware::tech::memory_cost(hardware::MemoryType::Sram, 524288 / 8.0, 64, 28, {0, 1, 1});
    REQUIRE(weight_buf.r_energy_pj == Approx(cost.r_energy_pj));
    REQUIRE(weight_buf.area_mm2 == Approx(cost.area_mm2));
    REQUIRE(weight_buf.access_time_ns == Approx(cost.access_time_ns));
    // int8: MAC from mac.csv's int8 row (derived), registers as written, partial sums at 16 bits.
    REQUIRE(acc.array.mac_energy_derived);
    REQUIRE(acc.array.mac_energy_pj == Approx(hardware::tech::mac_cost(8, 28).energy_pj));
    REQUIRE(acc.memories[0].size_bits == 8);
    REQUIRE(acc.memories[1].size_bits == 16);
    REQUIRE(d.layer_precision == workload::Precision{8, 8, 8, 16});
    REQUIRE(d.accuracy_precision == "int8");
    REQUIRE(d.network == "resnet18");
}

TEST_CASE("fp32 datapath: fp32 MAC row, registers widened, fp32 accuracy rows", "[encoding]") {
    const Design d = edge().build(edge_genome({{"precision", "fp32"}, {"network", "mnasnet_a1_1_224"}}));
    const auto& array = d.accelerator.array;
    const auto fp32 = hardware::tech::mac_cost(32, 28, hardware::tech::Arithmetic::Float);
    REQUIRE(array.precision_bits == 32);
    REQUIRE(array.mac_energy_pj == Approx(fp32.energy_pj));
    REQUIRE(array.mac_area_um2 == Approx(fp32.area_um2));
    REQUIRE(array.floating);
    REQUIRE(array.mac_energy_derived);  // derived from mac.csv's fp32 row ([array] arithmetic = "float")
    // w_reg 8 -> 32 bits (operand width); acc_reg 16 -> 32 bits: floating point accumulates at the
    // operand width (mac.csv's fp32 accumulator), integers at twice it; ports alike.
    REQUIRE(d.accelerator.memories[0].size_bits == 32);
    REQUIRE(d.accelerator.memories[0].ports[0].bw_max_bits == 32);
    REQUIRE(d.accelerator.memories[1].size_bits == 32);
    REQUIRE(d.accelerator.memories[1].ports[3].bw_min_bits == 32);
    REQUIRE(d.layer_precision == workload::Precision{32, 32, 32, 32});
    REQUIRE(d.accuracy_precision == "fp32");
    check_valid_toml(d.accelerator);
    REQUIRE(edge().infeasibility(d).empty());

    // The same network at int8 has no row: infeasible, with the reason.
    const Decoded int8 = edge().decode(edge_genome({{"precision", "int8"}, {"network", "mnasnet_a1_1_224"}}));
    REQUIRE_FALSE(int8.design);
    REQUIRE(int8.infeasible ==
            "network 'mnasnet_a1_1_224' has no int8 accuracy row (rows at: fp32); accuracy is never interpolated");
}

TEST_CASE("timing model: the clock is bounded by the slowest on-chip SRAM access", "[encoding]") {
    // 2 MiB activation buffer with 1024-bit ports: CACTI access time at 28 nm (1r1w).
    const double access = hardware::tech::memory_cost(hardware::MemoryType::Sram, 2097152, 1024, 28, {0, 1, 1})
                              .access_time_ns;
    const double bound = 1000 / access;
    REQUIRE(bound < 500);  // a 2 MiB SRAM cannot run at 500 MHz in this model
    auto with_clock = [&](double mhz) {
        return edge_genome({{"clock_mhz", fmt::format("{}", mhz)},
                            {"act_buf_bits", "16777216"},
                            {"act_buf_port_bits", "1024"},
                            {"network", "resnet18"}});
    };
    const TimingBound tb = timing_bound(edge().build(with_clock(100)).accelerator);
    REQUIRE(tb.memory == "act_buf");
    REQUIRE(tb.max_frequency_mhz == Approx(bound));
    REQUIRE(edge().decode(with_clock(std::floor(bound))).design);
    const Decoded fast = edge().decode(with_clock(std::ceil(bound)));
    REQUIRE_FALSE(fast.design);
    REQUIRE(fast.infeasible.find("exceeds the timing bound") != std::string::npos);
    REQUIRE(fast.infeasible.find("memory 'act_buf'") != std::string::npos);
}

TEST_CASE("area budget: an fp32 64x64 array exceeds the edge budget", "[encoding]") {
    const auto genome = edge_genome({{"rows", "64"}, {"cols", "64"}, {"weight_buf_bits", "4194304"},
                                     {"precision", "fp32"}, {"network", "resnet18"}});
    const Design d = edge().build(genome);
    // 4096 fp32 MACs alone: 4096 x mac_area_um2 = 18.9 mm², plus a 512 KiB weight buffer and registers.
    REQUIRE(4096 * d.accelerator.array.mac_area_um2 * 1e-6 == Approx(18.886).epsilon(0.001));
    REQUIRE(d.accelerator.area_mm2() > 20);
    const Decoded decoded = edge().decode(genome);
    REQUIRE_FALSE(decoded.design);
    REQUIRE(decoded.infeasible.find("max_area_mm2 = 20") != std::string::npos);
}

TEST_CASE("describe names every gene with its decoded value", "[encoding]") {
    const auto described = edge().describe(edge_genome({{"clock_mhz", "420.5"}, {"rows", "32"},
                                                        {"dataflow", "pixel_parallel"}, {"network", "resnet50"}}));
    const std::vector<std::pair<std::string, std::string>> expected{
        {"clock_mhz", "420.5"},          {"rows", "32"},         {"cols", "4"},
        {"dataflow", "pixel_parallel"},  {"weight_buf_bits", "131072"}, {"act_buf_bits", "131072"},
        {"weight_buf_port_bits", "64"},  {"act_buf_port_bits", "64"},   {"precision", "int8"},
        {"network", "resnet50"}};
    REQUIRE(described == expected);
}

TEST_CASE("encode rejects designs outside the space", "[encoding]") {
    const Design design = edge().build(edge_genome({{"network", "resnet18"}}));
    Design other_size = design;
    other_size.accelerator.memories[2].size_bits = 3 * 131072;
    REQUIRE_THROWS_WITH(edge().encode(other_size), Catch::Contains("gene 'weight_buf_bits' has no value 393216"));
    Design other_network = design;
    other_network.network = "resnet34";
    REQUIRE_THROWS_WITH(edge().encode(other_network), Catch::Contains("gene 'network' has no value 'resnet34'"));
    Design other_node = design;
    other_node.accelerator.technology_nm = 22;
    REQUIRE_THROWS_WITH(edge().encode(other_node), Catch::Contains("fields no gene sets"));
    Design other_flow = design;
    other_flow.accelerator.dataflows[0].per_dim[0].loops[0].first = workload::Dim::FX;
    REQUIRE_THROWS_WITH(edge().encode(other_flow), Catch::Contains("matches no template"));
}

TEST_CASE("search-space loader: every rule is an InputError naming file, line, key and rule", "[encoding]") {
    const std::string gene_d1 = "[[genes]]\ntarget = \"array.D1.size\"\nkind = \"pow2\"\nmin = 4\nmax = 64\n";
    struct Case {
        std::string what, text, expected;
    };
    const std::vector<Case> cases{
        {"unknown top-level key", kHeader + "network = \"resnet18\"\nclock = 3\n" + kNetworkGene,
         "space.toml:4: top level: unknown key 'clock'; accepted keys here: name, description, base"},
        {"unknown gene key", kHeader + "[[genes]]\ntarget = \"network\"\nkind = \"choice\"\nvalue = [\"resnet18\"]\n",
         "space.toml:6: gene 'network': unknown key 'value'; accepted keys here: name, target, kind, min, max, values "
         "(did you mean 'values'?)"},
        {"empty choice list", kHeader + "[[genes]]\ntarget = \"network\"\nkind = \"choice\"\nvalues = []\n",
         "space.toml:6: gene 'network': 'values' is empty"},
        {"inverted bounds", kHeader + "network = \"resnet18\"\ndataflow = \"weight_stationary\"\n" +
                                "[[genes]]\ntarget = \"array.D1.size\"\nkind = \"pow2\"\nmin = 64\nmax = 4\n",
         "space.toml:9: gene 'array.D1.size': inverted bounds: min = 64 is above max = 4"},
        {"single value", kHeader + "network = \"resnet18\"\n[[genes]]\ntarget = \"memory.act_buf.bw_bits\"\n"
                                   "kind = \"choice\"\nvalues = [256]\n",
         "space.toml:4: gene 'memory.act_buf.bw_bits': gene 'memory.act_buf.bw_bits' has a single value: that is not "
         "a gene"},
        {"pow2 bound not a power of two", kHeader + "network = \"resnet18\"\n[[genes]]\ntarget = "
                                                    "\"memory.act_buf.bw_bits\"\nkind = \"pow2\"\nmin = 48\nmax = 64\n",
         "space.toml:7: gene 'memory.act_buf.bw_bits': kind 'pow2' needs powers of two, got 48"},
        {"unknown memory", kHeader + "network = \"resnet18\"\n[[genes]]\ntarget = \"memory.act_bf.size_bits\"\n"
                                     "kind = \"pow2\"\nmin = 8\nmax = 64\n",
         "space.toml:5: gene 'memory.act_bf.size_bits': unknown memory 'act_bf'; the base accelerator's memories are: "
         "act_buf"},
        {"unknown array dimension", kHeader + "network = \"resnet18\"\ndataflow = \"weight_stationary\"\n" +
                                        "[[genes]]\ntarget = \"array.D3.size\"\nkind = \"pow2\"\nmin = 4\nmax = 64\n",
         "space.toml:6: gene 'array.D3.size': unknown array dimension 'D3'"},
        {"unknown target", kHeader + "network = \"resnet18\"\n[[genes]]\ntarget = \"clock\"\nkind = \"real\"\n"
                                     "min = 1\nmax = 2\n",
         "space.toml:5: gene 'clock': unknown target 'clock'; targets are array.<dimension>.size"},
        {"kind does not fit the target", kHeader + "network = \"resnet18\"\n[[genes]]\ntarget = \"array.D1.size\"\n"
                                                   "kind = \"real\"\nmin = 4\nmax = 64\n",
         "space.toml:6: gene 'array.D1.size': kind 'real' cannot set 'array.D1.size'; use pow2, int or choice"},
        {"unknown template", kHeader + "network = \"resnet18\"\n[[genes]]\ntarget = \"dataflow\"\nkind = \"choice\"\n"
                                       "values = [\"weight_stationary\", \"row_stationary\"]\n",
         "space.toml:7: gene 'dataflow': unknown dataflow template 'row_stationary'; templates are:"},
        {"network not in the zoo", kHeader + "[[genes]]\ntarget = \"network\"\nkind = \"choice\"\n"
                                             "values = [\"resnet18\", \"resnet_18\"]\n",
         "space.toml:6: gene 'network': unknown network 'resnet_18'; closest zoo networks: resnet18"},
        {"network without a row at the space's precision",
         kHeader + "[[genes]]\ntarget = \"network\"\nkind = \"choice\"\nvalues = [\"resnet18\", \"mnasnet_a1_1_224\"]\n",
         "space.toml:6: gene 'network': network 'mnasnet_a1_1_224' has no accuracy row at the space's precision int8 "
         "(its rows: fp32)"},
        {"precision no network has rows for",
         kHeader + kNetworkGene + "[[genes]]\ntarget = \"precision\"\nkind = \"choice\"\nvalues = [\"int8\", \"int16\"]\n",
         "space.toml:10: gene 'precision': no network of the space has an accuracy row at precision 'int16'"},
        {"two genes on one target", kHeader + kNetworkGene + kNetworkGene,
         "space.toml:7: top level: gene 'network' sets 'network', which gene 'network' (line 3) already sets"},
        {"array resized without a template", kHeader + "network = \"resnet18\"\n" + gene_d1,
         "space.toml:1: top level: gene 'array.D1.size' resizes the array, but the base's dataflow is written for its "
         "fixed sizes"},
        {"memory with explicit energies",
         "name = \"t\"\nbase = \"tpu_like\"\nnetwork = \"resnet18\"\n[[genes]]\ntarget = "
         "\"memory.sram_2MB.size_bits\"\nkind = \"pow2\"\nmin = 1048576\nmax = 16777216\n",
         "space.toml:5: gene 'memory.sram_2MB.size_bits': gene 'memory.sram_2MB.size_bits' changes memory 'sram_2MB', "
         "but memory 'sram_2MB' states r_energy_pj, w_energy_pj explicitly in the base accelerator 'preset tpu_like', "
         "so its cost would not change; remove them from memory 'sram_2MB' there"},
        {"precision gene over an explicit MAC energy",
         "name = \"t\"\nbase = \"tpu_like\"\n" + kNetworkGene +
             "[[genes]]\ntarget = \"precision\"\nkind = \"choice\"\nvalues = [\"int8\", \"fp32\"]\n",
         "space.toml:8: gene 'precision': gene 'precision' changes the datapath precision, but the base accelerator "
         "'preset tpu_like' states mac_energy_pj or mac_area_um2 explicitly"},
        {"DRAM capacity has no cost", kHeader + "network = \"resnet18\"\n[[genes]]\ntarget = "
                                                "\"memory.dram.size_bits\"\nkind = \"pow2\"\nmin = 1024\nmax = 4096\n",
         "space.toml:5: gene 'memory.dram.size_bits': 'memory.dram.size_bits': DRAM capacity has no cost"},
        {"unknown base", "name = \"t\"\nbase = \"nowhere.toml\"\n",
         "space.toml:2: top level: base accelerator 'nowhere.toml' is neither a file"},
        {"missing network", kHeader + "dataflow = \"weight_stationary\"\n" + gene_d1,
         "space.toml:1: top level: missing key 'network'"},
        {"no genes", kHeader + "network = \"resnet18\"\ngenes = []\n", "space.toml:4: top level: 'genes' is empty"},
        {"scaled memory that is also a gene",
         kHeader + "network = \"resnet18\"\nscaled_memories = [\"act_buf\"]\n[[genes]]\ntarget = "
                   "\"memory.act_buf.bw_bits\"\nkind = \"pow2\"\nmin = 64\nmax = 128\n",
         "space.toml:4: top level: scaled_memories: memory 'act_buf' is also set by gene 'memory.act_buf.bw_bits'"},
        {"TOML syntax", kHeader + "network = \"resnet18\n", "space.toml:3:"},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        const std::string message = load_error(c.text);
        INFO(message);
        CHECK(message.find(c.expected) != std::string::npos);
    }
}

TEST_CASE("the shipped spaces load with the documented network lists", "[encoding]") {
    REQUIRE(tiny().space().gene_for(Target::Network)->labels ==
            std::vector<std::string>{"mobilenet_v1_0.25_128", "mobilenet_v1_0.50_160", "mobilenet_v1_0.75_192"});
    REQUIRE(edge().space().base_source.ends_with("configs/spaces/edge_base.toml"));
}

TEST_CASE("decoded designs are evaluable: every layer kind of the first layers finds a mapping", "[encoding]") {
    // The registers a precision scales must hold what the evaluator puts there (the fp32 accumulator
    // once held too few bits for a stem convolution): cost the first layers of random feasible designs.
    const Encoding& e = edge();
    const auto [lb, ub] = e.bounds();
    std::mt19937_64 rng(99);
    cost::EvalOptions options;
    options.search.space = mapping::SearchSpace::Loma;
    int evaluated = 0, fp32 = 0;
    while (evaluated < 24) {
        std::vector<double> genome(e.dimension());
        for (std::size_t p = 0; p < genome.size(); ++p)
            genome[p] = std::uniform_real_distribution<double>(lb[p], ub[p])(rng);
        const Decoded decoded = e.decode(genome);
        if (!decoded.design) continue;
        workload::Network net = workload::Zoo::instance().build(decoded.design->network);
        net.layers.resize(std::min<std::size_t>(net.layers.size(), 4));
        INFO(decoded.design->network << " at " << decoded.design->precision);
        REQUIRE_NOTHROW(cost::evaluate_network(net, decoded.design->accelerator, options));
        ++evaluated;
        fp32 += decoded.design->precision == "fp32";
    }
    REQUIRE(fp32 > 0);
}
