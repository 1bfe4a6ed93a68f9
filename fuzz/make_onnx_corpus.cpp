// Writes the seed corpus of fuzz_onnx: small ONNX models built with the protobuf classes, one per
// importer feature (grouped/depthwise/padded convs, Gemm, MatMul, pooling, element-wise and SE
// gating, shape-only operators with constant shapes, symbolic batch, unsupported operators).
// Weights are declared with dims only (data "external" and absent), as the importer never reads them.
//
//   make_onnx_corpus <output directory>
#include "onnx_model_maker.hpp"

#include <cstdint>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

namespace {

using elaa::testing::attr;
using elaa::testing::Dims;
using Model = elaa::testing::ModelMaker;

Model convs() {
    Model m;
    m.input("x", {2, 8, 15, 15});
    m.weight("w", {16, 4, 3, 3});
    m.weight("b", {16});
    auto& grouped = m.node("Conv", {"x", "w", "b"}, {"g"}, "grouped");
    attr(grouped, "group", std::int64_t{2});
    attr(grouped, "strides", Dims{2, 2});
    attr(grouped, "pads", Dims{1, 0, 2, 0});
    m.weight("dw", {16, 1, 3, 3});
    auto& depthwise = m.node("Conv", {"g", "dw"}, {"d"}, "depthwise");
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
    m.node("Conv", {"x", "w"}, {"c"}, "");
    for (const char* t : {"scale", "shift", "mean", "var"}) m.weight(t, {16});
    m.node("BatchNormalization", {"c", "scale", "shift", "mean", "var"}, {"bn"}, "bn");
    m.node("HardSwish", {"bn"}, {"hs"}, "hs");
    auto& pool = m.node("MaxPool", {"hs"}, {"p"}, "maxpool");
    attr(pool, "kernel_shape", Dims{3, 3});
    attr(pool, "strides", Dims{2, 2});
    attr(pool, "ceil_mode", std::int64_t{1});
    auto& flat = m.node("Flatten", {"p"}, {"flat"}, "flatten");
    attr(flat, "axis", std::int64_t{1});
    m.weight("fc_w", {10, 16 * 15 * 15});
    m.weight("fc_b", {10});
    auto& fc = m.node("Gemm", {"flat", "fc_w", "fc_b"}, {"logits"}, "fc");
    attr(fc, "transB", std::int64_t{1});
    m.node("Softmax", {"logits"}, {"prob"}, "softmax");
    m.output("prob");
    return m;
}

Model squeeze_excite() {
    Model m;
    m.input("x", {1, 16, 8, 8});
    m.weight("w", {16, 16, 3, 3});
    auto& conv = m.node("Conv", {"x", "w"}, {"c"}, "conv");
    attr(conv, "pads", Dims{1, 1, 1, 1});
    m.node("Relu", {"c"}, {"r"}, "relu");
    m.node("Add", {"r", "x"}, {"sum"}, "residual");
    m.node("GlobalAveragePool", {"sum"}, {"squeezed"}, "se_pool");
    m.node("Sigmoid", {"squeezed"}, {"gate"}, "se_sigmoid");
    m.node("Mul", {"gate", "sum"}, {"scaled"}, "se_scale");
    auto& avg = m.node("AveragePool", {"scaled"}, {"a"}, "avgpool");
    attr(avg, "kernel_shape", Dims{2, 2});
    attr(avg, "strides", Dims{2, 2});
    m.value_info("a", {1, 16, 4, 4});
    m.output("a");
    return m;
}

Model reshapes() {
    Model m;
    m.symbolic_input("x", "batch_size", {8, 4, 4});
    m.int64_constant("shape", {-1, 32, 4});
    m.node("Reshape", {"x", "shape"}, {"r"}, "reshape");
    auto& transpose = m.node("Transpose", {"r"}, {"t"}, "transpose");
    attr(transpose, "perm", Dims{0, 2, 1});
    m.weight("w", {32, 24});
    m.node("MatMul", {"t", "w"}, {"mm"}, "mlp");
    auto& concat = m.node("Concat", {"mm", "mm"}, {"cat"}, "concat");
    attr(concat, "axis", std::int64_t{2});
    m.node("Shape", {"cat"}, {"s"}, "shape_of");
    m.output("cat");
    m.output("s");
    return m;
}

Model attention_scores() {
    Model m;
    m.input("q", {1, 4, 16, 8});
    m.input("kt", {1, 4, 8, 16});
    m.node("MatMul", {"q", "kt"}, {"scores"}, "attention");
    m.output("scores");
    return m;
}

Model unsupported() {
    Model m;
    m.input("x", {1, 4, 8, 8});
    m.weight("w", {4, 4, 1, 1});
    m.node("Conv", {"x", "w"}, {"c"}, "conv");
    m.input("seq", {5, 1, 10});
    m.weight("W", {1, 80, 10});
    m.weight("R", {1, 80, 20});
    auto& lstm = m.node("LSTM", {"seq", "W", "R"}, {"h"}, "lstm");
    attr(lstm, "hidden_size", std::int64_t{20});
    m.input("v", {1, 2, 4, 8, 8});
    m.weight("w3", {4, 2, 3, 3, 3});
    m.node("Conv", {"v", "w3"}, {"y3"}, "conv3d");
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
    try {
        for (const auto& [name, model] : models) model.write(dir / (name + ".onnx"));
    } catch (const std::exception& e) {
        std::cerr << e.what() << "\n";
        return 1;
    }
    return 0;
}
