// Topology genes (encodings/network_grid.hpp): the zoo's families as grids, decoding a family and a
// grid position to a network, missing cells (infeasible or repaired), round trips and loader errors.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "accuracy/accuracy.hpp"
#include "encodings/encoding.hpp"
#include "space_errors.hpp"
#include "optimise/design_evaluator.hpp"
#include "util/error.hpp"

using namespace elaa;
using namespace elaa::encodings;

namespace {

using test::kSpaces;

// An int8 edge space over two families: MobileNet v1's width x resolution grid and ResNet depths.
std::string topology_space(const std::string& extra = "", const std::string& widths = "[0.25, 0.5, 0.75, 1.0]") {
    return "name = \"topology\"\nbase = \"edge_base.toml\"\nprecision = \"int8\"\n" + extra +
           "[[genes]]\nname = \"family\"\ntarget = \"network.family\"\nkind = \"choice\"\n"
           "values = [\"mobilenet_v1\", \"resnet\"]\n"
           "[[genes]]\nname = \"width\"\ntarget = \"network.width\"\nkind = \"choice\"\nvalues = " + widths + "\n"
           "[[genes]]\nname = \"resolution\"\ntarget = \"network.resolution\"\nkind = \"choice\"\n"
           "values = [128, 160, 192, 224]\n"
           "[[genes]]\nname = \"depth\"\ntarget = \"network.depth\"\nkind = \"int\"\nmin = 0\nmax = 2\n";
}

Encoding encoding_of(const std::string& text) { return Encoding(parse_search_space(text, "space.toml", kSpaces)); }

// Genome positions: family, width, resolution, depth (all integer genes, in file order).
std::vector<double> genome(double family, double width, double resolution, double depth) {
    return {family, width, resolution, depth};
}

std::string load_error(const std::string& text) { return test::space_load_error(text); }

}  // namespace

TEST_CASE("topology: the zoo's families read as grids", "[encoding][topology]") {
    const NetworkFamily* v1 = find_family("mobilenet_v1");
    REQUIRE(v1);
    CHECK(v1->cells.size() == 16);  // TF-slim: widths 0.25, 0.5, 0.75, 1.0 x resolutions 128..224
    CHECK(v1->varies(GridAxis::Width));
    CHECK(v1->varies(GridAxis::Resolution));
    CHECK_FALSE(v1->varies(GridAxis::Depth));
    const auto placed = grid_cell_of("mobilenet_v1_0.50_160");
    REQUIRE(placed);
    CHECK(placed->first == v1);
    CHECK((*placed->second)[GridAxis::Width] == 0.5);
    CHECK((*placed->second)[GridAxis::Resolution] == 160);

    // Depth is a rank within the family: ResNet 18 < 34 < 50 < 101 < 152.
    for (const auto& [name, rank] : std::vector<std::pair<std::string, double>>{
             {"resnet18", 0}, {"resnet34", 1}, {"resnet50", 2}, {"resnet101", 3}, {"resnet152", 4}})
        CHECK((*grid_cell_of(name)->second)[GridAxis::Depth] == rank);
    CHECK((*grid_cell_of("efficientnet_tf_b3")->second)[GridAxis::Depth] == 3);
    CHECK((*grid_cell_of("regnet_x_400mf")->second)[GridAxis::Depth] == 0);
    CHECK((*grid_cell_of("regnet_x_32gf")->second)[GridAxis::Depth] == 6);  // 400mf 800mf 1.6gf 3.2gf 8gf 16gf 32gf
    CHECK((*grid_cell_of("shufflenet_v2_x1_5")->second)[GridAxis::Width] == 1.5);
    CHECK(find_family("mnasnet_a1")->cells.size() == 25);  // widths 0.35..1.4 x resolutions 96..224
    // Networks off any grid: torchvision's MobileNet v2 (its own weights), the minimalistic v3.
    CHECK_FALSE(grid_cell_of("mobilenet_v2"));
    CHECK_FALSE(grid_cell_of("mobilenet_v3_large_minimalistic_1.0_224"));
    CHECK_FALSE(grid_cell_of("resnext50_32x4d"));
}

