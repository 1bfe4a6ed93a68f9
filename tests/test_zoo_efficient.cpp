// Acceptance of the EfficientNet, ShuffleNet v2 and RegNet builders.
//
// 1. torchvision (data/accuracy/imagenet_models.csv, torchvision 0.21): every row of these models is
//    matched in MACs (`gmacs`: conv + matmul multiply-accumulates), parameters (`params_m`, and the
//    exact integer `num_params`) and input resolution, or listed here with its reason.
// 2. TF EfficientNet (data/accuracy/efficientnet.csv): every row is checked for resolution and
//    scaling coefficients; the rows with MADDs/params (B0, B1, B7) are compared, and those that cannot
//    match are listed with the reason.
// 3. Hand-derived structure: stems, depthwise groups, SE broadcasting, compound scaling, ShuffleNet
//    units and the RegNet quantised-linear widths.
#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "table_match.hpp"
#include "network_queries.hpp"
#include "workload/zoo/zoo.hpp"

using elaa::test::matches_published;
using elaa::test::published_table;
using namespace elaa::workload;

using elaa::test::count_kind;
using elaa::test::layer_named;

namespace {

// Every torchvision builder name these three families register.
const std::set<std::string> kTorchvisionNames = {
    "efficientnet_b0", "efficientnet_b1", "efficientnet_b2", "efficientnet_b3", "efficientnet_b4",
    "efficientnet_b5", "efficientnet_b6", "efficientnet_b7", "efficientnet_v2_s", "efficientnet_v2_m",
    "efficientnet_v2_l", "shufflenet_v2_x0_5", "shufflenet_v2_x1_0", "shufflenet_v2_x1_5", "shufflenet_v2_x2_0",
    "regnet_x_400mf", "regnet_x_800mf", "regnet_x_1_6gf", "regnet_x_3_2gf", "regnet_x_8gf", "regnet_x_16gf",
    "regnet_x_32gf", "regnet_y_400mf", "regnet_y_800mf", "regnet_y_1_6gf", "regnet_y_3_2gf", "regnet_y_8gf",
    "regnet_y_16gf", "regnet_y_32gf", "regnet_y_128gf",
};

std::string float_model(const std::string& model) {
    const std::string prefix = "quantized.";
    // torchvision's INT8 ShuffleNet rows repeat the float model's _ops and num_params.
    return model.rfind(prefix, 0) == 0 ? model.substr(prefix.size()) : model;
}


}  // namespace

TEST_CASE("torchvision EfficientNet, ShuffleNet v2 and RegNet rows match MACs, params and resolution",
          "[zoo-efficient]") {
    const auto table = published_table("accuracy/imagenet_models.csv");
    const Zoo& zoo = Zoo::instance();
    std::set<std::string> matched_models;
    int matched = 0, larger_crops = 0;
    for (std::size_t row = 0; row < table.rows(); ++row) {
        const std::string model = float_model(table.at(row, "model"));
        if (kTorchvisionNames.count(model) == 0) continue;  // another helper's family
        const std::string weights = table.at(row, "weights");
        INFO(model << " " << weights << " (line " << table.line_of(row) << ")");
        // SWAG end-to-end fine-tuned weights run the same architecture on a 384 input: <model>@384.
        const bool larger_crop = weights.find("SWAG_E2E") != std::string::npos;
        const std::string network = larger_crop ? model + "@384" : model;
        REQUIRE(zoo.find(network) != nullptr);
        const Network net = zoo.build(network);
        // Parameters do not depend on the input size: exact for every row, including the 384 ones.
        CHECK(net.params() == std::stoll(table.at(row, "num_params")));
        CHECK(std::stoi(table.at(row, "input_resolution")) == net.resolution);
        INFO("zoo " << net.macs() / 1e9 << " G MACs vs published " << table.at(row, "gmacs"));
        CHECK(matches_published(net.macs() / 1e9, table.at(row, "gmacs")));
        matched_models.insert(model);
        ++matched;
        if (larger_crop) ++larger_crops;
    }
    // Every name has a row. 12 EfficientNet rows (two for B1) + 4 float and 4 INT8 ShuffleNet rows +
    // 34 RegNet rows = 54, 3 of them at 384.
    CHECK(matched_models == kTorchvisionNames);
    CHECK(matched == 54);
    CHECK(larger_crops == 3);
}

