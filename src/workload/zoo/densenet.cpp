// DenseNet-BC as torchvision v0.21 defines it (torchvision/models/densenet.py).
//
// Pre-activation: each conv is preceded by a BatchNorm on its input (2 parameters per input
// channel) and has no bias. A dense layer sees the concatenation of the block input and all earlier
// layers' outputs (growth_rate channels each); transitions halve channels and spatial size.
#include <string>
#include <vector>

#include "workload/builder.hpp"
#include "workload/zoo/families.hpp"

namespace elaa::workload::zoo {
namespace {

struct DenseNetDef {
    int depth;
    int growth_rate;
    std::vector<int> block_config;
    int num_init_features;
};

constexpr int kBottleneckFactor = 4;  // bn_size: the 1x1 conv outputs bn_size * growth_rate channels
constexpr int kClasses = 1000;

// BN on the input, then a bias-free conv (norm-relu-conv order of densenet.py).
Tensor bn_conv(NetworkBuilder& b, const Tensor& x, std::int64_t out, const Window& w, const std::string& name) {
    b.norm(x);
    return b.conv(x, out, w, 1, false, name);
}

// One _DenseLayer: returns only its new growth_rate channels.
Tensor dense_layer(NetworkBuilder& b, const Tensor& x, int growth_rate, const std::string& prefix) {
    const Tensor y = bn_conv(b, x, static_cast<std::int64_t>(kBottleneckFactor) * growth_rate, win(1),
                             prefix + ".conv1");
    return bn_conv(b, y, growth_rate, win(3, 1, 1), prefix + ".conv2");
}

Tensor dense_block(NetworkBuilder& b, const Tensor& x, int layers, int growth_rate, const std::string& prefix) {
    std::vector<Tensor> features{x};
    for (int i = 0; i < layers; ++i)
        features.push_back(
            dense_layer(b, b.concat(features), growth_rate, prefix + ".denselayer" + std::to_string(i + 1)));
    return b.concat(features);
}

Tensor transition(NetworkBuilder& b, const Tensor& x, const std::string& prefix) {
    const Tensor y = bn_conv(b, x, x.c / 2, win(1), prefix + ".conv");
    return b.avg_pool(y, win(2, 2, 0), prefix + ".pool");
}

Network build_densenet(const DenseNetDef& def) {
    const std::string name = "densenet" + std::to_string(def.depth);
    NetworkBuilder b(name, "densenet", 224);
    b.variant("depth", std::to_string(def.depth));
    b.variant("growth_rate", std::to_string(def.growth_rate));
    b.variant("num_init_features", std::to_string(def.num_init_features));

    Tensor x = b.conv(b.input(), def.num_init_features, win(7, 2, 3), 1, false, "features.conv0");
    b.norm(x);  // norm0 (post-activation only in the stem)
    x = b.max_pool(x, win(3, 2, 1), "features.pool0");
    for (std::size_t i = 0; i < def.block_config.size(); ++i) {
        const std::string id = std::to_string(i + 1);
        x = dense_block(b, x, def.block_config[i], def.growth_rate, "features.denseblock" + id);
        if (i + 1 < def.block_config.size()) x = transition(b, x, "features.transition" + id);
    }
    b.norm(x);  // norm5
    x = b.global_avg_pool(x, "adaptive_avg_pool2d");  // functional in DenseNet.forward
    b.fc(x, kClasses, true, "classifier");
    return b.finish();
}

}  // namespace

void register_densenet(ZooRegistry& reg) {
    const std::vector<DenseNetDef> defs{
        {121, 32, {6, 12, 24, 16}, 64},
        {161, 48, {6, 12, 36, 24}, 96},
        {169, 32, {6, 12, 32, 32}, 64},
        {201, 32, {6, 12, 48, 32}, 64},
    };
    for (const auto& def : defs)
        reg.add("densenet" + std::to_string(def.depth), "densenet", [def] { return build_densenet(def); });
}

}  // namespace elaa::workload::zoo
