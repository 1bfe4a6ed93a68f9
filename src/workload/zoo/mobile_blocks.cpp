#include "workload/zoo/mobile_blocks.hpp"

#include <algorithm>

namespace elaa::workload::zoo::mobile {

std::int64_t make_divisible(double value, int divisor, std::int64_t min_value) {
    if (min_value <= 0) min_value = divisor;
    const auto rounded = static_cast<std::int64_t>(value + divisor / 2.0) / divisor * divisor;
    std::int64_t result = std::max(min_value, rounded);
    if (static_cast<double>(result) < 0.9 * value) result += divisor;
    return result;
}

Window conv_window(int kernel, int stride, const Convention& convention) {
    return convention.tf_same_padding ? same(kernel, stride) : win(kernel, stride);
}

Tensor conv_bn(NetworkBuilder& b, const Tensor& x, std::int64_t out_channels, int kernel, int stride,
               const Convention& convention, std::int64_t groups) {
    const Tensor y = b.conv(x, out_channels, conv_window(kernel, stride, convention), groups);
    b.norm(y, convention.norm_params_per_channel);
    return y;
}

Tensor depthwise_bn(NetworkBuilder& b, const Tensor& x, int kernel, int stride,
                    const Convention& convention) {
    return conv_bn(b, x, x.c, kernel, stride, convention, /*groups=*/x.c);
}

Tensor squeeze_excite(NetworkBuilder& b, const Tensor& x, std::int64_t squeeze_channels) {
    Tensor gate = b.global_avg_pool(x);
    gate = b.conv(gate, squeeze_channels, win(1), 1, /*bias=*/true);
    gate = b.conv(gate, x.c, win(1), 1, /*bias=*/true);
    return b.mul(x, gate);
}

Tensor inverted_residual(NetworkBuilder& b, const Tensor& x, const InvertedResidual& block,
                         const Convention& convention) {
    const bool expands = block.expanded != x.c;
    Tensor y = x;
    if (block.fused) {
        if (expands) y = conv_bn(b, y, block.expanded, block.kernel, block.stride, convention);
    } else {
        if (expands) y = conv_bn(b, y, block.expanded, 1, 1, convention);
        y = depthwise_bn(b, y, block.kernel, block.stride, convention);
    }
    if (block.se_squeeze > 0) y = squeeze_excite(b, y, block.se_squeeze);
    y = conv_bn(b, y, block.out, 1, 1, convention);
    // As TF's and torchvision's condition: stride 1 and equal channel counts.
    if (block.residual && block.stride == 1 && y == x) y = b.add(y, x);
    return y;
}

}  // namespace elaa::workload::zoo::mobile
