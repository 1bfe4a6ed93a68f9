// MaxViT (Tu et al. 2022) as torchvision defines it (torchvision/models/maxvit.py: maxvit_t).
//
// A stem of two 3x3 convolutions (the first stride 2 with BatchNorm and GELU, the second with a
// bias) is followed by four stages. Each layer of a stage is an MBConv and two attention layers:
//   * MBConv: BatchNorm, 1x1 expansion (x4) + BN + GELU, 3x3 depthwise (stride 2 in a stage's first
//     layer) + BN + GELU, squeeze-and-excitation (a quarter of the output width), 1x1 projection
//     with bias; the shortcut is a 3x3 stride-2 average pool and a 1x1 convolution with bias where
//     the stride or the width changes;
//   * block attention over non-overlapping 7x7 windows, then grid attention over a 7x7 grid of
//     tokens spread across the map. Both attend within groups of 49 tokens, so in the loop nest they
//     are the same: HW/49 groups, heads of 32 features, a relative-position bias added to the
//     scores. Each is pre-norm: LayerNorm, C -> 3C projection, Q.K^T, softmax, A.V, C -> C merge,
//     residual add; LayerNorm, MLP (C -> 4C, GELU, 4C -> C), residual add.
// The head pools, normalises, and applies Linear + Tanh + a bias-free Linear classifier.
//
// The partitions and the axis swaps are layout only. As in the rest of the zoo, activations other
// than GELU (SE's SiLU and sigmoid, the head's Tanh) are fused into the layer that produces them.
#include <array>
#include <string>

#include "workload/builder.hpp"
#include "workload/zoo/families.hpp"

namespace elaa::workload::zoo {

namespace {

constexpr std::int64_t kStemChannels = 64;
constexpr std::array<std::int64_t, 4> kBlockChannels{64, 128, 256, 512};
constexpr std::array<int, 4> kBlockLayers{2, 2, 5, 2};
constexpr std::int64_t kHeadDim = 32;
constexpr std::int64_t kPartition = 7;  // tokens per window or grid side
constexpr std::int64_t kExpansion = 4;  // MBConv and MLP
constexpr int kClasses = 1000;

class MaxVitBuilder {
public:
    MaxVitBuilder() : b_("maxvit_t", "maxvit", 224) {}

    Network build() {
        b_.variant("channels", "64,128,256,512");
        b_.variant("layers", "2,2,5,2");
        b_.variant("head_dim", std::to_string(kHeadDim));
        b_.variant("partition", std::to_string(kPartition));

        Tensor x = b_.conv(b_.input(), kStemChannels, win(3, 2, 1), 1, false, "stem.0");
        b_.norm(x);
        x = b_.gelu(x, "stem.0.gelu");
        x = b_.conv(x, kStemChannels, win(3, 1, 1), 1, true, "stem.1");
        for (std::size_t s = 0; s < kBlockChannels.size(); ++s)
            for (int l = 0; l < kBlockLayers[s]; ++l) {
                const std::string at = "block" + std::to_string(s) + ".layer" + std::to_string(l);
                x = mbconv(x, kBlockChannels[s], l == 0 ? 2 : 1, at + ".mbconv");
                x = partition_attention(x, at + ".window");
                x = partition_attention(x, at + ".grid");
            }
        x = b_.global_avg_pool(x, "classifier.pool");
        x = b_.layer_norm(x, "classifier.norm");
        x = b_.fc(x, x.c, true, "classifier.fc1");
        b_.fc(x, kClasses, false, "classifier.fc2");
        return b_.finish();
    }

private:
    Tensor mbconv(const Tensor& x, std::int64_t out, int stride, const std::string& name) {
        const std::int64_t mid = out * kExpansion, squeeze = out / 4;
        b_.norm(x);  // pre-norm
        Tensor y = b_.conv(x, mid, win(1, 1, 0), 1, false, name + ".conv_a");
        b_.norm(y);
        y = b_.gelu(y, name + ".conv_a.gelu");
        y = b_.conv(y, mid, win(3, stride, 1), mid, false, name + ".conv_b");
        b_.norm(y);
        y = b_.gelu(y, name + ".conv_b.gelu");
        Tensor gate = b_.global_avg_pool(y, name + ".se.pool");
        gate = b_.conv(gate, squeeze, win(1, 1, 0), 1, true, name + ".se.fc1");
        gate = b_.conv(gate, mid, win(1, 1, 0), 1, true, name + ".se.fc2");
        y = b_.mul(y, gate, name + ".se.scale");
        y = b_.conv(y, out, win(1, 1, 0), 1, true, name + ".conv_c");
        Tensor shortcut = x;
        if (stride != 1 || x.c != out) {
            if (stride == 2) shortcut = b_.avg_pool(shortcut, win(3, 2, 1), name + ".proj.pool");
            shortcut = b_.conv(shortcut, out, win(1, 1, 0), 1, true, name + ".proj");
        }
        return b_.add(shortcut, y, name + ".add");
    }

    // Block (window) or grid attention: both group the map into HW/49 sets of 49 tokens.
    Tensor partition_attention(const Tensor& x, const std::string& name) {
        const std::int64_t tokens = kPartition * kPartition;
        const std::int64_t groups = x.h * x.w / tokens;
        const std::int64_t heads = x.c / kHeadDim;
        b_.embedding((2 * kPartition - 1) * (2 * kPartition - 1) * heads);  // relative_position_bias_table

        Tensor y = b_.layer_norm(x, name + ".attn.norm");
        b_.linear(y, 3 * x.c, true, name + ".attn.qkv");
        const Tensor scores = b_.matmul(groups * heads, tokens, kHeadDim, tokens, name + ".attn.q_kt");
        b_.add(scores, scores, name + ".attn.rel_pos_bias");
        b_.softmax(scores, name + ".attn.softmax");
        b_.matmul(groups * heads, tokens, tokens, kHeadDim, name + ".attn.a_v");
        y = b_.linear(x, x.c, true, name + ".attn.merge");  // heads merged, partitions reversed: layout
        const Tensor mid = b_.add(x, y, name + ".attn.add");

        y = b_.layer_norm(mid, name + ".mlp.norm");
        y = b_.linear(y, kExpansion * x.c, true, name + ".mlp.fc1");
        y = b_.gelu(y, name + ".mlp.gelu");
        y = b_.linear(y, x.c, true, name + ".mlp.fc2");
        return b_.add(mid, y, name + ".mlp.add");
    }

    NetworkBuilder b_;
};

}  // namespace

void register_maxvit(ZooRegistry& reg) {
    reg.add("maxvit_t", "maxvit", [] { return MaxVitBuilder().build(); });
}

}  // namespace elaa::workload::zoo
