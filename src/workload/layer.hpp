// A DNN layer as a loop nest over B, K, C, OY, OX, FY, FX, repeated over G groups.
//
// Every cost-bearing operator is written in one canonical form (the ZigZag/Timeloop convention):
//
//   for g < G, b < B, k < K, c < C, oy < OY, ox < OX, fy < FY, fx < FX:
//     O[b][g][k][oy][ox] += W[g][k][c][fy][fx] * I[b][g][c][oy*SY + fy*DY - PT][ox*SX + fx*DX - PL]
//
// K and C are *per group*. A dense convolution has G = 1, a depthwise one G = channels, K = C = 1
// (or K = the channel multiplier). Gemm (fully connected, a transformer's projection or MLP) is a 1x1
// convolution: a weight matrix applied to every position OY x OX (a classifier has OY = OX = 1).
// MatMul is the product of two activations (attention's Q.K^T and A.V): the W slot then holds the
// second activation, which varies with the batch like any activation. Pooling, element-wise and
// vector operators (softmax, layer norm, GELU) use the same nest with K = C = 1 and G = channels,
// so that the operand relevancy below applies.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <string>
#include <string_view>

namespace elaa::workload {

enum class OpKind {
    Conv,           // dense convolution (G = 1)
    GroupedConv,    // 1 < G, C > 1 per group (ResNeXt, ShuffleNet v1, AlexNet's two towers)
    DepthwiseConv,  // one input channel per group (MobileNet, EfficientNet)
    Gemm,           // a weight matrix applied at every position (fully connected, projections, MLPs)
    MatMul,         // activation x activation (attention), the second activation in the W slot
    MaxPool,
    AvgPool,        // includes global average pooling
    Add,            // element-wise sum of two equal-shape tensors (residuals)
    Mul,            // element-wise product; the second operand may broadcast over OY, OX (SE gating)
    Softmax,        // normalises each row OX of a score matrix (attention)
    LayerNorm,      // normalises each position over its channels G (transformers, ConvNeXt)
    Gelu,           // the GELU activation, one erf/tanh evaluation per element
};

std::string_view to_string(OpKind kind);
// Parses the names printed by to_string ("conv", "dwconv", ...); returns false if unknown.
bool parse_op_kind(std::string_view text, OpKind& out);

// Conv, GroupedConv, DepthwiseConv, Gemm and MatMul count multiply-accumulates (what published tables
// count); pooling, element-wise and vector operators count plain operations instead.
bool counts_macs(OpKind kind);
// Operators with one input tensor and no W operand: pooling and the vector operators.
bool is_unary(OpKind kind);
// Softmax, LayerNorm, Gelu: one operation per element, run where the element-wise operators run.
bool is_vector_op(OpKind kind);

enum class Dim { B, K, C, OY, OX, FY, FX, G };
inline constexpr std::array<Dim, 8> kAllDims{Dim::B, Dim::K, Dim::C, Dim::OY,
                                             Dim::OX, Dim::FY, Dim::FX, Dim::G};
std::string_view to_string(Dim dim);

enum class Operand { W, I, O };
std::string_view to_string(Operand operand);

// How a loop dimension relates to an operand's index space.
enum class Relevance {
    Irrelevant,         // the operand does not depend on the loop: it is reused across it
    Relevant,           // the loop indexes the operand directly
    PartiallyRelevant,  // input only: OY/FY (and OX/FX) combine into the sliding-window index
};

struct Precision {
    int w_bits = 8;
    int i_bits = 8;
    int o_bits = 8;     // final output
    int psum_bits = 16; // partial sums while accumulating
    bool operator==(const Precision&) const = default;
};

struct Layer {
    std::string name;
    OpKind kind = OpKind::Conv;

    // Loop bounds (K and C per group).
    std::int64_t B = 1, K = 1, C = 1, OY = 1, OX = 1, FY = 1, FX = 1, G = 1;

    int stride_y = 1, stride_x = 1;
    int dilation_y = 1, dilation_x = 1;
    int pad_top = 0, pad_left = 0, pad_bottom = 0, pad_right = 0;

    // The real input feature map (before padding). Needed because with padding or strides larger
    // than the kernel the loop-derived input window differs from the tensor actually read.
    std::int64_t in_h = 1, in_w = 1;

    Precision precision{};

    // Trainable parameters outside the W tensor: biases of this layer (G*K when present), a layer
    // norm's scale and shift.
    std::int64_t bias_params = 0;
    // Mul only: second operand is (B, G) and broadcasts over OY, OX (squeeze-and-excitation gate).
    bool broadcast_second_operand = false;
    // Fraction of non-zero values in the input and output activations (1 = dense, the default).
    // Only an accelerator with [sparsity] features acts on them: gating of zero inputs, run-length
    // coding of activations on the DRAM link (hardware::Sparsity).
    double input_density = 1;
    double output_density = 1;

    bool operator==(const Layer&) const = default;

    std::int64_t bound(Dim dim) const;

    // Multiply-accumulates for MAC operators, 0 otherwise.
    std::int64_t macs() const;
    // Operations of pooling (window elements visited), element-wise and vector operators (outputs),
    // 0 for MAC operators.
    std::int64_t ops() const;
    // Iterations of the whole loop nest: MACs for MAC operators, ops for the others. What the
    // array executes, one per MAC unit and cycle.
    std::int64_t iterations() const { return B * G * K * C * OY * OX * FY * FX; }

    // Which loops index which operand. W: K, C, FY, FX (and G), plus B for MatMul's second
    // activation; I: B, C, OY+FY, OX+FX (and G); O: B, K, OY, OX (and G). Pooling and vector
    // operators have no W; Add/Mul keep their second input in the W slot.
    Relevance relevance(Operand operand, Dim dim) const;
    bool has_operand(Operand operand) const;

    // Elements of the weight tensor (trainable, so 0 for MatMul of two activations, pooling, add).
    std::int64_t weight_count() const;
    std::int64_t params() const { return weight_count() + bias_params; }
    // Elements of each tensor as stored: W (or second input), the full input map, the output map.
    std::int64_t operand_elements(Operand operand) const;
    std::int64_t input_elements() const { return operand_elements(Operand::I); }
    std::int64_t output_elements() const { return operand_elements(Operand::O); }
};

// Extent of an input axis read by `outputs` output positions and `taps` filter taps (stride,
// dilation): positions c = stride*o + dilation*f, counted without repeats:
// o*f - max(0, f - stride/g) * (o - dilation/g), g = gcd(stride, dilation) (ZigZag's
// calc_pr_dimension_size), clipped to the real input extent. Counts are truncated to integers as
// ZigZag does (a fractional spatial unrolling of OY gives a fractional count). Inline: the mapping
// search calls it a few times per candidate.
inline double window_extent(double outputs, double taps, int stride, int dilation, std::int64_t input_extent) {
    const double a = std::trunc(outputs), b = std::trunc(taps);
    const int g = dilation == 1 ? 1 : std::gcd(stride, dilation);  // the common case needs no gcd
    const double size = a * b - std::max(0.0, b - static_cast<double>(stride / g)) * (a - static_cast<double>(dilation / g));
    return std::min(static_cast<double>(input_extent), size);
}

// The kind a convolution takes given its groups and per-group channels.
OpKind classify_conv(std::int64_t groups, std::int64_t c_per_group);

}  // namespace elaa::workload
