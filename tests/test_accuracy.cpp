// The accuracy lookup against the published tables in data/accuracy/ (documented in
// data/accuracy/README.md): spot values, whole-table round trips, the default rule of defaults.csv,
// and the errors for unknown networks, unknown weights and inconsistent tables.
#include <map>
#include <set>
#include <tuple>
#include <string>
#include <utility>

#include "accuracy/accuracy.hpp"
#include "table_match.hpp"
#include "util/embedded.hpp"
#include "util/error.hpp"

using elaa::InputError;
using elaa::accuracy::AccuracyEntry;
using elaa::accuracy::AccuracyTables;
using Catch::Matchers::Contains;

namespace {

const AccuracyTables& tables() { return AccuracyTables::builtin(); }

// The published cell as a number (the tables print percentages, e.g. "76.13").
double cell(const elaa::CsvTable& table, std::size_t row, const std::string& column) {
    return std::stod(table.at(row, column));
}

// Checks that (network, weights) answers the row's top-1 and top-5 cells exactly.
void check_row(const std::string& network, const std::string& weights, const elaa::CsvTable& table,
               std::size_t row, const std::string& top1_column, const std::string& top5_column) {
    INFO(network << " / " << weights << " (" << table.source() << ":" << table.line_of(row) << ")");
    const auto entry = tables().find(network, weights);
    REQUIRE(entry.has_value());
    CHECK(entry->top1 == cell(table, row, top1_column));
    if (table.at(row, top5_column).empty())
        CHECK_FALSE(entry->top5.has_value());
    else
        CHECK(entry->top5 == cell(table, row, top5_column));
    CHECK(entry->line == table.line_of(row));
}

// Loads the tables with one embedded file replaced by `text`.
AccuracyTables load_with(const std::string& replaced_path, const std::string& text) {
    return AccuracyTables::load([&](std::string_view path) -> std::optional<std::string_view> {
        if (path == replaced_path) return std::string_view(text);
        return elaa::embedded_file(path);
    });
}

std::string defaults_with(const std::string& extra_line) {
    return std::string(*elaa::embedded_file("accuracy/defaults.csv")) + extra_line + "\n";
}

}  // namespace

TEST_CASE("resnet50: IMAGENET1K_V1 by default, other weights and int8 on request", "[accuracy]") {
    const AccuracyEntry def = tables().lookup("resnet50");
    CHECK(def.weights == "ResNet50_Weights.IMAGENET1K_V1");
    CHECK(def.top1 == 76.13);
    CHECK(def.top5 == 92.862);
    CHECK(def.precision == "fp32");
    CHECK(def.resolution == 224);
    CHECK_THAT(def.source, Contains("imagenet_models.csv") && Contains("pytorch/vision v0.21.0"));

    const AccuracyEntry v2 = tables().lookup("resnet50", "ResNet50_Weights.IMAGENET1K_V2");
    CHECK(v2.top1 == 80.858);
    CHECK(v2.top5 == 95.434);

    // Two INT8 rows: "int8" means the one quantized from the default (V1) weights.
    const AccuracyEntry int8 = tables().lookup("resnet50", "int8");
    CHECK(int8.weights == "ResNet50_QuantizedWeights.IMAGENET1K_FBGEMM_V1");
    CHECK(int8.precision == "int8");
    CHECK(int8.top1 == 75.92);
    CHECK(int8.top5 == 92.814);
    CHECK(int8.quantized_from == "ResNet50_Weights.IMAGENET1K_V1");
    CHECK_THAT(int8.source, Contains("fbgemm"));
    CHECK(tables().lookup("resnet50", "ResNet50_QuantizedWeights.IMAGENET1K_FBGEMM_V2").top1 == 80.282);
    CHECK(tables().rows("resnet50").size() == 4);
}

