// ONNX operators -> elaa layers. Internal to the ONNX importer; docs/onnx.md lists the operators.
#pragma once

#include "workload/network.hpp"
#include "workload/onnx/node.hpp"

namespace elaa::workload::onnx_import {

enum class NodeOutcome {
    Layer,        // appended one layer to the network
    ShapeOnly,    // no cost in elaa's model (activation, reshape, normalisation, ...)
    Unsupported,  // an operator elaa does not model
};

// Converts a node of the default ONNX domain. Throws InputError for malformed nodes and
// UnsupportedNode for variants of known operators that elaa does not model.
NodeOutcome convert_node(const NodeContext& node, Network& network);

}  // namespace elaa::workload::onnx_import