TEST_CASE("topology: a family and a grid position decode to the zoo network, and back", "[encoding][topology]") {
    const auto& tables = accuracy::AccuracyTables::builtin();
    REQUIRE(tables.find("resnet18", "int8"));  // torchvision's quantised rows
    REQUIRE(tables.find("resnet50", "int8"));
    REQUIRE_FALSE(tables.find("resnet34", "int8"));

    const Encoding e = encoding_of(topology_space());
    CHECK(e.space().chooses_network());
    CHECK(e.design_count() == 2 * 4 * 4 * 3);
    const auto v1 = e.decode(genome(0, 1, 1, 0));  // mobilenet_v1, width 0.5, resolution 160
    REQUIRE(v1.design);
    CHECK(v1.design->network == "mobilenet_v1_0.50_160");
    CHECK(e.encode(*v1.design) == genome(0, 1, 1, 0));
    // ResNet has no width or resolution: those genes do not change the network, and the design's
    // genome puts them at their first value.
    const auto r50 = e.decode(genome(1, 3, 2, 2));
    REQUIRE(r50.design);
    CHECK(r50.design->network == "resnet50");
    CHECK(e.decode(genome(1, 0, 0, 2)).design->network == "resnet50");
    CHECK(e.encode(*r50.design) == genome(1, 0, 0, 2));
    const auto described = e.describe(genome(1, 3, 2, 2));
    CHECK(described == std::vector<std::pair<std::string, std::string>>{
                           {"family", "resnet"}, {"width", "-"}, {"resolution", "-"}, {"depth", "2"}});

    // A cell whose network has no row at the precision: infeasible, with the reason (the default).
    const auto r34 = e.decode(genome(1, 0, 0, 1));
    REQUIRE_FALSE(r34.design);
    CHECK(r34.infeasible.find("network 'resnet34' has no int8 accuracy row") != std::string::npos);

    // Under network_missing = "nearest", the nearest cell with a row: resnet18 and resnet50 are one
    // depth step away; the tie goes to the first in zoo-name order.
    const Encoding nearest = encoding_of(topology_space("network_missing = \"nearest\"\n"));
    const auto repaired = nearest.decode(genome(1, 0, 0, 1));
    REQUIRE(repaired.design);
    CHECK(repaired.design->network == "resnet18");
    CHECK(nearest.encode(*repaired.design) == genome(1, 0, 0, 0));
}

TEST_CASE("topology: a grid position with no network is infeasible or repaired", "[encoding][topology]") {
    // Width 0.35 is in the gene but not in MobileNet v1's grid.
    const std::string widths = "[0.25, 0.35, 0.5]";
    const Encoding strict = encoding_of(topology_space("", widths));
    const auto missing = strict.decode(genome(0, 1, 3, 0));
    REQUIRE_FALSE(missing.design);
    CHECK(missing.infeasible.find("family 'mobilenet_v1' has no network at width 0.35, resolution 224") !=
          std::string::npos);
    const Encoding nearest = encoding_of(topology_space("network_missing = \"nearest\"\n", widths));
    const auto repaired = nearest.decode(genome(0, 1, 3, 0));
    REQUIRE(repaired.design);
    CHECK(repaired.design->network == "mobilenet_v1_0.25_224");  // 0.25 and 0.5 tie; zoo-name order
}