TEST_CASE("TF grids: MobileNet V1/V2, MnasNet, MobileNet V3 and EdgeTPU", "[accuracy]") {
    // mobilenet_v1_grid.csv line 8 (float) and line 24 (uint8 quantisation-aware).
    const AccuracyEntry v1 = tables().lookup("mobilenet_v1_0.75_160");
    CHECK(v1.top1 == 65.3);
    CHECK(v1.top5 == 86.0);
    CHECK(v1.precision == "fp32");
    CHECK(v1.weights == "MobileNet_v1_0.75_160");
    const AccuracyEntry v1_int8 = tables().lookup("mobilenet_v1_0.75_160", "int8");
    CHECK(v1_int8.top1 == 62.3);
    CHECK_THAT(v1_int8.source, Contains("uint8 quantisation-aware"));
    // Width written as in the table: "0.50", not "0.5".
    CHECK(tables().lookup("mobilenet_v1_0.50_160").top1 == 59.1);
    CHECK_FALSE(tables().find("mobilenet_v1_0.5_160"));

    CHECK(tables().lookup("mobilenet_v2_1.4_224").top1 == 75.0);
    CHECK(tables().lookup("mobilenet_v2_0.35_96").top1 == 45.5);

    const AccuracyEntry mnasnet = tables().lookup("mnasnet_a1_1_224");
    CHECK(mnasnet.top1 == 75.2);
    CHECK(mnasnet.top5 == 92.5);
    CHECK_THAT(mnasnet.source, Contains("tensorflow/tpu"));

    // The inconsistent README row: 59.3 (trailing column) is the default, 52.3 stays available.
    CHECK(tables().lookup("mnasnet_a1_0.35_160").top1 == 59.3);
    CHECK(tables().lookup("mnasnet_a1_0.35_160", "mnasnet-a1_d0.35_i160.tgz@top1-col").top1 == 52.3);

    const AccuracyEntry v3 = tables().lookup("mobilenet_v3_large_1.0_224");
    CHECK(v3.top1 == 75.2);
    CHECK_FALSE(v3.top5.has_value());
    CHECK(tables().lookup("mobilenet_v3_large_1.0_224", "int8").top1 == 73.9);
    CHECK(tables().lookup("mobilenet_v3_small_minimalistic_1.0_224").top1 == 61.9);
    // Published 8-bit only: the single row is the answer, and it says so.
    const AccuracyEntry edgetpu = tables().lookup("mobilenet_edgetpu_0.75_224");
    CHECK(edgetpu.top1 == 73.5);
    CHECK(edgetpu.precision == "int8");
}

TEST_CASE("EfficientNet TF: the AutoAugment recipe by default, every recipe on request", "[accuracy]") {
    const AccuracyEntry b0 = tables().lookup("efficientnet_tf_b0");
    CHECK(b0.weights == "AutoAugment (AA)");
    CHECK(b0.top1 == 77.1);
    CHECK(b0.resolution == 224);
    CHECK(tables().lookup("efficientnet_tf_b7").top1 == 84.3);
    CHECK(tables().lookup("efficientnet_tf_b7").resolution == 600);
    CHECK(tables().lookup("efficientnet_tf_b0", "Baseline preprocessing").top1 == 76.7);
    CHECK(tables().lookup("efficientnet_tf_b7", "paper claim (README prose)").top5 == 97.1);
    CHECK(tables().rows("efficientnet_tf_b0").size() == 6);
    // B8, L2, Lite and V2 have no zoo network: no row, and no number.
    CHECK(tables().rows("efficientnet_tf_b8").empty());
    CHECK_THROWS_WITH(tables().lookup("efficientnet_tf_b8"), Contains("no published accuracy"));
}

TEST_CASE("suite networks: primary figure by default, qubvel and alt on request", "[accuracy]") {
    const AccuracyEntry resnet50 = tables().lookup("suite/ResNet50");
    CHECK(resnet50.weights == "primary");
    CHECK(resnet50.top1 == 74.9);
    CHECK(resnet50.top5 == 92.1);
    CHECK_THAT(resnet50.source, Contains("suite36_accuracy.csv") && Contains("keras"));
    CHECK(tables().lookup("suite/ResNet50", "qubvel").top1 == 74.81);
    CHECK(tables().lookup("suite/AlexNet", "alt").top1 == 57.0);
    CHECK(tables().rows("suite/DarkNet19").size() == 1);
    CHECK(tables().lookup("suite/DarkNet19").top1 == 72.9);
}

