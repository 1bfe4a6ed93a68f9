// Keras Applications' MobileNet (v1) and MobileNetV2 at alpha 1.0, 224 x 224.
// Strided convs follow Keras: ZeroPadding2D then a "valid" window (pads only bottom/right on even
// maps), stride-1 convs are "same". Every BN is scale+center: 4 parameters per channel.
#include <string>

#include "workload/builder.hpp"
#include "workload/zoo/suite_builders.hpp"

namespace elaa::workload::zoo {
namespace {

using namespace suite;

// ---- MobileNet v1 -------------------------------------------------------------------------------

struct DepthwiseBlock {
    std::int64_t pointwise_filters;
    int stride;
};
// keras mobilenet: the 13 depthwise-separable blocks after the stem.
constexpr DepthwiseBlock kMobileNetV1Blocks[] = {
    {64, 1},  {128, 2}, {128, 1}, {256, 2}, {256, 1}, {512, 2},  {512, 1},
    {512, 1}, {512, 1}, {512, 1}, {512, 1}, {1024, 2}, {1024, 1},
};

// Stride 2: ZeroPadding2D(((0, 1), (0, 1))) then "valid"; stride 1: "same".
Window mobilenet_v1_window(int stride) {
    return stride == 1 ? same(3) : Window{3, 3, stride, stride, Padding::explicit_pads(0, 0, 1, 1)};
}

Network build_mobilenet_v1() {
    NetworkBuilder b(suite_name("MobileNet_v1"), kFamily, 224);
    b.variant("source", "keras.applications.mobilenet");
    b.variant("alpha", "1.0");
    Tensor x = conv_bn(b, b.input(), 32, mobilenet_v1_window(2), kKerasBn, false, 1, "conv1");
    int id = 0;
    for (const auto& block : kMobileNetV1Blocks) {
        const std::string id_text = std::to_string(++id);
        x = conv_bn(b, x, x.c, mobilenet_v1_window(block.stride), kKerasBn, false, x.c, "conv_dw_" + id_text);
        x = conv_bn(b, x, block.pointwise_filters, same(1), kKerasBn, false, 1, "conv_pw_" + id_text);
    }
    x = b.global_avg_pool(x, "global_average_pooling2d");
    b.conv(x, 1000, same(1), 1, true, "conv_preds");  // the classifier is a 1x1 conv with bias
    return b.finish();
}

// ---- MobileNet v2 -------------------------------------------------------------------------------

struct InvertedResidualStage {
    int expansion;
    std::int64_t filters;
    int repeats;
    int stride;
};
// The (t, c, n, s) table of the MobileNetV2 paper, which keras.applications.mobilenet_v2 unrolls.
constexpr InvertedResidualStage kMobileNetV2Stages[] = {
    {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1},
};

Tensor inverted_residual(NetworkBuilder& b, const Tensor& x, const InvertedResidualStage& stage, int stride,
                         int block_id) {
    const std::string name = "block_" + std::to_string(block_id);
    Tensor y = x;
    if (block_id > 0) y = conv_bn(b, y, stage.expansion * x.c, valid(1), kKerasBn, false, 1, name + "_expand");
    const Window dw = stride == 1 ? same(3) : keras_correct_pad(y, 3, stride);
    y = conv_bn(b, y, y.c, dw, kKerasBn, false, y.c, name + "_depthwise");
    y = conv_bn(b, y, stage.filters, valid(1), kKerasBn, false, 1, name + "_project");
    if (stride == 1 && x.c == stage.filters) y = b.add(x, y, name + "_add");
    return y;
}

Network build_mobilenet_v2() {
    NetworkBuilder b(suite_name("MobileNet_v2"), kFamily, 224);
    b.variant("source", "keras.applications.mobilenet_v2");
    b.variant("alpha", "1.0");
    Tensor x = conv_bn(b, b.input(), 32, same(3, 2), kKerasBn, false, 1, "Conv1");
    int block_id = 0;
    for (const auto& stage : kMobileNetV2Stages)
        for (int i = 0; i < stage.repeats; ++i)
            x = inverted_residual(b, x, stage, i == 0 ? stage.stride : 1, block_id++);
    x = conv_bn(b, x, 1280, valid(1), kKerasBn, false, 1, "Conv_1");
    x = b.global_avg_pool(x, "global_average_pooling2d");
    b.fc(x, 1000, true, "predictions");
    return b.finish();
}

}  // namespace

void register_suite_keras_mobile(ZooRegistry& reg) {
    reg.add(suite_name("MobileNet_v1"), kFamily, build_mobilenet_v1);
    reg.add(suite_name("MobileNet_v2"), kFamily, build_mobilenet_v2);
}

}  // namespace elaa::workload::zoo
