// Writes the seed corpus of fuzz_onnx: small ONNX models built with the protobuf classes, one per
// importer feature (grouped/depthwise/padded convs, Gemm, MatMul, pooling, element-wise and SE
// gating, shape-only operators with constant shapes, symbolic batch, unsupported operators).
// Weights are declared with dims only (data "external" and absent), as the importer never reads them.
//
//   make_onnx_corpus <output directory>
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace {

using Dims = std::vector<std::int64_t>;

void set_shape(onnx::ValueInfoProto* value, const std::string& name, const Dims& dims, bool with_shape = true) {
    value->set_name(name);
    auto* type = value->mutable_type()->mutable_tensor_type();
    type->set_elem_type(onnx::TensorProto_DataType_FLOAT);
    if (!with_shape) return;
    auto* shape = type->mutable_shape();
    for (auto d : dims) shape->add_dim()->set_dim_value(d);
}

class Model {
public:
    Model() {
        proto_.set_ir_version(7);
        proto_.set_producer_name("elaa-fuzz-corpus");
        auto* opset = proto_.add_opset_import();
        opset->set_domain("");
        opset->set_version(14);
        graph_ = proto_.mutable_graph();
        graph_->set_name("seed");
    }
    void input(const std::string& name, const Dims& dims) { set_shape(graph_->add_input(), name, dims); }
    void symbolic_batch_input(const std::string& name, const Dims& rest) {
        auto* shape = graph_->add_input();
        set_shape(shape, name, {});
        auto* dims = shape->mutable_type()->mutable_tensor_type()->mutable_shape();
        dims->add_dim()->set_dim_param("batch_size");
        for (auto d : rest) dims->add_dim()->set_dim_value(d);
    }
    void output(const std::string& name) { set_shape(graph_->add_output(), name, {}, false); }
    void value_info(const std::string& name, const Dims& dims) { set_shape(graph_->add_value_info(), name, dims); }
    void weight(const std::string& name, const Dims& dims) {
        auto* init = graph_->add_initializer();
        init->set_name(name);
        init->set_data_type(onnx::TensorProto_DataType_FLOAT);
        for (auto d : dims) init->add_dims(d);
        init->set_data_location(onnx::TensorProto_DataLocation_EXTERNAL);
        auto* location = init->add_external_data();
        location->set_key("location");
        location->set_value("absent.bin");
    }
    // A Constant node holding int64 values (shapes for Reshape, axes, ...).
    void int64_constant(const std::string& name, const Dims& values) {
        auto& node = add("Constant", {}, {name}, name + "_const");
        auto* a = node.add_attribute();
        a->set_name("value");
        a->set_type(onnx::AttributeProto_AttributeType_TENSOR);
        auto* t = a->mutable_t();
        t->set_data_type(onnx::TensorProto_DataType_INT64);
        t->add_dims(static_cast<std::int64_t>(values.size()));
        for (auto v : values) t->add_int64_data(v);
    }
    onnx::NodeProto& add(const std::string& op, const std::vector<std::string>& inputs,
                         const std::vector<std::string>& outputs, const std::string& name) {
        auto* node = graph_->add_node();
        node->set_op_type(op);
        node->set_name(name);
        for (const auto& in : inputs) node->add_input(in);
        for (const auto& out : outputs) node->add_output(out);
        return *node;
    }
    bool write(const std::filesystem::path& path) const {
        std::ofstream out(path, std::ios::binary);
        return proto_.SerializeToOstream(&out);
    }

private:
    onnx::ModelProto proto_;
    onnx::GraphProto* graph_;
};

void attr(onnx::NodeProto& node, const std::string& name, std::int64_t value) {
    auto* a = node.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto_AttributeType_INT);
    a->set_i(value);
}
void attr(onnx::NodeProto& node, const std::string& name, const Dims& values) {
    auto* a = node.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto_AttributeType_INTS);
    for (auto v : values) a->add_ints(v);
}
void attr(onnx::NodeProto& node, const std::string& name, const std::string& value) {
    auto* a = node.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto_AttributeType_STRING);
    a->set_s(value);
}

Model convs() {
    Model m;
    m.input("x", {2, 8, 15, 15});
    m.weight("w", {16, 4, 3, 3});
    m.weight("b", {16});
    auto& grouped = m.add("Conv", {"x", "w", "b"}, {"g"}, "grouped");
    attr(grouped, "group", std::int64_t{2});
    attr(grouped, "strides", Dims{2, 2});
    attr(grouped, "pads", Dims{1, 0, 2, 0});
    m.weight("dw", {16, 1, 3, 3});
    auto& depthwise = m.add("Conv", {"g", "dw"}, {"d"}, "depthwise");
    attr(depthwise, "group", std::int64_t{16});
    attr(depthwise, "auto_pad", std::string("SAME_UPPER"));
    attr(depthwise, "dilations", Dims{2, 2});
    m.output("d");
    return m;
}