TEST_CASE("unknown networks and weights are InputErrors that say what exists", "[accuracy]") {
    CHECK_THROWS_AS(tables().lookup("resnet51"), InputError);
    CHECK_THROWS_WITH(tables().lookup("resnet51"), Contains("no published accuracy for 'resnet51'") &&
                                                       Contains("did you mean 'resnet50'"));
    CHECK_FALSE(tables().find("resnet51"));
    CHECK(tables().rows("resnet51").empty());

    CHECK_THROWS_AS(tables().lookup("resnet50", "IMAGENET1K_V3"), InputError);
    CHECK_THROWS_WITH(tables().lookup("resnet50", "IMAGENET1K_V3"),
                      Contains("ResNet50_Weights.IMAGENET1K_V1 (fp32, top-1 76.13, default)") &&
                          Contains("ResNet50_Weights.IMAGENET1K_V2") &&
                          Contains("ResNet50_QuantizedWeights.IMAGENET1K_FBGEMM_V2"));
    CHECK_FALSE(tables().find("resnet50", "IMAGENET1K_V3"));
    // No INT8 row published for VGG16.
    CHECK_THROWS_WITH(tables().lookup("vgg16", "int8"), Contains("VGG16_Weights.IMAGENET1K_V1"));
}

TEST_CASE("every row of imagenet_models.csv round-trips through the lookup", "[accuracy]") {
    const auto table = elaa::test::published_table("accuracy/imagenet_models.csv");
    for (std::size_t row = 0; row < table.rows(); ++row) {
        std::string model = table.at(row, "model");
        const std::string weights = table.at(row, "weights");
        if (table.at(row, "top1").empty()) {
            CHECK(weights == "VGG16_Weights.IMAGENET1K_FEATURES");  // the only row without accuracy
            continue;
        }
        const bool quantized = model.rfind("quantized.", 0) == 0;
        if (quantized) model = model.substr(std::string("quantized.").size());
        // SWAG end-to-end weights belong to the architecture at their larger crop.
        if (weights.find("SWAG_E2E") != std::string::npos) model += "@" + table.at(row, "input_resolution");
        check_row(model, weights, table, row, "top1", "top5");
        CHECK(tables().find(model, weights)->precision == (quantized ? "int8" : "fp32"));
    }
}

TEST_CASE("every TF grid row round-trips through the lookup", "[accuracy]") {
    const auto v1 = elaa::test::published_table("accuracy/mobilenet_v1_grid.csv");
    for (std::size_t row = 0; row < v1.rows(); ++row)
        check_row("mobilenet_v1_" + v1.at(row, "width_multiplier") + "_" + v1.at(row, "resolution"),
                  v1.at(row, "checkpoint"), v1, row, "top1", "top5");

    const auto v2 = elaa::test::published_table("accuracy/mobilenet_v2_grid.csv");
    for (std::size_t row = 0; row < v2.rows(); ++row)
        check_row("mobilenet_v2_" + v2.at(row, "width_multiplier") + "_" + v2.at(row, "resolution"),
                  v2.at(row, "checkpoint"), v2, row, "top1", "top5");

    const auto v3 = elaa::test::published_table("accuracy/mobilenet_v3_grid.csv");
    for (std::size_t row = 0; row < v3.rows(); ++row)
        check_row(v3.at(row, "model") + "_" + v3.at(row, "width_multiplier") + "_224", v3.at(row, "precision"), v3,
                  row, "top1", "top5");

    const auto mnasnet = elaa::test::published_table("accuracy/mnasnet_grid.csv");
    for (std::size_t row = 0; row < mnasnet.rows(); ++row) {
        const std::string name = "mnasnet_a1_" + mnasnet.at(row, "width_multiplier") + "_" +
                                 mnasnet.at(row, "resolution");
        const std::string checkpoint = mnasnet.at(row, "checkpoint");
        if (name == "mnasnet_a1_0.35_160") {
            // The README's inconsistent row (Top-1 52.3, trailing column 59.3): both kept, see defaults.csv.
            check_row(name, checkpoint + "@top1-col", mnasnet, row, "top1", "top5");
            check_row(name, checkpoint + "@trailing-col", mnasnet, row, "unlabeled_trailing_col", "top5");
            continue;
        }
        check_row(name, checkpoint, mnasnet, row, "top1", "top5");
        CHECK(cell(mnasnet, row, "unlabeled_trailing_col") == cell(mnasnet, row, "top1"));
    }
}