TEST_CASE("topology: the optimiser's evaluator scores a grid cell with its published accuracy",
          "[encoding][topology][optimise]") {
    const auto dir = std::filesystem::temp_directory_path() / "elaa_topology_test";
    std::filesystem::create_directories(dir);
    {
        std::string text = topology_space();
        text.replace(text.find("\"edge_base.toml\""), 16, "\"" + kSpaces + "/edge_base.toml\"");
        std::ofstream(dir / "topology.toml") << text;
    }
    const auto config = optimise::parse_run_config(
        "[run]\nproblem = \"codesign\"\nspace = \"" + (dir / "topology.toml").string() +
            "\"\nsearch = \"fast\"\n[nsga2]\npopulation = 8\ngenerations = 1\n",
        (dir / "run.toml").string());
    const optimise::DesignEvaluator evaluator(config);
    const auto e = evaluator.evaluate(genome(0, 1, 1, 0));
    REQUIRE(e.feasible);
    CHECK(e.network == "mobilenet_v1_0.50_160");
    CHECK(e.top1 == 57.7);  // TF-slim's quantised (int8) row for MobileNet v1 0.50 at 160 px
    const auto r34 = evaluator.evaluate(genome(1, 0, 0, 1));
    CHECK_FALSE(r34.feasible);
    CHECK(r34.reason.find("resnet34") != std::string::npos);
    std::filesystem::remove_all(dir);
}

TEST_CASE("topology: the loader names what is wrong", "[encoding][topology]") {
    const std::string base = "name = \"t\"\nbase = \"edge_base.toml\"\nprecision = \"int8\"\n";
    const std::string family = "[[genes]]\ntarget = \"network.family\"\nkind = \"choice\"\nvalues = [\"mobilenet_v1\", \"resnet\"]\n";
    const std::string width = "[[genes]]\ntarget = \"network.width\"\nkind = \"choice\"\nvalues = [0.25, 0.5]\n";
    const std::string resolution = "[[genes]]\ntarget = \"network.resolution\"\nkind = \"choice\"\nvalues = [128, 224]\n";
    const std::string depth = "[[genes]]\ntarget = \"network.depth\"\nkind = \"int\"\nmin = 0\nmax = 2\n";
    CHECK(load_error(base + family + width + resolution + depth) == "(no error)");
    CHECK_THAT(load_error(base + family + width + depth),
               Catch::Contains("family 'mobilenet_v1' (mobilenet_v1_<width>_<resolution> (TF-slim grid)) varies in "
                               "resolution: add a network.resolution gene"));
    CHECK_THAT(load_error(base + width + resolution +
                          "[[genes]]\ntarget = \"network\"\nkind = \"choice\"\nvalues = [\"resnet18\", \"resnet50\"]\n"),
               Catch::Contains("gene 'network.width' places the network on a family's grid, which needs a "
                               "network.family gene"));
    CHECK_THAT(load_error(base + "[[genes]]\ntarget = \"network.family\"\nkind = \"choice\"\nvalues = [\"mobilenet_v9\", "
                                 "\"resnet\"]\n" + depth),
               Catch::Contains("unknown network family 'mobilenet_v9'"));
    CHECK_THAT(load_error(base + family + resolution + depth +
                          "[[genes]]\ntarget = \"network.width\"\nkind = \"choice\"\nvalues = [0.5, 0.25]\n"),
               Catch::Contains("'network.width' is ordinal: list its values in increasing order (0.25 follows 0.5)"));
    CHECK_THAT(load_error(base + "network = \"resnet18\"\n" + family + width + resolution + depth),
               Catch::Contains("the network is chosen by the topology gene 'network.family'; remove the 'network' key"));
    CHECK_THAT(load_error(base + "network_missing = \"closest\"\n" + family + width + resolution + depth),
               Catch::Contains("'network_missing' must be \"infeasible\" or \"nearest\", got 'closest'"));
    CHECK_THAT(load_error(base + family + width + resolution +
                          "[[genes]]\ntarget = \"network.depth\"\nkind = \"real\"\nmin = 0\nmax = 2\n"),
               Catch::Contains("kind 'real' cannot set 'network.depth'; use choice or int"));
    // A family none of whose reachable cells has a row at the space's precision.
    CHECK_THAT(load_error(base + "[[genes]]\ntarget = \"network.family\"\nkind = \"choice\"\nvalues = [\"mobilenet_v1\", "
                                 "\"densenet\"]\n" + width + resolution + depth),
               Catch::Contains("no network of family 'densenet' that the grid genes can reach has an accuracy row at "
                               "the space's precisions (int8)"));
}

