// MobileNet v3 (Howard et al., arXiv:1905.02244) and MobileNet-EdgeTPU, from
//   - TF-slim's conv defs (tensorflow/models research/slim/nets/mobilenet/mobilenet_v3.py:
//     V3_LARGE, V3_SMALL, V3_LARGE_MINIMALISTIC, V3_SMALL_MINIMALISTIC, V3_EDGETPU): 1001 classes,
//     TF "SAME" padding, the head's 1x1 conv after the pool has a bias and no BN;
//   - torchvision (torchvision/models/mobilenetv3.py): mobilenet_v3_large / _small, 1000 classes,
//     the same layers with the head written as two Linear layers.
// Activations (ReLU, hard-swish, hard-sigmoid) cost nothing in this model, so they are not recorded;
// the minimalistic variants differ from the full ones by 3x3 kernels and no SE.
#include <string>
#include <vector>

#include "workload/zoo/families.hpp"
#include "workload/zoo/mobile_blocks.hpp"

namespace elaa::workload::zoo {

namespace {

struct BlockDef {
    int kernel;
    double expansion;  // TF's expansion factor: expanded = make_divisible(in * factor, 8)
    int out;
    bool se;
    int stride;
    bool fused = false;     // EdgeTPU's fused k x k expansion, no depthwise
    bool residual = true;
};

struct Definition {
    int stem;
    std::vector<BlockDef> blocks;
    int last_conv;  // 1x1 conv + BN before the pool
    int head;       // 1x1 conv with bias after the pool (0: none, as in EdgeTPU)
};

// torchvision lists the expanded widths (16, 64, 72, ...) where TF lists factors; at width 1.0 the
// two give the same channels, so one table serves both.
Definition v3_large(bool minimalistic) {
    const int k5 = minimalistic ? 3 : 5;  // minimalistic: 3x3 depthwise everywhere, no SE
    const bool se = !minimalistic;
    return {16,
            {{3, 1, 16, false, 1},
             {3, 4, 24, false, 2},
             {3, 3, 24, false, 1},
             {k5, 3, 40, se, 2},
             {k5, 3, 40, se, 1},
             {k5, 3, 40, se, 1},
             {3, 6, 80, false, 2},
             {3, 2.5, 80, false, 1},
             {3, 184 / 80., 80, false, 1},
             {3, 184 / 80., 80, false, 1},
             {3, 6, 112, se, 1},
             {3, 6, 112, se, 1},
             {k5, 6, 160, se, 2},
             {k5, 6, 160, se, 1},
             {k5, 6, 160, se, 1}},
            960,
            1280};
}

Definition v3_small(bool minimalistic) {
    const int k5 = minimalistic ? 3 : 5;
    const bool se = !minimalistic;
    return {16,
            {{3, 1, 16, se, 2},
             {3, 72. / 16, 24, false, 2},
             {3, 88. / 24, 24, false, 1},
             {k5, 4, 40, se, 2},
             {k5, 6, 40, se, 1},
             {k5, 6, 40, se, 1},
             {k5, 3, 48, se, 1},
             {k5, 3, 48, se, 1},
             {k5, 6, 96, se, 2},
             {k5, 6, 96, se, 1},
             {k5, 6, 96, se, 1}},
            576,
            1024};
}

// V3_EDGETPU: fused convolutions instead of depthwise in the early, high-resolution layers.
Definition edgetpu() {
    std::vector<BlockDef> blocks{{3, 1, 16, false, 1, true}, {3, 8, 32, false, 2, true}};
    for (int i = 0; i < 3; ++i) blocks.push_back({3, 4, 32, false, 1, true});
    blocks.push_back({3, 8, 48, false, 2, true});
    for (int i = 0; i < 3; ++i) blocks.push_back({3, 4, 48, false, 1, true});
    blocks.push_back({3, 8, 96, false, 2});
    for (int i = 0; i < 3; ++i) blocks.push_back({3, 4, 96, false, 1});
    blocks.push_back({3, 8, 96, false, 1, false, /*residual=*/false});
    for (int i = 0; i < 3; ++i) blocks.push_back({3, 4, 96, false, 1});
    blocks.push_back({5, 8, 160, false, 2});
    for (int i = 0; i < 3; ++i) blocks.push_back({5, 4, 160, false, 1});
    blocks.push_back({3, 8, 192, false, 1});
    return {32, std::move(blocks), 1280, 0};
}

enum class Source { TfSlim, Torchvision };

struct Variant {
    std::string name;
    Definition definition;
    std::string width_text;
    Source source;
    // TF's finegrain_classification_mode: the definition's last layer keeps its width (EdgeTPU 0.75).
    bool keep_last_layer_width = false;
};

// Every TF-slim op with outputs is scaled by make_divisible(depth * width, 8) (lib.depth_multiplier).
std::int64_t scaled(int channels, double width) { return mobile::make_divisible(channels * width); }

Tensor build_blocks(NetworkBuilder& b, Tensor x, const Definition& def, double width,
                    const mobile::Convention& conv) {
    for (const BlockDef& d : def.blocks) {
        mobile::InvertedResidual block;
        block.kernel = d.kernel;
        block.stride = d.stride;
        block.expanded = mobile::make_divisible(static_cast<double>(x.c) * d.expansion);
        block.out = scaled(d.out, width);
        // TF: make_divisible(expanded / 4, 8); torchvision: make_divisible(expanded // 4, 8), equal here.
        if (d.se) block.se_squeeze = mobile::make_divisible(static_cast<double>(block.expanded) / 4);
        block.fused = d.fused;
        block.residual = d.residual;
        x = mobile::inverted_residual(b, x, block, conv);
    }
    return x;
}

Network build(const Variant& v) {
    const bool tf = v.source == Source::TfSlim;
    // TF-slim's V3 defaults set BN with center and scale; the README counts trainable variables.
    const mobile::Convention conv{/*tf_same_padding=*/tf, /*norm_params_per_channel=*/2};
    const double width = std::stod(v.width_text);
    const Definition& def = v.definition;
    const bool last_is_head = def.head > 0;

    NetworkBuilder b(v.name, "mobilenet_v3", 224);
    b.variant("width", v.width_text);
    b.variant("resolution", "224");
    b.variant("source", tf ? "tf-slim" : "torchvision");

    Tensor x = mobile::conv_bn(b, b.input(), scaled(def.stem, width), 3, 2, conv);
    x = build_blocks(b, x, def, width, conv);
    const bool keep_last_conv = v.keep_last_layer_width && !last_is_head;
    x = mobile::conv_bn(b, x, keep_last_conv ? def.last_conv : scaled(def.last_conv, width), 1, 1, conv);
    x = b.global_avg_pool(x);
    if (last_is_head) {
        const std::int64_t head = v.keep_last_layer_width ? def.head : scaled(def.head, width);
        x = tf ? b.conv(x, head, win(1), 1, /*bias=*/true, "head") : b.fc(x, head, /*bias=*/true, "head");
    }
    if (tf)
        b.conv(x, 1001, win(1), 1, /*bias=*/true, "logits");
    else
        b.fc(x, 1000, /*bias=*/true, "classifier");
    return b.finish();
}

std::vector<Variant> variants() {
    return {
        {"mobilenet_v3_large", v3_large(false), "1.0", Source::Torchvision},
        {"mobilenet_v3_small", v3_small(false), "1.0", Source::Torchvision},
        {"mobilenet_v3_large_1.0_224", v3_large(false), "1.0", Source::TfSlim},
        // The published dm=0.75 checkpoints keep the 1280 / 1024 head (finegrain_classification_mode):
        // with it large 0.75 has the README's 4.0 M parameters, scaled to 960 it would have 3.4 M.
        {"mobilenet_v3_large_0.75_224", v3_large(false), "0.75", Source::TfSlim, true},
        {"mobilenet_v3_small_1.0_224", v3_small(false), "1.0", Source::TfSlim},
        {"mobilenet_v3_small_0.75_224", v3_small(false), "0.75", Source::TfSlim, true},
        {"mobilenet_v3_large_minimalistic_1.0_224", v3_large(true), "1.0", Source::TfSlim},
        {"mobilenet_v3_small_minimalistic_1.0_224", v3_small(true), "1.0", Source::TfSlim},
        {"mobilenet_edgetpu_1.0_224", edgetpu(), "1.0", Source::TfSlim},
        // slim's edge_tpu_075 wrapper sets finegrain_classification_mode.
        {"mobilenet_edgetpu_0.75_224", edgetpu(), "0.75", Source::TfSlim, true},
    };
}

}  // namespace

void register_mobilenet_v3(ZooRegistry& reg) {
    for (Variant& v : variants()) {
        const std::string name = v.name;
        reg.add(name, "mobilenet_v3", [v = std::move(v)] { return build(v); });
    }
}

}  // namespace elaa::workload::zoo
