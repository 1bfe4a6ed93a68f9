// Vision Transformers (Dosovitskiy et al. 2021) as torchvision defines them
// (torchvision/models/vision_transformer.py).
//
// The image is cut into p x p patches, each projected to a D-dimensional token by a p x p, stride-p
// convolution; a learnt class token is prepended and a learnt position embedding added. L encoder
// blocks follow, each pre-norm: LayerNorm, multi-head self-attention (one D -> 3D projection for
// Q, K and V, h heads of D / h, an output projection), residual add; LayerNorm, MLP (D -> M, GELU,
// M -> D), residual add. A final LayerNorm and a linear classifier read the class token.
//
// Attention is two products of activations per head: Q.K^T (N x D/h by D/h x N) and A.V (N x N by
// N x D/h), with a softmax over each row of scores in between. Both are costed as MatMul layers;
// the head split and the transposes are layout only.
//
// SWAG weights fine-tuned end to end (Singh et al. 2022) run the same architecture at a larger crop
// (384, 512 or 518): the position embedding grows with the token count, so those are networks of
// their own, named <model>@<resolution>.
#include <string>
#include <vector>

#include "workload/builder.hpp"
#include "workload/zoo/families.hpp"

namespace elaa::workload::zoo {

namespace {

struct VitSpec {
    std::string name;
    int patch;
    int depth;       // encoder blocks L
    int heads;       // h
    int hidden;      // D
    int mlp;         // M
    std::vector<int> resolutions;  // the first is the model's own; others are <name>@<resolution>
};

std::string network_name(const VitSpec& spec, int resolution) {
    return resolution == spec.resolutions.front() ? spec.name : spec.name + "@" + std::to_string(resolution);
}

Network build_vit(const VitSpec& spec, int resolution) {
    NetworkBuilder b(network_name(spec, resolution), "vit", resolution);
    b.variant("patch", std::to_string(spec.patch));
    b.variant("layers", std::to_string(spec.depth));
    b.variant("heads", std::to_string(spec.heads));
    b.variant("hidden", std::to_string(spec.hidden));
    b.variant("mlp", std::to_string(spec.mlp));

    const Tensor patches = b.conv(b.input(), spec.hidden, win(spec.patch, spec.patch, 0), 1, true, "patch_embed");
    const std::int64_t tokens = patches.h * patches.w + 1;  // plus the class token
    const std::int64_t head_dim = spec.hidden / spec.heads;
    b.embedding(spec.hidden);           // class token
    b.embedding(tokens * spec.hidden);  // position embedding
    Tensor x{spec.hidden, 1, tokens};  // a sequence: one row of tokens
    x = b.add(x, x, "pos_embed");

    for (int l = 0; l < spec.depth; ++l) {
        const std::string at = "block" + std::to_string(l) + ".";
        Tensor y = b.layer_norm(x, at + "ln1");
        b.linear(y, 3 * spec.hidden, true, at + "qkv");
        const Tensor scores = b.matmul(spec.heads, tokens, head_dim, tokens, at + "q_kt");
        b.softmax(scores, at + "softmax");
        y = b.matmul(spec.heads, tokens, tokens, head_dim, at + "a_v");
        y = b.linear(y, spec.hidden, true, at + "proj");
        x = b.add(x, y, at + "add1");
        y = b.layer_norm(x, at + "ln2");
        y = b.linear(y, spec.mlp, true, at + "fc1");
        y = b.gelu(y, at + "gelu");
        y = b.linear(y, spec.hidden, true, at + "fc2");
        x = b.add(x, y, at + "add2");
    }
    x = b.layer_norm(x, "ln");
    b.fc(Tensor{spec.hidden, 1, 1}, 1000, true, "head");  // on the class token alone
    return b.finish();
}

}  // namespace

void register_vit(ZooRegistry& reg) {
    // torchvision's _vit_b_16 ... _vit_h_14; resolutions from the IMAGENET1K_V1 and SWAG weights.
    const std::vector<VitSpec> specs = {
        {"vit_b_16", 16, 12, 12, 768, 3072, {224, 384}},
        {"vit_b_32", 32, 12, 12, 768, 3072, {224}},
        {"vit_l_16", 16, 24, 16, 1024, 4096, {224, 512}},
        {"vit_l_32", 32, 24, 16, 1024, 4096, {224}},
        {"vit_h_14", 14, 32, 16, 1280, 5120, {224, 518}},
    };
    for (const auto& spec : specs)
        for (int resolution : spec.resolutions)
            reg.add(network_name(spec, resolution), "vit", [spec, resolution] { return build_vit(spec, resolution); });
}

}  // namespace elaa::workload::zoo