TEST_CASE("every EfficientNet B0-B7 row round-trips; the other models are excluded", "[accuracy]") {
    const auto table = elaa::test::published_table("accuracy/efficientnet.csv");
    int b0_to_b7 = 0;
    for (std::size_t row = 0; row < table.rows(); ++row) {
        const std::string model = table.at(row, "model");
        const bool in_zoo = model.size() == 15 && model.rfind("efficientnet-b", 0) == 0 && model.back() <= '7';
        if (!in_zoo) {
            CHECK(tables().rows("efficientnet_tf_" + model.substr(13)).empty());
            continue;
        }
        check_row("efficientnet_tf_b" + model.substr(14), table.at(row, "training_or_table"), table, row, "top1",
                  "top5");
        ++b0_to_b7;
    }
    CHECK(b0_to_b7 == 41);
}

TEST_CASE("every suite row round-trips: primary, qubvel and alt figures", "[accuracy]") {
    const auto table = elaa::test::published_table("accuracy/suite36_accuracy.csv");
    for (std::size_t row = 0; row < table.rows(); ++row) {
        const std::string name = "suite/" + table.at(row, "network");
        const bool has_qubvel = !table.at(row, "qubvel_top1").empty();
        const bool has_alt = !table.at(row, "alt_top1").empty();
        check_row(name, "primary", table, row, "top1", "top5");
        if (has_qubvel) check_row(name, "qubvel", table, row, "qubvel_top1", "qubvel_top5");
        if (has_alt) check_row(name, "alt", table, row, "alt_top1", "alt_top5");
        CHECK(tables().rows(name).size() == std::size_t{1} + has_qubvel + has_alt);
    }
}

TEST_CASE("every table row is loaded or deliberately excluded, and nothing else is loaded", "[accuracy]") {
    // file -> {CSV data rows, accuracy rows loaded from it, rows excluded with a reason}
    const std::map<std::string, std::tuple<std::size_t, std::size_t, std::size_t>> expected = {
        {"imagenet_models.csv", {129, 128, 1}},   // VGG16 IMAGENET1K_FEATURES has no accuracy
        {"mobilenet_v1_grid.csv", {32, 32, 0}},
        {"mobilenet_v2_grid.csv", {22, 22, 0}},
        {"mobilenet_v3_grid.csv", {11, 11, 0}},
        {"mnasnet_grid.csv", {25, 26, 0}},         // d0.35 i160 gives two rows (both top-1 values)
        {"efficientnet.csv", {61, 41, 20}},        // B8 1, L2 2, Lite 10, V2 7 have no zoo network
        {"suite36_accuracy.csv", {34, 67, 0}},     // 34 primary + 30 qubvel + 3 alt
    };
    std::map<std::string, std::set<std::size_t>> covered_lines;
    std::map<std::string, std::size_t> loaded;
    for (const std::string& network : tables().networks())
        for (const AccuracyEntry& row : tables().rows(network)) {
            CHECK(row.network == network);
            covered_lines[row.table].insert(row.line);
            ++loaded[row.table];
        }
    std::map<std::string, std::size_t> excluded;
    for (const auto& row : tables().excluded()) {
        INFO(row.table << ":" << row.line << " " << row.what << ": " << row.reason);
        CHECK_FALSE(row.reason.empty());
        CHECK(covered_lines[row.table].insert(row.line).second);  // excluded rows are not also loaded
        ++excluded[row.table];
    }
    CHECK(covered_lines.size() == expected.size());
    // 80 torchvision networks + 6 at a SWAG crop (vit_b_16@384, ...) + 16 + 22 + 8 + 25 + 8 EfficientNet
    // + 34 suite
    CHECK(tables().networks().size() == 199);
    for (const auto& [file, counts] : expected) {
        INFO(file);
        const auto table = elaa::test::published_table("accuracy/" + file);
        const auto [csv_rows, loaded_rows, excluded_rows] = counts;
        CHECK(table.rows() == csv_rows);
        CHECK(loaded[file] == loaded_rows);
        CHECK(excluded[file] == excluded_rows);
        std::set<std::size_t> table_lines;
        for (std::size_t row = 0; row < table.rows(); ++row) table_lines.insert(table.line_of(row));
        CHECK(covered_lines[file] == table_lines);  // every line reached, and only real lines
    }
}

