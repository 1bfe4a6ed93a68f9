// Acceptance of torchvision's classic CNNs (AlexNet, VGG, ResNet/ResNeXt/Wide-ResNet, SqueezeNet,
// DenseNet, GoogLeNet, Inception v3) against data/accuracy/imagenet_models.csv (torchvision 0.21
// `_ops` = GMACs and `num_params`), plus structural checks whose values are derived by hand from the
// architecture definitions in torchvision/models/*.py.
#include <map>
#include <set>
#include <string>

#include "table_match.hpp"
#include "workload/zoo/zoo.hpp"

using namespace elaa::workload;

namespace {

// The networks register_alexnet ... register_inception_v3 add.
const std::set<std::string> kClassicModels{
    "alexnet",          "vgg11",           "vgg13",           "vgg16",           "vgg19",
    "vgg11_bn",         "vgg13_bn",        "vgg16_bn",        "vgg19_bn",        "resnet18",
    "resnet34",         "resnet50",        "resnet101",       "resnet152",       "resnext50_32x4d",
    "resnext101_32x8d", "resnext101_64x4d", "wide_resnet50_2", "wide_resnet101_2", "squeezenet1_0",
    "squeezenet1_1",    "densenet121",     "densenet161",     "densenet169",     "densenet201",
    "googlenet",        "inception_v3",
};

// Float rows of these models that cannot match, with the reason. Every float row matches today, so
// the list is empty; a row added here is reported instead of checked. (The table's `quantized.*`
// rows are other builder names and are not iterated here; they repeat the float rows' metadata.)
const std::map<std::string, std::string> kUnmatchable{};

const Layer* find_layer(const Network& net, const std::string& name) {
    for (const auto& layer : net.layers)
        if (layer.name == name) return &layer;
    return nullptr;
}

int count_layers(const Network& net, bool (*pred)(const Layer&)) {
    int n = 0;
    for (const auto& layer : net.layers) n += pred(layer) ? 1 : 0;
    return n;
}

}  // namespace

TEST_CASE("every float torchvision row of the classic CNNs matches the zoo's MACs and params", "[zoo-classic]") {
    const auto table = elaa::test::published_table("accuracy/imagenet_models.csv");
    const Zoo& zoo = Zoo::instance();
    std::map<std::string, int> rows_per_model;
    for (std::size_t row = 0; row < table.rows(); ++row) {
        const std::string model = table.at(row, "model");
        if (kClassicModels.count(model) == 0 || table.at(row, "quantized") != "0") continue;
        ++rows_per_model[model];
        INFO(model << " " << table.at(row, "weights") << " (line " << table.line_of(row) << ")");
        if (kUnmatchable.count(model)) {
            WARN(model << " not checked: " << kUnmatchable.at(model));
            continue;
        }
        REQUIRE(zoo.find(model) != nullptr);
        const Network net = zoo.build(model);
        INFO("zoo: " << net.macs() << " MACs, " << net.params() << " params");
        CHECK(net.resolution == std::stoi(table.at(row, "input_resolution")));
        CHECK(elaa::test::matches_published(static_cast<double>(net.macs()) / 1e9, table.at(row, "gmacs")));
        CHECK(elaa::test::matches_published(static_cast<double>(net.params()) / 1e6, table.at(row, "params_m")));
        // Stricter than the acceptance rule: the generated layers reproduce num_params exactly.
        CHECK(net.params() == std::stoll(table.at(row, "num_params")));
    }
    // The table must cover every classic network (else the loop above checked nothing for it).
    for (const auto& model : kClassicModels) {
        INFO(model);
        CHECK(rows_per_model[model] >= 1);
    }
}

TEST_CASE("classic CNN layer names are unique and follow the torchvision modules", "[zoo-classic]") {
    for (const auto& model : kClassicModels) {
        const Network net = Zoo::instance().build(model);
        std::set<std::string> names;
        for (const auto& layer : net.layers) {
            INFO(model << ": " << layer.name);
            CHECK(names.insert(layer.name).second);
        }
    }
}

