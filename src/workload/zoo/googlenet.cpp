// GoogLeNet (Inception v1) as torchvision v0.21 defines it (torchvision/models/googlenet.py).
//
// Differences from the 2014 paper that change the counts: every conv is a BasicConv2d (bias-free conv
// + BatchNorm), the "5x5" branch uses a 3x3 kernel (a known quirk kept for the published weights),
// and max pools use ceil_mode. The published weights are loaded with aux_logits=False, which drops
// aux1/aux2, so they are neither built nor counted in num_params.
#include <string>
#include <vector>

#include "workload/builder.hpp"
#include "workload/zoo/families.hpp"

namespace elaa::workload::zoo {
namespace {

// Inception(in_channels, ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5, pool_proj); in_channels is traced.
struct InceptionDef {
    const char* name;
    int ch1x1, ch3x3red, ch3x3, ch5x5red, ch5x5, pool_proj;
};

constexpr int kClasses = 1000;

Window ceil_pool(int k, int stride, int pad) {
    Window w = win(k, stride, pad);
    w.ceil_mode = true;
    return w;
}

// BasicConv2d: conv (bias=False) + BatchNorm; its conv module is "<name>.conv".
Tensor basic_conv(NetworkBuilder& b, const Tensor& x, std::int64_t out, const Window& w, const std::string& name) {
    Tensor y = b.conv(x, out, w, 1, false, name + ".conv");
    b.norm(y);
    return y;
}

Tensor inception(NetworkBuilder& b, const Tensor& x, const InceptionDef& d) {
    const std::string p = d.name;
    const Tensor b1 = basic_conv(b, x, d.ch1x1, win(1), p + ".branch1");
    Tensor b2 = basic_conv(b, x, d.ch3x3red, win(1), p + ".branch2.0");
    b2 = basic_conv(b, b2, d.ch3x3, win(3, 1, 1), p + ".branch2.1");
    Tensor b3 = basic_conv(b, x, d.ch5x5red, win(1), p + ".branch3.0");
    b3 = basic_conv(b, b3, d.ch5x5, win(3, 1, 1), p + ".branch3.1");  // 3x3, not 5x5: torchvision quirk
    Tensor b4 = b.max_pool(x, ceil_pool(3, 1, 1), p + ".branch4.0");
    b4 = basic_conv(b, b4, d.pool_proj, win(1), p + ".branch4.1");
    return b.concat({b1, b2, b3, b4});
}

const std::vector<InceptionDef> kStage3{{"inception3a", 64, 96, 128, 16, 32, 32},
                                        {"inception3b", 128, 128, 192, 32, 96, 64}};
const std::vector<InceptionDef> kStage4{{"inception4a", 192, 96, 208, 16, 48, 64},
                                        {"inception4b", 160, 112, 224, 24, 64, 64},
                                        {"inception4c", 128, 128, 256, 24, 64, 64},
                                        {"inception4d", 112, 144, 288, 32, 64, 64},
                                        {"inception4e", 256, 160, 320, 32, 128, 128}};
const std::vector<InceptionDef> kStage5{{"inception5a", 256, 160, 320, 32, 128, 128},
                                        {"inception5b", 384, 192, 384, 48, 128, 128}};

Tensor inception_stage(NetworkBuilder& b, Tensor x, const std::vector<InceptionDef>& stage) {
    for (const auto& d : stage) x = inception(b, x, d);
    return x;
}

Network build_googlenet() {
    NetworkBuilder b("googlenet", "googlenet", 224);
    b.variant("aux_logits", "false");
    Tensor x = basic_conv(b, b.input(), 64, win(7, 2, 3), "conv1");
    x = b.max_pool(x, ceil_pool(3, 2, 0), "maxpool1");
    x = basic_conv(b, x, 64, win(1), "conv2");
    x = basic_conv(b, x, 192, win(3, 1, 1), "conv3");
    x = b.max_pool(x, ceil_pool(3, 2, 0), "maxpool2");
    x = inception_stage(b, x, kStage3);
    x = b.max_pool(x, ceil_pool(3, 2, 0), "maxpool3");
    x = inception_stage(b, x, kStage4);
    x = b.max_pool(x, ceil_pool(2, 2, 0), "maxpool4");
    x = inception_stage(b, x, kStage5);
    x = b.global_avg_pool(x, "avgpool");
    b.fc(x, kClasses, true, "fc");
    return b.finish();
}

}  // namespace

void register_googlenet(ZooRegistry& reg) { reg.add("googlenet", "googlenet", build_googlenet); }

}  // namespace elaa::workload::zoo
