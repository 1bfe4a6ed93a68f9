// Swin Transformer (Liu et al. 2021) and Swin Transformer V2 (Liu et al. 2022) as torchvision
// defines them (torchvision/models/swin_transformer.py: swin_t/s/b, swin_v2_t/s/b).
//
// A 4x4, stride-4 convolution cuts the image into patch tokens (C = embed_dim features at H/4 x W/4
// positions), followed by a LayerNorm. Four stages follow; between stages a patch merging layer
// gathers each 2x2 neighbourhood into one token of 4C features and projects it to 2C (bias-free).
// A stage is a run of blocks, each multi-head self-attention restricted to non-overlapping w x w
// windows followed by an MLP (C -> 4C, GELU, 4C -> C), each with a residual add. Every second block
// shifts the windows by w/2 (a cyclic roll) and masks the scores of tokens the roll brought
// together. Attention adds a learnt relative position bias to the scores of every head.
//
// Per window, attention is costed like ViT's: one C -> 3C projection (with bias) for Q, K and V,
// Q.K^T and A.V as activation products (groups = heads x windows), a softmax over the scores, and a
// C -> C output projection. Window partition, roll, head split and the 2x2 gather are layout only.
// The feature map is padded up to a multiple of the window before the QKV projection (no padding at
// the registered resolutions), and the shift is dropped when one window covers the padded map (the
// last stage: 7x7 at 224 with w = 7, 8x8 at 256 with w = 8).
//
// V2 changes (block and merging only; the stem, stage widths and head are V1's):
// - post-norm: LayerNorm on the attention / MLP output, before the residual add (V1: pre-norm);
// - cosine attention: q and k are L2-normalised and the scores scaled by a learnt per-head
//   logit_scale instead of 1/sqrt(head dim);
// - continuous position bias: the bias table is no longer a parameter but the output of an MLP
//   (Linear(2, 512) + ReLU + Linear(512, heads, no bias)) applied to the (2w-1)^2 relative
//   coordinates, recomputed by every block at every forward pass. torchvision's published GMACs
//   count it (with it, swin_v2_t is 5.940 GMACs; without, 5.921), so it is built as two Gemms;
// - patch merging normalises the 2C projection output rather than the 4C gathered input.
// The V2 QKV projection keeps a 3C bias parameter although K's third is held at zero.
#include <cstdint>
#include <string>
#include <vector>

#include "workload/builder.hpp"
#include "workload/zoo/families.hpp"

namespace elaa::workload::zoo {

namespace {

struct SwinSpec {
    std::string name;
    bool v2;
    int embed_dim;
    std::vector<int> depths;  // blocks per stage
    std::vector<int> heads;   // attention heads per stage
    int window;
    int resolution;
};

constexpr int kPatch = 4;
constexpr int kMlpRatio = 4;
constexpr std::int64_t kCpbHidden = 512;  // width of the V2 continuous position bias MLP
constexpr int kClasses = 1000;

std::string comma_separated(const std::vector<int>& values) {
    std::string out;
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0) out += ',';
        out += std::to_string(values[i]);
    }
    return out;
}

std::int64_t round_up(std::int64_t v, std::int64_t multiple) { return (v + multiple - 1) / multiple * multiple; }

class SwinBuilder {
public:
    explicit SwinBuilder(const SwinSpec& spec) : spec_(spec), b_(spec.name, family(spec), spec.resolution) {}

    static std::string family(const SwinSpec& spec) { return spec.v2 ? "swin_v2" : "swin"; }

    Network build() {
        b_.variant("embed_dim", std::to_string(spec_.embed_dim));
        b_.variant("depths", comma_separated(spec_.depths));
        b_.variant("heads", comma_separated(spec_.heads));
        b_.variant("window", std::to_string(spec_.window));
        b_.variant("patch", std::to_string(kPatch));
        b_.variant("mlp_ratio", std::to_string(kMlpRatio));
        b_.variant("resolution", std::to_string(spec_.resolution));

        Tensor x = b_.conv(b_.input(), spec_.embed_dim, win(kPatch, kPatch, 0), 1, true, "patch_embed");
        x = b_.layer_norm(x, "patch_embed.norm");
        for (std::size_t s = 0; s < spec_.depths.size(); ++s) {
            const std::string stage = "stage" + std::to_string(s + 1);
            for (int i = 0; i < spec_.depths[s]; ++i) {
                const bool shifted = i % 2 == 1;
                x = block(x, spec_.heads[s], shifted, stage + ".block" + std::to_string(i));
            }
            if (s + 1 < spec_.depths.size()) x = patch_merging(x, stage + ".merge");
        }
        x = b_.layer_norm(x, "norm");
        x = b_.global_avg_pool(x, "avgpool");
        b_.fc(x, kClasses, true, "head");
        return b_.finish();
    }

private:
    // V1 pre-norm: x + attn(norm(x)); V2 post-norm: x + norm(attn(x)). Likewise for the MLP.
    Tensor block(const Tensor& x, int heads, bool shifted, const std::string& name) {
        Tensor y = spec_.v2 ? x : b_.layer_norm(x, name + ".norm1");
        y = window_attention(y, heads, shifted, name + ".attn");
        if (spec_.v2) y = b_.layer_norm(y, name + ".norm1");
        const Tensor mid = b_.add(x, y, name + ".add1");

        y = spec_.v2 ? mid : b_.layer_norm(mid, name + ".norm2");
        y = b_.linear(y, kMlpRatio * y.c, true, name + ".mlp.fc1");
        y = b_.gelu(y, name + ".mlp.gelu");
        y = b_.linear(y, mid.c, true, name + ".mlp.fc2");
        if (spec_.v2) y = b_.layer_norm(y, name + ".norm2");
        return b_.add(mid, y, name + ".add2");
    }

