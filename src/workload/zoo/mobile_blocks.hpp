// Building blocks shared by the mobile families (MobileNet v2/v3, MobileNet-EdgeTPU, MnasNet): the
// channel rounding their definitions use, conv + batch norm, squeeze-and-excitation and the inverted
// residual block in its variants (with or without expansion / SE, and EdgeTPU's fused form).
#pragma once

#include <cstdint>

#include "workload/builder.hpp"

namespace elaa::workload::zoo::mobile {

// What differs between the frameworks a definition comes from without changing the architecture.
struct Convention {
    // TF/Keras "SAME" padding, or PyTorch's symmetric k/2 padding. Output sizes agree for odd
    // kernels; only where the padding sits differs.
    bool tf_same_padding = false;
    // Parameters the source counts per batch-norm channel: 2 = gamma + beta (torchvision), 3 = beta +
    // moving mean + moving variance (TF-slim checkpoints of BN without scale), 0 = a table that
    // leaves BN out of its counts.
    int norm_params_per_channel = 2;
};

// The rounding of channel counts used by TF-slim MobileNet v2/v3, MnasNet and torchvision: the
// nearest multiple of `divisor`, at least `min_value` (default: divisor), and never more than 10 %
// below `value`.
std::int64_t make_divisible(double value, int divisor = 8, std::int64_t min_value = 0);

// A k x k window with the convention's padding.
Window conv_window(int kernel, int stride, const Convention& convention);

// Bias-free convolution followed by batch norm (the activation costs nothing in this model).
Tensor conv_bn(NetworkBuilder& b, const Tensor& x, std::int64_t out_channels, int kernel, int stride,
               const Convention& convention, std::int64_t groups = 1);

// Depthwise k x k convolution followed by batch norm.
Tensor depthwise_bn(NetworkBuilder& b, const Tensor& x, int kernel, int stride,
                    const Convention& convention);

// Squeeze-and-excitation: global average pool, 1x1 conv to `squeeze_channels` and back (both with
// bias), then the gate multiplies x channel-wise (a broadcasting Mul).
Tensor squeeze_excite(NetworkBuilder& b, const Tensor& x, std::int64_t squeeze_channels);

// One inverted residual block: [expand] -> depthwise -> [SE] -> project -> [+ input].
struct InvertedResidual {
    int kernel = 3;
    int stride = 1;
    // Channels inside the block. Equal to the input channels means no expansion conv (the first
    // block of MobileNet v2/v3 and MnasNet-A1), as in every source here.
    std::int64_t expanded = 0;
    std::int64_t out = 0;
    std::int64_t se_squeeze = 0;  // SE bottleneck channels; 0 = no SE
    // MobileNet-EdgeTPU's fused block: the expansion is a dense k x k conv carrying the stride and
    // there is no depthwise conv. Without an expansion such a block is a plain 1x1 projection.
    bool fused = false;
    // The residual Add is made when shapes allow (stride 1, in == out) unless the definition
    // switches it off (MnasNet's "noskip", one EdgeTPU block).
    bool residual = true;
};

Tensor inverted_residual(NetworkBuilder& b, const Tensor& x, const InvertedResidual& block,
                         const Convention& convention);

}  // namespace elaa::workload::zoo::mobile
