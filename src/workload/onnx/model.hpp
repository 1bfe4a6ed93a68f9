// Reading an ONNX file into its protobuf model and knowing the shape of every tensor in its graph.
// Internal to the ONNX importer (this header pulls in the ONNX protobuf classes).
#pragma once

#include <onnx/onnx_pb.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace elaa::workload::onnx_import {

// Parses `file` as an onnx.ModelProto without touching external weight data. Throws InputError
// (message starting with the path) when the file is missing, empty, not a protobuf or has no graph.
onnx::ModelProto load_model(const std::filesystem::path& file);

// Gives a symbolic batch dimension of the graph inputs a value, everywhere that symbol appears, so
// that shape inference can derive fixed shapes.
void bind_symbolic_batch(onnx::GraphProto& graph, std::int64_t batch);

// Runs ONNX shape inference, adding the derived shapes to the graph's value_info. Node-level
// failures are tolerated (the declared shapes remain). If inference aborts because a declared shape
// contradicts ONNX's rules, the shapes the model does not declare come from inference without the
// declarations; returns that error.
// Inference runs in a child process; ShapeInferenceFailure when the library crashes or hangs there.
std::optional<std::string> infer_shapes(onnx::ModelProto& model);
struct ShapeInferenceFailure : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// A Conv/ConvInteger/QLinearConv/ConvTranspose/pooling node that ONNX 1.12's shape inference
// cannot take: a stride, dilation or kernel size that is not positive ("node 'p' (MaxPool):
// 'strides' must be positive, got [2, 0]"), or an input with fewer dimensions than its weight or
// kernel ("node 'x' (Conv): input 'a' of rank 3, its weight/kernel needs rank 4"); nullopt when
// none is found. Ranks come from declarations, initializers and the shapes infer_shapes added,
// whose inference refuses such nodes instead of crashing on them (docs/hardening.md, findings 1
// and 5); an unknown rank is not judged.
std::optional<std::string> window_problem(const onnx::GraphProto& graph);

struct TensorInfo {
    std::vector<std::int64_t> dims;  // empty with known = true is a scalar
    bool known = false;              // every dimension has a fixed value
    int elem_type = 0;               // onnx::TensorProto_DataType, 0 if unknown
    bool constant = false;           // an initializer or the output of a Constant node
    bool initializer = false;        // stored in the graph's initializers (trainable, by convention)
};

std::int64_t element_count(const std::vector<std::int64_t>& dims);

// What the model says about each tensor: graph inputs/outputs, value_info (declared and inferred),
// initializer dims and Constant nodes' values.
class ShapeTable {
public:
    explicit ShapeTable(const onnx::GraphProto& graph);

    // The tensor's information; a default (unknown) one for names the graph never describes.
    const TensorInfo& operator[](const std::string& name) const;
    bool is_constant(const std::string& name) const { return (*this)[name].constant; }

    // The graph's first input that is not an initializer (the image), if any.
    const std::string& primary_input() const { return primary_input_; }

private:
    void declare(const onnx::ValueInfoProto& value);
    void constant(const std::string& name, const onnx::TensorProto& tensor, bool initializer);

    std::map<std::string, TensorInfo> tensors_;
    std::string primary_input_;
};

}  // namespace elaa::workload::onnx_import
