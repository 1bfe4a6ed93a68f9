// Builds a Network by tracing tensor shapes through operators, the way a framework's forward pass
// would. Zoo builders call it with architecture definitions; it derives every loop bound, so no
// per-layer shape is ever written by hand.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>

#include "workload/network.hpp"

namespace elaa::workload {

struct Tensor {
    std::int64_t c = 0, h = 0, w = 0;
    bool operator==(const Tensor&) const = default;
};

// Padding conventions of the frameworks the zoo's definitions come from.
struct Padding {
    enum class Mode {
        Explicit,  // PyTorch / Caffe: given pads, output = floor((in + pads - window) / stride) + 1
        Same,      // TensorFlow "SAME": output = ceil(in / stride), extra pad at bottom/right
        Valid,     // TensorFlow "VALID": no padding
    };
    Mode mode = Mode::Explicit;
    int top = 0, left = 0, bottom = 0, right = 0;

    static Padding symmetric(int p) { return {Mode::Explicit, p, p, p, p}; }
    static Padding explicit_pads(int t, int l, int b, int r) { return {Mode::Explicit, t, l, b, r}; }
    static Padding same() { return {Mode::Same}; }
    static Padding valid() { return {Mode::Valid}; }
};

struct Window {
    int kh = 1, kw = 1;
    int sy = 1, sx = 1;
    Padding pad{};
    int dy = 1, dx = 1;
    bool ceil_mode = false;  // PyTorch pooling's ceil_mode
};

// Square k x k window with symmetric padding p (PyTorch style; p = -1 means k / 2).
Window win(int k, int stride = 1, int pad = -1);
// Rectangular kh x kw window with "centre" padding (kh/2, kw/2), as Inception's 1x7 / 7x1 convs.
Window win_rect(int kh, int kw, int stride = 1);
// TensorFlow/Keras padding modes.
Window same(int k, int stride = 1);
Window valid(int k, int stride = 1);

class NetworkBuilder {
public:
    NetworkBuilder(std::string name, std::string family, int resolution, int batch = 1);

    // The image: 3 x resolution x resolution unless given.
    Tensor input(std::int64_t channels = 3);
    Tensor input(std::int64_t channels, std::int64_t h, std::int64_t w);

    Tensor conv(const Tensor& x, std::int64_t out_channels, const Window& window,
                std::int64_t groups = 1, bool bias = false, std::string name = "");
    // Fully connected layer over the flattened tensor (C*H*W inputs).
    Tensor fc(const Tensor& x, std::int64_t out_features, bool bias = true, std::string name = "");
    Tensor max_pool(const Tensor& x, const Window& window, std::string name = "");
    Tensor avg_pool(const Tensor& x, const Window& window, std::string name = "");
    Tensor global_avg_pool(const Tensor& x, std::string name = "");
    Tensor add(const Tensor& a, const Tensor& b, std::string name = "");
    // Element-wise product; `gate` is either x's shape or c x 1 x 1 (broadcast, as in SE blocks).
    Tensor mul(const Tensor& x, const Tensor& gate, std::string name = "");
    // Channel concatenation: shape only, no layer.
    Tensor concat(std::initializer_list<Tensor> parts) const;
    Tensor concat(const std::vector<Tensor>& parts) const;

    // Transformer operators. A token tensor keeps its features in c and its positions in h x w
    // (a ViT's 197 tokens as 768 x 1 x 197: a sequence is a one-row map along X, as for a 1-D
    // convolution; a Swin stage as C x H x W); layout changes (reshape,
    // window partition, shift, head split) are shape-only and cost nothing.
    //
    // A weight matrix applied at every position (nn.Linear on tokens): a Gemm over x.h x x.w.
    Tensor linear(const Tensor& x, std::int64_t out_features, bool bias = true, std::string name = "");
    // `groups` independent products of two activations, each (rows x depth) . (depth x cols):
    // attention's Q.K^T (groups = heads [x windows], depth = head dim, cols = keys) and A.V
    // (depth = keys, cols = head dim). The result is groups*cols features at `rows` positions
    // (1 x rows).
    Tensor matmul(std::int64_t groups, std::int64_t rows, std::int64_t depth, std::int64_t cols,
                  std::string name = "");
    // Vector operators, one operation per element of x. layer_norm normalises each position over
    // its c features and owns 2c parameters (scale, shift); softmax normalises each row of scores.
    Tensor layer_norm(const Tensor& x, std::string name = "");
    Tensor softmax(const Tensor& x, std::string name = "");
    Tensor gelu(const Tensor& x, std::string name = "");
    // Trainable tensors consumed as data rather than by a layer's W: class tokens, position
    // embeddings, relative-position bias tables.
    void embedding(std::int64_t params);

    // A normalisation layer on x: shape only, adds params_per_channel * x.c trainable parameters
    // (2 for BN's gamma and beta; sources that also count running statistics use 4).
    void norm(const Tensor& x, int params_per_channel = 2);
    // Parameters of a head that is published with the model but does not run at inference.
    void auxiliary(std::int64_t params);

    void variant(std::string key, std::string value);
    void set_precision(const Precision& precision) { precision_ = precision; }

    Network finish();

    // Output height/width of a window applied to an input extent (exposed for tests).
    static std::int64_t output_extent(std::int64_t in, int k, int stride, int dilation, Padding::Mode mode,
                                      int pad_before, int pad_after, bool ceil_mode);

private:
    Layer& windowed(OpKind kind, const Tensor& x, const Window& window, std::string name);
    Layer& per_element(OpKind kind, const Tensor& x, std::string name, std::string_view prefix);
    std::string auto_name(std::string name, std::string_view prefix);

    Network net_;
    Precision precision_{};
    int counter_ = 0;
};

}  // namespace elaa::workload
