// The classic 34-network ImageNet suite of ZigZag-v1 (data/accuracy/suite36_accuracy.csv). Each
// suite/<network> is built from the definition its accuracy row was measured on (the row's `source`):
// Keras Applications, Cadene's pretrained-models.pytorch, qubvel's classification_models, Darknet,
// and torchvision / TF-slim where the zoo already holds that exact definition (aliases).
#include "workload/builder.hpp"
#include "workload/zoo/families.hpp"
#include "workload/zoo/suite_builders.hpp"

namespace elaa::workload::zoo {

namespace suite {

std::string suite_name(const std::string& network) { return "suite/" + network; }

Window same_rect(int kh, int kw, int stride) { return Window{kh, kw, stride, stride, Padding::same()}; }

Window keras_correct_pad(const Tensor& x, int k, int stride) {
    const int half = k / 2;
    const int before_y = x.h % 2 == 0 ? half - 1 : half;
    const int before_x = x.w % 2 == 0 ? half - 1 : half;
    return Window{k, k, stride, stride, Padding::explicit_pads(before_y, before_x, half, half)};
}

Tensor conv_bn(NetworkBuilder& b, const Tensor& x, std::int64_t filters, const Window& window, int bn,
               bool bias, std::int64_t groups, std::string name) {
    const Tensor y = b.conv(x, filters, window, groups, bias, std::move(name));
    if (bn > 0) b.norm(y, bn);
    return y;
}

Tensor separable_conv(NetworkBuilder& b, const Tensor& x, std::int64_t filters, const Window& depthwise,
                      const std::string& name) {
    const Tensor dw = b.conv(x, x.c, depthwise, x.c, false, name.empty() ? "" : name + "_dw");
    return b.conv(dw, filters, valid(1), 1, false, name.empty() ? "" : name + "_pw");
}

Tensor squeeze_excite(NetworkBuilder& b, const Tensor& x, std::int64_t squeezed, const std::string& name) {
    Tensor s = b.global_avg_pool(x, name + "_se_pool");
    s = b.conv(s, squeezed, valid(1), 1, true, name + "_se_reduce");
    s = b.conv(s, x.c, valid(1), 1, true, name + "_se_expand");
    return b.mul(x, s, name + "_se_mul");
}

}  // namespace suite

namespace {
// Rows whose definition another zoo family already builds exactly: Cadene's AlexNet/ResNet18/ResNet34
// rows are torchvision's models, the MobileNet v3 rows are TF-slim's checkpoints.
void register_suite_aliases(ZooRegistry& reg) {
    using suite::kFamily;
    using suite::suite_name;
    reg.alias(suite_name("AlexNet"), kFamily, "alexnet");
    reg.alias(suite_name("ResNet18"), kFamily, "resnet18");
    reg.alias(suite_name("ResNet34"), kFamily, "resnet34");
    reg.alias(suite_name("MobileNet_v3_large"), kFamily, "mobilenet_v3_large_1.0_224");
    reg.alias(suite_name("MobileNet_v3_small"), kFamily, "mobilenet_v3_small_1.0_224");
}
}  // namespace

void register_suite(ZooRegistry& reg) {
    register_suite_keras_resnet(reg);
    register_suite_keras_mobile(reg);
    register_suite_keras_inception(reg);
    register_suite_keras_nasnet(reg);
    register_suite_senet(reg);
    register_suite_qubvel(reg);
    register_suite_darknet(reg);
    register_suite_aliases(reg);
}

}  // namespace elaa::workload::zoo
