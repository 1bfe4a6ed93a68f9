// Builds small ONNX models with the protobuf classes, the way exporters write them (opset 14,
// HardSwish's first). Weights have dims only: their data is "external" in a file that does not
// exist, since the importer never reads it. Used by tests/test_onnx.cpp and by the fuzz corpus
// generator (fuzz/make_onnx_corpus.cpp).
#pragma once

#include <onnx/onnx_pb.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace elaa::testing {

using Dims = std::vector<std::int64_t>;

class ModelMaker {
public:
    explicit ModelMaker(const std::string& producer = "elaa-test") {
        model_.set_ir_version(7);
        model_.set_producer_name(producer);
        auto* opset = model_.add_opset_import();
        opset->set_domain("");
        opset->set_version(14);
        graph()->set_name("test_graph");
    }

    void input(const std::string& name, const Dims& dims) { set_shape(graph()->add_input(), name, dims); }
    // A graph input whose first dimension is the symbol `batch`.
    void symbolic_input(const std::string& name, const std::string& batch, const Dims& rest) {
        auto* value = graph()->add_input();
        set_shape(value, name, {});
        auto* shape = value->mutable_type()->mutable_tensor_type()->mutable_shape();
        shape->add_dim()->set_dim_param(batch);
        for (auto d : rest) shape->add_dim()->set_dim_value(d);
    }
    void output(const std::string& name) { set_shape(graph()->add_output(), name, {}, false); }
    void value_info(const std::string& name, const Dims& dims) { set_shape(graph()->add_value_info(), name, dims); }

    void weight(const std::string& name, const Dims& dims) {
        auto* init = graph()->add_initializer();
        init->set_name(name);
        init->set_data_type(onnx::TensorProto_DataType_FLOAT);
        for (auto d : dims) init->add_dims(d);
        init->set_data_location(onnx::TensorProto_DataLocation_EXTERNAL);
        auto* location = init->add_external_data();
        location->set_key("location");
        location->set_value("weights_that_are_not_there.bin");
    }

    // A Constant node holding int64 values (shapes for Reshape, axes, ...).
    void int64_constant(const std::string& name, const Dims& values) {
        auto* a = node("Constant", {}, {name}, name + "_const").add_attribute();
        a->set_name("value");
        a->set_type(onnx::AttributeProto_AttributeType_TENSOR);
        auto* t = a->mutable_t();
        t->set_data_type(onnx::TensorProto_DataType_INT64);
        t->add_dims(static_cast<std::int64_t>(values.size()));
        for (auto v : values) t->add_int64_data(v);
    }

    // A Constant node holding one float (a scale such as GELU's sqrt(2)): not trainable.
    void float_constant(const std::string& name, float value) {
        auto* a = node("Constant", {}, {name}, name + "_const").add_attribute();
        a->set_name("value");
        a->set_type(onnx::AttributeProto_AttributeType_TENSOR);
        auto* t = a->mutable_t();
        t->set_data_type(onnx::TensorProto_DataType_FLOAT);
        t->add_float_data(value);
    }

    void set_opset(std::int64_t version) { model_.mutable_opset_import(0)->set_version(version); }

    onnx::NodeProto& node(const std::string& op, const std::vector<std::string>& inputs,
                          const std::vector<std::string>& outputs, const std::string& name = "") {
        auto* node = graph()->add_node();
        node->set_op_type(op);
        node->set_name(name);
        for (const auto& in : inputs) node->add_input(in);
        for (const auto& out : outputs) node->add_output(out);
        return *node;
    }

    onnx::ModelProto& model() { return model_; }

    // Writes the model to `path` and returns it.
    std::filesystem::path write(const std::filesystem::path& path) const {
        std::ofstream out(path, std::ios::binary);
        if (!model_.SerializeToOstream(&out)) throw std::runtime_error("cannot write " + path.string());
        return path;
    }

private:
    static void set_shape(onnx::ValueInfoProto* value, const std::string& name, const Dims& dims,
                          bool with_shape = true) {
        value->set_name(name);
        auto* type = value->mutable_type()->mutable_tensor_type();
        type->set_elem_type(onnx::TensorProto_DataType_FLOAT);
        if (!with_shape) return;
        auto* shape = type->mutable_shape();
        for (auto d : dims) shape->add_dim()->set_dim_value(d);
    }

    // Not a stored pointer: a copied maker must build its own graph.
    onnx::GraphProto* graph() { return model_.mutable_graph(); }

    onnx::ModelProto model_;
};

// A directory of its own for the files one test writes, removed afterwards.
class TempDir {
public:
    TempDir()
        : path_(std::filesystem::temp_directory_path() / ("elaa_test_onnx_" + std::to_string(::getpid()))) {
        std::filesystem::create_directories(path_);
    }
    ~TempDir() { std::filesystem::remove_all(path_); }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    std::filesystem::path file(const std::string& name) const { return path_ / name; }

private:
    std::filesystem::path path_;
};

inline void attr(onnx::NodeProto& node, const std::string& name, std::int64_t value) {
    auto* a = node.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto_AttributeType_INT);
    a->set_i(value);
}

inline void attr(onnx::NodeProto& node, const std::string& name, const Dims& values) {
    auto* a = node.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto_AttributeType_INTS);
    for (auto v : values) a->add_ints(v);
}

inline void attr(onnx::NodeProto& node, const std::string& name, const std::string& value) {
    auto* a = node.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto_AttributeType_STRING);
    a->set_s(value);
}

}  // namespace elaa::testing
