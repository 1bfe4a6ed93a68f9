// Shape arithmetic of the network builder, checked against hand-computed sizes.
#include <catch2/catch.hpp>

#include "workload/builder.hpp"

using namespace elaa::workload;

TEST_CASE("output extents follow each framework's padding rule", "[builder]") {
    using M = Padding::Mode;
    // PyTorch conv1 of ResNet: 224, k7 s2 p3 -> floor((224 + 6 - 7) / 2) + 1 = 112
    CHECK(NetworkBuilder::output_extent(224, 7, 2, 1, M::Explicit, 3, 3, false) == 112);
    // PyTorch max pool k3 s2 ceil_mode on 112: ceil((112 - 3) / 2) + 1 = 56; floor gives 55
    CHECK(NetworkBuilder::output_extent(112, 3, 2, 1, M::Explicit, 0, 0, true) == 56);
    CHECK(NetworkBuilder::output_extent(112, 3, 2, 1, M::Explicit, 0, 0, false) == 55);
    // ceil_mode never starts a window in the right padding: 5, k2 s2 p1 -> 3 both ways
    CHECK(NetworkBuilder::output_extent(5, 2, 2, 1, M::Explicit, 1, 1, true) == 3);
    // TF SAME: ceil(in / stride) whatever the kernel; VALID: floor((in - k) / s) + 1
    CHECK(NetworkBuilder::output_extent(225, 3, 2, 1, M::Same, 0, 0, false) == 113);
    CHECK(NetworkBuilder::output_extent(299, 3, 2, 1, M::Valid, 0, 0, false) == 149);
    // dilation 2 on a 3x3 kernel spans 5
    CHECK(NetworkBuilder::output_extent(10, 3, 1, 2, M::Explicit, 0, 0, false) == 6);
}

TEST_CASE("a conv, a depthwise conv and a classifier give hand-computed loop bounds", "[builder]") {
    NetworkBuilder b("toy", "toy", 32);
    Tensor x = b.input();                                  // 3 x 32 x 32
    x = b.conv(x, 16, win(3, 2), 1, false, "stem");        // 16 x 16 x 16
    b.norm(x);                                             // 32 BN params
    x = b.conv(x, 16, win(3, 1), 16, false, "dw");         // depthwise, 16 x 16 x 16
    Tensor y = b.conv(x, 16, win(1), 1, true, "pw");       // 1x1 with bias
    x = b.add(x, y, "res");
    x = b.global_avg_pool(x, "gap");                       // 16 x 1 x 1
    x = b.fc(x, 10, true, "fc");
    const Network net = b.finish();

    REQUIRE(net.layers.size() == 6);
    const Layer& stem = net.layers[0];
    CHECK(stem.kind == OpKind::Conv);
    CHECK(stem.K == 16);
    CHECK(stem.C == 3);
    CHECK(stem.OY == 16);
    CHECK(stem.pad_top == 1);
    CHECK(stem.macs() == 16 * 3 * 16 * 16 * 9);  // 110592

    const Layer& dw = net.layers[1];
    CHECK(dw.kind == OpKind::DepthwiseConv);
    CHECK(dw.G == 16);
    CHECK(dw.K == 1);
    CHECK(dw.C == 1);
    CHECK(dw.macs() == 16 * 16 * 16 * 9);
    CHECK(dw.weight_count() == 16 * 9);
    CHECK(dw.relevance(Operand::W, Dim::OY) == Relevance::Irrelevant);
    CHECK(dw.relevance(Operand::I, Dim::FY) == Relevance::PartiallyRelevant);

    CHECK(net.layers[2].params() == 16 * 16 + 16);
    CHECK(net.layers[3].kind == OpKind::Add);
    CHECK(net.layers[3].ops() == 16 * 16 * 16);
    CHECK(net.layers[3].macs() == 0);
    CHECK(net.layers[4].ops() == 16 * 16 * 16);  // every input element visited once
    CHECK(net.layers[5].macs() == 160);

    CHECK(net.macs() == 110592 + 36864 + 65536 + 160);
    CHECK(net.params() == 16 * 3 * 9 + 32 + 16 * 9 + 272 + 170);
}

TEST_CASE("TF SAME padding puts the odd pixel at the bottom/right", "[builder]") {
    NetworkBuilder b("toy", "toy", 224);
    Tensor x = b.conv(b.input(), 32, same(3, 2));
    const Network net = b.finish();
    const Layer& l = net.layers[0];
    CHECK(x.h == 112);
    // total pad = (112 - 1) * 2 + 3 - 224 = 1 -> 0 before, 1 after
    CHECK(l.pad_top == 0);
    CHECK(l.pad_bottom == 1);
}
