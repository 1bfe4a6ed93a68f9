#include "workload/builder.hpp"

#include <stdexcept>
#include <utility>

namespace elaa::workload {

Window win(int k, int stride, int pad) {
    const int p = pad < 0 ? k / 2 : pad;
    return Window{k, k, stride, stride, Padding::symmetric(p)};
}

Window win_rect(int kh, int kw, int stride) {
    return Window{kh, kw, stride, stride, Padding::explicit_pads(kh / 2, kw / 2, kh / 2, kw / 2)};
}

Window same(int k, int stride) { return Window{k, k, stride, stride, Padding::same()}; }
Window valid(int k, int stride) { return Window{k, k, stride, stride, Padding::valid()}; }

NetworkBuilder::NetworkBuilder(std::string name, std::string family, int resolution, int batch) {
    net_.name = std::move(name);
    net_.family = std::move(family);
    net_.resolution = resolution;
    net_.batch = batch;
}

Tensor NetworkBuilder::input(std::int64_t channels) {
    return {channels, net_.resolution, net_.resolution};
}

Tensor NetworkBuilder::input(std::int64_t channels, std::int64_t h, std::int64_t w) {
    return {channels, h, w};
}

std::string NetworkBuilder::auto_name(std::string name, std::string_view prefix) {
    ++counter_;
    if (!name.empty()) return name;
    return std::string(prefix) + std::to_string(counter_);
}

std::int64_t NetworkBuilder::output_extent(std::int64_t in, int k, int stride, int dilation,
                                           Padding::Mode mode, int pad_before, int pad_after,
                                           bool ceil_mode) {
    const std::int64_t span = static_cast<std::int64_t>(dilation) * (k - 1) + 1;
    switch (mode) {
        case Padding::Mode::Same: return (in + stride - 1) / stride;
        case Padding::Mode::Valid: return in >= span ? (in - span) / stride + 1 : 0;
        case Padding::Mode::Explicit: {
            const std::int64_t padded = in + pad_before + pad_after;
            if (padded < span) return 0;
            std::int64_t out = (padded - span) / stride + 1;
            if (ceil_mode) {
                out = (padded - span + stride - 1) / stride + 1;
                // PyTorch: the last window must start inside the input or its left padding.
                if ((out - 1) * stride >= in + pad_before) --out;
            }
            return out;
        }
    }
    return 0;
}

namespace {
// Resolves a window's padding into explicit pads for one axis.
std::pair<int, int> resolve_pads(std::int64_t in, std::int64_t out, int k, int stride, int dilation,
                                 const Padding& pad, bool vertical) {
    switch (pad.mode) {
        case Padding::Mode::Explicit:
            return vertical ? std::pair{pad.top, pad.bottom} : std::pair{pad.left, pad.right};
        case Padding::Mode::Valid: return {0, 0};
        case Padding::Mode::Same: {
            const std::int64_t span = static_cast<std::int64_t>(dilation) * (k - 1) + 1;
            const std::int64_t total = std::max<std::int64_t>((out - 1) * stride + span - in, 0);
            return {static_cast<int>(total / 2), static_cast<int>(total - total / 2)};
        }
    }
    return {0, 0};
}
}  // namespace

Layer& NetworkBuilder::windowed(OpKind kind, const Tensor& x, const Window& window, std::string name) {
    if (window.kh < 1 || window.kw < 1 || window.sy < 1 || window.sx < 1)
        throw std::logic_error("builder: bad window in " + net_.name);
    const auto oy = output_extent(x.h, window.kh, window.sy, window.dy, window.pad.mode, window.pad.top,
                                  window.pad.bottom, window.ceil_mode);
    const auto ox = output_extent(x.w, window.kw, window.sx, window.dx, window.pad.mode, window.pad.left,
                                  window.pad.right, window.ceil_mode);
    if (oy < 1 || ox < 1)
        throw std::logic_error("builder: window larger than its input in " + net_.name + " (" +
                               std::to_string(x.h) + "x" + std::to_string(x.w) + ")");
    Layer layer;
    layer.kind = kind;
    layer.name = auto_name(std::move(name), to_string(kind));
    layer.B = net_.batch;
    layer.OY = oy;
    layer.OX = ox;
    layer.FY = window.kh;
    layer.FX = window.kw;
    layer.stride_y = window.sy;
    layer.stride_x = window.sx;
    layer.dilation_y = window.dy;
    layer.dilation_x = window.dx;
    std::tie(layer.pad_top, layer.pad_bottom) =
        resolve_pads(x.h, oy, window.kh, window.sy, window.dy, window.pad, true);
    std::tie(layer.pad_left, layer.pad_right) =
        resolve_pads(x.w, ox, window.kw, window.sx, window.dx, window.pad, false);
    layer.in_h = x.h;
    layer.in_w = x.w;
    layer.precision = precision_;
    net_.layers.push_back(std::move(layer));
    return net_.layers.back();
}

Tensor NetworkBuilder::conv(const Tensor& x, std::int64_t out_channels, const Window& window,
                            std::int64_t groups, bool bias, std::string name) {
    if (groups < 1 || x.c % groups != 0 || out_channels % groups != 0)
        throw std::logic_error("builder: channels not divisible by groups in " + net_.name);
    const std::int64_t c_per_group = x.c / groups;
    Layer& layer = windowed(classify_conv(groups, c_per_group), x, window, std::move(name));
    layer.G = groups;
    layer.C = c_per_group;
    layer.K = out_channels / groups;
    layer.bias_params = bias ? out_channels : 0;
    return {out_channels, layer.OY, layer.OX};
}

Tensor NetworkBuilder::fc(const Tensor& x, std::int64_t out_features, bool bias, std::string name) {
    Layer layer;
    layer.kind = OpKind::Gemm;
    layer.name = auto_name(std::move(name), "fc");
    layer.B = net_.batch;
    layer.C = x.c * x.h * x.w;
    layer.K = out_features;
    layer.bias_params = bias ? out_features : 0;
    layer.precision = precision_;
    net_.layers.push_back(std::move(layer));
    return {out_features, 1, 1};
}

Tensor NetworkBuilder::max_pool(const Tensor& x, const Window& window, std::string name) {
    Layer& layer = windowed(OpKind::MaxPool, x, window, std::move(name));
    layer.G = x.c;
    return {x.c, layer.OY, layer.OX};
}

Tensor NetworkBuilder::avg_pool(const Tensor& x, const Window& window, std::string name) {
    Layer& layer = windowed(OpKind::AvgPool, x, window, std::move(name));
    layer.G = x.c;
    return {x.c, layer.OY, layer.OX};
}

Tensor NetworkBuilder::global_avg_pool(const Tensor& x, std::string name) {
    Window window{static_cast<int>(x.h), static_cast<int>(x.w), 1, 1, Padding::valid()};
    return avg_pool(x, window, std::move(name));
}

Tensor NetworkBuilder::add(const Tensor& a, const Tensor& b, std::string name) {
    if (!(a == b)) throw std::logic_error("builder: add of different shapes in " + net_.name);
    per_element(OpKind::Add, a, std::move(name), "add");
    return a;
}

Tensor NetworkBuilder::mul(const Tensor& x, const Tensor& gate, std::string name) {
    const bool broadcast = gate.h == 1 && gate.w == 1 && (x.h != 1 || x.w != 1);
    if (gate.c != x.c || (!broadcast && !(gate == x)))
        throw std::logic_error("builder: mul of incompatible shapes in " + net_.name);
    per_element(OpKind::Mul, x, std::move(name), "mul").broadcast_second_operand = broadcast;
    return x;
}

Tensor NetworkBuilder::concat(std::initializer_list<Tensor> parts) const {
    return concat(std::vector<Tensor>(parts));
}

Tensor NetworkBuilder::concat(const std::vector<Tensor>& parts) const {
    if (parts.empty()) throw std::logic_error("builder: empty concat in " + net_.name);
    Tensor out{0, parts.front().h, parts.front().w};
    for (const auto& p : parts) {
        if (p.h != out.h || p.w != out.w)
            throw std::logic_error("builder: concat of different spatial sizes in " + net_.name);
        out.c += p.c;
    }
    return out;
}

Tensor NetworkBuilder::linear(const Tensor& x, std::int64_t out_features, bool bias, std::string name) {
    Layer layer;
    layer.kind = OpKind::Gemm;
    layer.name = auto_name(std::move(name), "linear");
    layer.B = net_.batch;
    layer.C = x.c;
    layer.K = out_features;
    layer.OY = layer.in_h = x.h;
    layer.OX = layer.in_w = x.w;
    layer.bias_params = bias ? out_features : 0;
    layer.precision = precision_;
    net_.layers.push_back(std::move(layer));
    return {out_features, x.h, x.w};
}

Tensor NetworkBuilder::matmul(std::int64_t groups, std::int64_t rows, std::int64_t depth, std::int64_t cols,
                              std::string name) {
    if (groups < 1 || rows < 1 || depth < 1 || cols < 1)
        throw std::logic_error("builder: empty matmul in " + net_.name);
    Layer layer;
    layer.kind = OpKind::MatMul;
    layer.name = auto_name(std::move(name), "matmul");
    layer.B = net_.batch;
    layer.G = groups;
    layer.C = depth;
    layer.K = cols;
    layer.OX = layer.in_w = rows;
    layer.precision = precision_;
    net_.layers.push_back(std::move(layer));
    return {groups * cols, 1, rows};
}

Layer& NetworkBuilder::per_element(OpKind kind, const Tensor& x, std::string name, std::string_view prefix) {
    Layer layer;
    layer.kind = kind;
    layer.name = auto_name(std::move(name), prefix);
    layer.B = net_.batch;
    layer.G = x.c;
    layer.OY = layer.in_h = x.h;
    layer.OX = layer.in_w = x.w;
    layer.precision = precision_;
    net_.layers.push_back(std::move(layer));
    return net_.layers.back();
}

Tensor NetworkBuilder::layer_norm(const Tensor& x, std::string name) {
    per_element(OpKind::LayerNorm, x, std::move(name), "layernorm").bias_params = 2 * x.c;
    return x;
}

Tensor NetworkBuilder::softmax(const Tensor& x, std::string name) {
    per_element(OpKind::Softmax, x, std::move(name), "softmax");
    return x;
}

Tensor NetworkBuilder::gelu(const Tensor& x, std::string name) {
    per_element(OpKind::Gelu, x, std::move(name), "gelu");
    return x;
}

void NetworkBuilder::embedding(std::int64_t params) { net_.embedding_params += params; }

void NetworkBuilder::norm(const Tensor& x, int params_per_channel) {
    net_.norm_params += params_per_channel * x.c;
}

void NetworkBuilder::auxiliary(std::int64_t params) { net_.auxiliary_params += params; }

void NetworkBuilder::variant(std::string key, std::string value) {
    net_.variant[std::move(key)] = std::move(value);
}

Network NetworkBuilder::finish() { return std::move(net_); }

}  // namespace elaa::workload
