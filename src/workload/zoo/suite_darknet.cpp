// Darknet-19 (Redmon & Farhadi, YOLO9000, Table 6; darknet19.cfg) at 224 x 224: 19 convolutional
// layers and 5 max pools. 3x3 convs double the channels after each pool, 1x1 convs halve them in
// between. Every conv except the last is batch-normalised (no bias; Darknet's per-channel "biases"
// play BN's beta, so 2 trainable parameters per channel). The classifier is a 1x1 conv to 1000
// channels with bias, followed by a global average pool.
#include <string>
#include <vector>

#include "workload/builder.hpp"
#include "workload/zoo/suite_builders.hpp"

namespace elaa::workload::zoo {
namespace {

using namespace suite;

// One group per resolution: the 3x3 filter count and the number of 3x3 convs, with a 1x1 conv of
// half the channels between consecutive 3x3 convs. A 2x2/2 max pool follows every group but the last.
struct DarknetGroup {
    std::int64_t filters;
    int convs3x3;
};
constexpr DarknetGroup kDarknet19[] = {{32, 1}, {64, 1}, {128, 2}, {256, 2}, {512, 3}, {1024, 3}};

Network build_darknet19() {
    NetworkBuilder b(suite_name("DarkNet19"), kFamily, 224);
    b.variant("source", "darknet19.cfg (YOLO9000 Table 6)");
    Tensor x = b.input();
    const std::size_t groups = std::size(kDarknet19);
    for (std::size_t g = 0; g < groups; ++g) {
        const auto& group = kDarknet19[g];
        for (int i = 0; i < group.convs3x3; ++i) {
            if (i > 0) x = conv_bn(b, x, group.filters / 2, win(1, 1, 0), kTrainableBn);
            x = conv_bn(b, x, group.filters, win(3, 1, 1), kTrainableBn);
        }
        if (g + 1 < groups) x = b.max_pool(x, valid(2, 2));
    }
    x = b.conv(x, 1000, win(1, 1, 0), 1, true, "classifier");
    b.global_avg_pool(x, "avgpool");
    return b.finish();
}

}  // namespace

void register_suite_darknet(ZooRegistry& reg) { reg.add(suite_name("DarkNet19"), kFamily, build_darknet19); }

}  // namespace elaa::workload::zoo