namespace {

// efficientnet.csv rows that are not zoo networks. efficientnet-b<n> rows map to efficientnet_tf_b<n>.
std::string not_in_zoo_reason(const std::string& model) {
    if (model == "efficientnet-b8" || model.rfind("efficientnet-l2", 0) == 0)
        return "B8 / L2 (AdvProp / NoisyStudent only) are not zoo networks; no MACs/params published";
    if (model.rfind("efficientnet-lite", 0) == 0)
        return "EfficientNet-Lite (no SE, ReLU6, fixed stem/head) is not a zoo network; table has no resolution";
    if (model.rfind("efficientnetv2-", 0) == 0)
        return "google/automl EfficientNetV2 table (no resolution); the zoo's V2 are torchvision's, "
               "checked against imagenet_models.csv";
    return "";
}

// TF rows whose published multiply-adds the definition cannot reproduce. Each TF B-model here is
// the torchvision model of the same index at the same resolution with SAME instead of symmetric
// padding, which changes no output size, so its conv+fc MACs equal torchvision's _ops (0.386 and
// 37.746 G). The TF sources print 0.391 (+1.3 %) for B0 and "37" (-2.0 %) for B7, in opposite
// directions, so no counting convention (adding element-wise / pooling / swish ops, say) explains
// both: B0's condconv-table MADDs and the paper's rounded "37B" come from a counter we cannot
// reproduce. B1's table value is printed "0.7" (one decimal), which 0.687 G matches. All three
// parameter counts (5.3, 7.8, 66 M: trainable tensors, BN gamma/beta only) match.
const std::map<std::string, std::string> kUnmatchedTfMacs = {
    {"efficientnet-b0", "condconv README 391 M MADDs; definition gives 385.8 M (= torchvision 0.386 G)"},
    {"efficientnet-b7", "README prose 37 B FLOPS; definition gives 37.75 G (= torchvision 37.746 G)"},
};

}  // namespace

TEST_CASE("TF EfficientNet rows: resolution and coefficients for all, MADDs/params where published",
          "[zoo-efficient]") {
    const auto table = published_table("accuracy/efficientnet.csv");
    const Zoo& zoo = Zoo::instance();
    int checked_shape = 0, checked_cost = 0, listed = 0;
    for (std::size_t row = 0; row < table.rows(); ++row) {
        const std::string model = table.at(row, "model");
        INFO(model << " " << table.at(row, "training_or_table") << " (line " << table.line_of(row) << ")");
        const std::string reason = not_in_zoo_reason(model);
        if (!reason.empty()) {
            ++listed;
            continue;
        }
        REQUIRE(model.rfind("efficientnet-b", 0) == 0);
        const std::string name = "efficientnet_tf_" + model.substr(std::string("efficientnet-").size());
        REQUIRE(zoo.find(name) != nullptr);
        const Network net = zoo.build(name);
        CHECK(net.resolution == std::stoi(table.at(row, "resolution")));
        CHECK(std::stod(net.variant.at("width_coefficient")) == std::stod(table.at(row, "width_coefficient")));
        CHECK(std::stod(net.variant.at("depth_coefficient")) == std::stod(table.at(row, "depth_coefficient")));
        ++checked_shape;
        if (table.at(row, "gflops_madds").empty()) continue;  // accuracy-only row
        ++checked_cost;
        CHECK(matches_published(net.params() / 1e6, table.at(row, "params_m")));
        const bool macs_match = matches_published(net.macs() / 1e9, table.at(row, "gflops_madds"));
        if (kUnmatchedTfMacs.count(model)) {
            INFO("listed as unmatched: " << kUnmatchedTfMacs.at(model));
            CHECK_FALSE(macs_match);
            const Network torchvision = zoo.build("efficientnet_" + model.substr(std::string("efficientnet-").size()));
            CHECK(torchvision.resolution == net.resolution);
            CHECK(torchvision.macs() == net.macs());
        } else {
            CHECK(macs_match);
        }
    }
    CHECK(checked_cost == 3);  // B0, B1 (condconv table), B7 (README prose)
    CHECK(checked_shape + listed == 61);
}

