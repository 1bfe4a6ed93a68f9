#include "workload/onnx/ops.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <numeric>
#include <set>

namespace elaa::workload::onnx_import {

namespace {

using Dims = std::vector<std::int64_t>;

std::int64_t product(Dims::const_iterator begin, Dims::const_iterator end) {
    return std::accumulate(begin, end, std::int64_t{1}, std::multiplies<>());
}

// Elements of an optional input such as a bias, or `fallback` if its shape is unknown.
std::int64_t size_or(const NodeContext& node, int input, std::int64_t fallback) {
    const TensorInfo& info = node.input(input);
    return info.known ? element_count(info.dims) : fallback;
}

// NumPy broadcasting of two shapes, as ONNX's element-wise operators and MatMul's stacks use it.
Dims broadcast(const Dims& a, const Dims& b, const NodeContext& node) {
    Dims out(std::max(a.size(), b.size()), 1);
    for (std::size_t i = 0; i < out.size(); ++i) {
        const std::int64_t da = i < a.size() ? a[a.size() - 1 - i] : 1;
        const std::int64_t db = i < b.size() ? b[b.size() - 1 - i] : 1;
        if (da != db && da != 1 && db != 1)
            node.fail("shapes " + format_dims(a) + " and " + format_dims(b) + " do not broadcast");
        out[out.size() - 1 - i] = std::max(da, db);
    }
    return out;
}

Layer new_layer(const NodeContext& node, OpKind kind) {
    Layer layer;
    layer.name = node.name();
    layer.kind = kind;
    return layer;
}

// ---- Sliding windows (Conv, MaxPool, AveragePool) ----

enum class AutoPad { NotSet, SameUpper, SameLower, Valid };

AutoPad auto_pad(const NodeContext& node) {
    const std::string mode = node.attr_string("auto_pad", "NOTSET");
    if (mode == "NOTSET" || mode.empty()) return AutoPad::NotSet;
    if (mode == "SAME_UPPER") return AutoPad::SameUpper;
    if (mode == "SAME_LOWER") return AutoPad::SameLower;
    if (mode == "VALID") return AutoPad::Valid;
    node.fail("auto_pad '" + mode + "' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID");
}

struct Axis {
    std::int64_t in = 1, out = 1;
    std::int64_t kernel = 1, stride = 1, dilation = 1, pad_begin = 0, pad_end = 0;
};

// The output extent and effective pads of one spatial axis, by the ONNX operator spec's rules.
void resolve_axis(Axis& a, AutoPad mode, bool ceil_mode) {
    const std::int64_t span = a.dilation * (a.kernel - 1) + 1;
    if (mode == AutoPad::SameUpper || mode == AutoPad::SameLower) {
        a.out = (a.in + a.stride - 1) / a.stride;
        const std::int64_t total = std::max<std::int64_t>((a.out - 1) * a.stride + span - a.in, 0);
        // SAME_UPPER puts the odd padding pixel at the end (TF "SAME"), SAME_LOWER at the start.
        a.pad_begin = mode == AutoPad::SameUpper ? total / 2 : total - total / 2;
        a.pad_end = total - a.pad_begin;
        return;
    }
    if (mode == AutoPad::Valid) {
        a.pad_begin = a.pad_end = 0;
        ceil_mode = false;
    }
    const std::int64_t room = a.in + a.pad_begin + a.pad_end - span;
    a.out = room < 0 ? 0 : (ceil_mode ? (room + a.stride - 1) / a.stride : room / a.stride) + 1;
}

// An attribute with `count` values (one or two per spatial axis), all `fallback` when absent.
Dims per_axis(const NodeContext& node, std::string_view attr, std::size_t count, std::int64_t fallback) {
    Dims values = node.attr_ints(attr);
    if (values.empty()) return Dims(count, fallback);
    if (values.size() != count)
        node.fail(std::string(attr) + " " + format_dims(values) + " should have " + std::to_string(count) +
                  " values for the input's spatial axes");
    return values;
}

struct Window {
    Axis y, x;
};

// Resolves a window over input x (N x C x H x W, or N x C x L whose 1-D window runs along X) and
// checks it against the output shape the model declares.
Window window_geometry(const NodeContext& node, const Dims& x, const Dims& kernel, bool ceil_mode) {
    const std::size_t spatial = x.size() - 2;
    if (spatial != 1 && spatial != 2)
        throw UnsupportedNode{std::to_string(spatial) + "-D window; elaa models 1-D and 2-D ones"};
    if (kernel.size() != spatial)
        node.fail("kernel_shape " + format_dims(kernel) + " does not match input " + format_dims(x) +
                  ", expected one size per spatial axis");
    const Dims strides = per_axis(node, "strides", spatial, 1);
    const Dims dilations = per_axis(node, "dilations", spatial, 1);
    const Dims pads = per_axis(node, "pads", 2 * spatial, 0);  // all begins, then all ends
    const AutoPad mode = auto_pad(node);

    Window window;
    Axis* axes[2] = {&window.y, &window.x};
    const std::size_t first = 2 - spatial;
    for (std::size_t i = 0; i < spatial; ++i) {
        Axis& a = *axes[first + i];
        a = Axis{x[2 + i], 0, kernel[i], strides[i], dilations[i], pads[i], pads[spatial + i]};
        if (a.kernel < 1 || a.stride < 1 || a.dilation < 1 || a.pad_begin < 0 || a.pad_end < 0)
            node.fail("kernel, stride and dilation must be at least 1 and pads non-negative");
        resolve_axis(a, mode, ceil_mode);
        if (a.out < 1)
            node.fail("the window (kernel " + format_dims(kernel) + ") does not fit input " + format_dims(x));
    }

    const TensorInfo& declared = node.output(0);
    if (declared.known && declared.dims.size() == x.size())
        for (std::size_t i = 0; i < spatial; ++i) {
            Axis& a = *axes[first + i];
            if (declared.dims[2 + i] == a.out) continue;
            // Frameworks disagree on ceil_mode's last window (PyTorch drops one that starts in the
            // padding); the producer's own shape is the one its runtime computes.
            if (!ceil_mode)
                node.fail("the model declares output " + format_dims(declared.dims) + " but the attributes give " +
                          std::to_string(a.out) + " along spatial axis " + std::to_string(i));
            a.out = declared.dims[2 + i];
        }
    return window;
}

void place_window(Layer& layer, const Window& w) {
    layer.OY = w.y.out;
    layer.OX = w.x.out;
    layer.FY = w.y.kernel;
    layer.FX = w.x.kernel;
    layer.stride_y = static_cast<int>(w.y.stride);
    layer.stride_x = static_cast<int>(w.x.stride);
    layer.dilation_y = static_cast<int>(w.y.dilation);
    layer.dilation_x = static_cast<int>(w.x.dilation);
    layer.pad_top = static_cast<int>(w.y.pad_begin);
    layer.pad_bottom = static_cast<int>(w.y.pad_end);
    layer.pad_left = static_cast<int>(w.x.pad_begin);
    layer.pad_right = static_cast<int>(w.x.pad_end);
    layer.in_h = w.y.in;
    layer.in_w = w.x.in;
}

const Dims& feature_map(const NodeContext& node) {
    const Dims& x = node.input_dims(0, "an N x C x H x W (or N x C x L) feature map");
    if (x.size() < 3) node.fail("input has shape " + format_dims(x) + ", expected N x C x H x W (or N x C x L)");
    return x;
}

NodeOutcome convert_conv(const NodeContext& node, Network& net) {
    const Dims& x = feature_map(node);
    const Dims& w = node.input_dims(1, "an M x C/group x kH x kW weight");
    if (w.size() != x.size())
        node.fail("weight has shape " + format_dims(w) + ", expected the rank of input " + format_dims(x));
    const std::int64_t groups = node.attr_int("group", 1);
    const std::int64_t in_channels = x[1], out_channels = w[0];
    if (groups < 1 || in_channels % groups != 0 || out_channels % groups != 0 || w[1] * groups != in_channels)
        node.fail("group " + std::to_string(groups) + " does not fit input " + format_dims(x) + " and weight " +
                  format_dims(w) + " (expected weight dim 1 = input channels / group, channels divisible by group)");
    const Dims weight_kernel(w.begin() + 2, w.end());
    Dims kernel = node.attr_ints("kernel_shape");
    if (kernel.empty()) kernel = weight_kernel;  // optional in ONNX: the weight has it
    if (kernel != weight_kernel)
        node.fail("kernel_shape " + format_dims(kernel) + " differs from the weight's " + format_dims(w));

    Layer layer = new_layer(node, classify_conv(groups, in_channels / groups));
    place_window(layer, window_geometry(node, x, kernel, false));
    layer.B = x[0];
    layer.G = groups;
    layer.K = out_channels / groups;
    layer.C = in_channels / groups;
    layer.bias_params = node.has_input(2) ? size_or(node, 2, out_channels) : 0;
    net.layers.push_back(std::move(layer));
    return NodeOutcome::Layer;
}

NodeOutcome convert_pool(const NodeContext& node, Network& net, OpKind kind) {
    const Dims& x = feature_map(node);
    const Dims kernel = node.attr_ints("kernel_shape");
    if (kernel.empty()) node.fail("has no kernel_shape attribute, which pooling requires");
    const bool ceil_mode = node.attr_int("ceil_mode", 0) != 0;

    Layer layer = new_layer(node, kind);
    place_window(layer, window_geometry(node, x, kernel, ceil_mode));
    layer.B = x[0];
    layer.G = x[1];  // K = C = 1: each channel pools on its own
    net.layers.push_back(std::move(layer));
    return NodeOutcome::Layer;
}

// A window covering the whole map, one output per channel.
NodeOutcome convert_global_pool(const NodeContext& node, Network& net, OpKind kind) {
    const Dims& x = feature_map(node);
    if (x.size() > 4) throw UnsupportedNode{std::to_string(x.size() - 2) + "-D pooling"};
    Layer layer = new_layer(node, kind);
    layer.B = x[0];
    layer.G = x[1];
    layer.FY = layer.in_h = x.size() == 4 ? x[2] : 1;
    layer.FX = layer.in_w = x.back();
    net.layers.push_back(std::move(layer));
    return NodeOutcome::Layer;
}

// ---- Matrix products ----

NodeOutcome convert_gemm(const NodeContext& node, Network& net) {
    const Dims& a = node.input_dims(0, "a 2-D matrix A");
    const Dims& b = node.input_dims(1, "a 2-D matrix B");
    if (a.size() != 2 || b.size() != 2)
        node.fail("A " + format_dims(a) + " and B " + format_dims(b) + " should both be 2-D matrices");
    const bool trans_a = node.attr_int("transA", 0) != 0;
    const bool trans_b = node.attr_int("transB", 0) != 0;
    const std::int64_t rows = trans_a ? a[1] : a[0], depth = trans_a ? a[0] : a[1];
    const std::int64_t depth_b = trans_b ? b[1] : b[0], cols = trans_b ? b[0] : b[1];
    if (depth != depth_b)
        node.fail("A " + format_dims(a) + (trans_a ? " (transposed)" : "") + " and B " + format_dims(b) +
                  (trans_b ? " (transposed)" : "") + " do not chain: inner sizes " + std::to_string(depth) +
                  " and " + std::to_string(depth_b));
    // A Gemm of two activations is a MatMul in elaa's sense (no trainable W).
    const bool weight = node.input(1).constant;
    Layer layer = new_layer(node, weight ? OpKind::Gemm : OpKind::MatMul);
    layer.B = rows;  // rows of A are the batch, as for a classifier
    layer.C = depth;
    layer.K = cols;
    layer.bias_params = node.has_input(2) ? size_or(node, 2, cols) : 0;
    net.layers.push_back(std::move(layer));
    return NodeOutcome::Layer;
}

void swap_last_two(Dims& d) { std::swap(d[d.size() - 1], d[d.size() - 2]); }

NodeOutcome convert_matmul(const NodeContext& node, Network& net) {
    Dims a = node.input_dims(0, "a matrix or a stack of matrices");
    Dims b = node.input_dims(1, "a matrix or a stack of matrices");
    if (a.empty() || b.empty()) node.fail("MatMul of a scalar; expected matrices");
    if (a.size() == 1) a.insert(a.begin(), 1);  // a vector on the left is one row
    if (b.size() == 1) b.push_back(1);          // and on the right one column
    bool weight = node.input(1).constant;
    if (node.input(0).constant && !weight) {
        // W @ X is (X^T @ W^T)^T: the same loop nest with the activation as the input operand.
        swap_last_two(a);
        swap_last_two(b);
        std::swap(a, b);
        weight = true;
    }
    const std::int64_t rows = a[a.size() - 2], depth = a.back(), depth_b = b[b.size() - 2], cols = b.back();
    if (depth != depth_b)
        node.fail("operands " + format_dims(a) + " and " + format_dims(b) + " do not chain: inner sizes " +
                  std::to_string(depth) + " and " + std::to_string(depth_b));
    const Dims stacks_a(a.begin(), a.end() - 2), stacks_b(b.begin(), b.end() - 2);
    const Dims stacks = broadcast(stacks_a, stacks_b, node);

    // A product with a weight is a projection (Gemm); one of two activations is a MatMul.
    Layer layer = new_layer(node, weight ? OpKind::Gemm : OpKind::MatMul);
    // Each distinct matrix of the second operand is a group (it partitions every operand); stacked
    // products sharing one (a weight applied to a batch, an activation broadcast over stacks) only
    // add rows that reuse it: for a weight they are the batch, for an activation more positions, as
    // elaa's batch dimension gives every sample its own second activation.
    layer.G = product(stacks_b.begin(), stacks_b.end());
    const std::int64_t sharing = product(stacks.begin(), stacks.end()) / layer.G;
    layer.B = weight ? sharing : 1;
    layer.C = depth;
    layer.K = cols;
    // Rows are positions (tokens) of the input: a sequence is a 1 x N map, along X as a 1-D conv's.
    layer.OX = layer.in_w = rows * (weight ? 1 : sharing);
    net.layers.push_back(std::move(layer));
    return NodeOutcome::Layer;
}

// ---- Element-wise operators ----

bool is_index_type(int elem_type) {
    return elem_type == onnx::TensorProto_DataType_INT64 || elem_type == onnx::TensorProto_DataType_INT32;
}

// N x C x ... as the element-wise nest B x G x OY x OX; a rank-3 N x C x L runs along X like a 1-D
// window, extra spatial axes fold into OY.
void place_elementwise(Layer& layer, const Dims& d) {
    if (d.size() == 1) layer.G = d[0];
    if (d.size() >= 2) {
        layer.B = d[0];
        layer.G = d[1];
    }
    if (d.size() == 3) layer.OX = d[2];
    if (d.size() >= 4) {
        layer.OY = product(d.begin() + 2, d.end() - 1);
        layer.OX = d.back();
    }
    layer.in_h = layer.OY;
    layer.in_w = layer.OX;
}

NodeOutcome convert_elementwise(const NodeContext& node, Network& net, OpKind kind) {
    if (!node.has_input(0) || !node.has_input(1)) node.fail("expected two inputs");
    const TensorInfo& a = node.input(0);
    const TensorInfo& b = node.input(1);
    const TensorInfo& out = node.output(0);
    // Constant folding and shape arithmetic (Shape -> Gather -> Add -> Reshape) cost nothing at run time.
    if (a.constant && b.constant) return NodeOutcome::ShapeOnly;
    if (is_index_type(out.elem_type) || is_index_type(a.elem_type)) return NodeOutcome::ShapeOnly;

    const Dims dims = out.known ? out.dims
                                : broadcast(node.input_dims(0, "a tensor"), node.input_dims(1, "a tensor"), node);
    const std::int64_t total = element_count(dims);
    const auto full = [total](const TensorInfo& t) { return !t.known || element_count(t.dims) == total; };
    // The full-size activation is the input I; the other operand (a constant, or the smaller
    // broadcast one such as an SE gate) sits in the W slot.
    const bool second_is_a = (a.constant && !b.constant) || (!full(a) && full(b));
    const TensorInfo& second = second_is_a ? a : b;

    Layer layer = new_layer(node, kind);
    place_elementwise(layer, dims);
    // Exact for N x C x 1 x 1 gates and per-channel biases; other broadcasts (scalars) are modelled
    // the same way, as B x G values.
    layer.broadcast_second_operand = !full(second);
    // An initializer operand (bias, layer scale) is trainable; Constant nodes are not counted.
    layer.bias_params = second.initializer ? element_count(second.dims) : 0;
    net.layers.push_back(std::move(layer));
    return NodeOutcome::Layer;
}

// ---- Vector operators (softmax, layer norm, GELU) and reductions ----

// One operation per element of input 0, laid out as an element-wise operator is. LayerNorm's scale
// and shift initializers are its parameters.
NodeOutcome convert_vector(const NodeContext& node, Network& net, OpKind kind) {
    const Dims& x = node.input_dims(0, "a tensor of fixed shape");
    if (is_index_type(node.input(0).elem_type)) return NodeOutcome::ShapeOnly;
    Layer layer = new_layer(node, kind);
    place_elementwise(layer, x);
    if (kind == OpKind::LayerNorm)
        for (int i : {1, 2})
            if (node.has_input(i) && node.input(i).initializer) layer.bias_params += element_count(node.input(i).dims);
    net.layers.push_back(std::move(layer));
    return NodeOutcome::Layer;
}

// ReduceMean (a decomposed layer norm's mean and variance): an average pool whose window is the
// reduced elements, one window per kept element, so it reads every input element once.
NodeOutcome convert_reduce_mean(const NodeContext& node, Network& net) {
    const Dims& x = node.input_dims(0, "a tensor of fixed shape");
    const TensorInfo& out = node.output(0);
    if (!out.known) node.fail("output shape unknown; elaa needs it to tell the reduced axes from the kept ones");
    const std::int64_t kept = element_count(out.dims), total = element_count(x);
    if (kept < 1 || total % kept != 0)
        node.fail("output " + format_dims(out.dims) + " is not a reduction of input " + format_dims(x));
    Layer layer = new_layer(node, OpKind::AvgPool);
    // The batch stays the batch unless it is reduced too.
    layer.B = !x.empty() && !out.dims.empty() && out.dims.front() == x.front() ? x.front() : 1;
    layer.G = kept / layer.B;
    layer.FX = layer.in_w = total / kept;
    net.layers.push_back(std::move(layer));
    return NodeOutcome::Layer;
}

// ---- Shape-only operators ----

// Normalisations have no layer; their scale and bias count as parameters (running statistics of
// BatchNormalization do not, as in torchvision's num_params).
NodeOutcome count_norm_params(const NodeContext& node, Network& net) {
    for (int i : {1, 2})
        if (node.input(i).known && node.input(i).constant) net.norm_params += element_count(node.input(i).dims);
    return NodeOutcome::ShapeOnly;
}

// Operators outside elaa's cost model: activations, data movement, shape computation.
const std::set<std::string, std::less<>>& shape_only_ops() {
    static const std::set<std::string, std::less<>> ops{
        // activations and other point-wise maps of one tensor
        "Relu", "Clip", "Sigmoid", "HardSigmoid", "HardSwish", "LeakyRelu", "PRelu", "Elu", "Selu", "Celu",
        "Tanh", "Softplus", "Softsign", "Erf", "Exp", "Log", "Sqrt", "Reciprocal", "Neg", "Abs", "Floor", "Ceil",
        "Round", "Sign", "Not", "Mish", "ThresholdedRelu",
        // normalisations without trainable parameters, dropout
        "LRN", "Dropout",
        // layout and shape
        "Identity", "Reshape", "Flatten", "Concat", "Split", "Slice", "Transpose", "Squeeze", "Unsqueeze", "Pad",
        "Expand", "Tile", "Gather", "GatherElements", "Shape", "Size", "Cast", "CastLike", "Constant",
        "ConstantOfShape", "Range", "SpaceToDepth", "DepthToSpace", "Resize", "Upsample",
    };
    return ops;
}

using Converter = std::function<NodeOutcome(const NodeContext&, Network&)>;

Converter with_kind(NodeOutcome (*convert)(const NodeContext&, Network&, OpKind), OpKind kind) {
    return [convert, kind](const NodeContext& node, Network& net) { return convert(node, net, kind); };
}

const std::map<std::string, Converter, std::less<>>& converters() {
    static const std::map<std::string, Converter, std::less<>> table{
        {"Conv", convert_conv},
        {"Gemm", convert_gemm},
        {"MatMul", convert_matmul},
        {"MaxPool", with_kind(convert_pool, OpKind::MaxPool)},
        {"AveragePool", with_kind(convert_pool, OpKind::AvgPool)},
        {"GlobalAveragePool", with_kind(convert_global_pool, OpKind::AvgPool)},
        {"GlobalMaxPool", with_kind(convert_global_pool, OpKind::MaxPool)},
        {"Add", with_kind(convert_elementwise, OpKind::Add)},
        {"Sub", with_kind(convert_elementwise, OpKind::Add)},  // same cost as an addition
        {"Mul", with_kind(convert_elementwise, OpKind::Mul)},
        {"Div", with_kind(convert_elementwise, OpKind::Mul)},  // a product with the reciprocal
        {"BatchNormalization", count_norm_params},
        {"InstanceNormalization", count_norm_params},
        // Transformer operators; a decomposed layer norm's ReduceMean/Sub/Pow/Div and GELU's Erf
        // form cost one pass per operator, as an unfused runtime executes them.
        {"LayerNormalization", with_kind(convert_vector, OpKind::LayerNorm)},
        {"Softmax", with_kind(convert_vector, OpKind::Softmax)},
        {"LogSoftmax", with_kind(convert_vector, OpKind::Softmax)},
        {"Gelu", with_kind(convert_vector, OpKind::Gelu)},
        {"ReduceMean", convert_reduce_mean},
        {"Pow", with_kind(convert_elementwise, OpKind::Mul)},  // x^2 of a variance: one product
    };
    return table;
}

}  // namespace

NodeOutcome convert_node(const NodeContext& node, Network& network) {
    const auto& table = converters();
    if (const auto it = table.find(node.op()); it != table.end()) return it->second(node, network);
    return shape_only_ops().count(node.op()) ? NodeOutcome::ShapeOnly : NodeOutcome::Unsupported;
}

}  // namespace elaa::workload::onnx_import
