// VGG (configurations A, B, D, E of Simonyan & Zisserman) as torchvision v0.21 defines them
// (torchvision/models/vgg.py): 3x3 convs with bias, optionally followed by BatchNorm, 2x2 max pools,
// and a 4096-4096-1000 classifier on the 512 x 7 x 7 features.
#include <stdexcept>
#include <string>
#include <vector>

#include "workload/builder.hpp"
#include "workload/zoo/families.hpp"

namespace elaa::workload::zoo {
namespace {

constexpr int kPool = 0;  // marks "M" (MaxPool2d(2, 2)) in a configuration

// vgg.py's `cfgs`: output channels of each 3x3 conv, kPool for a max pool.
const std::vector<int> kCfgA{64, kPool, 128, kPool, 256, 256, kPool, 512, 512, kPool, 512, 512, kPool};
const std::vector<int> kCfgB{64, 64, kPool, 128, 128, kPool, 256, 256, kPool, 512, 512, kPool, 512, 512, kPool};
const std::vector<int> kCfgD{64,  64,  kPool, 128, 128, kPool, 256, 256, 256,  kPool,
                             512, 512, 512,   kPool, 512, 512, 512, kPool};
const std::vector<int> kCfgE{64,  64,  kPool, 128, 128, kPool, 256, 256, 256, 256, kPool,
                             512, 512, 512,   512, kPool, 512, 512, 512, 512, kPool};

constexpr int kPooledSize = 7;  // AdaptiveAvgPool2d((7, 7))
const std::vector<int> kClassifier{4096, 4096, 1000};
// Module indices of the Linear layers in `classifier` (Linear, ReLU, Dropout, Linear, ReLU, Dropout, Linear).
const std::vector<int> kClassifierIndex{0, 3, 6};

Network build_vgg(const std::string& name, int depth, const std::vector<int>& cfg, bool batch_norm) {
    NetworkBuilder b(name, "vgg", 224);
    b.variant("depth", std::to_string(depth));
    b.variant("batch_norm", batch_norm ? "true" : "false");
    Tensor x = b.input();
    int index = 0;  // position in `features`: conv, [BN,] ReLU per conv; one module per pool
    for (int channels : cfg) {
        const std::string module = "features." + std::to_string(index);
        if (channels == kPool) {
            x = b.max_pool(x, win(2, 2, 0), module);
            index += 1;
            continue;
        }
        x = b.conv(x, channels, win(3, 1, 1), 1, true, module);
        if (batch_norm) b.norm(x);
        index += batch_norm ? 3 : 2;
    }
    // At 224 the features end at 7x7, where the adaptive pool is the identity and adds no layer.
    if (x.h != kPooledSize || x.w != kPooledSize)
        throw std::logic_error(name + ": features end at " + std::to_string(x.h) + "x" + std::to_string(x.w));
    for (std::size_t i = 0; i < kClassifier.size(); ++i)
        x = b.fc(x, kClassifier[i], true, "classifier." + std::to_string(kClassifierIndex[i]));
    return b.finish();
}

}  // namespace

void register_vgg(ZooRegistry& reg) {
    struct Entry {
        int depth;
        const std::vector<int>* cfg;
    };
    for (const Entry& e : {Entry{11, &kCfgA}, Entry{13, &kCfgB}, Entry{16, &kCfgD}, Entry{19, &kCfgE}}) {
        for (bool bn : {false, true}) {
            const std::string name = "vgg" + std::to_string(e.depth) + (bn ? "_bn" : "");
            reg.add(name, "vgg", [name, e, bn] { return build_vgg(name, e.depth, *e.cfg, bn); });
        }
    }
}

}  // namespace elaa::workload::zoo
