// MnasNet (Tan et al., arXiv:1807.11626) in two different definitions:
//   - TF MnasNet-A1 (tensorflow/tpu models/official/mnasnet: mnasnet_models.py mnasnet_a1(),
//     mnasnet_model.py): the grid of its README, names mnasnet_a1_<width>_<res>. Blocks with SE
//     (squeeze width from the block's input channels), TF "SAME" padding, a 1280 head that the depth
//     multiplier does not scale, a Dense classifier over 1000 classes.
//   - torchvision's mnasnet0_5 / 0_75 / 1_0 / 1_3 (torchvision/models/mnasnet.py): the B1 search
//     result, without SE, different stage widths (96 and 192 instead of 112 and 160) and kernels.
#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "workload/zoo/families.hpp"
#include "workload/zoo/mobile_blocks.hpp"

namespace elaa::workload::zoo {

namespace {

// One row of a block-args list, "r<repeats>_k<kernel>_s<stride>_e<expansion>_i<in>_o<out>[_se][_noskip]".
struct StageArgs {
    int repeats;
    int kernel;
    int stride;
    int expansion;
    int in;
    int out;
    double se_ratio;  // 0: no SE
    bool skip;
};

// mnasnet_a1() block args.
constexpr std::array<StageArgs, 7> kA1Stages{{
    {1, 3, 1, 1, 32, 16, 0, false},
    {2, 3, 2, 6, 16, 24, 0, true},
    {3, 5, 2, 3, 24, 40, 0.25, true},
    {4, 3, 2, 6, 40, 80, 0, true},
    {2, 3, 1, 6, 80, 112, 0.25, true},
    {3, 5, 2, 6, 112, 160, 0.25, true},
    {1, 3, 1, 6, 160, 320, 0, true},
}};
constexpr int kA1Stem = 32;
constexpr int kHead = 1280;

// Keras BatchNormalization with center and scale; the README's parameter counts are the model's
// trainable variables.
const mobile::Convention kTf{/*tf_same_padding=*/true, /*norm_params_per_channel=*/2};

Network build_a1(const std::string& width_text, int resolution) {
    const double width = std::stod(width_text);
    // round_filters(): make_divisible with divisor 8, min_depth 8.
    const auto round_filters = [width](int filters) { return mobile::make_divisible(filters * width); };

    NetworkBuilder b("mnasnet_a1_" + width_text + "_" + std::to_string(resolution), "mnasnet", resolution);
    b.variant("width", width_text);
    b.variant("resolution", std::to_string(resolution));
    b.variant("source", "tf");

    Tensor x = mobile::conv_bn(b, b.input(), round_filters(kA1Stem), 3, 2, kTf);
    for (const StageArgs& stage : kA1Stages) {
        for (int i = 0; i < stage.repeats; ++i) {
            const std::int64_t in = x.c;
            mobile::InvertedResidual block;
            block.kernel = stage.kernel;
            block.stride = i == 0 ? stage.stride : 1;
            block.expanded = in * stage.expansion;
            block.out = round_filters(stage.out);
            if (stage.se_ratio > 0)
                block.se_squeeze = std::max<std::int64_t>(1, static_cast<std::int64_t>(in * stage.se_ratio));
            block.residual = stage.skip;
            x = mobile::inverted_residual(b, x, block, kTf);
        }
    }
    x = mobile::conv_bn(b, x, kHead, 1, 1, kTf);
    x = b.global_avg_pool(x);
    b.fc(x, 1000, /*bias=*/true, "classifier");
    return b.finish();
}

// torchvision: _stack(in, out, kernel, stride, expansion, repeats) after the stem and a
// depthwise-separable layer. Widths are the depths list [32, 16, 24, 40, 80, 96, 192, 320].
struct TorchStage {
    int out;
    int kernel;
    int stride;
    int expansion;
    int repeats;
};
constexpr std::array<int, 2> kB1Stem{32, 16};  // stem conv, then the separable layer's output
constexpr std::array<TorchStage, 6> kB1Stages{{
    {24, 3, 2, 3, 3}, {40, 5, 2, 3, 3}, {80, 5, 2, 6, 3},
    {96, 3, 1, 6, 2}, {192, 5, 2, 6, 4}, {320, 3, 1, 6, 1},
}};

const mobile::Convention kTorch{/*tf_same_padding=*/false, /*norm_params_per_channel=*/2};

Network build_torchvision(const std::string& name, const std::string& alpha_text) {
    const double alpha = std::stod(alpha_text);
    // _round_to_multiple_of(depth * alpha, 8), the same rounding as make_divisible.
    const auto depth = [alpha](int d) { return mobile::make_divisible(d * alpha); };

    NetworkBuilder b(name, "mnasnet", 224);
    b.variant("width", alpha_text);
    b.variant("resolution", "224");
    b.variant("source", "torchvision");

    Tensor x = mobile::conv_bn(b, b.input(), depth(kB1Stem[0]), 3, 2, kTorch);
    // Depthwise separable without skip: an inverted residual without expansion.
    mobile::InvertedResidual separable;
    separable.expanded = x.c;
    separable.out = depth(kB1Stem[1]);
    x = mobile::inverted_residual(b, x, separable, kTorch);
    for (const TorchStage& stage : kB1Stages) {
        for (int i = 0; i < stage.repeats; ++i) {
            mobile::InvertedResidual block;
            block.kernel = stage.kernel;
            block.stride = i == 0 ? stage.stride : 1;
            block.expanded = x.c * stage.expansion;
            block.out = depth(stage.out);
            x = mobile::inverted_residual(b, x, block, kTorch);
        }
    }
    x = mobile::conv_bn(b, x, kHead, 1, 1, kTorch);  // not scaled by alpha
    x = b.global_avg_pool(x);
    b.fc(x, 1000, /*bias=*/true, "classifier");
    return b.finish();
}

}  // namespace

void register_mnasnet(ZooRegistry& reg) {
    // The README's grid: every depth multiplier at every resolution, widths written as in its table.
    for (const char* width : {"1.4", "1", "0.75", "0.5", "0.35"}) {
        for (int resolution : {224, 192, 160, 128, 96}) {
            const std::string w = width;
            reg.add("mnasnet_a1_" + w + "_" + std::to_string(resolution), "mnasnet",
                    [w, resolution] { return build_a1(w, resolution); });
        }
    }
    const std::vector<std::pair<std::string, std::string>> torchvision{
        {"mnasnet0_5", "0.5"}, {"mnasnet0_75", "0.75"}, {"mnasnet1_0", "1.0"}, {"mnasnet1_3", "1.3"}};
    for (const auto& [name, alpha] : torchvision)
        reg.add(name, "mnasnet", [name, alpha] { return build_torchvision(name, alpha); });
}

}  // namespace elaa::workload::zoo
