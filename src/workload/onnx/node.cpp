#include "workload/onnx/node.hpp"

#include "util/error.hpp"

namespace elaa::workload::onnx_import {

NodeContext::NodeContext(const ImportContext& import, const onnx::NodeProto& node, int index)
    : import_(import), node_(node), name_(node.name().empty() ? node.op_type() + "_" + std::to_string(index)
                                                              : node.name()) {}

void NodeContext::fail(const std::string& what) const {
    throw InputError(import_.file + ": node '" + name_ + "' (" + op() + "): " + what);
}

bool NodeContext::has_input(int i) const { return i < node_.input_size() && !node_.input(i).empty(); }

const TensorInfo& NodeContext::input(int i) const {
    static const TensorInfo absent;
    return has_input(i) ? import_.shapes[node_.input(i)] : absent;
}

const TensorInfo& NodeContext::output(int i) const {
    static const TensorInfo absent;
    return i < node_.output_size() ? import_.shapes[node_.output(i)] : absent;
}

const std::vector<std::int64_t>& NodeContext::input_dims(int i, std::string_view expected) const {
    if (!has_input(i)) fail("input " + std::to_string(i) + " is missing, expected " + std::string(expected));
    const TensorInfo& info = input(i);
    if (!info.known) {
        std::string why = "the shape of input '" + node_.input(i) +
                          "' cannot be determined (no fixed shape in the graph's inputs, value_info or "
                          "initializers, and ONNX shape inference did not derive one";
        if (import_.inference_error) why += ": " + *import_.inference_error;
        fail(why + "); expected " + std::string(expected) + " with fixed dimensions");
    }
    return info.dims;
}

const onnx::AttributeProto* NodeContext::find(std::string_view attr) const {
    for (const auto& a : node_.attribute())
        if (a.name() == attr) return &a;
    return nullptr;
}

std::int64_t NodeContext::attr_int(std::string_view attr, std::int64_t fallback) const {
    const auto* a = find(attr);
    return a && a->has_i() ? a->i() : fallback;
}

std::vector<std::int64_t> NodeContext::attr_ints(std::string_view attr) const {
    const auto* a = find(attr);
    if (!a) return {};
    return {a->ints().begin(), a->ints().end()};
}

std::string NodeContext::attr_string(std::string_view attr, std::string fallback) const {
    const auto* a = find(attr);
    return a && a->has_s() ? a->s() : fallback;
}

std::string format_dims(const std::vector<std::int64_t>& dims) {
    std::string text = "[";
    for (std::size_t i = 0; i < dims.size(); ++i) text += (i ? ", " : "") + std::to_string(dims[i]);
    return text + "]";
}

}  // namespace elaa::workload::onnx_import
