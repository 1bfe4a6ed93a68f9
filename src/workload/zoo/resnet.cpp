// ResNet, ResNeXt and Wide-ResNet as torchvision v0.21 defines them (torchvision/models/resnet.py).
//
// torchvision's "ResNet v1.5": a bottleneck block strides in its 3x3 conv (conv2), not in its first
// 1x1. Every conv has bias=False and is followed by a BatchNorm (2 trainable parameters per channel);
// the only bias is the classifier's.
#include <string>
#include <vector>

#include "workload/builder.hpp"
#include "workload/zoo/families.hpp"

namespace elaa::workload::zoo {
namespace {

enum class Block { Basic, Bottleneck };

struct ResNetDef {
    Block block;
    std::vector<int> blocks_per_stage;  // the "layers" argument, e.g. {3, 4, 6, 3}
    int groups = 1;                     // ResNeXt cardinality
    int width_per_group = 64;           // 64 = plain ResNet; 128 = Wide-ResNet-*-2
};

constexpr int kStemChannels = 64;
constexpr int kStagePlanes[] = {64, 128, 256, 512};
constexpr int kClasses = 1000;

int expansion(Block block) { return block == Block::Basic ? 1 : 4; }

// Weighted layers: the stem conv, 2 or 3 convs per block, the classifier (resnet50 -> 50).
int depth(const ResNetDef& def) {
    int blocks = 0;
    for (int n : def.blocks_per_stage) blocks += n;
    return blocks * (def.block == Block::Basic ? 2 : 3) + 2;
}

// conv (bias=False) followed by its BatchNorm, as every conv in resnet.py.
Tensor conv_bn(NetworkBuilder& b, const Tensor& x, std::int64_t out, const Window& w, std::int64_t groups,
               const std::string& name) {
    Tensor y = b.conv(x, out, w, groups, false, name);
    b.norm(y);
    return y;
}

Tensor basic_block(NetworkBuilder& b, const Tensor& x, int planes, int stride, const std::string& prefix) {
    Tensor y = conv_bn(b, x, planes, win(3, stride), 1, prefix + ".conv1");
    return conv_bn(b, y, planes, win(3), 1, prefix + ".conv2");
}

Tensor bottleneck_block(NetworkBuilder& b, const Tensor& x, int planes, int stride, const ResNetDef& def,
                        const std::string& prefix) {
    // resnet.py: width = int(planes * (base_width / 64.)) * groups; all widths here divide exactly.
    const std::int64_t width = static_cast<std::int64_t>(planes) * def.width_per_group / 64 * def.groups;
    Tensor y = conv_bn(b, x, width, win(1), 1, prefix + ".conv1");
    y = conv_bn(b, y, width, win(3, stride), def.groups, prefix + ".conv2");  // v1.5: stride here
    return conv_bn(b, y, static_cast<std::int64_t>(planes) * expansion(def.block), win(1), 1, prefix + ".conv3");
}

// One residual block: main path, a 1x1 projection ("downsample") when the shape changes, the sum.
Tensor residual_block(NetworkBuilder& b, const Tensor& x, int planes, int stride, const ResNetDef& def,
                      const std::string& prefix) {
    const Tensor main = def.block == Block::Basic ? basic_block(b, x, planes, stride, prefix)
                                                  : bottleneck_block(b, x, planes, stride, def, prefix);
    Tensor shortcut = x;
    if (stride != 1 || x.c != main.c)
        shortcut = conv_bn(b, x, main.c, win(1, stride, 0), 1, prefix + ".downsample.0");
    return b.add(main, shortcut, prefix + ".add");
}

Network build_resnet(const std::string& name, const ResNetDef& def) {
    NetworkBuilder b(name, "resnet", 224);
    b.variant("block", def.block == Block::Basic ? "basic" : "bottleneck");
    std::string layers;
    for (int n : def.blocks_per_stage) {
        if (!layers.empty()) layers += ',';
        layers += std::to_string(n);
    }
    b.variant("layers", layers);
    b.variant("depth", std::to_string(depth(def)));
    b.variant("groups", std::to_string(def.groups));
    b.variant("width_per_group", std::to_string(def.width_per_group));

    Tensor x = conv_bn(b, b.input(), kStemChannels, win(7, 2, 3), 1, "conv1");
    x = b.max_pool(x, win(3, 2, 1), "maxpool");
    for (std::size_t stage = 0; stage < def.blocks_per_stage.size(); ++stage) {
        const std::string stage_name = "layer" + std::to_string(stage + 1);
        for (int i = 0; i < def.blocks_per_stage[stage]; ++i) {
            const int stride = (stage > 0 && i == 0) ? 2 : 1;
            x = residual_block(b, x, kStagePlanes[stage], stride, def, stage_name + "." + std::to_string(i));
        }
    }
    x = b.global_avg_pool(x, "avgpool");
    b.fc(x, kClasses, true, "fc");
    return b.finish();
}

}  // namespace

void register_resnet(ZooRegistry& reg) {
    struct Entry {
        const char* name;
        ResNetDef def;
    };
    const std::vector<int> d18{2, 2, 2, 2}, d34{3, 4, 6, 3}, d101{3, 4, 23, 3}, d152{3, 8, 36, 3};
    const std::vector<Entry> entries{
        {"resnet18", {Block::Basic, d18}},
        {"resnet34", {Block::Basic, d34}},
        {"resnet50", {Block::Bottleneck, d34}},
        {"resnet101", {Block::Bottleneck, d101}},
        {"resnet152", {Block::Bottleneck, d152}},
        {"resnext50_32x4d", {Block::Bottleneck, d34, 32, 4}},
        {"resnext101_32x8d", {Block::Bottleneck, d101, 32, 8}},
        {"resnext101_64x4d", {Block::Bottleneck, d101, 64, 4}},
        {"wide_resnet50_2", {Block::Bottleneck, d34, 1, 128}},
        {"wide_resnet101_2", {Block::Bottleneck, d101, 1, 128}},
    };
    for (const auto& e : entries) {
        const std::string name = e.name;
        const ResNetDef def = e.def;
        reg.add(name, "resnet", [name, def] { return build_resnet(name, def); });
    }
}

}  // namespace elaa::workload::zoo
