// RegNetX and RegNetY (Radosavovic et al. 2020) as torchvision defines them
// (torchvision/models/regnet.py, BlockParams.from_init_params).
//
// A RegNet is not written as a table of stages: four numbers (depth d, initial width w_0, slope w_a,
// multiplier w_m) give a linear width per block, u_j = w_0 + w_a * j, which is quantised to the
// nearest power of w_m times w_0 (then to a multiple of 8). Runs of equal quantised width become
// stages; widths are finally made divisible by the group width. Blocks are ResNet bottlenecks with
// ratio 1, a grouped 3x3, and for RegNetY a squeeze-and-excitation of a quarter of the block input.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "workload/builder.hpp"
#include "workload/zoo/families.hpp"

namespace elaa::workload::zoo {

namespace {

struct RegNetSpec {
    std::string name;
    int depth;
    double w_0, w_a, w_m;
    int group_width;
    bool squeeze_excite;  // RegNetY: SE ratio 0.25
    int resolution;
};

struct RegNetStage {
    std::int64_t width;
    int depth;
    std::int64_t group_width;
};

// torchvision _make_divisible(v, divisor) with min_value = divisor.
std::int64_t make_divisible(double v, std::int64_t divisor) {
    std::int64_t rounded = std::max<std::int64_t>(
        divisor, static_cast<std::int64_t>(v + divisor / 2.0) / divisor * divisor);
    if (rounded < 0.9 * v) rounded += divisor;
    return rounded;
}

// The quantised-linear rule. torchvision evaluates it on float32 tensors, so float is used here to
// reproduce its rounding (torch.round rounds half to even, as std::nearbyint does by default).
std::vector<std::int64_t> block_widths(const RegNetSpec& spec) {
    constexpr float kQuantum = 8.0f;
    const float w_0 = static_cast<float>(spec.w_0);
    const float w_a = static_cast<float>(spec.w_a);
    const float w_m = static_cast<float>(spec.w_m);
    const float log_w_m = static_cast<float>(std::log(spec.w_m));
    std::vector<std::int64_t> widths;
    for (int j = 0; j < spec.depth; ++j) {
        const float linear = static_cast<float>(j) * w_a + w_0;
        const float exponent = std::nearbyint(std::log(linear / w_0) / log_w_m);
        const float quantised = w_0 * std::pow(w_m, exponent);
        widths.push_back(static_cast<std::int64_t>(std::nearbyint(quantised / kQuantum) * kQuantum));
    }
    return widths;
}

// Consecutive blocks of equal width form a stage (stride 2 at its start); bottleneck ratio 1, so the
// stage width only has to become a multiple of its group width (which cannot exceed the width).
std::vector<RegNetStage> stages_of(const RegNetSpec& spec) {
    std::vector<RegNetStage> stages;
    for (std::int64_t w : block_widths(spec)) {
        if (!stages.empty() && stages.back().width == w) {
            ++stages.back().depth;
        } else {
            stages.push_back({w, 1, spec.group_width});
        }
    }
    for (auto& st : stages) {
        st.group_width = std::min<std::int64_t>(spec.group_width, st.width);
        st.width = make_divisible(static_cast<double>(st.width), st.group_width);
    }
    return stages;
}

std::string comma_separated(const std::vector<std::int64_t>& values) {
    std::string out;
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0) out += ',';
        out += std::to_string(values[i]);
    }
    return out;
}

class RegNetBuilder {
public:
    explicit RegNetBuilder(const RegNetSpec& spec)
        : spec_(spec), b_(spec.name, "regnet", spec.resolution) {}

    Network build() {
        const auto stages = stages_of(spec_);
        record_variant(stages);
        Tensor x = b_.input();
        x = conv_bn(x, kStemWidth, 3, 2, 1, "stem");
        for (std::size_t s = 0; s < stages.size(); ++s) {
            for (int i = 0; i < stages[s].depth; ++i) {
                const std::string name = "stage" + std::to_string(s + 1) + ".block" + std::to_string(i + 1);
                x = bottleneck(x, stages[s], i == 0 ? 2 : 1, name);
            }
        }
        x = b_.global_avg_pool(x, "pool");
        b_.fc(x, 1000, true, "fc");
        return b_.finish();
    }

private:
    static constexpr std::int64_t kStemWidth = 32;  // SimpleStemIN

    void record_variant(const std::vector<RegNetStage>& stages) {
        b_.variant("depth", std::to_string(spec_.depth));
        b_.variant("w_0", trimmed(spec_.w_0));
        b_.variant("w_a", trimmed(spec_.w_a));
        b_.variant("w_m", trimmed(spec_.w_m));
        b_.variant("group_width", std::to_string(spec_.group_width));
        b_.variant("se_ratio", spec_.squeeze_excite ? "0.25" : "none");
        b_.variant("resolution", std::to_string(spec_.resolution));
        std::vector<std::int64_t> widths, depths;
        for (const auto& st : stages) {
            widths.push_back(st.width);
            depths.push_back(st.depth);
        }
        b_.variant("stage_widths", comma_separated(widths));
        b_.variant("stage_depths", comma_separated(depths));
    }

