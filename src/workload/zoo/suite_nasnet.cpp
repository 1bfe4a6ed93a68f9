// Keras Applications' NASNet (NASNet-A): NASNetMobile (224) and NASNetLarge (331).
//   - stem: 3x3/2 "valid" conv + BN, then two reduction cells with filters/4 and filters/2;
//   - three stacks of N normal cells separated by reduction cells doubling the filters;
//   - each cell after the first "adjusts" the previous cell's output p to its own input's shape: a factorised
//     reduction (two 1x1/2 average pools, one shifted by a pixel, each into a 1x1 conv to filters/2,
//     concatenated) when the resolutions differ, a 1x1 conv when only the channels differ;
//   - separable-conv blocks are two (ReLU, SeparableConv2D, BN) in a row, the first strided in
//     reduction cells (ZeroPadding2D(correct_pad) + "valid").
// Every BN is scale+center: 4 parameters per channel in count_params(). The auxiliary head is not
// part of keras.applications' NASNet.
#include <string>

#include "workload/builder.hpp"
#include "workload/zoo/suite_builders.hpp"

namespace elaa::workload::zoo {
namespace {

using namespace suite;

struct NasnetConfig {
    const char* network;
    int resolution;
    std::int64_t penultimate_filters;
    int cells_per_stack;  // num_blocks
    std::int64_t stem_filters;
    bool skip_reduction;  // Large: the cell after a reduction sees the pre-reduction normal cell's input
};
constexpr std::int64_t kFilterMultiplier = 2;

class NasnetBuilder {
public:
    explicit NasnetBuilder(NetworkBuilder& b) : b_(b) {}

    // (cell output, the "previous" input handed to the next cell)
    struct CellOut {
        Tensor x, p;
    };

    CellOut normal_cell(const Tensor& ip, const Tensor& prev, std::int64_t filters) {
        const Tensor p = adjust(prev, ip, filters);
        const Tensor h = squeeze(ip, filters);
        const Tensor x1 = b_.add(separable_block(h, filters, 5, 1), separable_block(p, filters, 3, 1));
        const Tensor x2 = b_.add(separable_block(p, filters, 5, 1), separable_block(p, filters, 3, 1));
        const Tensor x3 = b_.add(b_.avg_pool(h, same(3)), p);
        const Tensor x4 = b_.add(b_.avg_pool(p, same(3)), b_.avg_pool(p, same(3)));
        const Tensor x5 = b_.add(separable_block(h, filters, 3, 1), h);
        return {b_.concat({p, x1, x2, x3, x4, x5}), ip};
    }

    // The first stem cell has no previous cell (p = None): it uses its input unadjusted as p.
    CellOut first_reduction_cell(const Tensor& ip, std::int64_t filters) { return reduction(ip, ip, filters); }

    CellOut reduction_cell(const Tensor& ip, const Tensor& prev, std::int64_t filters) {
        return reduction(ip, adjust(prev, ip, filters), filters);
    }

private:
    CellOut reduction(const Tensor& ip, const Tensor& p, std::int64_t filters) {
        const Tensor h = squeeze(ip, filters);
        const Window pool = keras_correct_pad(h, 3, 2);  // ZeroPadding2D(correct_pad(h, 3)) + "valid"
        const Tensor x1 = b_.add(separable_block(h, filters, 5, 2), separable_block(p, filters, 7, 2));
        const Tensor x2 = b_.add(b_.max_pool(h, pool), separable_block(p, filters, 7, 2));
        const Tensor x3 = b_.add(b_.avg_pool(h, pool), separable_block(p, filters, 5, 2));
        const Tensor x4 = b_.add(x2, b_.avg_pool(x1, same(3)));
        const Tensor x5 = b_.add(separable_block(x1, filters, 3, 1), b_.max_pool(h, pool));
        return {b_.concat({x2, x3, x4, x5}), ip};
    }

    Tensor bn(const Tensor& x) {
        b_.norm(x, kKerasBn);
        return x;
    }

    // ReLU, 1x1 conv, BN: the cell input brought to `filters` channels.
    Tensor squeeze(const Tensor& x, std::int64_t filters) { return bn(b_.conv(x, filters, same(1))); }

    Tensor separable_block(const Tensor& x, std::int64_t filters, int k, int stride) {
        const Window first = stride == 1 ? same(k) : keras_correct_pad(x, k, stride);
        const Tensor y = bn(separable_conv(b_, x, filters, first));
        return bn(separable_conv(b_, y, filters, same(k)));
    }

    Tensor adjust(const Tensor& p, const Tensor& ip, std::int64_t filters) {
        if (p.h != ip.h) {
            // Factorised reduction. The second path's ZeroPadding2D((0,1)) + Cropping2D((1,0)) only
            // shifts the map by one pixel; its 1x1/2 pool reads the same extent as the first.
            const Tensor p1 = b_.conv(b_.avg_pool(p, valid(1, 2)), filters / 2, same(1));
            const Tensor p2 = b_.conv(b_.avg_pool(p, valid(1, 2)), filters / 2, same(1));
            return bn(b_.concat({p1, p2}));
        }
        if (p.c != filters) return bn(b_.conv(p, filters, same(1)));
        return p;
    }

    NetworkBuilder& b_;
};

Network build_nasnet(const NasnetConfig& cfg) {
    NetworkBuilder b(suite_name(cfg.network), kFamily, cfg.resolution);
    b.variant("source", "keras.applications.nasnet");
    b.variant("penultimate_filters", std::to_string(cfg.penultimate_filters));
    b.variant("num_blocks", std::to_string(cfg.cells_per_stack));
    NasnetBuilder cells(b);
    const std::int64_t filters = cfg.penultimate_filters / 24;

    Tensor x = conv_bn(b, b.input(), cfg.stem_filters, valid(3, 2), kKerasBn, false, 1, "stem_conv1");
    auto out = cells.first_reduction_cell(x, filters / (kFilterMultiplier * kFilterMultiplier));
    out = cells.reduction_cell(out.x, out.p, filters / kFilterMultiplier);
    std::int64_t stack_filters = filters;
    for (int stack = 0; stack < 3; ++stack) {
        if (stack > 0) {
            stack_filters *= kFilterMultiplier;
            const Tensor before_reduction = out.p;
            out = cells.reduction_cell(out.x, out.p, stack_filters);
            if (cfg.skip_reduction) out.p = before_reduction;
        }
        for (int i = 0; i < cfg.cells_per_stack; ++i) out = cells.normal_cell(out.x, out.p, stack_filters);
    }
    x = b.global_avg_pool(out.x, "avg_pool");
    b.fc(x, 1000, true, "predictions");
    return b.finish();
}

}  // namespace

void register_suite_keras_nasnet(ZooRegistry& reg) {
    for (const NasnetConfig& cfg : {NasnetConfig{"NASNet_small", 224, 1056, 4, 32, false},
                                    NasnetConfig{"NASNet_large", 331, 4032, 6, 96, true}})
        reg.add(suite_name(cfg.network), kFamily, [cfg] { return build_nasnet(cfg); });
}

}  // namespace elaa::workload::zoo
