// MobileNet v2 (Sandler et al., arXiv:1801.04381) in its two published implementations:
//   - TF-slim (tensorflow/models research/slim/nets/mobilenet/mobilenet_v2.py, V2_DEF): the
//     width x resolution grid of the slim README, 1001 classes, TF "SAME" padding;
//   - torchvision's mobilenet_v2 (torchvision/models/mobilenetv2.py): 1000 classes, PyTorch padding,
//     a dropout + Linear classifier.
// Both follow the paper's table: a 3x3 stride-2 conv of 32, seven stages of inverted residual blocks,
// a 1x1 conv of 1280, global average pooling and the classifier.
#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "workload/zoo/families.hpp"
#include "workload/zoo/mobile_blocks.hpp"

namespace elaa::workload::zoo {

namespace {

struct Stage {
    int expansion;  // t
    int channels;   // c
    int repeats;    // n
    int stride;     // s of the first block
};

constexpr int kStemChannels = 32;
constexpr std::array<Stage, 7> kStages{{
    {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2},
    {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1},
}};
constexpr int kLastChannels = 1280;

struct Flavour {
    mobile::Convention convention;
    int classes;
    // Channels inside a block from its input channels and expansion factor.
    std::int64_t (*expanded)(std::int64_t in, int expansion);
    bool logits_as_conv;  // TF-slim's 1x1 conv with bias, or a Linear layer
    const char* source;
};

// TF-slim: expand_input_by_factor(t) = make_divisible(in * t, 8), except the first block whose
// factor 1 is rounded by 1 (no expansion).
std::int64_t tf_expanded(std::int64_t in, int expansion) {
    return expansion == 1 ? in : mobile::make_divisible(static_cast<double>(in * expansion));
}
// torchvision: hidden_dim = round(in * t).
std::int64_t torch_expanded(std::int64_t in, int expansion) { return in * expansion; }

// V2_DEF sets batch norm with center and scale, but the slim README's parameter counts leave every BN
// variable out: conv and logits weights and biases alone give its 6.06 ... 1.66 M at all six widths,
// while adding gamma and beta puts every width about 1 % over.
const Flavour kTfSlim{{/*tf_same_padding=*/true, /*norm_params_per_channel=*/0}, 1001, tf_expanded, true,
                      "tf-slim"};
const Flavour kTorchvision{{/*tf_same_padding=*/false, /*norm_params_per_channel=*/2}, 1000,
                           torch_expanded, false, "torchvision"};

Network build(const std::string& name, const std::string& width_text, int resolution,
              const Flavour& flavour) {
    NetworkBuilder b(name, "mobilenet_v2", resolution);
    b.variant("width", width_text);
    b.variant("resolution", std::to_string(resolution));
    b.variant("source", flavour.source);
    const double width = std::stod(width_text);
    const mobile::Convention& conv = flavour.convention;
    const auto scaled = [width](int channels) { return mobile::make_divisible(channels * width); };

    Tensor x = mobile::conv_bn(b, b.input(), scaled(kStemChannels), 3, 2, conv);
    for (const Stage& stage : kStages) {
        for (int i = 0; i < stage.repeats; ++i) {
            mobile::InvertedResidual block;
            block.stride = i == 0 ? stage.stride : 1;
            block.expanded = flavour.expanded(x.c, stage.expansion);
            block.out = scaled(stage.channels);
            x = mobile::inverted_residual(b, x, block, conv);
        }
    }
    // Both implementations keep the last layer at 1280 for widths below 1 (TF-slim's
    // "finegrain_classification_mode", which its published checkpoints use; torchvision's
    // 1280 * max(1, width)) and widen it above 1.
    x = mobile::conv_bn(b, x, mobile::make_divisible(kLastChannels * std::max(1.0, width)), 1, 1, conv);
    x = b.global_avg_pool(x);
    if (flavour.logits_as_conv)
        b.conv(x, flavour.classes, win(1), 1, /*bias=*/true, "logits");
    else
        b.fc(x, flavour.classes, /*bias=*/true, "classifier");
    return b.finish();
}

struct GridRow {
    const char* width;
    int resolution;
};

// The slim README's grid: 1.4 and 1.3 at 224 only, the other widths at five resolutions.
std::vector<GridRow> tf_grid() {
    std::vector<GridRow> rows{{"1.4", 224}, {"1.3", 224}};
    for (const char* width : {"1.0", "0.75", "0.5", "0.35"})
        for (int resolution : {224, 192, 160, 128, 96}) rows.push_back({width, resolution});
    return rows;
}

}  // namespace

void register_mobilenet_v2(ZooRegistry& reg) {
    for (const GridRow& row : tf_grid()) {
        const std::string name = "mobilenet_v2_" + std::string(row.width) + "_" + std::to_string(row.resolution);
        const std::string width = row.width;
        const int resolution = row.resolution;
        reg.add(name, "mobilenet_v2",
                [name, width, resolution] { return build(name, width, resolution, kTfSlim); });
    }
    reg.add("mobilenet_v2", "mobilenet_v2", [] { return build("mobilenet_v2", "1.0", 224, kTorchvision); });
}

}  // namespace elaa::workload::zoo
