// EfficientNet B0-B7 (torchvision and the TensorFlow original) and EfficientNetV2 S/M/L (torchvision).
//
// One generic builder walks a list of stage definitions (the papers' "block args"), scaled by a width
// and a depth coefficient. The torchvision and TF B-models share every channel and repeat count
// (both round widths with the same make-divisible-by-8 rule and repeats with ceil); they differ in the
// evaluation resolution (torchvision chose its own crops) and in padding (PyTorch symmetric k/2 vs
// TF SAME), which is why both are in the zoo.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "workload/builder.hpp"
#include "workload/zoo/families.hpp"

namespace elaa::workload::zoo {

namespace {

// One stage of identical blocks, as torchvision's MBConvConfig / FusedMBConvConfig and TF's block
// strings ("r2_k3_s22_e6_i16_o24_se0.25") define it. Channels and repeats are the B0 / unscaled ones.
struct BlockStage {
    bool fused;  // FusedMBConv (EfficientNetV2's early stages): expansion and spatial conv in one kxk
    int expand_ratio;
    int kernel;
    int stride;
    int in_channels;
    int out_channels;
    int repeats;
};

enum class PadStyle { PyTorch, TfSame };

struct EfficientNetSpec {
    std::string name;
    int resolution;
    double width;  // width coefficient
    double depth;  // depth coefficient
    std::vector<BlockStage> stages;
    int head_channels;  // 0: four times the last stage's output (EfficientNet V1 / TF round_filters(1280))
    PadStyle padding;
};

// EfficientNet-B0 (Tan & Le 2019, Table 1; torchvision _efficientnet_conf("efficientnet_b*"); TF
// efficientnet_builder.py _DEFAULT_BLOCKS_ARGS). Every block has SE with ratio 0.25 of its input.
const std::vector<BlockStage> kB0Stages = {
    {false, 1, 3, 1, 32, 16, 1},   {false, 6, 3, 2, 16, 24, 2},   {false, 6, 5, 2, 24, 40, 2},
    {false, 6, 3, 2, 40, 80, 3},   {false, 6, 5, 1, 80, 112, 3},  {false, 6, 5, 2, 112, 192, 4},
    {false, 6, 3, 1, 192, 320, 1},
};

// EfficientNetV2 (Tan & Le 2021, Table 4; torchvision _efficientnet_conf("efficientnet_v2_*")).
const std::vector<BlockStage> kV2SStages = {
    {true, 1, 3, 1, 24, 24, 2},     {true, 4, 3, 2, 24, 48, 4},      {true, 4, 3, 2, 48, 64, 4},
    {false, 4, 3, 2, 64, 128, 6},   {false, 6, 3, 1, 128, 160, 9},   {false, 6, 3, 2, 160, 256, 15},
};
const std::vector<BlockStage> kV2MStages = {
    {true, 1, 3, 1, 24, 24, 3},      {true, 4, 3, 2, 24, 48, 5},       {true, 4, 3, 2, 48, 80, 5},
    {false, 4, 3, 2, 80, 160, 7},    {false, 6, 3, 1, 160, 176, 14},   {false, 6, 3, 2, 176, 304, 18},
    {false, 6, 3, 1, 304, 512, 5},
};
const std::vector<BlockStage> kV2LStages = {
    {true, 1, 3, 1, 32, 32, 4},      {true, 4, 3, 2, 32, 64, 7},       {true, 4, 3, 2, 64, 96, 7},
    {false, 4, 3, 2, 96, 192, 10},   {false, 6, 3, 1, 192, 224, 19},   {false, 6, 3, 2, 224, 384, 25},
    {false, 6, 3, 1, 384, 640, 7},
};

// torchvision _make_divisible / TF round_filters: nearest multiple of 8, never below 8 and never more
// than 10 % under the scaled value. Double arithmetic as in Python.
std::int64_t round_channels(double channels) {
    constexpr int kDivisor = 8;
    std::int64_t rounded =
        std::max<std::int64_t>(kDivisor, static_cast<std::int64_t>(channels + kDivisor / 2.0) / kDivisor * kDivisor);
    if (rounded < 0.9 * channels) rounded += kDivisor;
    return rounded;
}

std::int64_t scaled_channels(int channels, double width) { return round_channels(channels * width); }
int scaled_repeats(int repeats, double depth) { return static_cast<int>(std::ceil(repeats * depth)); }

std::string family_of(const EfficientNetSpec& spec) {
    if (spec.padding == PadStyle::TfSame) return "efficientnet_tf";
    return spec.stages.front().fused ? "efficientnet_v2" : "efficientnet";
}

class EfficientNetBuilder {
public:
    explicit EfficientNetBuilder(const EfficientNetSpec& spec)
        : spec_(spec), b_(spec.name, family_of(spec), spec.resolution) {}