TEST_CASE("topology: the shipped edge space reaches its 70 networks and repairs to published cells",
          "[encoding][topology]") {
    const Encoding e(load_search_space(kSpaces + "/edge.toml"));
    CHECK(e.space().network_missing == MissingCell::Nearest);
    const std::vector<std::string> network_genes{"family", "width", "resolution", "depth"};
    const auto names = e.gene_names();
    REQUIRE(std::vector<std::string>(names.end() - 4, names.end()) == network_genes);
    // 5 x 5 array sizes, 4 templates, 8 x 8 buffer sizes, 5 x 5 port widths, 2 precisions;
    // 6 families x 6 widths x 5 resolutions x 3 depths.
    CHECK(e.design_count() == 5ull * 5 * 4 * 8 * 8 * 5 * 5 * 2 * 6 * 6 * 5 * 3);
    // Reachable: v1 4x4, v2 4x5 plus 1.4_224, MnasNet 5x5, v3 large 0.75/1.0 at 224, b0-b2, resnet18/34/50.
    const auto networks = space_networks(e.space());
    CHECK(networks.size() == 16 + 21 + 25 + 2 + 3 + 3);

    // Walk every network genome at both precisions (hardware genes at their lower bounds).
    const std::size_t first = e.dimension() - 4;
    const auto [lb, ub] = e.bounds();
    const std::size_t precision = first - 1;
    std::set<std::string> int8_networks, fp32_networks;
    std::size_t infeasible_int8 = 0;
    for (double p = 0; p <= 1; ++p)
        for (double f = lb[first]; f <= ub[first]; ++f)
            for (double w = lb[first + 1]; w <= ub[first + 1]; ++w)
                for (double r = lb[first + 2]; r <= ub[first + 2]; ++r)
                    for (double d = lb[first + 3]; d <= ub[first + 3]; ++d) {
                        std::vector<double> g = lb;
                        g[precision] = p;
                        g[first] = f, g[first + 1] = w, g[first + 2] = r, g[first + 3] = d;
                        const Design design = e.build(g);
                        const std::string why = e.infeasibility(design);
                        if (p == 0 && !why.empty()) {
                            // Only families without any int8 row: MobileNet v2's grid, MnasNet, EfficientNet.
                            INFO(why);
                            CHECK_THAT(why, Catch::Contains("accuracy row"));
                            const std::string fam = e.space().gene_for(Target::NetworkFamily)->labels[f];
                            CHECK((fam == "mobilenet_v2" || fam == "mnasnet_a1" || fam == "efficientnet_tf"));
                            ++infeasible_int8;
                            continue;
                        }
                        REQUIRE(why.empty());
                        (p == 0 ? int8_networks : fp32_networks).insert(design.network);
                        // The design's own genome decodes to the same design: repairs are idempotent.
                        CHECK(e.build(e.encode(design)) == design);
                    }
    CHECK(infeasible_int8 == 3 * 6 * 5 * 3);
    // int8: the v1 grid, v3 large 1.0_224 (TF-slim 8-bit), resnet18/50 (torchvision quantised).
    CHECK(int8_networks.size() == 16 + 1 + 2);
    CHECK(int8_networks.count("mobilenet_v3_large_1.0_224"));
    CHECK_FALSE(int8_networks.count("resnet34"));
    CHECK(fp32_networks.size() == networks.size());
    // A resolution MobileNet v1 lacks (96 px) is repaired to its nearest published cell, 128 px.
    std::vector<double> g = lb;  // int8, mobilenet_v1, width 0.25, resolution 96, depth 0
    CHECK(e.build(g).network == "mobilenet_v1_0.25_128");
}
