// ConvNeXt (Liu et al. 2022) as torchvision defines it (torchvision/models/convnext.py): a ResNet
// modernised towards the Swin Transformer's design while staying a pure CNN.
//
// A 4x4, stride-4 "patchify" convolution and a LayerNorm form the stem. Four stages follow, joined
// by a LayerNorm and a 2x2, stride-2 convolution. Each block is a 7x7 depthwise convolution, a
// LayerNorm over the channels, an inverted-bottleneck MLP (C -> 4C, GELU, 4C -> C, applied at every
// position: linear layers, as torchvision writes them), a learnt per-channel layer scale, and the
// residual add. The head pools globally, normalises and classifies.
#include <array>
#include <string>
#include <vector>

#include "workload/builder.hpp"
#include "workload/zoo/families.hpp"

namespace elaa::workload::zoo {

namespace {

struct ConvNextSpec {
    std::string name;
    std::array<std::int64_t, 4> widths;
    std::array<int, 4> depths;
};

Tensor convnext_block(NetworkBuilder& b, const Tensor& x, const std::string& at) {
    Tensor y = b.conv(x, x.c, win(7), x.c, true, at + "dwconv");
    y = b.layer_norm(y, at + "ln");
    y = b.linear(y, 4 * x.c, true, at + "fc1");
    y = b.gelu(y, at + "gelu");
    y = b.linear(y, x.c, true, at + "fc2");
    b.embedding(x.c);  // the layer scale, one learnt factor per channel
    y = b.mul(y, Tensor{x.c, 1, 1}, at + "layer_scale");
    return b.add(x, y, at + "add");
}

Network build_convnext(const ConvNextSpec& spec) {
    NetworkBuilder b(spec.name, "convnext", 224);
    std::string widths, depths;
    for (std::size_t s = 0; s < spec.widths.size(); ++s) {
        widths += (s ? "," : "") + std::to_string(spec.widths[s]);
        depths += (s ? "," : "") + std::to_string(spec.depths[s]);
    }
    b.variant("widths", widths);
    b.variant("depths", depths);

    Tensor x = b.conv(b.input(), spec.widths[0], win(4, 4, 0), 1, true, "stem");
    x = b.layer_norm(x, "stem.ln");
    for (std::size_t s = 0; s < spec.widths.size(); ++s) {
        const std::string stage = "stage" + std::to_string(s + 1) + ".";
        if (s > 0) {
            x = b.layer_norm(x, stage + "down.ln");
            x = b.conv(x, spec.widths[s], win(2, 2, 0), 1, true, stage + "down");
        }
        for (int i = 0; i < spec.depths[s]; ++i) x = convnext_block(b, x, stage + "block" + std::to_string(i) + ".");
    }
    x = b.global_avg_pool(x, "pool");
    x = b.layer_norm(x, "head.ln");
    b.fc(x, 1000, true, "head");
    return b.finish();
}

}  // namespace

void register_convnext(ZooRegistry& reg) {
    // torchvision's convnext_tiny ... convnext_large.
    const std::vector<ConvNextSpec> specs = {
        {"convnext_tiny", {96, 192, 384, 768}, {3, 3, 9, 3}},
        {"convnext_small", {96, 192, 384, 768}, {3, 3, 27, 3}},
        {"convnext_base", {128, 256, 512, 1024}, {3, 3, 27, 3}},
        {"convnext_large", {192, 384, 768, 1536}, {3, 3, 27, 3}},
    };
    for (const auto& spec : specs) reg.add(spec.name, "convnext", [spec] { return build_convnext(spec); });
}

}  // namespace elaa::workload::zoo