Model classifier_head() {
    Model m;
    m.input("x", {1, 3, 32, 32});
    m.weight("w", {16, 3, 3, 3});
    m.add("Conv", {"x", "w"}, {"c"}, "");
    for (const char* t : {"scale", "shift", "mean", "var"}) m.weight(t, {16});
    m.add("BatchNormalization", {"c", "scale", "shift", "mean", "var"}, {"bn"}, "bn");
    m.add("HardSwish", {"bn"}, {"hs"}, "hs");
    auto& pool = m.add("MaxPool", {"hs"}, {"p"}, "maxpool");
    attr(pool, "kernel_shape", Dims{3, 3});
    attr(pool, "strides", Dims{2, 2});
    attr(pool, "ceil_mode", std::int64_t{1});
    auto& flat = m.add("Flatten", {"p"}, {"flat"}, "flatten");
    attr(flat, "axis", std::int64_t{1});
    m.weight("fc_w", {10, 16 * 15 * 15});
    m.weight("fc_b", {10});
    auto& fc = m.add("Gemm", {"flat", "fc_w", "fc_b"}, {"logits"}, "fc");
    attr(fc, "transB", std::int64_t{1});
    m.add("Softmax", {"logits"}, {"prob"}, "softmax");
    m.output("prob");
    return m;
}

Model squeeze_excite() {
    Model m;
    m.input("x", {1, 16, 8, 8});
    m.weight("w", {16, 16, 3, 3});
    auto& conv = m.add("Conv", {"x", "w"}, {"c"}, "conv");
    attr(conv, "pads", Dims{1, 1, 1, 1});
    m.add("Relu", {"c"}, {"r"}, "relu");
    m.add("Add", {"r", "x"}, {"sum"}, "residual");
    m.add("GlobalAveragePool", {"sum"}, {"squeezed"}, "se_pool");
    m.add("Sigmoid", {"squeezed"}, {"gate"}, "se_sigmoid");
    m.add("Mul", {"gate", "sum"}, {"scaled"}, "se_scale");
    auto& avg = m.add("AveragePool", {"scaled"}, {"a"}, "avgpool");
    attr(avg, "kernel_shape", Dims{2, 2});
    attr(avg, "strides", Dims{2, 2});
    m.value_info("a", {1, 16, 4, 4});
    m.output("a");
    return m;
}

Model reshapes() {
    Model m;
    m.symbolic_batch_input("x", {8, 4, 4});
    m.int64_constant("shape", {-1, 32, 4});
    m.add("Reshape", {"x", "shape"}, {"r"}, "reshape");
    auto& transpose = m.add("Transpose", {"r"}, {"t"}, "transpose");
    attr(transpose, "perm", Dims{0, 2, 1});
    m.weight("w", {32, 24});
    m.add("MatMul", {"t", "w"}, {"mm"}, "mlp");
    auto& concat = m.add("Concat", {"mm", "mm"}, {"cat"}, "concat");
    attr(concat, "axis", std::int64_t{2});
    m.add("Shape", {"cat"}, {"s"}, "shape_of");
    m.output("cat");
    m.output("s");
    return m;
}

Model attention_scores() {
    Model m;
    m.input("q", {1, 4, 16, 8});
    m.input("kt", {1, 4, 8, 16});
    m.add("MatMul", {"q", "kt"}, {"scores"}, "attention");
    m.output("scores");
    return m;
}

Model unsupported() {
    Model m;
    m.input("x", {1, 4, 8, 8});
    m.weight("w", {4, 4, 1, 1});
    m.add("Conv", {"x", "w"}, {"c"}, "conv");
    m.input("seq", {5, 1, 10});
    m.weight("W", {1, 80, 10});
    m.weight("R", {1, 80, 20});
    auto& lstm = m.add("LSTM", {"seq", "W", "R"}, {"h"}, "lstm");
    attr(lstm, "hidden_size", std::int64_t{20});
    m.input("v", {1, 2, 4, 8, 8});
    m.weight("w3", {4, 2, 3, 3, 3});
    m.add("Conv", {"v", "w3"}, {"y3"}, "conv3d");
    m.output("c");
    m.output("h");
    m.output("y3");
    return m;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: make_onnx_corpus <output directory>\n";
        return 2;
    }
    const std::filesystem::path dir = argv[1];
    std::filesystem::create_directories(dir);
    const std::vector<std::pair<std::string, Model>> models = {
        {"convs", convs()},           {"classifier_head", classifier_head()},
        {"squeeze_excite", squeeze_excite()}, {"reshapes", reshapes()},
        {"attention_scores", attention_scores()}, {"unsupported", unsupported()},
    };
    for (const auto& [name, model] : models)
        if (!model.write(dir / (name + ".onnx"))) {
            std::cerr << "cannot write " << (dir / (name + ".onnx")) << "\n";
            return 1;
        }
    return 0;
}
