// AlexNet as torchvision v0.21 defines it (torchvision/models/alexnet.py): the single-tower
// "one weird trick" variant (64/192/384/256/256 channels, no groups, no LRN), convs with bias.
#include <stdexcept>
#include <string>
#include <vector>

#include "workload/builder.hpp"
#include "workload/zoo/families.hpp"

namespace elaa::workload::zoo {
namespace {

struct AlexConv {
    int out_channels, kernel, stride, pad;
    bool pool_after;  // MaxPool2d(3, 2) follows the ReLU
};

// `features`: each conv is followed by a ReLU (and maybe a pool); the index is the module's position.
const std::vector<AlexConv> kFeatures{
    {64, 11, 4, 2, true}, {192, 5, 1, 2, true}, {384, 3, 1, 1, false}, {256, 3, 1, 1, false}, {256, 3, 1, 1, true},
};
constexpr int kPooledSize = 6;  // AdaptiveAvgPool2d((6, 6))
const std::vector<int> kClassifier{4096, 4096, 1000};
// Module indices of the Linear layers in `classifier` (Dropout, Linear, ReLU, Dropout, Linear, ReLU, Linear).
const std::vector<int> kClassifierIndex{1, 4, 6};

Network build_alexnet() {
    NetworkBuilder b("alexnet", "alexnet", 224);
    Tensor x = b.input();
    int index = 0;
    for (const auto& c : kFeatures) {
        x = b.conv(x, c.out_channels, win(c.kernel, c.stride, c.pad), 1, true, "features." + std::to_string(index));
        index += 2;  // conv, ReLU
        if (c.pool_after) x = b.max_pool(x, win(3, 2, 0), "features." + std::to_string(index++));
    }
    // At 224 the features end at 6x6, where the adaptive pool is the identity and adds no layer.
    if (x.h != kPooledSize || x.w != kPooledSize)
        throw std::logic_error("alexnet: features end at " + std::to_string(x.h) + "x" + std::to_string(x.w));
    for (std::size_t i = 0; i < kClassifier.size(); ++i)
        x = b.fc(x, kClassifier[i], true, "classifier." + std::to_string(kClassifierIndex[i]));
    return b.finish();
}

// The original two-tower AlexNet as Caffe's reference model defines it (BVLC bvlc_alexnet
// deploy.prototxt; Krizhevsky et al., NIPS 2012): 227 x 227 input, 96/256/384/384/256 channels,
// CONV2, CONV4 and CONV5 in two groups (the two GPUs), LRN after CONV1 and CONV2 (no MACs, fused
// like the ReLUs). The network Eyeriss v1 was measured on (JSSC 2017, Table V): 105.4, 223.9, 149.5,
// 112.1 and 74.8 M MACs in CONV1-5, 666 M MACs in the five.
struct CaffeConv {
    int out_channels, kernel, stride, pad, groups;
    bool pool_after;
};
const std::vector<CaffeConv> kCaffeFeatures{
    {96, 11, 4, 0, 1, true}, {256, 5, 1, 2, 2, true}, {384, 3, 1, 1, 1, false},
    {384, 3, 1, 1, 2, false}, {256, 3, 1, 1, 2, true},
};

Network build_alexnet_caffe() {
    NetworkBuilder b("alexnet_caffe", "alexnet", 227);
    Tensor x = b.input();
    for (std::size_t i = 0; i < kCaffeFeatures.size(); ++i) {
        const auto& c = kCaffeFeatures[i];
        const std::string n = std::to_string(i + 1);
        x = b.conv(x, c.out_channels, win(c.kernel, c.stride, c.pad), c.groups, true, "conv" + n);
        if (c.pool_after) x = b.max_pool(x, win(3, 2, 0), "pool" + n);
    }
    if (x.h != kPooledSize || x.w != kPooledSize)
        throw std::logic_error("alexnet_caffe: features end at " + std::to_string(x.h) + "x" + std::to_string(x.w));
    for (std::size_t i = 0; i < kClassifier.size(); ++i) x = b.fc(x, kClassifier[i], true, "fc" + std::to_string(i + 6));
    return b.finish();
}

}  // namespace

void register_alexnet(ZooRegistry& reg) {
    reg.add("alexnet", "alexnet", build_alexnet);
    reg.add("alexnet_caffe", "alexnet", build_alexnet_caffe);
}

}  // namespace elaa::workload::zoo
