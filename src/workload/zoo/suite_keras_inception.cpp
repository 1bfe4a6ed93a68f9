// Keras Applications' Xception, InceptionV3 and InceptionResNetV2, all at 299 x 299.
//   - Xception: depthwise-separable convs (SeparableConv2D, no bias), BN scale+center (4 per channel).
//   - InceptionV3 and InceptionResNetV2: conv2d_bn = conv without bias + BN(scale=False), so 3
//     parameters per channel; Inception-ResNet's residual "up" projections are 1x1 convs with bias
//     and no BN. Their residual scaling (x + scale * up) is folded into the Add.
#include <string>
#include <vector>

#include "workload/builder.hpp"
#include "workload/zoo/suite_builders.hpp"

namespace elaa::workload::zoo {
namespace {

using namespace suite;

// ---- Xception -----------------------------------------------------------------------------------

// Separable conv + BN (the ReLU before it carries no cost).
Tensor sep_bn(NetworkBuilder& b, const Tensor& x, std::int64_t filters, const std::string& name) {
    const Tensor y = separable_conv(b, x, filters, same(3), name);
    b.norm(y, kKerasBn);
    return y;
}

// Entry/exit flow block: two separable convs, 3x3/2 max pool, plus a strided 1x1 projection.
Tensor xception_down_block(NetworkBuilder& b, const Tensor& x, std::int64_t filters1, std::int64_t filters2,
                           const std::string& name) {
    const Tensor residual = conv_bn(b, x, filters2, same(1, 2), kKerasBn, false, 1, name + "_residual");
    Tensor y = sep_bn(b, x, filters1, name + "_sepconv1");
    y = sep_bn(b, y, filters2, name + "_sepconv2");
    y = b.max_pool(y, same(3, 2), name + "_pool");
    return b.add(y, residual, name + "_add");
}

Network build_xception() {
    NetworkBuilder b(suite_name("Xception"), kFamily, 299);
    b.variant("source", "keras.applications.xception");
    Tensor x = conv_bn(b, b.input(), 32, valid(3, 2), kKerasBn, false, 1, "block1_conv1");
    x = conv_bn(b, x, 64, valid(3), kKerasBn, false, 1, "block1_conv2");
    x = xception_down_block(b, x, 128, 128, "block2");
    x = xception_down_block(b, x, 256, 256, "block3");
    x = xception_down_block(b, x, 728, 728, "block4");
    for (int i = 5; i <= 12; ++i) {  // middle flow: 8 blocks of three separable convs
        const std::string name = "block" + std::to_string(i);
        Tensor y = x;
        for (int j = 1; j <= 3; ++j) y = sep_bn(b, y, 728, name + "_sepconv" + std::to_string(j));
        x = b.add(x, y, name + "_add");
    }
    x = xception_down_block(b, x, 728, 1024, "block13");
    x = sep_bn(b, x, 1536, "block14_sepconv1");
    x = sep_bn(b, x, 2048, "block14_sepconv2");
    x = b.global_avg_pool(x, "avg_pool");
    b.fc(x, 1000, true, "predictions");
    return b.finish();
}

// ---- Inception v3 ----------------------------------------------------------------------------------

// conv2d_bn: conv without bias + BN(scale=False); padding "same" unless the definition says "valid".
Tensor cbn(NetworkBuilder& b, const Tensor& x, std::int64_t filters, int kh, int kw, int stride = 1,
           bool valid_padding = false) {
    const Window w = valid_padding ? Window{kh, kw, stride, stride, Padding::valid()} : same_rect(kh, kw, stride);
    return conv_bn(b, x, filters, w, kKerasBnNoScale);
}

// A chain of conv2d_bn: {filters, kh, kw} each, "same", stride 1.
struct ConvSpec {
    std::int64_t filters;
    int kh, kw;
};
Tensor chain(NetworkBuilder& b, Tensor x, const std::vector<ConvSpec>& convs) {
    for (const auto& c : convs) x = cbn(b, x, c.filters, c.kh, c.kw);
    return x;
}

// Shared by Inception v3 and Inception-ResNet v2: 3x3/2 (valid), 3x3 (valid), 3x3, pool, 1x1, 3x3, pool.
Tensor inception_stem(NetworkBuilder& b) {
    Tensor x = cbn(b, b.input(), 32, 3, 3, 2, true);
    x = cbn(b, x, 32, 3, 3, 1, true);
    x = cbn(b, x, 64, 3, 3);
    x = b.max_pool(x, valid(3, 2));
    x = cbn(b, x, 80, 1, 1, 1, true);
    x = cbn(b, x, 192, 3, 3, 1, true);
    return b.max_pool(x, valid(3, 2));
}

Tensor avg_pool_branch(NetworkBuilder& b, const Tensor& x, std::int64_t filters) {
    return cbn(b, b.avg_pool(x, same(3)), filters, 1, 1);
}

// mixed0-2 (35 x 35)
Tensor inception_a(NetworkBuilder& b, const Tensor& x, std::int64_t pool_filters) {
    return b.concat({cbn(b, x, 64, 1, 1), chain(b, x, {{48, 1, 1}, {64, 5, 5}}),
                     chain(b, x, {{64, 1, 1}, {96, 3, 3}, {96, 3, 3}}), avg_pool_branch(b, x, pool_filters)});
}

// mixed3 (35 -> 17)
Tensor inception_reduction_a(NetworkBuilder& b, const Tensor& x) {
    const Tensor b3 = cbn(b, x, 384, 3, 3, 2, true);
    Tensor dbl = chain(b, x, {{64, 1, 1}, {96, 3, 3}});
    dbl = cbn(b, dbl, 96, 3, 3, 2, true);
    return b.concat({b3, dbl, b.max_pool(x, valid(3, 2))});
}

// mixed4-7 (17 x 17): factorised 7x7 with `c` inner channels
Tensor inception_b(NetworkBuilder& b, const Tensor& x, std::int64_t c) {
    return b.concat({cbn(b, x, 192, 1, 1), chain(b, x, {{c, 1, 1}, {c, 1, 7}, {192, 7, 1}}),
                     chain(b, x, {{c, 1, 1}, {c, 7, 1}, {c, 1, 7}, {c, 7, 1}, {192, 1, 7}}),
                     avg_pool_branch(b, x, 192)});
}

// mixed8 (17 -> 8)
Tensor inception_reduction_b(NetworkBuilder& b, const Tensor& x) {
    const Tensor b3 = cbn(b, cbn(b, x, 192, 1, 1), 320, 3, 3, 2, true);
    const Tensor b7 = cbn(b, chain(b, x, {{192, 1, 1}, {192, 1, 7}, {192, 7, 1}}), 192, 3, 3, 2, true);
    return b.concat({b3, b7, b.max_pool(x, valid(3, 2))});
}

// 1x3 and 3x1 side by side on the same input
Tensor split_1x3_3x1(NetworkBuilder& b, const Tensor& x) {
    return b.concat({cbn(b, x, 384, 1, 3), cbn(b, x, 384, 3, 1)});
}

// mixed9-10 (8 x 8)
Tensor inception_c(NetworkBuilder& b, const Tensor& x) {
    return b.concat({cbn(b, x, 320, 1, 1), split_1x3_3x1(b, cbn(b, x, 384, 1, 1)),
                     split_1x3_3x1(b, chain(b, x, {{448, 1, 1}, {384, 3, 3}})), avg_pool_branch(b, x, 192)});
}

Network build_inception_v3() {
    NetworkBuilder b(suite_name("Inception_v3"), kFamily, 299);
    b.variant("source", "keras.applications.inception_v3");
    Tensor x = inception_stem(b);
    for (std::int64_t pool_filters : {32, 64, 64}) x = inception_a(b, x, pool_filters);
    x = inception_reduction_a(b, x);
    for (std::int64_t c : {128, 160, 160, 192}) x = inception_b(b, x, c);
    x = inception_reduction_b(b, x);
    for (int i = 0; i < 2; ++i) x = inception_c(b, x);
    x = b.global_avg_pool(x, "avg_pool");
    b.fc(x, 1000, true, "predictions");
    return b.finish();
}

// ---- Inception-ResNet v2 ------------------------------------------------------------------------------

// The residual: branches concatenated, projected back to x's channels by a 1x1 conv with bias
// (no BN), added to x.
Tensor residual_up(NetworkBuilder& b, const Tensor& x, const Tensor& mixed) {
    const Tensor up = b.conv(mixed, x.c, same(1), 1, true);
    return b.add(x, up);
}

Tensor block35(NetworkBuilder& b, const Tensor& x) {
    return residual_up(b, x, b.concat({cbn(b, x, 32, 1, 1), chain(b, x, {{32, 1, 1}, {32, 3, 3}}),
                                       chain(b, x, {{32, 1, 1}, {48, 3, 3}, {64, 3, 3}})}));
}

Tensor block17(NetworkBuilder& b, const Tensor& x) {
    return residual_up(b, x, b.concat({cbn(b, x, 192, 1, 1), chain(b, x, {{128, 1, 1}, {160, 1, 7}, {192, 7, 1}})}));
}

Tensor block8(NetworkBuilder& b, const Tensor& x) {
    return residual_up(b, x, b.concat({cbn(b, x, 192, 1, 1), chain(b, x, {{192, 1, 1}, {224, 1, 3}, {256, 3, 1}})}));
}

Network build_inception_resnet_v2() {
    NetworkBuilder b(suite_name("InceptionResnet_v2"), kFamily, 299);
    b.variant("source", "keras.applications.inception_resnet_v2");
    Tensor x = inception_stem(b);
    // mixed_5b: 35 x 35 x 320
    x = b.concat({cbn(b, x, 96, 1, 1), chain(b, x, {{48, 1, 1}, {64, 5, 5}}),
                  chain(b, x, {{64, 1, 1}, {96, 3, 3}, {96, 3, 3}}), avg_pool_branch(b, x, 64)});
    for (int i = 0; i < 10; ++i) x = block35(b, x);
    // mixed_6a: 17 x 17 x 1088
    x = b.concat({cbn(b, x, 384, 3, 3, 2, true), cbn(b, chain(b, x, {{256, 1, 1}, {256, 3, 3}}), 384, 3, 3, 2, true),
                  b.max_pool(x, valid(3, 2))});
    for (int i = 0; i < 20; ++i) x = block17(b, x);
    // mixed_7a: 8 x 8 x 2080
    x = b.concat({cbn(b, cbn(b, x, 256, 1, 1), 384, 3, 3, 2, true), cbn(b, cbn(b, x, 256, 1, 1), 288, 3, 3, 2, true),
                  cbn(b, chain(b, x, {{256, 1, 1}, {288, 3, 3}}), 320, 3, 3, 2, true), b.max_pool(x, valid(3, 2))});
    for (int i = 0; i < 10; ++i) x = block8(b, x);  // the 10th is block8 with scale 1 and no activation
    x = cbn(b, x, 1536, 1, 1);  // conv_7b
    x = b.global_avg_pool(x, "avg_pool");
    b.fc(x, 1000, true, "predictions");
    return b.finish();
}

}  // namespace

void register_suite_keras_inception(ZooRegistry& reg) {
    reg.add(suite_name("Xception"), kFamily, build_xception);
    reg.add(suite_name("Inception_v3"), kFamily, build_inception_v3);
    reg.add(suite_name("InceptionResnet_v2"), kFamily, build_inception_resnet_v2);
}

}  // namespace elaa::workload::zoo
