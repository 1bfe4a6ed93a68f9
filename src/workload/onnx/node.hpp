// One ONNX node as the importer sees it: its attributes, the shapes of its inputs and outputs, and
// errors that name the file and the node. Internal to the ONNX importer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "workload/onnx/model.hpp"

namespace elaa::workload::onnx_import {

// Thrown by a converter for a variant of a supported operator that elaa does not model (a 3-D
// convolution, say); the importer then treats the node as unsupported (skippable).
struct UnsupportedNode {
    std::string detail;
};

// What every node of one import shares.
struct ImportContext {
    std::string file;         // as given, for messages
    const ShapeTable& shapes;
    std::optional<std::string> inference_error;  // why ONNX shape inference stopped, if it did
};

class NodeContext {
public:
    NodeContext(const ImportContext& import, const onnx::NodeProto& node, int index);

    const onnx::NodeProto& node() const { return node_; }
    const std::string& op() const { return node_.op_type(); }
    // The node's name, or "<op>_<index in graph>" for unnamed nodes.
    const std::string& name() const { return name_; }

    // Throws InputError "<file>: node '<name>' (<op>): <what>".
    [[noreturn]] void fail(const std::string& what) const;

    // Optional inputs are absent or named "".
    bool has_input(int i) const;
    const TensorInfo& input(int i) const;
    const TensorInfo& output(int i) const;
    // The input's fixed dims; fails naming the input and `expected` (e.g. "N x C x H x W") if unknown.
    const std::vector<std::int64_t>& input_dims(int i, std::string_view expected) const;

    std::int64_t attr_int(std::string_view attr, std::int64_t fallback) const;
    // Empty when the attribute is absent.
    std::vector<std::int64_t> attr_ints(std::string_view attr) const;
    std::string attr_string(std::string_view attr, std::string fallback) const;

private:
    const onnx::AttributeProto* find(std::string_view attr) const;

    const ImportContext& import_;
    const onnx::NodeProto& node_;
    std::string name_;
};

std::string format_dims(const std::vector<std::int64_t>& dims);  // "[1, 3, 224, 224]"

}  // namespace elaa::workload::onnx_import
