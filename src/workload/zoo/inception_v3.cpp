// Inception v3 as torchvision v0.21 defines it (torchvision/models/inception.py), at 299 x 299.
//
// Every conv is a BasicConv2d (bias-free conv + BatchNorm). The published model keeps its AuxLogits
// head (InceptionAux on Mixed_6e): torchvision's num_params counts it, but it runs only in training,
// so the op count leaves it out. The builder therefore traces the head on a scratch builder and adds
// only its parameters (NetworkBuilder::auxiliary).
#include <string>

#include "workload/builder.hpp"
#include "workload/zoo/families.hpp"

namespace elaa::workload::zoo {
namespace {

constexpr int kResolution = 299;
constexpr int kClasses = 1000;

// BasicConv2d: conv (bias=False) + BatchNorm; its conv module is "<name>.conv".
Tensor basic_conv(NetworkBuilder& b, const Tensor& x, std::int64_t out, const Window& w, const std::string& name) {
    Tensor y = b.conv(x, out, w, 1, false, name + ".conv");
    b.norm(y);
    return y;
}

// The functional 3x3 stride-1 average pool in front of the pool branch of InceptionA/C/E.
Tensor pool_branch(NetworkBuilder& b, const Tensor& x, std::int64_t out, const std::string& p) {
    const Tensor pooled = b.avg_pool(x, win(3, 1, 1), p + ".avg_pool");
    return basic_conv(b, pooled, out, win(1), p + ".branch_pool");
}

Tensor inception_a(NetworkBuilder& b, const Tensor& x, int pool_features, const std::string& p) {
    const Tensor b1 = basic_conv(b, x, 64, win(1), p + ".branch1x1");
    Tensor b5 = basic_conv(b, x, 48, win(1), p + ".branch5x5_1");
    b5 = basic_conv(b, b5, 64, win(5, 1, 2), p + ".branch5x5_2");
    Tensor b3 = basic_conv(b, x, 64, win(1), p + ".branch3x3dbl_1");
    b3 = basic_conv(b, b3, 96, win(3, 1, 1), p + ".branch3x3dbl_2");
    b3 = basic_conv(b, b3, 96, win(3, 1, 1), p + ".branch3x3dbl_3");
    return b.concat({b1, b5, b3, pool_branch(b, x, pool_features, p)});
}

// Grid reduction 35 -> 17.
Tensor inception_b(NetworkBuilder& b, const Tensor& x, const std::string& p) {
    const Tensor b3 = basic_conv(b, x, 384, win(3, 2, 0), p + ".branch3x3");
    Tensor bd = basic_conv(b, x, 64, win(1), p + ".branch3x3dbl_1");
    bd = basic_conv(b, bd, 96, win(3, 1, 1), p + ".branch3x3dbl_2");
    bd = basic_conv(b, bd, 96, win(3, 2, 0), p + ".branch3x3dbl_3");
    const Tensor pool = b.max_pool(x, win(3, 2, 0), p + ".max_pool");
    return b.concat({b3, bd, pool});
}

// Factorised 7x7 convs (1x7 and 7x1) with `c7` inner channels.
Tensor inception_c(NetworkBuilder& b, const Tensor& x, int c7, const std::string& p) {
    const Tensor b1 = basic_conv(b, x, 192, win(1), p + ".branch1x1");
    Tensor b7 = basic_conv(b, x, c7, win(1), p + ".branch7x7_1");
    b7 = basic_conv(b, b7, c7, win_rect(1, 7), p + ".branch7x7_2");
    b7 = basic_conv(b, b7, 192, win_rect(7, 1), p + ".branch7x7_3");
    Tensor bd = basic_conv(b, x, c7, win(1), p + ".branch7x7dbl_1");
    bd = basic_conv(b, bd, c7, win_rect(7, 1), p + ".branch7x7dbl_2");
    bd = basic_conv(b, bd, c7, win_rect(1, 7), p + ".branch7x7dbl_3");
    bd = basic_conv(b, bd, c7, win_rect(7, 1), p + ".branch7x7dbl_4");
    bd = basic_conv(b, bd, 192, win_rect(1, 7), p + ".branch7x7dbl_5");
    return b.concat({b1, b7, bd, pool_branch(b, x, 192, p)});
}

// Grid reduction 17 -> 8.
Tensor inception_d(NetworkBuilder& b, const Tensor& x, const std::string& p) {
    Tensor b3 = basic_conv(b, x, 192, win(1), p + ".branch3x3_1");
    b3 = basic_conv(b, b3, 320, win(3, 2, 0), p + ".branch3x3_2");
    Tensor b7 = basic_conv(b, x, 192, win(1), p + ".branch7x7x3_1");
    b7 = basic_conv(b, b7, 192, win_rect(1, 7), p + ".branch7x7x3_2");
    b7 = basic_conv(b, b7, 192, win_rect(7, 1), p + ".branch7x7x3_3");
    b7 = basic_conv(b, b7, 192, win(3, 2, 0), p + ".branch7x7x3_4");
    const Tensor pool = b.max_pool(x, win(3, 2, 0), p + ".max_pool");
    return b.concat({b3, b7, pool});
}

// Expanded filter bank: the 3x3 branches end in parallel 1x3 and 3x1 convs on the same input.
Tensor inception_e(NetworkBuilder& b, const Tensor& x, const std::string& p) {
    const Tensor b1 = basic_conv(b, x, 320, win(1), p + ".branch1x1");
    const Tensor b3 = basic_conv(b, x, 384, win(1), p + ".branch3x3_1");
    const Tensor b3a = basic_conv(b, b3, 384, win_rect(1, 3), p + ".branch3x3_2a");
    const Tensor b3b = basic_conv(b, b3, 384, win_rect(3, 1), p + ".branch3x3_2b");
    Tensor bd = basic_conv(b, x, 448, win(1), p + ".branch3x3dbl_1");
    bd = basic_conv(b, bd, 384, win(3, 1, 1), p + ".branch3x3dbl_2");
    const Tensor bda = basic_conv(b, bd, 384, win_rect(1, 3), p + ".branch3x3dbl_3a");
    const Tensor bdb = basic_conv(b, bd, 384, win_rect(3, 1), p + ".branch3x3dbl_3b");
    return b.concat({b1, b3a, b3b, bda, bdb, pool_branch(b, x, 192, p)});
}

// InceptionAux on the Mixed_6e output; returns its trainable parameters.
std::int64_t aux_logits_params(const Tensor& mixed_6e) {
    NetworkBuilder aux("inception_v3.AuxLogits", "inception_v3", kResolution);
    Tensor x = aux.avg_pool(mixed_6e, win(5, 3, 0), "AuxLogits.avg_pool");
    x = basic_conv(aux, x, 128, win(1), "AuxLogits.conv0");
    x = basic_conv(aux, x, 768, win(5, 1, 0), "AuxLogits.conv1");
    x = aux.global_avg_pool(x, "AuxLogits.adaptive_avg_pool2d");
    aux.fc(x, kClasses, true, "AuxLogits.fc");
    return aux.finish().params();
}

Network build_inception_v3() {
    NetworkBuilder b("inception_v3", "inception_v3", kResolution);
    b.variant("aux_logits", "params only");
    Tensor x = basic_conv(b, b.input(), 32, win(3, 2, 0), "Conv2d_1a_3x3");
    x = basic_conv(b, x, 32, win(3, 1, 0), "Conv2d_2a_3x3");
    x = basic_conv(b, x, 64, win(3, 1, 1), "Conv2d_2b_3x3");
    x = b.max_pool(x, win(3, 2, 0), "maxpool1");
    x = basic_conv(b, x, 80, win(1), "Conv2d_3b_1x1");
    x = basic_conv(b, x, 192, win(3, 1, 0), "Conv2d_4a_3x3");
    x = b.max_pool(x, win(3, 2, 0), "maxpool2");
    x = inception_a(b, x, 32, "Mixed_5b");
    x = inception_a(b, x, 64, "Mixed_5c");
    x = inception_a(b, x, 64, "Mixed_5d");
    x = inception_b(b, x, "Mixed_6a");
    x = inception_c(b, x, 128, "Mixed_6b");
    x = inception_c(b, x, 160, "Mixed_6c");
    x = inception_c(b, x, 160, "Mixed_6d");
    x = inception_c(b, x, 192, "Mixed_6e");
    b.auxiliary(aux_logits_params(x));
    x = inception_d(b, x, "Mixed_7a");
    x = inception_e(b, x, "Mixed_7b");
    x = inception_e(b, x, "Mixed_7c");
    x = b.global_avg_pool(x, "avgpool");
    b.fc(x, kClasses, true, "fc");
    return b.finish();
}

}  // namespace

void register_inception_v3(ZooRegistry& reg) { reg.add("inception_v3", "inception_v3", build_inception_v3); }

}  // namespace elaa::workload::zoo
