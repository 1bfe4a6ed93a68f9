// Cadene's pretrained-models.pytorch definitions (senet.py, resnext.py): the ports the suite's
// SE-ResNet, SE-ResNeXt, SENet154 and ResNeXt101 accuracies were measured on.
//   - SE-ResNet (SEResNetBottleneck): Caffe-style, the stride sits in the FIRST 1x1 conv.
//   - SE-ResNeXt (SEResNeXtBottleneck): stride in the grouped 3x3; width = floor(planes * 4 / 64) * 32.
//   - SENet154 (SEBottleneck): 3-conv 3x3 stem, 1x1 to 2*planes, grouped 3x3 (64 groups) to 4*planes,
//     3x3/2 downsample shortcuts.
//   - SE modules: 1x1 convs with bias, reduction 16. Stem max pool 3x3/2 with ceil_mode.
//   - ResNeXt101_32x4d (Torch7 port): plain ResNeXt bottleneck, stride in the grouped 3x3, torchvision-
//     style stem (7x7/2, max pool 3x3/2 pad 1).
// PyTorch counts trainable parameters: BN gamma and beta (2 per channel). Convs have no bias.
#include <string>
#include <vector>

#include "workload/builder.hpp"
#include "workload/zoo/suite_builders.hpp"

namespace elaa::workload::zoo {
namespace {

using namespace suite;

enum class Bottleneck { SEResNet, SEResNeXt, SENet, ResNeXt };

struct SENetConfig {
    Bottleneck block;
    std::vector<int> layers;
    std::int64_t groups;
    std::int64_t inplanes;       // stem output channels
    bool input_3x3;              // SENet154's three 3x3 stem convs instead of one 7x7
    int downsample_kernel;       // projection shortcut kernel in stages 2-4 (1, or 3 with padding 1)
    const char* source;
};

constexpr std::int64_t kExpansion = 4;
constexpr std::int64_t kReduction = 16;
constexpr std::int64_t kBaseWidth = 4;  // SE-ResNeXt / ResNeXt 32x4d

Tensor bn(NetworkBuilder& b, const Tensor& x) {
    b.norm(x, kTrainableBn);
    return x;
}

// The three convs of a bottleneck as each block type defines them (channels, stride placement).
Tensor bottleneck_body(NetworkBuilder& b, const Tensor& x, const SENetConfig& cfg, std::int64_t planes, int stride,
                       const std::string& name) {
    std::int64_t mid1 = planes, mid2 = planes, groups = 1;
    int stride1 = 1, stride3 = 1;
    switch (cfg.block) {
        case Bottleneck::SEResNet: stride1 = stride; break;
        case Bottleneck::SEResNeXt:
        case Bottleneck::ResNeXt:
            mid1 = mid2 = planes * kBaseWidth / 64 * cfg.groups;
            groups = cfg.groups;
            stride3 = stride;
            break;
        case Bottleneck::SENet:
            mid1 = planes * 2;
            mid2 = planes * 4;
            groups = cfg.groups;
            stride3 = stride;
            break;
    }
    Tensor y = conv_bn(b, x, mid1, valid(1, stride1), kTrainableBn, false, 1, name + "_conv1");
    y = conv_bn(b, y, mid2, win(3, stride3, 1), kTrainableBn, false, groups, name + "_conv2");
    return conv_bn(b, y, planes * kExpansion, valid(1), kTrainableBn, false, 1, name + "_conv3");
}

Tensor bottleneck(NetworkBuilder& b, const Tensor& x, const SENetConfig& cfg, std::int64_t planes, int stride,
                  int downsample_kernel, const std::string& name) {
    Tensor shortcut = x;
    if (stride != 1 || x.c != planes * kExpansion)
        shortcut = conv_bn(b, x, planes * kExpansion, win(downsample_kernel, stride, downsample_kernel / 2),
                           kTrainableBn, false, 1, name + "_downsample");
    Tensor y = bottleneck_body(b, x, cfg, planes, stride, name);
    if (cfg.block != Bottleneck::ResNeXt) y = squeeze_excite(b, y, y.c / kReduction, name);
    return b.add(y, shortcut, name + "_add");
}

Tensor senet_stem(NetworkBuilder& b, const SENetConfig& cfg) {
    Tensor x = b.input();
    if (cfg.input_3x3) {
        x = bn(b, b.conv(x, 64, win(3, 2, 1), 1, false, "layer0_conv1"));
        x = bn(b, b.conv(x, 64, win(3, 1, 1), 1, false, "layer0_conv2"));
        x = bn(b, b.conv(x, cfg.inplanes, win(3, 1, 1), 1, false, "layer0_conv3"));
    } else {
        x = bn(b, b.conv(x, cfg.inplanes, win(7, 2, 3), 1, false, "layer0_conv1"));
    }
    if (cfg.block == Bottleneck::ResNeXt) return b.max_pool(x, win(3, 2, 1), "layer0_pool");
    Window pool = valid(3, 2);
    pool.pad = Padding::symmetric(0);
    pool.ceil_mode = true;
    return b.max_pool(x, pool, "layer0_pool");
}

Network build_senet(const std::string& network, const SENetConfig& cfg) {
    NetworkBuilder b(suite_name(network), kFamily, 224);
    b.variant("source", cfg.source);
    b.variant("groups", std::to_string(cfg.groups));
    Tensor x = senet_stem(b, cfg);
    std::int64_t planes = 64;
    for (std::size_t s = 0; s < cfg.layers.size(); ++s) {
        const int stride = s == 0 ? 1 : 2;
        // Cadene's _make_layer: layer1's projection is always 1x1 (downsample_kernel_size=1, padding=0).
        const int ds_kernel = s == 0 ? 1 : cfg.downsample_kernel;
        for (int i = 0; i < cfg.layers[s]; ++i)
            x = bottleneck(b, x, cfg, planes, i == 0 ? stride : 1, ds_kernel,
                           "layer" + std::to_string(s + 1) + "_" + std::to_string(i));
        planes *= 2;
    }
    x = b.avg_pool(x, valid(7), "avg_pool");  // AvgPool2d(7, stride=1) on the 7 x 7 map
    b.fc(x, 1000, true, "last_linear");
    return b.finish();
}

void add(ZooRegistry& reg, const std::string& network, const SENetConfig& cfg) {
    reg.add(suite_name(network), kFamily, [network, cfg] { return build_senet(network, cfg); });
}

}  // namespace

void register_suite_senet(ZooRegistry& reg) {
    const char* senet_py = "Cadene pretrained-models.pytorch senet.py";
    add(reg, "SEResNet50", {Bottleneck::SEResNet, {3, 4, 6, 3}, 1, 64, false, 1, senet_py});
    add(reg, "SEResNet101", {Bottleneck::SEResNet, {3, 4, 23, 3}, 1, 64, false, 1, senet_py});
    add(reg, "SEResNet152", {Bottleneck::SEResNet, {3, 8, 36, 3}, 1, 64, false, 1, senet_py});
    add(reg, "SEResNeXt50", {Bottleneck::SEResNeXt, {3, 4, 6, 3}, 32, 64, false, 1, senet_py});
    add(reg, "SEResNeXt101", {Bottleneck::SEResNeXt, {3, 4, 23, 3}, 32, 64, false, 1, senet_py});
    add(reg, "SENet154", {Bottleneck::SENet, {3, 8, 36, 3}, 64, 128, true, 3, senet_py});
    add(reg, "ResNeXt101", {Bottleneck::ResNeXt, {3, 4, 23, 3}, 32, 64, false, 1,
                            "Cadene pretrained-models.pytorch resnext101_32x4d (Torch7 port)"});
}

}  // namespace elaa::workload::zoo
