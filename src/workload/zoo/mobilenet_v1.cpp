// TF-slim MobileNet v1 (tensorflow/models research/slim/nets/mobilenet_v1.py), the network of the
// published width x resolution grid (research/slim/nets/mobilenet_v1.md).
//
// Definition: a 3x3 stride-2 conv, then 13 depthwise-separable layers (3x3 depthwise + BN, 1x1
// pointwise + BN), a global average pool and the logits as a 1x1 conv with bias over 1001 classes
// (TF-slim's class 0 is "background"). Every conv uses TF "SAME" padding. The width multiplier
// scales every layer's depth as max(int(depth * width), 8).
#include <algorithm>
#include <array>
#include <string>

#include "workload/zoo/families.hpp"
#include "workload/zoo/mobile_blocks.hpp"

namespace elaa::workload::zoo {

namespace {

struct SeparableLayer {
    int depth;
    int stride;
};

constexpr int kStemDepth = 32;
// MOBILENETV1_CONV_DEFS after the stem.
constexpr std::array<SeparableLayer, 13> kSeparableLayers{{
    {64, 1}, {128, 2}, {128, 1}, {256, 2}, {256, 1}, {512, 2}, {512, 1},
    {512, 1}, {512, 1}, {512, 1}, {512, 1}, {1024, 2}, {1024, 1},
}};
constexpr int kMinDepth = 8;
constexpr int kClasses = 1001;

// The table's parameter counts are checkpoint variables: per BN channel beta, moving mean and moving
// variance (BN without scale). Only 3 per channel fits all four widths (4.24, 2.59, 1.34, 0.47 M);
// 2 per channel gives 4.23 and 1.33, 4 per channel 4.25.
const mobile::Convention kTfSlim{/*tf_same_padding=*/true, /*norm_params_per_channel=*/3};

// The published grid: width multipliers written as in the table and its model names.
const std::array<const char*, 4> kWidths{"1.0", "0.75", "0.50", "0.25"};
constexpr std::array<int, 4> kResolutions{224, 192, 160, 128};

Network build_mobilenet_v1(const std::string& width_text, int resolution) {
    const double width = std::stod(width_text);
    const auto depth = [width](int d) {
        return std::max<std::int64_t>(static_cast<std::int64_t>(d * width), kMinDepth);
    };

    NetworkBuilder b("mobilenet_v1_" + width_text + "_" + std::to_string(resolution), "mobilenet_v1",
                     resolution);
    b.variant("width", width_text);
    b.variant("resolution", std::to_string(resolution));

    Tensor x = mobile::conv_bn(b, b.input(), depth(kStemDepth), 3, 2, kTfSlim);
    for (const auto& layer : kSeparableLayers) {
        x = mobile::depthwise_bn(b, x, 3, layer.stride, kTfSlim);
        x = mobile::conv_bn(b, x, depth(layer.depth), 1, 1, kTfSlim);
    }
    // TF-slim pools with a 7x7 VALID kernel reduced to the map size: a global pool at every
    // resolution of the grid.
    x = b.global_avg_pool(x);
    b.conv(x, kClasses, win(1), 1, /*bias=*/true, "logits");
    return b.finish();
}

}  // namespace

void register_mobilenet_v1(ZooRegistry& reg) {
    for (const char* width : kWidths) {
        for (int resolution : kResolutions) {
            const std::string w = width;
            reg.add("mobilenet_v1_" + w + "_" + std::to_string(resolution), "mobilenet_v1",
                    [w, resolution] { return build_mobilenet_v1(w, resolution); });
        }
    }
}

}  // namespace elaa::workload::zoo
