// qubvel/classification_models (Keras) definitions of ResNeXt50 and SE-ResNet18/34, the only source
// the suite read for these rows. Both start with `bn_data`, a BN(scale=False) on the RGB input, and a
// ZeroPadding2D(3) + 7x7/2 conv, BN, ZeroPadding2D(1) + 3x3/2 max pool. Convs have no bias; BNs are
// scale+center (4 per channel in Keras' count) except bn_data (3).
//   - SE-ResNet18/34 (resnet.py with ChannelSE): pre-activation basic blocks; the first block of every
//     stage (stride 1 in stage 1) takes a 1x1 projection shortcut from the pre-activated input; the
//     SE gate (1x1 convs with bias, reduction 16) follows the second 3x3 conv; a final BN precedes the
//     pool.
//   - ResNeXt50 (resnext.py): post-activation bottleneck, 32 groups, 1x1 -> grouped 3x3 (stride) ->
//     1x1; inner width 128 in stage 1 doubling per stage, output twice the inner width.
#include <string>
#include <vector>

#include "workload/builder.hpp"
#include "workload/zoo/suite_builders.hpp"

namespace elaa::workload::zoo {
namespace {

using namespace suite;

constexpr std::int64_t kSeReduction = 16;
constexpr std::int64_t kCardinality = 32;

Tensor qubvel_stem(NetworkBuilder& b) {
    Tensor x = b.input();
    b.norm(x, kKerasBnNoScale);  // bn_data
    x = conv_bn(b, x, 64, win(7, 2, 3), kKerasBn, false, 1, "conv0");
    return b.max_pool(x, win(3, 2, 1), "pooling0");
}

Tensor classifier(NetworkBuilder& b, const Tensor& x) {
    const Tensor pooled = b.global_avg_pool(x, "pool1");
    return b.fc(pooled, 1000, true, "fc1");
}

// ---- SE-ResNet18/34 ----------------------------------------------------------------------------

Tensor se_basic_block(NetworkBuilder& b, const Tensor& x, std::int64_t filters, int stride, bool projection,
                      const std::string& name) {
    b.norm(x, kKerasBn);  // pre-activation bn1
    const Tensor shortcut = projection ? b.conv(x, filters, valid(1, stride), 1, false, name + "_sc") : x;
    Tensor y = conv_bn(b, x, filters, win(3, stride, 1), kKerasBn, false, 1, name + "_conv1");
    y = b.conv(y, filters, win(3, 1, 1), 1, false, name + "_conv2");
    y = squeeze_excite(b, y, filters / kSeReduction, name);
    return b.add(y, shortcut, name + "_add");
}

Network build_se_resnet(const std::string& network, const std::vector<int>& repetitions) {
    NetworkBuilder b(suite_name(network), kFamily, 224);
    b.variant("source", "qubvel classification_models resnet.py (ChannelSE attention)");
    Tensor x = qubvel_stem(b);
    for (std::size_t stage = 0; stage < repetitions.size(); ++stage) {
        const std::int64_t filters = 64 << stage;
        for (int block = 0; block < repetitions[stage]; ++block) {
            const int stride = block == 0 && stage > 0 ? 2 : 1;
            x = se_basic_block(b, x, filters, stride, block == 0,
                               "stage" + std::to_string(stage + 1) + "_unit" + std::to_string(block + 1));
        }
    }
    b.norm(x, kKerasBn);  // bn1
    classifier(b, x);
    return b.finish();
}

// ---- ResNeXt50 ------------------------------------------------------------------------------------

Tensor resnext_block(NetworkBuilder& b, const Tensor& x, std::int64_t filters, int stride, bool projection,
                     const std::string& name) {
    Tensor y = conv_bn(b, x, filters, valid(1), kKerasBn, false, 1, name + "_conv1");
    y = conv_bn(b, y, filters, win(3, stride, 1), kKerasBn, false, kCardinality, name + "_conv2");
    y = conv_bn(b, y, 2 * filters, valid(1), kKerasBn, false, 1, name + "_conv3");
    const Tensor shortcut =
        projection ? conv_bn(b, x, 2 * filters, valid(1, stride), kKerasBn, false, 1, name + "_sc") : x;
    return b.add(y, shortcut, name + "_add");
}

Network build_resnext50() {
    NetworkBuilder b(suite_name("ResNeXt50"), kFamily, 224);
    b.variant("source", "qubvel classification_models resnext.py");
    b.variant("cardinality", std::to_string(kCardinality));
    Tensor x = qubvel_stem(b);
    const std::vector<int> repetitions = {3, 4, 6, 3};
    for (std::size_t stage = 0; stage < repetitions.size(); ++stage) {
        const std::int64_t filters = 128 << stage;
        for (int block = 0; block < repetitions[stage]; ++block) {
            const int stride = block == 0 && stage > 0 ? 2 : 1;
            x = resnext_block(b, x, filters, stride, block == 0,
                              "stage" + std::to_string(stage + 1) + "_unit" + std::to_string(block + 1));
        }
    }
    classifier(b, x);
    return b.finish();
}

}  // namespace

void register_suite_qubvel(ZooRegistry& reg) {
    reg.add(suite_name("SEResNet18"), kFamily, [] { return build_se_resnet("SEResNet18", {2, 2, 2, 2}); });
    reg.add(suite_name("SEResNet34"), kFamily, [] { return build_se_resnet("SEResNet34", {3, 4, 6, 3}); });
    reg.add(suite_name("ResNeXt50"), kFamily, build_resnext50);
}

}  // namespace elaa::workload::zoo
