// Acceptance of the classic 34-network suite (data/accuracy/suite36_accuracy.csv): every row is
// registered as suite/<network>, built from the definition its accuracy was measured on (the row's
// `source`), and its parameters and MACs are compared with published figures:
//   - Keras rows: keras.io's parameter counts (the table's params_m) are model.count_params() and
//     must match to the unit;
//   - MACs (multiply-accumulates) against the papers / tables cited per row below;
//   - rows that are another zoo entry's definition (torchvision AlexNet/ResNet18/34, TF-slim
//     MobileNet v3) are aliases, checked against that entry and imagenet_models.csv.
#include <cmath>
#include <map>
#include <set>
#include <string>

#include "network_queries.hpp"
#include "table_match.hpp"
#include "workload/zoo/zoo.hpp"

using namespace elaa::workload;

using elaa::test::layer_named;

namespace {

// A published figure for one suite row that the suite table itself does not carry.
struct Published {
    std::string cell;    // as printed by the source ("3.86"), empty when no figure was read
    double unit = 1e9;   // 1e9 for G, 1e6 for M
    double per_mac = 1;  // operations the source counts per multiply-accumulate
    std::string source;  // citation, or why there is no figure for this definition
};

struct SuiteRow {
    int resolution;
    // The zoo entry this row is an alias of ("" when the suite builds its own definition).
    std::string alias_of;
    // The torchvision model in imagenet_models.csv with the same layers (MACs compared with its gmacs).
    std::string same_layers_as;
    Published macs;
    Published params;  // only for rows whose suite table has no params_m
    int classes = 1000;
};

const char* kSenetTable2 =
    "Hu et al., Squeeze-and-Excitation Networks (arXiv:1709.01507) Table 2, GFLOPs = multiply-adds, 224x224";
const char* kNoParams = "no parameter count published for this definition";

// One entry per suite row; the test fails if the suite table gains a row missing here.
const std::map<std::string, SuiteRow> kSuite = {
    {"AlexNet", {224, "alexnet", "alexnet", {}, {}}},
    {"ResNet18", {224, "resnet18", "resnet18", {}, {}}},
    {"ResNet34", {224, "resnet34", "resnet34", {}, {}}},
    // TF-slim's checkpoints classify 1001 classes (index 0 is "background").
    {"MobileNet_v3_large", {224, "mobilenet_v3_large_1.0_224", "",
                            {"217", 1e6, 1, "TF-slim mobilenet README (suite row note: MACs 217M)"}, {}, 1001}},
    {"MobileNet_v3_small", {224, "mobilenet_v3_small_1.0_224", "",
                            {"66", 1e6, 1, "TF-slim mobilenet README (suite row note: MACs 66M)"}, {}, 1001}},
    {"VGG16", {224, "", "vgg16", {"15.47", 1e9, 1, kSenetTable2}, {}}},
    {"VGG19", {224, "", "vgg19", {}, {}}},
    {"DenseNet121", {224, "", "densenet121", {}, {}}},
    {"DenseNet169", {224, "", "densenet169", {}, {}}},
    {"DenseNet201", {224, "", "densenet201", {}, {}}},
    {"Inception_v3", {299, "", "inception_v3", {}, {}}},
    // The original MSRA ResNets of SENet Table 2 put the stride in the first 1x1, as Keras v1 does.
    {"ResNet50", {224, "", "", {"3.86", 1e9, 1, kSenetTable2}, {}}},
    {"ResNet101", {224, "", "", {"7.58", 1e9, 1, kSenetTable2}, {}}},
    {"ResNet152", {224, "", "", {"11.30", 1e9, 1, kSenetTable2}, {}}},
    {"ResNet50_v2", {224, "", "", {"", 1, 1, "no MAC count published for Keras' ResNet50V2"}, {}}},
    {"ResNet101_v2", {224, "", "", {"", 1, 1, "no MAC count published for Keras' ResNet101V2"}, {}}},
    {"ResNet152_v2", {224, "", "", {"", 1, 1, "no MAC count published for Keras' ResNet152V2"}, {}}},
    {"Xception", {299, "", "", {"", 1, 1, "neither the Xception paper nor keras.io gives a MAC count"}, {}}},
    // SENet Table 2 lists 11.75 GFLOPs for the authors' own Inception-ResNet-v2 re-implementation,
    // not for Keras' 299 x 299 definition, so it is not this row's figure.
    {"InceptionResnet_v2", {299, "", "", {"", 1, 1, "no MAC count published for Keras' definition"}, {}}},
    {"MobileNet_v1", {224, "", "", {"569", 1e6, 1, "Howard et al., MobileNets (arXiv:1704.04861) Table 8, 1.0 MobileNet-224 Mult-Adds"}, {}}},
    {"MobileNet_v2", {224, "", "", {"300", 1e6, 1, "Sandler et al., MobileNetV2 (arXiv:1801.04381) Table 4, MAdds"}, {}}},
    {"NASNet_small", {224, "", "", {"564", 1e6, 1, "Zoph et al., NASNet (arXiv:1707.07012) Table 2, NASNet-A (4 @ 1056) Mult-Adds"}, {}}},
    {"NASNet_large", {331, "", "", {"23.8", 1e9, 1, "Zoph et al., NASNet (arXiv:1707.07012) Table 2, NASNet-A (6 @ 4032) Mult-Adds"}, {}}},
    {"SEResNet50", {224, "", "", {"3.87", 1e9, 1, kSenetTable2},
                    {"28.09", 1e6, 1, "mmpretrain SE-ResNet-50 model table (PyTorch num_params of the same tensors)"}}},
    {"SEResNet101", {224, "", "", {"7.60", 1e9, 1, kSenetTable2},
                     {"49.33", 1e6, 1, "mmpretrain SE-ResNet-101 model table (PyTorch num_params of the same tensors)"}}},
    {"SEResNet152", {224, "", "", {"11.32", 1e9, 1, kSenetTable2}, {"", 1, 1, kNoParams}}},
    {"SEResNeXt50", {224, "", "", {"4.25", 1e9, 1, kSenetTable2}, {"", 1, 1, kNoParams}}},
    {"SEResNeXt101", {224, "", "", {"8.00", 1e9, 1, kSenetTable2}, {"", 1, 1, kNoParams}}},
    {"SENet154", {224, "", "", {"21", 1e9, 1, "albanie/mcnSENets README, convnet-burden estimate for SENet at 224 x 224"},
                  {"", 1, 1, kNoParams}}},
    // Cadene's Torch7 ResNeXt101_32x4d is the original ResNeXt-101 (32x4d) of SENet Table 2.
    {"ResNeXt101", {224, "", "", {"7.99", 1e9, 1, kSenetTable2}, {"", 1, 1, kNoParams}}},
    // qubvel's ResNeXt50 is ResNeXt-50 (32x4d) plus an input BN, which adds no MACs.
    {"ResNeXt50", {224, "", "", {"4.24", 1e9, 1, kSenetTable2}, {"", 1, 1, kNoParams}}},
    {"SEResNet18", {224, "", "", {"", 1, 1, "qubvel's README gives no MAC count"}, {"", 1, 1, kNoParams}}},
    {"SEResNet34", {224, "", "", {"", 1, 1, "qubvel's README gives no MAC count"}, {"", 1, 1, kNoParams}}},
    // YOLO9000 Sec. 3: "Darknet-19 only requires 5.58 billion operations". The same paragraph gives
    // VGG-16 30.69 billion = 2 x its 15.35 G conv MACs, so the paper counts 2 operations per MAC.
    {"DarkNet19", {224, "", "", {"5.58", 1e9, 2, "Redmon & Farhadi, YOLO9000 (arXiv:1612.08242) Sec. 3"},
                   {"", 1, 1, kNoParams}}},
};

enum class Quantity { MACs, Params };

// Published figures the zoo cannot match, with the reason and a check of what holds instead. Both
// are the TF-slim README's (the MobileNet v3 aliases); tests/test_zoo_mobilenets.cpp documents them
// on the same definitions.
struct KnownMismatch {
    std::string reason;
    bool (*holds)(const Network&);
};

// TF-slim's V3_SMALL is torchvision's mobilenet_v3_small plus a 1001st class (1024 weights, 1 bias).
bool is_torchvision_small_plus_background(const Network& net) {
    const Network torch_small = Zoo::instance().build("mobilenet_v3_small");
    return net.macs() - torch_small.macs() == 1024 && net.params() - torch_small.params() == 1025;
}

const std::map<std::pair<std::string, Quantity>, KnownMismatch> kKnownMismatches = {
    {{"MobileNet_v3_large", Quantity::Params},
     {"the README cuts the one-decimal count (5.48 M printed 5.4)",
      [](const Network& net) { return net.params() / 100'000 == 54; }}},
    {{"MobileNet_v3_small", Quantity::Params},
     {"the README's Small figures (66 M MACs, 2.9 M params) lie above the V3_SMALL definition",
      [](const Network& net) { return net.params() < 2'900'000 && is_torchvision_small_plus_background(net); }}},
    {{"MobileNet_v3_small", Quantity::MACs},
     {"the README's Small figures (66 M MACs, 2.9 M params) lie above the V3_SMALL definition",
      [](const Network& net) { return net.macs() < 66'000'000 && is_torchvision_small_plus_background(net); }}},
};

// Checks `matches` unless (network, quantity) is a known mismatch, whose own check runs instead.
void check_figure(const Network& net, const std::string& network, Quantity quantity, bool matches,
                  std::set<std::pair<std::string, Quantity>>& known_used) {
    const auto known = kKnownMismatches.find({network, quantity});
    if (known == kKnownMismatches.end()) {
        CHECK(matches);
        return;
    }
    known_used.insert(known->first);
    WARN(network << " does not match the published figure: " << known->second.reason);
    CHECK_FALSE(matches);
    CHECK(known->second.holds(net));
}

const elaa::CsvTable& suite_table() {
    static const elaa::CsvTable table = elaa::test::published_table("accuracy/suite36_accuracy.csv");
    return table;
}

std::string zoo_name(const std::string& network) { return "suite/" + network; }

bool is_keras_row(std::size_t row) { return suite_table().at(row, "source").find("keras-io") != std::string::npos; }

int count_if(const Network& net, bool (*pred)(const Layer&)) {
    int n = 0;
    for (const auto& layer : net.layers) n += pred(layer) ? 1 : 0;
    return n;
}

// The output channels of every convolution: what a BN after each conv scales.
std::int64_t conv_output_channels(const Network& net) {
    std::int64_t total = 0;
    for (const auto& layer : net.layers)
        if (layer.kind == OpKind::Conv || layer.kind == OpKind::GroupedConv || layer.kind == OpKind::DepthwiseConv)
            total += layer.K * layer.G;
    return total;
}

// Row of imagenet_models.csv for a torchvision model's default weights.
std::size_t torchvision_row(const elaa::CsvTable& table, const std::string& model) {
    for (std::size_t row = 0; row < table.rows(); ++row)
        if (table.at(row, "model") == model && table.at(row, "is_default") == "1") return row;
    FAIL("imagenet_models.csv has no default row for " << model);
    return 0;
}

}  // namespace

TEST_CASE("every suite row is registered at its resolution with its source's classifier", "[zoo-suite]") {
    const auto& table = suite_table();
    REQUIRE(table.rows() == kSuite.size());  // the README: 34 networks
    for (std::size_t row = 0; row < table.rows(); ++row) {
        const std::string network = table.at(row, "network");
        INFO(network << " (line " << table.line_of(row) << ")");
        REQUIRE(kSuite.count(network) == 1);
        REQUIRE(Zoo::instance().find(zoo_name(network)) != nullptr);
        const Network net = Zoo::instance().build(zoo_name(network));
        CHECK(net.name == zoo_name(network));
        CHECK(net.family == "suite");
        CHECK(net.resolution == kSuite.at(network).resolution);
        // The classifier: the last MAC layer produces the 1000 ImageNet classes (1001 in TF-slim).
        const Layer* classifier = nullptr;
        for (const auto& layer : net.layers)
            if (layer.macs() > 0) classifier = &layer;
        REQUIRE(classifier != nullptr);
        CHECK(classifier->K * classifier->G == kSuite.at(network).classes);
    }
}

TEST_CASE("suite parameter counts match the suite table (Keras rows to the unit)", "[zoo-suite]") {
    const auto& table = suite_table();
    std::set<std::pair<std::string, Quantity>> known_used;
    int keras_rows = 0;
    for (std::size_t row = 0; row < table.rows(); ++row) {
        const std::string network = table.at(row, "network");
        const std::string cell = table.at(row, "params_m");
        if (cell.empty()) continue;
        const Network net = Zoo::instance().build(zoo_name(network));
        INFO(network << ": zoo " << net.params() << " params, table " << cell << " M");
        check_figure(net, network, Quantity::Params,
                     elaa::test::matches_published(static_cast<double>(net.params()) / 1e6, cell), known_used);
        if (is_keras_row(row)) {
            // keras.io prints count_params() / 1e6 with every digit: exact.
            ++keras_rows;
            CHECK(net.params() == std::llround(std::stod(cell) * 1e6));
        }
    }
    CHECK(keras_rows == 18);  // the README: 18 Keras models, NASNet included
    CHECK(known_used.size() == 2);
}

TEST_CASE("suite MACs and parameters match the published figures cited per row", "[zoo-suite]") {
    const auto& table = suite_table();
    const auto torchvision = elaa::test::published_table("accuracy/imagenet_models.csv");
    std::set<std::pair<std::string, Quantity>> known_used;
    int macs_checked = 0;
    for (std::size_t row = 0; row < table.rows(); ++row) {
        const std::string network = table.at(row, "network");
        const SuiteRow& expected = kSuite.at(network);
        const Network net = Zoo::instance().build(zoo_name(network));
        INFO(network << ": zoo " << net.macs() << " MACs, " << net.params() << " params");
        if (!expected.same_layers_as.empty()) {
            const std::size_t tv = torchvision_row(torchvision, expected.same_layers_as);
            INFO("same layers as torchvision " << expected.same_layers_as << ": " << torchvision.at(tv, "gmacs") << " G");
            CHECK(elaa::test::matches_published(static_cast<double>(net.macs()) / 1e9, torchvision.at(tv, "gmacs")));
            ++macs_checked;
        }
        const Published& macs = expected.macs;
        if (!macs.cell.empty()) {
            INFO("published " << macs.cell << " x " << macs.unit << " (" << macs.source << ")");
            check_figure(net, network, Quantity::MACs,
                         elaa::test::matches_published(macs.per_mac * static_cast<double>(net.macs()) / macs.unit, macs.cell),
                         known_used);
            ++macs_checked;
        }
        const Published& params = expected.params;
        if (!params.cell.empty()) {
            INFO("published " << params.cell << " M params (" << params.source << ")");
            CHECK(elaa::test::matches_published(static_cast<double>(net.params()) / params.unit, params.cell));
        }
    }
    CHECK(macs_checked == 28);  // 27 rows have a published figure, VGG16 two of them
    CHECK(known_used.size() == 1);
}

TEST_CASE("suite aliases are the zoo's torchvision and TF-slim definitions under their suite name", "[zoo-suite]") {
    const auto torchvision = elaa::test::published_table("accuracy/imagenet_models.csv");
    int aliases = 0;
    for (const auto& [network, expected] : kSuite) {
        if (expected.alias_of.empty()) continue;
        ++aliases;
        INFO(network << " -> " << expected.alias_of);
        REQUIRE(Zoo::instance().find(expected.alias_of) != nullptr);
        const Network net = Zoo::instance().build(zoo_name(network));
        const Network target = Zoo::instance().build(expected.alias_of);
        CHECK(net.name == zoo_name(network));
        CHECK(net.variant.at("same_definition_as") == expected.alias_of);
        CHECK(net.layers == target.layers);
        CHECK(net.params() == target.params());
        if (!expected.same_layers_as.empty()) {
            // Cadene's torchvision rows: torchvision's own num_params, exactly.
            const std::size_t tv = torchvision_row(torchvision, expected.same_layers_as);
            CHECK(std::to_string(net.params()) == torchvision.at(tv, "num_params"));
        }
    }
    CHECK(aliases == 5);
}

TEST_CASE("Keras ResNet v1 strides in the first 1x1, v2 in the last block's 3x3", "[zoo-suite]") {
    const Network v1 = Zoo::instance().build("suite/ResNet50");
    const Layer& first_1x1 = layer_named(v1, "conv3_block1_1_conv");
    CHECK(first_1x1.FY == 1);
    CHECK(first_1x1.stride_y == 2);
    CHECK(first_1x1.OY == 28);
    CHECK(layer_named(v1, "conv3_block1_2_conv").stride_y == 1);
    CHECK(layer_named(v1, "conv3_block1_0_conv").stride_y == 2);  // projection shortcut
    CHECK(first_1x1.bias_params == 128);                            // Keras convs carry biases
    // Every conv is followed by a scale+center BN: 4 parameters per conv output channel.
    CHECK(v1.norm_params == 4 * (conv_output_channels(v1)));
    // Distinct from torchvision's v1.5 (stride in the 3x3): 4.09 G there, 3.86 G here.
    CHECK(v1.macs() < Zoo::instance().build("resnet50").macs() - 200'000'000);

    const Network v2 = Zoo::instance().build("suite/ResNet50_v2");
    const Layer& strided = layer_named(v2, "conv3_block4_2_conv");
    CHECK(strided.FY == 3);
    CHECK(strided.stride_y == 2);
    CHECK(strided.OY == 14);
    CHECK(layer_named(v2, "conv3_block1_1_conv").stride_y == 1);
    CHECK(layer_named(v2, "conv3_block4_0_max_pool").kind == OpKind::MaxPool);  // 1x1/2 identity shortcut
    CHECK(layer_named(v2, "conv5_block3_2_conv").stride_y == 1);                // last stage keeps 7x7
}

TEST_CASE("Xception and the Inception family follow Keras' layer definitions at 299", "[zoo-suite]") {
    const Network xception = Zoo::instance().build("suite/Xception");
    CHECK(xception.resolution == 299);
    // 34 separable convs: 2 + 2 + 2 (entry), 8 x 3 (middle), 2 + 2 (exit), each a 3x3 depthwise
    // followed by a 1x1 pointwise.
    CHECK(count_if(xception, [](const Layer& l) { return l.kind == OpKind::DepthwiseConv && l.FY == 3; }) == 34);
    const Layer& dw = layer_named(xception, "block2_sepconv1_dw");
    CHECK(dw.in_h == 147);  // 299 -> 3x3/2 valid 149 -> 3x3 valid 147
    CHECK(dw.K == 1);
    CHECK(dw.C == 1);
    CHECK(dw.G == 64);
    CHECK(layer_named(xception, "block2_sepconv1_pw").C == 64);
    CHECK(layer_named(xception, "block14_sepconv2_pw").K == 2048);
    CHECK(layer_named(xception, "block14_sepconv2_pw").OY == 10);  // 299 / 32, rounded up by "same"

    // conv2d_bn: BN(scale=False) -> 3 parameters per output channel of every conv but the
    // classifier; Inception-ResNet's residual projections have a bias and no BN.
    const Network v3 = Zoo::instance().build("suite/Inception_v3");
    CHECK(v3.norm_params == 3 * conv_output_channels(v3));
    const Network irv2 = Zoo::instance().build("suite/InceptionResnet_v2");
    std::int64_t projection_channels = 0;
    for (const auto& layer : irv2.layers)
        if (layer.bias_params > 0 && layer.kind != OpKind::Gemm) projection_channels += layer.K;
    CHECK(projection_channels == 10 * 320 + 20 * 1088 + 10 * 2080);
    CHECK(irv2.norm_params == 3 * (conv_output_channels(irv2) - projection_channels));
}

TEST_CASE("Cadene's SE nets place the stride as senet.py defines them", "[zoo-suite]") {
    const Zoo& zoo = Zoo::instance();
    // SE-ResNet: Caffe-style stride in the first 1x1.
    const Network se_resnet = zoo.build("suite/SEResNet50");
    CHECK(layer_named(se_resnet, "layer2_0_conv1").stride_y == 2);
    CHECK(layer_named(se_resnet, "layer2_0_conv2").stride_y == 1);
    // SE-ResNeXt: stride in the grouped 3x3, 32 groups of 4 channels in layer1 (width 128).
    const Network se_resnext = zoo.build("suite/SEResNeXt50");
    const Layer& grouped = layer_named(se_resnext, "layer2_0_conv2");
    CHECK(layer_named(se_resnext, "layer2_0_conv1").stride_y == 1);
    CHECK(grouped.stride_y == 2);
    CHECK(grouped.kind == OpKind::GroupedConv);
    CHECK(grouped.G == 32);
    CHECK(grouped.C == 8);
    CHECK(layer_named(se_resnext, "layer1_0_conv2").G * layer_named(se_resnext, "layer1_0_conv2").K == 128);
    // SENet154: three 3x3 stem convs to 128 channels, 64 groups, 3x3 projection shortcuts.
    const Network senet = zoo.build("suite/SENet154");
    CHECK(layer_named(senet, "layer0_conv3").K == 128);
    CHECK(layer_named(senet, "layer1_0_conv1").K == 128);     // planes * 2
    CHECK(layer_named(senet, "layer1_0_conv2").G == 64);
    CHECK(layer_named(senet, "layer1_0_conv2").K * 64 == 256);  // planes * 4
    CHECK(layer_named(senet, "layer1_0_downsample").FY == 1);
    CHECK(layer_named(senet, "layer2_0_downsample").FY == 3);
    CHECK(layer_named(senet, "layer0_pool").OY == 56);  // 3x3/2 ceil_mode on 112
    // One broadcast SE Mul per block: 3 + 4 + 6 + 3 in SE-ResNet-50, 3 + 8 + 36 + 3 in SENet154.
    const auto se_gate = [](const Layer& l) { return l.kind == OpKind::Mul && l.broadcast_second_operand; };
    CHECK(count_if(se_resnet, se_gate) == 16);
    CHECK(count_if(senet, se_gate) == 50);
    // ResNeXt101 (Torch7 32x4d): no SE, stride in the grouped 3x3.
    const Network resnext = zoo.build("suite/ResNeXt101");
    CHECK(count_if(resnext, [](const Layer& l) { return l.kind == OpKind::Mul; }) == 0);
    CHECK(layer_named(resnext, "layer3_0_conv2").stride_y == 2);
    CHECK(layer_named(resnext, "layer3_0_conv2").G == 32);
}

TEST_CASE("qubvel's SE-ResNets and ResNeXt50, and Darknet-19, follow their definitions", "[zoo-suite]") {
    const Zoo& zoo = Zoo::instance();
    // SE-ResNet18: basic blocks, a projection shortcut opening every stage (1x1 even in stage 1),
    // SE gates on 64..512 channels reduced 16x.
    const Network se18 = zoo.build("suite/SEResNet18");
    CHECK(layer_named(se18, "stage1_unit1_sc").stride_y == 1);
    CHECK(layer_named(se18, "stage2_unit1_sc").stride_y == 2);
    CHECK(layer_named(se18, "stage2_unit1_conv1").stride_y == 2);
    CHECK(layer_named(se18, "stage4_unit2_se_reduce").K == 512 / 16);
    CHECK(count_if(se18, [](const Layer& l) { return l.kind == OpKind::Mul; }) == 8);
    // ResNeXt50: 1x1 to 128, grouped 3x3 (32 x 4), 1x1 to 256 in stage 1; stride in the 3x3.
    const Network resnext = zoo.build("suite/ResNeXt50");
    CHECK(layer_named(resnext, "stage1_unit1_conv3").K == 256);
    CHECK(layer_named(resnext, "stage2_unit1_conv2").stride_y == 2);
    CHECK(layer_named(resnext, "stage2_unit1_conv2").C == 8);  // 256 / 32
    // Darknet-19: 19 convolutional layers and 5 max pools.
    const Network darknet = zoo.build("suite/DarkNet19");
    CHECK(count_if(darknet, [](const Layer& l) { return l.kind == OpKind::Conv; }) == 19);
    CHECK(count_if(darknet, [](const Layer& l) { return l.kind == OpKind::MaxPool; }) == 5);
    CHECK(layer_named(darknet, "classifier").OY == 7);
}

TEST_CASE("Keras MobileNets and NASNet keep Keras' padding and classifier layers", "[zoo-suite]") {
    const Zoo& zoo = Zoo::instance();
    // MobileNet v1: strided convs pad only bottom/right (ZeroPadding2D((0,1),(0,1)) + valid), and the
    // classifier is a 1x1 conv with bias on the pooled 1024 channels.
    const Network v1 = zoo.build("suite/MobileNet_v1");
    const Layer& dw2 = layer_named(v1, "conv_dw_2");
    CHECK(dw2.kind == OpKind::DepthwiseConv);
    CHECK(dw2.pad_top == 0);
    CHECK(dw2.pad_bottom == 1);
    CHECK(dw2.OY == 56);
    const Layer& preds = layer_named(v1, "conv_preds");
    CHECK(preds.kind == OpKind::Conv);
    CHECK(preds.C == 1024);
    CHECK(preds.bias_params == 1000);
    // MobileNet v2: 10 residual Adds (stages of 2, 3, 4, 3, 3 blocks keep their shape after the first).
    const Network v2 = zoo.build("suite/MobileNet_v2");
    CHECK(count_if(v2, [](const Layer& l) { return l.kind == OpKind::Add; }) == 10);
    // NASNetLarge: 331 -> 165 (3x3/2 valid) -> 83 -> 42 -> 21 -> 11 at the final pool.
    const Network nasnet = zoo.build("suite/NASNet_large");
    CHECK(nasnet.layers.front().OY == 165);
    const Layer& pool = layer_named(nasnet, "avg_pool");
    CHECK(pool.FY == 11);
    CHECK(pool.G == 4032);  // penultimate_filters
}
