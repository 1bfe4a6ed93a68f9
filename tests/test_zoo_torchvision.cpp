// Acceptance over the whole torchvision table (data/accuracy/imagenet_models.csv, torchvision 0.21):
// the zoo builds every row's model, which must match the published MACs (`gmacs`, multiply-
// accumulates of conv, linear and matmul ops, attention's Q.K^T and A.V included) and, exactly, the
// parameters (`num_params`: every trainable tensor, i.e. weights, biases, norm affine parameters,
// class tokens, position embeddings) at the row's input resolution.
#include <string>

#include "table_match.hpp"
#include "workload/zoo/zoo.hpp"

using elaa::workload::Zoo;

namespace {

std::string float_model(const std::string& model) {
    const std::string prefix = "quantized.";
    // INT8 rows carry the float model's metadata (same _ops and num_params in torchvision).
    return model.rfind(prefix, 0) == 0 ? model.substr(prefix.size()) : model;
}

}  // namespace

TEST_CASE("every torchvision row is built by the zoo with its published MACs and parameters", "[zoo][torchvision]") {
    const auto table = elaa::test::published_table("accuracy/imagenet_models.csv");
    const Zoo& zoo = Zoo::instance();
    int matched = 0, larger_crops = 0;
    for (std::size_t row = 0; row < table.rows(); ++row) {
        const std::string model = float_model(table.at(row, "model"));
        const std::string weights = table.at(row, "weights");
        INFO(model << " " << weights << " (line " << table.line_of(row) << ")");
        // SWAG end-to-end weights run at a larger crop: the network <model>@<resolution>.
        const std::string resolution = table.at(row, "input_resolution");
        const bool larger_crop = weights.find("SWAG_E2E") != std::string::npos;
        const std::string network = larger_crop ? model + "@" + resolution : model;
        REQUIRE(zoo.find(network));
        const auto net = zoo.build(network);
        CHECK(net.resolution == std::stoi(resolution));
        if (larger_crop) ++larger_crops;
        CHECK(elaa::test::matches_published(net.macs() / 1e9, table.at(row, "gmacs")));
        CHECK(net.params() == std::stoll(table.at(row, "num_params")));
        ++matched;
    }
    // 129 rows, all built: the count pins down that no row was skipped.
    CHECK(matched == 129);
    CHECK(larger_crops == 6);  // regnet_y_{16,32,128}gf@384, vit_b_16@384, vit_l_16@512, vit_h_14@518
}
