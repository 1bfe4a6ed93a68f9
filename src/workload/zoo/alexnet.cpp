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

}  // namespace

void register_alexnet(ZooRegistry& reg) { reg.add("alexnet", "alexnet", build_alexnet); }

}  // namespace elaa::workload::zoo