    Network build() {
        record_variant();
        Tensor x = b_.input();
        x = conv_bn(x, scaled_channels(spec_.stages.front().in_channels, spec_.width), spec_.stages.front().kernel,
                    2, 1, "stem");
        for (std::size_t s = 0; s < spec_.stages.size(); ++s) x = stage(x, spec_.stages[s], s + 1);
        const std::int64_t head = spec_.head_channels > 0 ? spec_.head_channels : 4 * x.c;
        x = conv_bn(x, head, 1, 1, 1, "head");
        x = b_.global_avg_pool(x, "pool");
        b_.fc(x, 1000, true, "classifier");  // dropout before it is shape-only
        return b_.finish();
    }

private:
    void record_variant() {
        b_.variant("width_coefficient", format(spec_.width));
        b_.variant("depth_coefficient", format(spec_.depth));
        b_.variant("resolution", std::to_string(spec_.resolution));
        b_.variant("padding", spec_.padding == PadStyle::TfSame ? "tf_same" : "pytorch_symmetric");
        std::string repeats;
        for (const auto& st : spec_.stages) {
            if (!repeats.empty()) repeats += ',';
            repeats += std::to_string(scaled_repeats(st.repeats, spec_.depth));
        }
        b_.variant("stage_repeats", repeats);
    }

    static std::string format(double v) {
        std::string s = std::to_string(v);
        while (s.size() > 1 && s.back() == '0') s.pop_back();
        if (s.back() == '.') s.pop_back();
        return s;
    }

    Window window(int k, int stride) const {
        return spec_.padding == PadStyle::TfSame ? same(k, stride) : win(k, stride);
    }

    // Conv (no bias: BN follows) + BN; the activation is shape-only.
    Tensor conv_bn(const Tensor& x, std::int64_t out, int k, int stride, std::int64_t groups, const std::string& name) {
        Tensor y = b_.conv(x, out, window(k, stride), groups, false, name);
        b_.norm(y);
        return y;
    }

    Tensor stage(Tensor x, const BlockStage& st, std::size_t index) {
        const std::int64_t out = scaled_channels(st.out_channels, spec_.width);
        const int repeats = scaled_repeats(st.repeats, spec_.depth);
        for (int r = 0; r < repeats; ++r) {
            const std::string name = "stage" + std::to_string(index) + ".block" + std::to_string(r + 1);
            const int stride = r == 0 ? st.stride : 1;
            x = st.fused ? fused_mbconv(x, out, st, stride, name) : mbconv(x, out, st, stride, name);
        }
        return x;
    }

    // Inverted residual: 1x1 expansion (skipped at ratio 1), depthwise kxk, squeeze-and-excitation
    // (reduced to a quarter of the block INPUT channels), linear 1x1 projection, identity shortcut.
    Tensor mbconv(const Tensor& in, std::int64_t out, const BlockStage& st, int stride, const std::string& name) {
        const std::int64_t expanded = round_channels(static_cast<double>(in.c) * st.expand_ratio);
        Tensor x = in;
        if (expanded != in.c) x = conv_bn(x, expanded, 1, 1, 1, name + ".expand");
        x = conv_bn(x, expanded, st.kernel, stride, expanded, name + ".dw");
        x = squeeze_excite(x, std::max<std::int64_t>(1, in.c / 4), name + ".se");
        x = conv_bn(x, out, 1, 1, 1, name + ".project");
        return residual(in, x, stride, name);
    }

