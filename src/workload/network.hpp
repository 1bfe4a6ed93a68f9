// An ordered list of layers plus what the network was built from.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "workload/layer.hpp"

namespace elaa::workload {

struct Network {
    std::string name;    // the zoo name ("resnet50", "suite/ResNet50", "mobilenet_v1_0.75_160")
    std::string family;  // "resnet", "mobilenet_v1", ...
    int resolution = 224;  // input height = width in pixels
    int batch = 1;
    // The parameters the builder was called with (depth, width multiplier, ...), for display.
    std::map<std::string, std::string> variant;
    std::vector<Layer> layers;

    // Trainable parameters that belong to no cost-bearing layer: normalisation affine parameters
    // (and, where a source counts them, BN running statistics). Shape-only in the loop nest.
    std::int64_t norm_params = 0;
    // Parameters of heads that exist in the published model but do not run at inference (Inception
    // v3's auxiliary classifier: torchvision's num_params counts it, its op count does not).
    std::int64_t auxiliary_params = 0;
    // Trainable tensors consumed as data rather than by a layer's W: class tokens, position
    // embeddings, relative-position bias tables (transformers).
    std::int64_t embedding_params = 0;

    std::int64_t macs() const;
    std::int64_t ops() const;
    std::int64_t params() const;  // layer weights + biases + norm, auxiliary and embedding params
};

// The same network processing `batch` images at once (every layer's B scaled).
Network with_batch(Network net, int batch);
// The same network with every layer's operand precisions set.
Network with_precision(Network net, const Precision& precision);

}  // namespace elaa::workload
