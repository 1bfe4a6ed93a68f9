// Keras Applications' VGG, ResNet (v1 and v2) and DenseNet, as keras.applications defines them:
// these are the models the keras.io table's accuracies and parameter counts belong to.
//   - ResNet v1 (keras.applications.resnet): every conv has a bias, the stride of a stage sits in the
//     FIRST 1x1 conv of its first block (and in the projection shortcut), unlike torchvision's v1.5.
//   - ResNet v2 (resnet_v2): pre-activation; the stride sits in the 3x3 conv of the LAST block of
//     stages 1-3, whose identity shortcut becomes a 1x1 max pool with stride 2.
//   - Every BN is scale+center: 4 parameters per channel in count_params().
#include <string>
#include <vector>

#include "workload/builder.hpp"
#include "workload/zoo/suite_builders.hpp"

namespace elaa::workload::zoo {
namespace {

using namespace suite;

// ---- VGG --------------------------------------------------------------------------------------

// Convolutions per block of VGG16 / VGG19; every block ends in a 2x2 max pool.
Network build_vgg(const std::string& network, const std::vector<int>& convs_per_block) {
    NetworkBuilder b(suite_name(network), kFamily, 224);
    b.variant("source", "keras.applications.vgg");
    Tensor x = b.input();
    std::int64_t filters = 64;
    for (std::size_t block = 0; block < convs_per_block.size(); ++block) {
        for (int i = 0; i < convs_per_block[block]; ++i)
            x = b.conv(x, filters, same(3), 1, true,
                       "block" + std::to_string(block + 1) + "_conv" + std::to_string(i + 1));
        x = b.max_pool(x, valid(2, 2), "block" + std::to_string(block + 1) + "_pool");
        if (filters < 512) filters *= 2;
    }
    x = b.fc(x, 4096, true, "fc1");  // Flatten of 512 x 7 x 7
    x = b.fc(x, 4096, true, "fc2");
    b.fc(x, 1000, true, "predictions");
    return b.finish();
}

// ---- ResNet stems -------------------------------------------------------------------------------

// ZeroPadding2D(3) + 7x7/2 conv with bias, [BN], ZeroPadding2D(1) + 3x3/2 max pool.
Tensor keras_resnet_stem(NetworkBuilder& b, bool bn_after_conv) {
    Tensor x = b.conv(b.input(), 64, win(7, 2, 3), 1, true, "conv1_conv");
    if (bn_after_conv) b.norm(x, kKerasBn);
    return b.max_pool(x, win(3, 2, 1), "pool1_pool");
}

std::string block_name(int stage, int block) {
    return "conv" + std::to_string(stage) + "_block" + std::to_string(block);
}

// ---- ResNet v1 ------------------------------------------------------------------------------------

// keras resnet.block1: 1x1 (stride) -> 3x3 -> 1x1 (4 x filters), projection or identity shortcut.
Tensor resnet_v1_block(NetworkBuilder& b, const Tensor& x, std::int64_t filters, int stride,
                       bool projection, const std::string& name) {
    Tensor shortcut = x;
    if (projection) shortcut = conv_bn(b, x, 4 * filters, valid(1, stride), kKerasBn, true, 1, name + "_0_conv");
    Tensor y = conv_bn(b, x, filters, valid(1, stride), kKerasBn, true, 1, name + "_1_conv");
    y = conv_bn(b, y, filters, same(3), kKerasBn, true, 1, name + "_2_conv");
    y = conv_bn(b, y, 4 * filters, valid(1), kKerasBn, true, 1, name + "_3_conv");
    return b.add(shortcut, y, name + "_add");
}

Network build_resnet_v1(const std::string& network, const std::vector<int>& blocks) {
    NetworkBuilder b(suite_name(network), kFamily, 224);
    b.variant("source", "keras.applications.resnet (v1, stride in the first 1x1)");
    Tensor x = keras_resnet_stem(b, true);
    std::int64_t filters = 64;
    for (std::size_t s = 0; s < blocks.size(); ++s) {
        const int stage = static_cast<int>(s) + 2;
        const int first_stride = s == 0 ? 1 : 2;
        for (int i = 0; i < blocks[s]; ++i)
            x = resnet_v1_block(b, x, filters, i == 0 ? first_stride : 1, i == 0, block_name(stage, i + 1));
        filters *= 2;
    }
    x = b.global_avg_pool(x, "avg_pool");
    b.fc(x, 1000, true, "predictions");
    return b.finish();
}

// ---- ResNet v2 ------------------------------------------------------------------------------------

// keras resnet_v2.block2: BN-ReLU pre-activation, 1x1 -> 3x3 (stride) -> 1x1 (4 x filters, bias).
Tensor resnet_v2_block(NetworkBuilder& b, const Tensor& x, std::int64_t filters, int stride,
                       bool projection, const std::string& name) {
    b.norm(x, kKerasBn);  // preact_bn
    Tensor shortcut = x;
    if (projection)
        shortcut = b.conv(x, 4 * filters, valid(1, stride), 1, true, name + "_0_conv");
    else if (stride > 1)
        shortcut = b.max_pool(x, valid(1, stride), name + "_0_max_pool");
    Tensor y = conv_bn(b, x, filters, valid(1), kKerasBn, false, 1, name + "_1_conv");
    y = conv_bn(b, y, filters, win(3, stride, 1), kKerasBn, false, 1, name + "_2_conv");  // ZeroPadding2D(1)
    y = b.conv(y, 4 * filters, valid(1), 1, true, name + "_3_conv");
    return b.add(shortcut, y, name + "_out");
}

Network build_resnet_v2(const std::string& network, const std::vector<int>& blocks) {
    NetworkBuilder b(suite_name(network), kFamily, 224);
    b.variant("source", "keras.applications.resnet_v2 (pre-activation)");
    Tensor x = keras_resnet_stem(b, false);
    std::int64_t filters = 64;
    for (std::size_t s = 0; s < blocks.size(); ++s) {
        const int stage = static_cast<int>(s) + 2;
        const int last_stride = s + 1 == blocks.size() ? 1 : 2;
        for (int i = 0; i < blocks[s]; ++i) {
            const bool last = i + 1 == blocks[s];
            x = resnet_v2_block(b, x, filters, last ? last_stride : 1, i == 0, block_name(stage, i + 1));
        }
        filters *= 2;
    }
    b.norm(x, kKerasBn);  // post_bn
    x = b.global_avg_pool(x, "avg_pool");
    b.fc(x, 1000, true, "predictions");
    return b.finish();
}

// ---- DenseNet -------------------------------------------------------------------------------------

constexpr std::int64_t kGrowthRate = 32;

// BN-ReLU-1x1 (4k) -BN-ReLU-3x3 (k), concatenated to the input.
Tensor dense_layer(NetworkBuilder& b, const Tensor& x, const std::string& name) {
    b.norm(x, kKerasBn);
    Tensor y = conv_bn(b, x, 4 * kGrowthRate, valid(1), kKerasBn, false, 1, name + "_1_conv");
    y = b.conv(y, kGrowthRate, same(3), 1, false, name + "_2_conv");
    return b.concat({x, y});
}

// BN-ReLU-1x1 halving the channels, 2x2/2 average pool.
Tensor transition(NetworkBuilder& b, const Tensor& x, const std::string& name) {
    b.norm(x, kKerasBn);
    const Tensor y = b.conv(x, x.c / 2, valid(1), 1, false, name + "_conv");
    return b.avg_pool(y, valid(2, 2), name + "_pool");
}

Network build_densenet(const std::string& network, const std::vector<int>& blocks) {
    NetworkBuilder b(suite_name(network), kFamily, 224);
    b.variant("source", "keras.applications.densenet");
    b.variant("growth_rate", std::to_string(kGrowthRate));
    Tensor x = conv_bn(b, b.input(), 64, win(7, 2, 3), kKerasBn, false, 1, "conv1_conv");
    x = b.max_pool(x, win(3, 2, 1), "pool1");
    for (std::size_t s = 0; s < blocks.size(); ++s) {
        const std::string stage = "conv" + std::to_string(s + 2);
        for (int i = 0; i < blocks[s]; ++i) x = dense_layer(b, x, stage + "_block" + std::to_string(i + 1));
        if (s + 1 < blocks.size()) x = transition(b, x, "pool" + std::to_string(s + 2));
    }
    b.norm(x, kKerasBn);  // final bn
    x = b.global_avg_pool(x, "avg_pool");
    b.fc(x, 1000, true, "predictions");
    return b.finish();
}

// Registers one network per (network column, stage configuration) row.
template <typename Builder>
void add_each(ZooRegistry& reg, Builder build, const std::vector<std::pair<std::string, std::vector<int>>>& rows) {
    for (const auto& [network, config] : rows)
        reg.add(suite_name(network), kFamily, [build, network = network, config = config] {
            return build(network, config);
        });
}

}  // namespace

void register_suite_keras_resnet(ZooRegistry& reg) {
    add_each(reg, build_vgg, {{"VGG16", {2, 2, 3, 3, 3}}, {"VGG19", {2, 2, 4, 4, 4}}});
    add_each(reg, build_resnet_v1,
             {{"ResNet50", {3, 4, 6, 3}}, {"ResNet101", {3, 4, 23, 3}}, {"ResNet152", {3, 8, 36, 3}}});
    add_each(reg, build_resnet_v2,
             {{"ResNet50_v2", {3, 4, 6, 3}}, {"ResNet101_v2", {3, 4, 23, 3}}, {"ResNet152_v2", {3, 8, 36, 3}}});
    add_each(reg, build_densenet,
             {{"DenseNet121", {6, 12, 24, 16}}, {"DenseNet169", {6, 12, 32, 32}}, {"DenseNet201", {6, 12, 48, 32}}});
}

}  // namespace elaa::workload::zoo