    // EfficientNetV2's fused block: one kxk conv does expansion and the spatial step; no SE.
    Tensor fused_mbconv(const Tensor& in, std::int64_t out, const BlockStage& st, int stride,
                        const std::string& name) {
        const std::int64_t expanded = round_channels(static_cast<double>(in.c) * st.expand_ratio);
        Tensor x = in;
        if (expanded != in.c) {
            x = conv_bn(x, expanded, st.kernel, stride, 1, name + ".expand");
            x = conv_bn(x, out, 1, 1, 1, name + ".project");
        } else {
            x = conv_bn(x, out, st.kernel, stride, 1, name + ".conv");
        }
        return residual(in, x, stride, name);
    }

    Tensor squeeze_excite(const Tensor& x, std::int64_t squeeze, const std::string& name) {
        Tensor gate = b_.global_avg_pool(x, name + ".pool");
        gate = b_.conv(gate, squeeze, win(1), 1, true, name + ".reduce");
        gate = b_.conv(gate, x.c, win(1), 1, true, name + ".expand");
        return b_.mul(x, gate, name + ".scale");
    }

    Tensor residual(const Tensor& in, const Tensor& out, int stride, const std::string& name) {
        if (stride != 1 || !(in == out)) return out;
        return b_.add(in, out, name + ".add");  // stochastic depth is training-only
    }

    const EfficientNetSpec& spec_;
    NetworkBuilder b_;
};

void add(ZooRegistry& reg, EfficientNetSpec spec) {
    const std::string name = spec.name;
    const std::string family = family_of(spec);
    reg.add(name, family, [spec = std::move(spec)] { return EfficientNetBuilder(spec).build(); });
}

struct Scaling {
    double width, depth;
    int torchvision_resolution;  // eval crop of torchvision's weights
    int tf_resolution;           // TF efficientnet_params()
};

// Compound scaling coefficients (identical in torchvision and TF efficientnet_params()).
const Scaling kScalings[] = {
    {1.0, 1.0, 224, 224}, {1.0, 1.1, 240, 240}, {1.1, 1.2, 288, 260}, {1.2, 1.4, 300, 300},
    {1.4, 1.8, 380, 380}, {1.6, 2.2, 456, 456}, {1.8, 2.6, 528, 528}, {2.0, 3.1, 600, 600},
};

}  // namespace

void register_efficientnet(ZooRegistry& reg) {
    for (int n = 0; n < 8; ++n) {
        const Scaling& s = kScalings[n];
        std::string suffix = "b";  // (appending avoids a GCC 12 -Wrestrict false positive on "b" + string)
        suffix += std::to_string(n);
        add(reg, {"efficientnet_" + suffix, s.torchvision_resolution, s.width, s.depth, kB0Stages, 0,
                  PadStyle::PyTorch});
        add(reg, {"efficientnet_tf_" + suffix, s.tf_resolution, s.width, s.depth, kB0Stages, 0, PadStyle::TfSame});
    }
    // torchvision's V2 models are unscaled definitions with a fixed 1280-channel head.
    add(reg, {"efficientnet_v2_s", 384, 1.0, 1.0, kV2SStages, 1280, PadStyle::PyTorch});
    add(reg, {"efficientnet_v2_m", 480, 1.0, 1.0, kV2MStages, 1280, PadStyle::PyTorch});
    add(reg, {"efficientnet_v2_l", 480, 1.0, 1.0, kV2LStages, 1280, PadStyle::PyTorch});
}

}  // namespace elaa::workload::zoo
