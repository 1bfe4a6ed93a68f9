// The network zoo: every network elaa can build by name.
//
// Names are case-sensitive and used by every command, config and output:
//   torchvision builder names verbatim      resnet50, mobilenet_v3_large, efficientnet_b0
//   TF grids                                mobilenet_v1_<width>_<res>, mobilenet_v2_<width>_<res>,
//                                           mnasnet_a1_<width>_<res> (width written as in the table)
//   TF EfficientNet                         efficientnet_tf_b<n>
//   the classic 34-network ImageNet suite   suite/<network column>, e.g. suite/ResNet50
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "workload/network.hpp"

namespace elaa::workload {

struct ZooEntry {
    std::string name;
    std::string family;
    std::function<Network()> build;
};

// Collects entries; each family's register function adds its networks here.
class ZooRegistry {
public:
    void add(std::string name, std::string family, std::function<Network()> build);
    // `name` is built exactly as `target` (an entry registered anywhere), then renamed. For suite
    // entries whose definition is the same as another zoo entry's.
    void alias(std::string name, std::string family, std::string target);
    std::vector<ZooEntry> take() { return std::move(entries_); }

private:
    std::vector<ZooEntry> entries_;
};

class Zoo {
public:
    // The zoo with every family registered (built once, thread-safe).
    static const Zoo& instance();

    const std::vector<ZooEntry>& entries() const { return entries_; }
    const ZooEntry* find(std::string_view name) const;
    std::vector<std::string> names() const;
    // Builds a network; throws InputError listing the closest names when `name` is unknown.
    Network build(std::string_view name) const;

    explicit Zoo(std::vector<ZooEntry> entries);

private:
    std::vector<ZooEntry> entries_;
};

}  // namespace elaa::workload