    Tensor window_attention(const Tensor& x, int heads, bool shift_requested, const std::string& name) {
        const std::int64_t w = spec_.window;
        const Tensor padded{x.c, round_up(x.h, w), round_up(x.w, w)};
        // torchvision zeroes the shift along a dimension one window covers; the mask is added
        // whenever any shift remains.
        const bool shifted = shift_requested && (w < padded.h || w < padded.w);
        const std::int64_t windows = (padded.h / w) * (padded.w / w);
        const std::int64_t tokens = w * w;
        const std::int64_t head_dim = x.c / heads;

        // The bias table comes first, as in torchvision's forward (V2 computes it with an MLP).
        if (spec_.v2) {
            continuous_position_bias(heads, name + ".cpb_mlp");
        } else {
            b_.embedding((2 * w - 1) * (2 * w - 1) * heads);  // relative_position_bias_table
        }
        b_.linear(padded, 3 * x.c, true, name + ".qkv");
        const Tensor scores = b_.matmul(heads * windows, tokens, head_dim, tokens, name + ".q_kt");
        if (spec_.v2) {
            // Cosine attention: the q/k normalisation is not modelled; the per-head logit_scale
            // multiplies the scores (the same elements viewed as heads x (windows*tokens) x tokens).
            b_.embedding(heads);  // logit_scale
            b_.mul(Tensor{heads, windows * tokens, tokens}, Tensor{heads, 1, 1}, name + ".logit_scale");
        }
        b_.add(scores, scores, name + ".rel_pos_bias");
        if (shifted) b_.add(scores, scores, name + ".shift_mask");
        b_.softmax(scores, name + ".softmax");
        b_.matmul(heads * windows, tokens, tokens, head_dim, name + ".a_v");
        b_.linear(padded, x.c, true, name + ".proj");
        return x;  // windows reversed, roll undone, padding cropped: shape only
    }

    // V2: the MLP maps each of the (2w-1)^2 relative offsets (2 coordinates) to one bias per head.
    // Its ReLU and the 16*sigmoid that follows are not modelled.
    void continuous_position_bias(int heads, const std::string& name) {
        const std::int64_t extent = 2 * spec_.window - 1;
        Tensor t = b_.linear(Tensor{2, extent, extent}, kCpbHidden, true, name + ".0");
        b_.linear(t, heads, false, name + ".2");
    }

    // Each 2x2 neighbourhood (odd extents zero-padded) becomes one token of 4C features, projected
    // to 2C without bias; V1 normalises the 4C input, V2 the 2C output.
    Tensor patch_merging(const Tensor& x, const std::string& name) {
        Tensor y{4 * x.c, (x.h + 1) / 2, (x.w + 1) / 2};
        if (!spec_.v2) y = b_.layer_norm(y, name + ".norm");
        y = b_.linear(y, 2 * x.c, false, name + ".reduction");
        if (spec_.v2) y = b_.layer_norm(y, name + ".norm");
        return y;
    }

    const SwinSpec& spec_;
    NetworkBuilder b_;
};

}  // namespace

void register_swin(ZooRegistry& reg) {
    // torchvision's swin_* builders: patch 4, MLP ratio 4; V1 windows of 7 at the IMAGENET1K_V1
    // crop of 224, V2 windows of 8 at its 256 crop.
    const std::vector<int> tiny{2, 2, 6, 2}, deep{2, 2, 18, 2};
    const std::vector<int> heads96{3, 6, 12, 24}, heads128{4, 8, 16, 32};
    const std::vector<SwinSpec> specs = {
        {"swin_t", false, 96, tiny, heads96, 7, 224},
        {"swin_s", false, 96, deep, heads96, 7, 224},
        {"swin_b", false, 128, deep, heads128, 7, 224},
        {"swin_v2_t", true, 96, tiny, heads96, 8, 256},
        {"swin_v2_s", true, 96, deep, heads96, 8, 256},
        {"swin_v2_b", true, 128, deep, heads128, 8, 256},
    };
    for (const auto& spec : specs)
        reg.add(spec.name, SwinBuilder::family(spec), [spec] { return SwinBuilder(spec).build(); });
}

}  // namespace elaa::workload::zoo