TEST_CASE("resnet18 and resnet50 have the hand-derived structure", "[zoo-classic]") {
    const Network r18 = Zoo::instance().build("resnet18");
    const Layer& stem = r18.layers.front();
    CHECK(stem.name == "conv1");
    CHECK(stem.kind == OpKind::Conv);
    CHECK(stem.K == 64);
    CHECK(stem.C == 3);
    CHECK(stem.OY == 112);
    CHECK(stem.OX == 112);
    CHECK(stem.FY == 7);
    CHECK(stem.FX == 7);
    CHECK(stem.stride_y == 2);
    CHECK(stem.pad_top == 3);
    CHECK(stem.bias_params == 0);
    CHECK(stem.macs() == 64LL * 3 * 7 * 7 * 112 * 112);  // 118,013,952

    const Network r50 = Zoo::instance().build("resnet50");
    // 53 convs (1 stem + 16 blocks x 3 + 4 downsample convs, one per stage) + the fc = 54 MAC layers
    CHECK(count_layers(r50, [](const Layer& l) { return l.kind == OpKind::Conv; }) == 53);
    CHECK(count_layers(r50, [](const Layer& l) { return l.kind == OpKind::Gemm; }) == 1);
    CHECK(count_layers(r50, [](const Layer& l) { return counts_macs(l.kind); }) == 54);
    CHECK(count_layers(r50, [](const Layer& l) { return l.kind == OpKind::Add; }) == 16);
    CHECK(count_layers(r50, [](const Layer& l) { return l.kind == OpKind::MaxPool; }) == 1);
    CHECK(r50.variant.at("depth") == "50");
    // v1.5: the stage's stride sits in the 3x3 conv; the 1x1 before it still runs at 56x56.
    const Layer* conv1 = find_layer(r50, "layer2.0.conv1");
    const Layer* conv2 = find_layer(r50, "layer2.0.conv2");
    const Layer* down = find_layer(r50, "layer2.0.downsample.0");
    REQUIRE(conv1);
    REQUIRE(conv2);
    REQUIRE(down);
    CHECK(conv1->OY == 56);
    CHECK(conv2->stride_y == 2);
    CHECK(conv2->OY == 28);
    CHECK(down->K == 512);
    CHECK(down->C == 256);
    CHECK(down->FY == 1);
    CHECK(down->OY == 28);
    const Layer& fc = r50.layers.back();
    CHECK(fc.kind == OpKind::Gemm);
    CHECK(fc.C == 2048);
    CHECK(fc.params() == 2048 * 1000 + 1000);
}

TEST_CASE("resnext and wide resnet widen the bottleneck's 3x3 conv", "[zoo-classic]") {
    const Network rx = Zoo::instance().build("resnext50_32x4d");
    int grouped = 0;
    for (const auto& layer : rx.layers) {
        if (layer.kind != OpKind::GroupedConv) continue;
        ++grouped;
        INFO(layer.name);
        CHECK(layer.G == 32);
        CHECK(layer.FY == 3);
    }
    CHECK(grouped == 16);  // one per bottleneck block, 3 + 4 + 6 + 3
    // layer1: width = 64 * 4 / 64 * 32 = 128 channels, 4 per group
    const Layer* l1 = find_layer(rx, "layer1.0.conv2");
    REQUIRE(l1);
    CHECK(l1->C == 4);
    CHECK(l1->K == 4);
    CHECK(l1->macs() == 32LL * 4 * 4 * 9 * 56 * 56);

    // wide_resnet50_2: width_per_group 128 doubles the inner width (layer4: 512 * 2 = 1024), not the output
    const Network wide = Zoo::instance().build("wide_resnet50_2");
    const Layer* w4 = find_layer(wide, "layer4.2.conv2");
    REQUIRE(w4);
    CHECK(w4->K == 1024);
    CHECK(w4->G == 1);
    CHECK(wide.layers.back().C == 2048);
}

TEST_CASE("alexnet and vgg classifiers read the flattened feature map", "[zoo-classic]") {
    const Network alex = Zoo::instance().build("alexnet");
    const Layer* fc6 = find_layer(alex, "classifier.1");
    REQUIRE(fc6);
    CHECK(fc6->C == 256 * 6 * 6);
    const Layer* conv1 = find_layer(alex, "features.0");
    REQUIRE(conv1);
    CHECK(conv1->OY == 55);  // (224 + 2*2 - 11) / 4 + 1
    CHECK(conv1->bias_params == 64);

    const Network vgg16 = Zoo::instance().build("vgg16");
    const Network vgg16_bn = Zoo::instance().build("vgg16_bn");
    CHECK(find_layer(vgg16, "classifier.0")->C == 512 * 7 * 7);
    // BN shifts module indices: the 13th conv is features.28 without BN and features.40 with it.
    CHECK(find_layer(vgg16, "features.28") != nullptr);
    CHECK(find_layer(vgg16_bn, "features.40") != nullptr);
    // BN adds gamma + beta per conv channel: 2 * (2*64 + 2*128 + 3*256 + 6*512) = 8448
    CHECK(vgg16_bn.params() - vgg16.params() == 8448);
    CHECK(vgg16_bn.macs() == vgg16.macs());
}

