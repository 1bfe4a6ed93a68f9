// SqueezeNet 1.0 and 1.1 as torchvision v0.21 defines them (torchvision/models/squeezenet.py).
// All convs have bias and no BatchNorm; max pools use ceil_mode; the classifier is a 1x1 conv to the
// 1000 classes followed by a global average pool (no fully connected layer).
#include <string>
#include <vector>

#include "workload/builder.hpp"
#include "workload/zoo/families.hpp"

namespace elaa::workload::zoo {
namespace {

// One module of `features` after the stem conv and its ReLU: a Fire module, or a max pool when
// squeeze == 0. In both versions a Fire's expand1x1 and expand3x3 have the same width.
struct FeatureItem {
    int squeeze = 0;
    int expand = 0;
};
constexpr FeatureItem kPool{};

struct SqueezeNetDef {
    const char* version;
    int stem_channels;
    int stem_kernel;  // stride 2, no padding
    std::vector<FeatureItem> features;
};

const SqueezeNetDef kV1_0{"1_0", 96, 7,
                          {kPool, {16, 64}, {16, 64}, {32, 128}, kPool, {32, 128}, {48, 192}, {48, 192}, {64, 256},
                           kPool, {64, 256}}};
const SqueezeNetDef kV1_1{"1_1", 64, 3,
                          {kPool, {16, 64}, {16, 64}, kPool, {32, 128}, {32, 128}, kPool, {48, 192}, {48, 192},
                           {64, 256}, {64, 256}}};
constexpr int kClasses = 1000;

Tensor fire(NetworkBuilder& b, const Tensor& x, const FeatureItem& f, const std::string& prefix) {
    const Tensor s = b.conv(x, f.squeeze, win(1), 1, true, prefix + ".squeeze");
    const Tensor e1 = b.conv(s, f.expand, win(1), 1, true, prefix + ".expand1x1");
    const Tensor e3 = b.conv(s, f.expand, win(3, 1, 1), 1, true, prefix + ".expand3x3");
    return b.concat({e1, e3});
}

Network build_squeezenet(const SqueezeNetDef& def) {
    NetworkBuilder b(std::string("squeezenet") + def.version, "squeezenet", 224);
    b.variant("version", def.version);
    Tensor x = b.conv(b.input(), def.stem_channels, win(def.stem_kernel, 2, 0), 1, true, "features.0");
    int index = 2;  // after the stem conv and its ReLU
    for (const auto& item : def.features) {
        const std::string module = "features." + std::to_string(index++);
        if (item.squeeze == 0) {
            Window pool = win(3, 2, 0);
            pool.ceil_mode = true;
            x = b.max_pool(x, pool, module);
        } else {
            x = fire(b, x, item, module);
        }
    }
    // classifier: Dropout, Conv2d(512, classes, 1), ReLU, AdaptiveAvgPool2d((1, 1))
    x = b.conv(x, kClasses, win(1), 1, true, "classifier.1");
    b.global_avg_pool(x, "classifier.3");
    return b.finish();
}

}  // namespace

void register_squeezenet(ZooRegistry& reg) {
    reg.add("squeezenet1_0", "squeezenet", [] { return build_squeezenet(kV1_0); });
    reg.add("squeezenet1_1", "squeezenet", [] { return build_squeezenet(kV1_1); });
}

}  // namespace elaa::workload::zoo
