// ShuffleNet v2 (Ma et al. 2018) as torchvision defines it (torchvision/models/shufflenetv2.py).
//
// Each unit either splits its input channels in half (stride 1: one half passes through, the other
// goes through 1x1 -> depthwise 3x3 -> 1x1) or feeds the whole input to two branches (stride 2: a
// depthwise 3x3 -> 1x1 branch next to the same three-conv branch). The halves are concatenated and
// channel-shuffled. Split and shuffle only move data, so they appear as shapes, not layers.
#include <array>
#include <string>

#include "workload/builder.hpp"
#include "workload/zoo/families.hpp"

namespace elaa::workload::zoo {

namespace {

struct ShuffleNetSpec {
    std::string name;
    std::string width;                    // the width multiplier as in the name ("0.5")
    std::array<std::int64_t, 5> channels; // stem, three stages, last 1x1 conv (torchvision stages_out_channels)
};

constexpr std::array<int, 3> kStageRepeats = {4, 8, 4};  // paper Table 5, all widths

class ShuffleNetV2Builder {
public:
    explicit ShuffleNetV2Builder(const ShuffleNetSpec& spec) : spec_(spec), b_(spec.name, "shufflenet_v2", 224) {}

    Network build() {
        b_.variant("width", spec_.width);
        b_.variant("stage_channels", std::to_string(spec_.channels[1]) + "," + std::to_string(spec_.channels[2]) +
                                         "," + std::to_string(spec_.channels[3]));
        Tensor x = b_.input();
        x = conv_bn(x, spec_.channels[0], 3, 2, 1, "stem");
        x = b_.max_pool(x, win(3, 2, 1), "stem.pool");
        for (std::size_t s = 0; s < kStageRepeats.size(); ++s) x = stage(x, s);
        x = conv_bn(x, spec_.channels[4], 1, 1, 1, "conv5");
        x = b_.global_avg_pool(x, "pool");  // torchvision: x.mean([2, 3])
        b_.fc(x, 1000, true, "fc");
        return b_.finish();
    }

private:
    Tensor conv_bn(const Tensor& x, std::int64_t out, int k, int stride, std::int64_t groups, const std::string& name) {
        Tensor y = b_.conv(x, out, win(k, stride), groups, false, name);
        b_.norm(y);
        return y;
    }

    Tensor stage(Tensor x, std::size_t index) {
        const std::int64_t out = spec_.channels[index + 1];
        const std::string prefix = "stage" + std::to_string(index + 2);  // torchvision numbers them 2..4
        x = downsampling_unit(x, out, prefix + ".unit1");
        for (int r = 1; r < kStageRepeats[index]; ++r) x = basic_unit(x, prefix + ".unit" + std::to_string(r + 1));
        return x;
    }

    // 1x1 -> depthwise 3x3 (stride) -> 1x1, all to `branch` channels.
    Tensor main_branch(const Tensor& x, std::int64_t branch, int stride, const std::string& name) {
        Tensor y = conv_bn(x, branch, 1, 1, 1, name + ".pw1");
        y = conv_bn(y, branch, 3, stride, branch, name + ".dw");
        return conv_bn(y, branch, 1, 1, 1, name + ".pw2");
    }

    Tensor downsampling_unit(const Tensor& x, std::int64_t out, const std::string& name) {
        const std::int64_t branch = out / 2;
        Tensor left = conv_bn(x, x.c, 3, 2, x.c, name + ".branch1.dw");
        left = conv_bn(left, branch, 1, 1, 1, name + ".branch1.pw");
        const Tensor right = main_branch(x, branch, 2, name + ".branch2");
        return b_.concat({left, right});  // then channel shuffle (shape-only)
    }

    Tensor basic_unit(const Tensor& x, const std::string& name) {
        const Tensor half{x.c / 2, x.h, x.w};  // channel split (shape-only)
        const Tensor right = main_branch(half, half.c, 1, name + ".branch2");
        return b_.concat({half, right});
    }

    const ShuffleNetSpec& spec_;
    NetworkBuilder b_;
};

void add(ZooRegistry& reg, ShuffleNetSpec spec) {
    const std::string name = spec.name;
    reg.add(name, "shufflenet_v2", [spec = std::move(spec)] { return ShuffleNetV2Builder(spec).build(); });
}

}  // namespace

void register_shufflenet_v2(ZooRegistry& reg) {
    // Paper Table 5 output channels per width multiplier (torchvision stages_out_channels).
    add(reg, {"shufflenet_v2_x0_5", "0.5", {24, 48, 96, 192, 1024}});
    add(reg, {"shufflenet_v2_x1_0", "1.0", {24, 116, 232, 464, 1024}});
    add(reg, {"shufflenet_v2_x1_5", "1.5", {24, 176, 352, 704, 1024}});
    add(reg, {"shufflenet_v2_x2_0", "2.0", {24, 244, 488, 976, 2048}});
}

}  // namespace elaa::workload::zoo