    static std::string trimmed(double v) {
        std::string s = std::to_string(v);
        while (s.back() == '0') s.pop_back();
        if (s.back() == '.') s.pop_back();
        return s;
    }

    Tensor conv_bn(const Tensor& x, std::int64_t out, int k, int stride, std::int64_t groups, const std::string& name) {
        Tensor y = b_.conv(x, out, win(k, stride), groups, false, name);
        b_.norm(y);
        return y;
    }

    // ResBottleneckBlock: 1x1 -> grouped 3x3 (stride) -> [SE] -> 1x1, plus a 1x1 projection shortcut
    // when the shape changes.
    Tensor bottleneck(const Tensor& in, const RegNetStage& st, int stride, const std::string& name) {
        const std::int64_t groups = st.width / st.group_width;
        Tensor x = conv_bn(in, st.width, 1, 1, 1, name + ".a");
        x = conv_bn(x, st.width, 3, stride, groups, name + ".b");
        if (spec_.squeeze_excite) x = squeeze_excite(x, se_width(in.c), name + ".se");
        x = conv_bn(x, st.width, 1, 1, 1, name + ".c");
        const Tensor shortcut =
            (in.c != st.width || stride != 1) ? conv_bn(in, st.width, 1, stride, 1, name + ".proj") : in;
        return b_.add(shortcut, x, name + ".add");
    }

    // SE ratio 0.25 of the block INPUT width (torchvision: int(round(se_ratio * width_in))).
    static std::int64_t se_width(std::int64_t width_in) {
        return static_cast<std::int64_t>(std::nearbyint(0.25 * static_cast<double>(width_in)));
    }

    Tensor squeeze_excite(const Tensor& x, std::int64_t squeeze, const std::string& name) {
        Tensor gate = b_.global_avg_pool(x, name + ".pool");
        gate = b_.conv(gate, squeeze, win(1), 1, true, name + ".reduce");
        gate = b_.conv(gate, x.c, win(1), 1, true, name + ".expand");
        return b_.mul(x, gate, name + ".scale");
    }

    const RegNetSpec& spec_;
    NetworkBuilder b_;
};

}  // namespace

void register_regnet(ZooRegistry& reg) {
    // torchvision regnet.py builder parameters (from the paper's Tables/pycls model zoo). Every
    // network runs at 224: the IMAGENET1K_V1 crop, and for regnet_y_128gf (SWAG weights only) the
    // SWAG_LINEAR crop. The SWAG_E2E weights' 384 crop is the same architecture on a larger input,
    // registered as <name>@384.
    const RegNetSpec specs[] = {
        {"regnet_x_400mf", 22, 24, 24.48, 2.54, 16, false, 224},
        {"regnet_x_800mf", 16, 56, 35.73, 2.28, 16, false, 224},
        {"regnet_x_1_6gf", 18, 80, 34.01, 2.25, 24, false, 224},
        {"regnet_x_3_2gf", 25, 88, 26.31, 2.25, 48, false, 224},
        {"regnet_x_8gf", 23, 80, 49.56, 2.88, 120, false, 224},
        {"regnet_x_16gf", 22, 216, 55.59, 2.1, 128, false, 224},
        {"regnet_x_32gf", 23, 320, 69.86, 2.0, 168, false, 224},
        {"regnet_y_400mf", 16, 48, 27.89, 2.09, 8, true, 224},
        {"regnet_y_800mf", 14, 56, 38.84, 2.4, 16, true, 224},
        {"regnet_y_1_6gf", 27, 48, 20.71, 2.65, 24, true, 224},
        {"regnet_y_3_2gf", 21, 80, 42.63, 2.66, 24, true, 224},
        {"regnet_y_8gf", 17, 192, 76.82, 2.19, 56, true, 224},
        {"regnet_y_16gf", 18, 200, 106.23, 2.48, 112, true, 224},
        {"regnet_y_32gf", 20, 232, 115.89, 2.53, 232, true, 224},
        {"regnet_y_128gf", 27, 456, 160.83, 2.52, 264, true, 224},
    };
    for (const auto& spec : specs) {
        reg.add(spec.name, "regnet", [spec] { return RegNetBuilder(spec).build(); });
    }
    for (const auto* swag : {"regnet_y_16gf", "regnet_y_32gf", "regnet_y_128gf"}) {
        RegNetSpec spec = *std::find_if(std::begin(specs), std::end(specs), [&](const RegNetSpec& s) { return s.name == swag; });
        spec.name += "@384";
        spec.resolution = 384;
        reg.add(spec.name, "regnet", [spec] { return RegNetBuilder(spec).build(); });
    }
}

}  // namespace elaa::workload::zoo