TEST_CASE("defaults.csv: every line valid, every ambiguous network covered", "[accuracy]") {
    const auto defaults = elaa::test::published_table("accuracy/defaults.csv");
    CHECK(defaults.header() == std::vector<std::string>{"network", "weights", "reason"});
    std::set<std::string> listed;
    for (std::size_t row = 0; row < defaults.rows(); ++row) {
        const std::string network = defaults.at(row, "network");
        INFO(network << " (defaults.csv:" << defaults.line_of(row) << ")");
        CHECK(listed.insert(network).second);
        CHECK_FALSE(defaults.at(row, "reason").empty());
        const AccuracyEntry answer = tables().lookup(network);
        CHECK(answer.weights == defaults.at(row, "weights"));
        CHECK(answer.precision == "fp32");
    }
    CHECK(tables().defaults().size() == defaults.rows());
    // A line exactly for the networks with more than one fp32 row.
    for (const std::string& network : tables().networks()) {
        std::size_t fp32 = 0;
        for (const AccuracyEntry& row : tables().rows(network)) fp32 += row.precision == "fp32";
        INFO(network);
        CHECK((fp32 > 1) == (listed.count(network) == 1));
        CHECK(tables().find(network).has_value());  // every network has a default answer
    }
}

TEST_CASE("inconsistent tables are rejected at load, naming the file and line", "[accuracy]") {
    const std::string defaults = "accuracy/defaults.csv";
    CHECK_NOTHROW(load_with(defaults, defaults_with("")));
    // The appended line is line 72: a header and the 70 lines of the real file before it.
    CHECK_THROWS_WITH(load_with(defaults, defaults_with("resnet5,ResNet50_Weights.IMAGENET1K_V1,typo")),
                      Contains("data/accuracy/defaults.csv:70") && Contains("'resnet5' has no accuracy row"));
    CHECK_THROWS_WITH(load_with(defaults, defaults_with("resnet18,ResNet18_Weights.IMAGENET1K_V2,no such row")),
                      Contains("defaults.csv:70") && Contains("no row with weights"));
    CHECK_THROWS_WITH(
        load_with(defaults, defaults_with("resnet18,ResNet18_QuantizedWeights.IMAGENET1K_FBGEMM_V1,int8")),
        Contains("defaults.csv:70") && Contains("must be an fp32 row"));
    CHECK_THROWS_WITH(load_with(defaults, defaults_with("resnet50,ResNet50_Weights.IMAGENET1K_V2,twice")),
                      Contains("defaults.csv:70") && Contains("second default"));
    CHECK_THROWS_WITH(load_with(defaults, "network,weights,reason\n"),
                      Contains("defaults.csv") && Contains("no default for"));

    std::string broken(*elaa::embedded_file("accuracy/mobilenet_v2_grid.csv"));
    broken += "1.0,64,50.0\n";
    CHECK_THROWS_WITH(load_with("accuracy/mobilenet_v2_grid.csv", broken),
                      Contains("data/accuracy/mobilenet_v2_grid.csv:24"));
}