TEST_CASE("squeezenet pools round up and classify with a 1x1 conv", "[zoo-classic]") {
    const Network sq = Zoo::instance().build("squeezenet1_0");
    // stem 224 -> (224 - 7) / 2 + 1 = 109; pool -> 54; features.6 on 54: ceil(51 / 2) + 1 = 27 (floor: 26)
    const Layer* pool = find_layer(sq, "features.6");
    REQUIRE(pool);
    CHECK(pool->kind == OpKind::MaxPool);
    CHECK(pool->OY == 27);
    const Layer* cls = find_layer(sq, "classifier.1");
    REQUIRE(cls);
    CHECK(cls->kind == OpKind::Conv);
    CHECK(cls->C == 512);
    CHECK(cls->OY == 13);
    CHECK(cls->params() == 512 * 1000 + 1000);
    CHECK(sq.layers.back().kind == OpKind::AvgPool);
    CHECK(count_layers(sq, [](const Layer& l) { return l.kind == OpKind::Gemm; }) == 0);
}

TEST_CASE("densenet concatenates growth and halves at transitions", "[zoo-classic]") {
    const Network d = Zoo::instance().build("densenet121");
    const Layer* l6 = find_layer(d, "features.denseblock1.denselayer6.conv1");
    REQUIRE(l6);
    CHECK(l6->C == 64 + 5 * 32);
    CHECK(l6->K == 4 * 32);
    // block1 ends at 64 + 6*32 = 256 channels; transition1 halves to 128 and pools 56 -> 28
    const Layer* t1 = find_layer(d, "features.transition1.conv");
    REQUIRE(t1);
    CHECK(t1->C == 256);
    CHECK(t1->K == 128);
    const Layer* t1_pool = find_layer(d, "features.transition1.pool");
    REQUIRE(t1_pool);
    CHECK(t1_pool->kind == OpKind::AvgPool);
    CHECK(t1_pool->OY == 28);
    CHECK(d.layers.back().C == 1024);  // 512 + 16 * 32 after block 4
    // DenseNet has no residual adds: features are concatenated
    CHECK(count_layers(d, [](const Layer& l) { return l.kind == OpKind::Add; }) == 0);
}

TEST_CASE("googlenet keeps torchvision's 3x3 '5x5' branch and drops the aux heads", "[zoo-classic]") {
    const Network g = Zoo::instance().build("googlenet");
    const Layer* b3 = find_layer(g, "inception3a.branch3.1.conv");
    REQUIRE(b3);
    CHECK(b3->FY == 3);
    CHECK(b3->K == 32);
    const Layer* pool1 = find_layer(g, "maxpool1");
    REQUIRE(pool1);
    CHECK(pool1->OY == 56);  // ceil_mode: ceil((112 - 3) / 2) + 1; floor would give 55
    CHECK(g.auxiliary_params == 0);
    CHECK(g.layers.back().C == 1024);
}

TEST_CASE("inception_v3 counts the AuxLogits parameters but not its MACs", "[zoo-classic]") {
    const Network net = Zoo::instance().build("inception_v3");
    CHECK(net.resolution == 299);
    // InceptionAux(768): conv0 1x1 768->128 + BN, conv1 5x5 128->768 + BN, fc 768->1000 with bias
    const std::int64_t aux = (768LL * 128 + 2 * 128) + (128LL * 768 * 25 + 2 * 768) + (768LL * 1000 + 1000);
    CHECK(net.auxiliary_params == aux);  // 3,326,696
    for (const auto& layer : net.layers) {
        INFO(layer.name);
        CHECK(layer.name.rfind("AuxLogits", 0) != 0);
    }
    const Layer* stem = find_layer(net, "Conv2d_1a_3x3.conv");
    REQUIRE(stem);
    CHECK(stem->OY == 149);  // (299 - 3) / 2 + 1
    const Layer* b7 = find_layer(net, "Mixed_6b.branch7x7_2.conv");
    REQUIRE(b7);
    CHECK(b7->FY == 1);
    CHECK(b7->FX == 7);
    CHECK(b7->OY == 17);
    CHECK(net.layers.back().C == 2048);
}
