#include "workload/network.hpp"

namespace elaa::workload {

std::int64_t Network::macs() const {
    std::int64_t total = 0;
    for (const auto& layer : layers) total += layer.macs();
    return total;
}

std::int64_t Network::ops() const {
    std::int64_t total = 0;
    for (const auto& layer : layers) total += layer.ops();
    return total;
}

std::int64_t Network::params() const {
    std::int64_t total = norm_params + auxiliary_params + embedding_params;
    for (const auto& layer : layers) total += layer.params();
    return total;
}

Network with_batch(Network net, int batch) {
    for (auto& layer : net.layers) layer.B = layer.B / net.batch * batch;
    net.batch = batch;
    return net;
}

Network with_precision(Network net, const Precision& precision) {
    for (auto& layer : net.layers) layer.precision = precision;
    return net;
}

}  // namespace elaa::workload