TEST_CASE("efficientnet_b0 structure follows the B0 block args", "[zoo-efficient]") {
    const Network net = Zoo::instance().build("efficientnet_b0");
    // Stem: 3x3 stride-2 conv 3 -> 32, PyTorch padding 1 on every side, 224 -> 112.
    const Layer& stem = net.layers.front();
    CHECK(stem.kind == OpKind::Conv);
    CHECK(stem.C == 3);
    CHECK(stem.K == 32);
    CHECK(stem.FY == 3);
    CHECK(stem.stride_y == 2);
    CHECK(stem.OY == 112);
    CHECK(stem.OX == 112);
    CHECK(stem.pad_top == 1);
    CHECK(stem.pad_bottom == 1);
    CHECK(stem.bias_params == 0);

    // 1+2+2+3+3+4+1 = 16 MBConv blocks, each with one depthwise conv and one broadcast SE Mul.
    CHECK(count_kind(net, OpKind::DepthwiseConv) == 16);
    for (const Layer& l : net.layers) {
        if (l.kind == OpKind::DepthwiseConv) {
            CHECK(l.K == 1);
            CHECK(l.C == 1);
        }
        if (l.kind == OpKind::Mul) CHECK(l.broadcast_second_operand);
    }
    CHECK(count_kind(net, OpKind::Mul) == 16);
    // Residual Adds in every block but each stage's first: 16 - 7 = 9.
    CHECK(count_kind(net, OpKind::Add) == 9);
    // 16 SE global pools + the final one.
    CHECK(count_kind(net, OpKind::AvgPool) == 17);

    // Stage 1 block 1 (expand ratio 1): depthwise 3x3 on 32 channels at 112x112, no expansion conv.
    const Layer& dw1 = layer_named(net, "stage1.block1.dw");
    CHECK(dw1.G == 32);
    CHECK(dw1.macs() == 32 * 112 * 112 * 9);  // 3,612,672
    // Its SE squeezes to 32/4 = 8 channels with biased 1x1 convs and gates 32 x 112 x 112.
    const Layer& reduce = layer_named(net, "stage1.block1.se.reduce");
    CHECK(reduce.K == 8);
    CHECK(reduce.params() == 32 * 8 + 8);
    const Layer& scale = layer_named(net, "stage1.block1.se.scale");
    CHECK(scale.G == 32);
    CHECK(scale.OY == 112);
    CHECK(scale.ops() == 32 * 112 * 112);

    // Stage 6 block 1: 112 -> 672 expansion, 5x5 stride-2 depthwise with G = 672, 14 -> 7; SE to 112/4 = 28.
    const Layer& dw6 = layer_named(net, "stage6.block1.dw");
    CHECK(dw6.kind == OpKind::DepthwiseConv);
    CHECK(dw6.G == 672);
    CHECK(dw6.FY == 5);
    CHECK(dw6.in_h == 14);
    CHECK(dw6.OY == 7);
    CHECK(layer_named(net, "stage6.block1.se.reduce").K == 28);

    // Head 1x1 320 -> 1280 and the biased 1280 -> 1000 classifier.
    CHECK(layer_named(net, "head").K == 1280);
    const Layer& fc = net.layers.back();
    CHECK(fc.kind == OpKind::Gemm);
    CHECK(fc.C == 1280);
    CHECK(fc.K == 1000);
    CHECK(fc.bias_params == 1000);
}

