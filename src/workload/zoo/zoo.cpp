#include "workload/zoo/zoo.hpp"

#include <algorithm>
#include <memory>

#include "util/error.hpp"
#include "util/suggest.hpp"
#include "workload/zoo/families.hpp"

namespace elaa::workload {

void ZooRegistry::add(std::string name, std::string family, std::function<Network()> build) {
    entries_.push_back({std::move(name), std::move(family), std::move(build)});
}

void ZooRegistry::alias(std::string name, std::string family, std::string target) {
    auto build = [name, family, target]() {
        Network net = Zoo::instance().build(target);
        net.name = name;
        net.family = family;
        net.variant["same_definition_as"] = target;
        return net;
    };
    add(name, family, std::move(build));
}

Zoo::Zoo(std::vector<ZooEntry> entries) : entries_(std::move(entries)) {
    std::stable_sort(entries_.begin(), entries_.end(),
                     [](const ZooEntry& a, const ZooEntry& b) { return a.name < b.name; });
    for (std::size_t i = 1; i < entries_.size(); ++i)
        if (entries_[i].name == entries_[i - 1].name)
            throw std::logic_error("zoo: network registered twice: " + entries_[i].name);
}

const Zoo& Zoo::instance() {
    static const Zoo zoo = [] {
        ZooRegistry reg;
        zoo::register_alexnet(reg);
        zoo::register_vgg(reg);
        zoo::register_resnet(reg);
        zoo::register_squeezenet(reg);
        zoo::register_densenet(reg);
        zoo::register_googlenet(reg);
        zoo::register_inception_v3(reg);
        zoo::register_mobilenet_v1(reg);
        zoo::register_mobilenet_v2(reg);
        zoo::register_mobilenet_v3(reg);
        zoo::register_mnasnet(reg);
        zoo::register_shufflenet_v2(reg);
        zoo::register_efficientnet(reg);
        zoo::register_regnet(reg);
        zoo::register_vit(reg);
        zoo::register_swin(reg);
        zoo::register_convnext(reg);
        zoo::register_maxvit(reg);
        zoo::register_suite(reg);
        return Zoo(reg.take());
    }();
    return zoo;
}

const ZooEntry* Zoo::find(std::string_view name) const {
    auto it = std::lower_bound(entries_.begin(), entries_.end(), name,
                               [](const ZooEntry& e, std::string_view n) { return e.name < n; });
    return (it != entries_.end() && it->name == name) ? &*it : nullptr;
}

std::vector<std::string> Zoo::names() const {
    std::vector<std::string> out;
    out.reserve(entries_.size());
    for (const auto& e : entries_) out.push_back(e.name);
    return out;
}

Network Zoo::build(std::string_view name) const {
    const ZooEntry* entry = find(name);
    if (!entry) {
        std::string message = "unknown network '" + std::string(name) + "'";
        const auto near = closest_names(name, names(), 5);
        if (!near.empty()) {
            message += "; closest names:";
            for (std::size_t i = 0; i < near.size(); ++i) message += (i ? ", " : " ") + near[i];
        }
        message += " ('elaa nets' lists all)";
        throw InputError(message);
    }
    return entry->build();
}

}  // namespace elaa::workload
