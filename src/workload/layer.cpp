#include "workload/layer.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace elaa::workload {

namespace {
struct KindName {
    OpKind kind;
    std::string_view name;
};
constexpr std::array<KindName, 12> kKindNames{{
    {OpKind::Conv, "conv"},
    {OpKind::GroupedConv, "gconv"},
    {OpKind::DepthwiseConv, "dwconv"},
    {OpKind::Gemm, "gemm"},
    {OpKind::MatMul, "matmul"},
    {OpKind::MaxPool, "maxpool"},
    {OpKind::AvgPool, "avgpool"},
    {OpKind::Add, "add"},
    {OpKind::Mul, "mul"},
    {OpKind::Softmax, "softmax"},
    {OpKind::LayerNorm, "layernorm"},
    {OpKind::Gelu, "gelu"},
}};

bool is_pool(OpKind kind) { return kind == OpKind::MaxPool || kind == OpKind::AvgPool; }
bool is_eltwise(OpKind kind) { return kind == OpKind::Add || kind == OpKind::Mul; }
}  // namespace

std::string_view to_string(OpKind kind) {
    for (const auto& [k, name] : kKindNames)
        if (k == kind) return name;
    return "?";
}

bool parse_op_kind(std::string_view text, OpKind& out) {
    for (const auto& [k, name] : kKindNames)
        if (name == text) {
            out = k;
            return true;
        }
    return false;
}

bool counts_macs(OpKind kind) {
    return kind == OpKind::Conv || kind == OpKind::GroupedConv || kind == OpKind::DepthwiseConv ||
           kind == OpKind::Gemm || kind == OpKind::MatMul;
}

bool is_vector_op(OpKind kind) {
    return kind == OpKind::Softmax || kind == OpKind::LayerNorm || kind == OpKind::Gelu;
}

bool is_unary(OpKind kind) { return is_pool(kind) || is_vector_op(kind); }

std::string_view to_string(Dim dim) {
    switch (dim) {
        case Dim::B: return "B";
        case Dim::K: return "K";
        case Dim::C: return "C";
        case Dim::OY: return "OY";
        case Dim::OX: return "OX";
        case Dim::FY: return "FY";
        case Dim::FX: return "FX";
        case Dim::G: return "G";
    }
    return "?";
}

std::string_view to_string(Operand operand) {
    switch (operand) {
        case Operand::W: return "W";
        case Operand::I: return "I";
        case Operand::O: return "O";
    }
    return "?";
}

std::int64_t Layer::bound(Dim dim) const {
    switch (dim) {
        case Dim::B: return B;
        case Dim::K: return K;
        case Dim::C: return C;
        case Dim::OY: return OY;
        case Dim::OX: return OX;
        case Dim::FY: return FY;
        case Dim::FX: return FX;
        case Dim::G: return G;
    }
    throw std::logic_error("Layer::bound: bad dimension");
}

std::int64_t Layer::macs() const {
    return counts_macs(kind) ? B * G * K * C * OY * OX * FY * FX : 0;
}

std::int64_t Layer::ops() const {
    if (is_pool(kind)) return B * G * OY * OX * FY * FX;
    if (is_eltwise(kind) || is_vector_op(kind)) return B * G * K * OY * OX;
    return 0;
}

bool Layer::has_operand(Operand operand) const {
    return operand != Operand::W || !is_unary(kind);
}

Relevance Layer::relevance(Operand operand, Dim dim) const {
    using R = Relevance;
    if (!has_operand(operand)) return R::Irrelevant;
    if (dim == Dim::G) return R::Relevant;  // groups partition every operand
    if (is_eltwise(kind) && operand == Operand::W) {
        // The second input has the output's shape, or (B, G) only when it broadcasts.
        if (dim == Dim::B) return R::Relevant;
        if (dim == Dim::K) return R::Relevant;
        if (dim == Dim::OY || dim == Dim::OX) return broadcast_second_operand ? R::Irrelevant : R::Relevant;
        return R::Irrelevant;
    }
    switch (operand) {
        case Operand::W:
            // A weight is shared by the batch; MatMul's second activation is not.
            if (dim == Dim::B) return kind == OpKind::MatMul ? R::Relevant : R::Irrelevant;
            return (dim == Dim::K || dim == Dim::C || dim == Dim::FY || dim == Dim::FX) ? R::Relevant
                                                                                          : R::Irrelevant;
        case Operand::I:
            if (dim == Dim::B || dim == Dim::C) return R::Relevant;
            if (dim == Dim::OY || dim == Dim::OX || dim == Dim::FY || dim == Dim::FX)
                return R::PartiallyRelevant;
            // Pooling and element-wise operators read the channel they write (K = C = 1 per group).
            return R::Irrelevant;
        case Operand::O:
            return (dim == Dim::B || dim == Dim::K || dim == Dim::OY || dim == Dim::OX) ? R::Relevant
                                                                                          : R::Irrelevant;
    }
    return R::Irrelevant;
}

std::int64_t Layer::weight_count() const {
    if (!counts_macs(kind)) return 0;
    if (kind == OpKind::MatMul) return 0;
    return G * K * C * FY * FX;
}

std::int64_t Layer::operand_elements(Operand operand) const {
    switch (operand) {
        case Operand::W:
            if (is_unary(kind)) return 0;
            if (is_eltwise(kind)) return B * G * K * (broadcast_second_operand ? 1 : OY * OX);
            if (kind == OpKind::MatMul) return B * G * K * C;
            return G * K * C * FY * FX;
        case Operand::I: return B * G * C * in_h * in_w;
        case Operand::O: return B * G * K * OY * OX;
    }
    return 0;
}

OpKind classify_conv(std::int64_t groups, std::int64_t c_per_group) {
    if (groups <= 1) return OpKind::Conv;
    return c_per_group == 1 ? OpKind::DepthwiseConv : OpKind::GroupedConv;
}

}  // namespace elaa::workload