TEST_CASE("EfficientNet compound scaling and padding styles", "[zoo-efficient]") {
    const Zoo& zoo = Zoo::instance();
    // B7: width 2.0, depth 3.1 -> stem 64, repeats ceil(3.1 x {1,2,2,3,3,4,1}) = {4,7,7,10,10,13,4}
    // = 55 blocks, head 4 x 640 = 2560.
    const Network b7 = zoo.build("efficientnet_b7");
    CHECK(b7.layers.front().K == 64);
    CHECK(b7.variant.at("stage_repeats") == "4,7,7,10,10,13,4");
    CHECK(count_kind(b7, OpKind::DepthwiseConv) == 55);
    CHECK(layer_named(b7, "head").K == 2560);

    // B2: width 1.1 rounds 40*1.1 = 44 up to 48 and 112*1.1 = 123.2 down to 120, head 4 x 352 = 1408.
    const Network b2 = zoo.build("efficientnet_b2");
    CHECK(layer_named(b2, "stage3.block1.project").K == 48);
    CHECK(layer_named(b2, "stage5.block1.project").K == 120);
    CHECK(b2.layers.back().C == 1408);
    // torchvision's B2 runs at 288 (288 / 32 = 9 at the head); TF's at 260 with SAME: ceil halvings
    // 260 -> 130 -> 65 -> 33 -> 17 -> 9.
    CHECK(b2.resolution == 288);
    CHECK(layer_named(b2, "head").OY == 9);
    const Network tf_b2 = zoo.build("efficientnet_tf_b2");
    CHECK(tf_b2.resolution == 260);
    CHECK(layer_named(tf_b2, "stage4.block1.dw").OY == 17);
    CHECK(layer_named(tf_b2, "head").OY == 9);

    // TF SAME on an even input with stride 2 pads only bottom/right: (112-1)*2 + 3 - 224 = 1.
    const auto tf_b0 = zoo.build("efficientnet_tf_b0");
    const Layer& tf_stem = tf_b0.layers.front();
    CHECK(tf_stem.pad_top == 0);
    CHECK(tf_stem.pad_bottom == 1);
    // 5x5 stride 2 on 65 (TF B2 stage 4 input is 33, stage 3's is 65): SAME total pad (33-1)*2+5-65 = 4.
    const Layer& tf_dw3 = layer_named(tf_b2, "stage3.block1.dw");
    CHECK(tf_dw3.in_h == 65);
    CHECK(tf_dw3.pad_top + tf_dw3.pad_bottom == 4);
}

TEST_CASE("EfficientNetV2-S fused and MBConv stages", "[zoo-efficient]") {
    const Network net = Zoo::instance().build("efficientnet_v2_s");
    CHECK(net.resolution == 384);
    CHECK(net.layers.front().K == 24);
    // Fused stage 1 (ratio 1): one 3x3 conv 24 -> 24 with identity residual, no depthwise, no SE.
    const Layer& fused = layer_named(net, "stage1.block1.conv");
    CHECK(fused.kind == OpKind::Conv);
    CHECK(fused.FY == 3);
    CHECK(fused.C == 24);
    CHECK(fused.K == 24);
    // Fused stage 2: 3x3 stride-2 expansion 24 -> 96 then 1x1 projection to 48.
    const Layer& expand = layer_named(net, "stage2.block1.expand");
    CHECK(expand.K == 96);
    CHECK(expand.stride_y == 2);
    CHECK(layer_named(net, "stage2.block1.project").K == 48);
    // MBConv stages 4-6 have 6 + 9 + 15 = 30 depthwise convs and SE Muls; first SE squeezes 64/4 = 16.
    CHECK(count_kind(net, OpKind::DepthwiseConv) == 30);
    CHECK(count_kind(net, OpKind::Mul) == 30);
    CHECK(layer_named(net, "stage4.block1.se.reduce").K == 16);
    CHECK(layer_named(net, "head").K == 1280);
}

TEST_CASE("ShuffleNet v2 units split, branch and concatenate", "[zoo-efficient]") {
    const Network net = Zoo::instance().build("shufflenet_v2_x1_0");
    // Stem 3x3/2 to 24 x 112 x 112, max pool 3x3/2 pad 1 to 56.
    CHECK(net.layers[0].K == 24);
    CHECK(net.layers[0].OY == 112);
    CHECK(net.layers[1].kind == OpKind::MaxPool);
    CHECK(net.layers[1].OY == 56);
    // Downsampling unit of stage 2: both branches see all 24 channels; each produces 116/2 = 58.
    const Layer& left_dw = layer_named(net, "stage2.unit1.branch1.dw");
    CHECK(left_dw.kind == OpKind::DepthwiseConv);
    CHECK(left_dw.G == 24);
    CHECK(left_dw.OY == 28);
    CHECK(layer_named(net, "stage2.unit1.branch1.pw").K == 58);
    CHECK(layer_named(net, "stage2.unit1.branch2.pw1").C == 24);
    // Basic unit: only the split half (58 channels) is convolved.
    const Layer& pw1 = layer_named(net, "stage2.unit2.branch2.pw1");
    CHECK(pw1.C == 58);
    CHECK(pw1.K == 58);
    CHECK(layer_named(net, "stage2.unit2.branch2.dw").G == 58);
    // conv5 1x1 464 -> 1024 at 7x7, then global pool and a 1024 -> 1000 fc.
    const Layer& conv5 = layer_named(net, "conv5");
    CHECK(conv5.C == 464);
    CHECK(conv5.K == 1024);
    CHECK(conv5.OY == 7);
    // Units: stride-2 ones have 5 convs, the others 3: (5 + 3*3) + (5 + 3*7) + (5 + 3*3) = 54.
    CHECK(count_kind(net, OpKind::Conv) + count_kind(net, OpKind::DepthwiseConv) == 1 + 54 + 1);
    // Split, concat and shuffle move data only: no Add or Mul layer.
    CHECK(count_kind(net, OpKind::Add) == 0);
    CHECK(count_kind(net, OpKind::Mul) == 0);
    CHECK(net.layers.back().C == 1024);
}

TEST_CASE("RegNetY-400MF widths come from the quantised-linear rule", "[zoo-efficient]") {
    // Hand derivation with d = 16, w_0 = 48, w_a = 27.89, w_m = 2.09: u_j = 48 + 27.89 j and
    // s_j = round(ln(u_j / 48) / ln 2.09) gives s = 0 (j = 0), 1 (j = 1..3), 2 (j = 4..9),
    // 3 (j = 10..15); widths 48 * 2.09^s rounded to multiples of 8: 48, 104, 208, 440. All are
    // multiples of the group width 8.
    const Network net = Zoo::instance().build("regnet_y_400mf");
    CHECK(net.variant.at("stage_widths") == "48,104,208,440");
    CHECK(net.variant.at("stage_depths") == "1,3,6,6");
    // Stage 1 block 1: 32 -> 48, grouped 3x3 stride 2 with 48 / 8 = 6 groups, SE squeezes to
    // round(0.25 * 32) = 8 (a quarter of the block input), projection shortcut 1x1 stride 2.
    const Layer& b = layer_named(net, "stage1.block1.b");
    CHECK(b.kind == OpKind::GroupedConv);
    CHECK(b.G == 6);
    CHECK(b.C == 8);
    CHECK(b.OY == 56);
    CHECK(layer_named(net, "stage1.block1.se.reduce").K == 8);
    CHECK(layer_named(net, "stage1.block1.se.scale").broadcast_second_operand);
    CHECK(layer_named(net, "stage1.block1.proj").stride_y == 2);
    // Every block ends in a residual Add: 16 of them; 16 SE Muls.
    CHECK(count_kind(net, OpKind::Add) == 16);
    CHECK(count_kind(net, OpKind::Mul) == 16);
    // Last stage at 7x7, classifier 440 -> 1000.
    CHECK(layer_named(net, "stage4.block6.c").OY == 7);
    CHECK(net.layers.back().C == 440);

    // RegNetX has no SE; 32GF's group width 168 divides its stage widths after adjustment.
    const Network x32 = Zoo::instance().build("regnet_x_32gf");
    CHECK(count_kind(x32, OpKind::Mul) == 0);
    for (const Layer& l : x32.layers)
        if (l.kind == OpKind::GroupedConv) CHECK(l.C == 168);
}
