// The cost model on ZigZag's own mappings: every ResNet-18 layer of ZigZag's reference runs on
// tpu_like and eyeriss_like, evaluated with exactly the spatial and temporal mapping ZigZag chose,
// must give ZigZag's energy within 0.1 % and latency within 1 % (cost-model errors separated from
// search differences).
#include <catch2/catch.hpp>

#include <cmath>
#include <set>

#include "cost/evaluate.hpp"
#include "hardware/presets.hpp"
#include "workload/zoo/zoo.hpp"
#include "zigzag_reference.hpp"

using namespace elaa;
using workload::Operand;

namespace {

const workload::Layer& find_layer(const workload::Network& net, const CsvTable& t, std::size_t row,
                                  std::set<std::size_t>& used) {
    auto num = [&](const char* col) { return static_cast<std::int64_t>(std::stod(t.at(row, col))); };
    for (std::size_t i = 0; i < net.layers.size(); ++i) {
        const auto& l = net.layers[i];
        if (used.count(i) || !workload::counts_macs(l.kind)) continue;
        if (l.K * l.G == num("K") * num("G") && l.C * l.G == num("C") * num("G") && l.OY == num("OY") &&
            l.OX == num("OX") && l.FY == num("FY") && l.FX == num("FX") && l.stride_y == num("stride_y")) {
            used.insert(i);
            return l;
        }
    }
    FAIL("no zoo layer matches " << t.at(row, "layer_name"));
    throw;
}

void check_preset(const std::string& preset, const std::string& file) {
    const auto acc = hardware::load_preset(preset);
    const auto table = test::zigzag_reference(file);
    const auto net = workload::Zoo::instance().build("resnet18");
    std::set<std::size_t> used;
    double energy = 0, latency = 0, ref_energy = 0, ref_latency = 0;
    for (std::size_t row = 0; row < table.rows(); ++row) {
        const std::string name = table.at(row, "layer_name");
        INFO(preset << " " << name);
        const auto& layer = find_layer(net, table, row, used);
        mapping::Mapping m;
        m.spatial = mapping::resolve_spatial(layer, acc, acc.dataflow_for(layer.kind));
        // The spatial unrolling elaa derives from the preset is the one ZigZag used.
        const auto zz_spatial = test::parse_zigzag_mapping(table.at(row, "spatial_mapping_frac"));
        double zz_units = 1;
        for (const auto& level : zz_spatial.at(Operand::O))
            for (const auto& [dim, factor] : level) zz_units *= factor;
        CHECK(m.spatial.active_units() == Approx(zz_units));
        m.temporal = test::to_temporal(test::parse_zigzag_mapping(table.at(row, "temporal_mapping")));

        const auto cost = cost::evaluate(layer, acc, m);
        const double ref_e = std::stod(table.at(row, "energy_pJ"));
        const double ref_l = std::stod(table.at(row, "latency_cycles"));
        energy += cost.energy_pj();
        latency += cost.latency_cycles();
        ref_energy += ref_e;
        ref_latency += ref_l;
        CHECK(cost.mac_energy_pj == Approx(std::stod(table.at(row, "mac_energy_pJ"))).epsilon(1e-9));
        CHECK(cost.temporal_cycles == std::stod(table.at(row, "ideal_temporal_cycle")));
        CHECK(cost.energy_pj() == Approx(ref_e).epsilon(0.001));
        // Deviation (docs/cost-model.md): ZigZag's balanced reduction of loading times can go below
        // zero (-3122 off-loading cycles on eyeriss conv1); elaa never returns a negative loading
        // time, so on those layers its latency is the same or longer.
        const bool zigzag_negative = std::stod(table.at(row, "offload_cycles")) < 0 ||
                                     std::stod(table.at(row, "onload_cycles")) < 0;
        if (!zigzag_negative) {
            CHECK(cost.latency_cycles() == Approx(ref_l).epsilon(0.01));
            CHECK(cost.stall_cycles == Approx(std::stod(table.at(row, "stall_slack_cycles"))).margin(1.0).epsilon(0.01));
            CHECK(cost.onload_cycles == Approx(std::stod(table.at(row, "onload_cycles"))).margin(1.0).epsilon(0.01));
            CHECK(cost.offload_cycles == Approx(std::stod(table.at(row, "offload_cycles"))).margin(1.0).epsilon(0.01));
        } else {
            CHECK(cost.offload_cycles >= 0);
            CHECK(cost.onload_cycles >= 0);
            CHECK(cost.latency_cycles() >= ref_l);
            CHECK(cost.latency_cycles() == Approx(ref_l).epsilon(0.02));
        }
    }
    WARN(preset << ": elaa " << energy << " pJ, " << latency << " cycles; ZigZag " << ref_energy << " pJ, "
                << ref_latency << " cycles");
    CHECK(energy == Approx(ref_energy).epsilon(0.001));
}

}  // namespace

TEST_CASE("ZigZag's own mappings on tpu_like reproduce its per-layer energy and latency", "[cost][zigzag]") {
    check_preset("tpu_like", "tpu_like_resnet18.csv");
}

TEST_CASE("ZigZag's own mappings on eyeriss_like reproduce its per-layer energy and latency", "[cost][zigzag]") {
    check_preset("eyeriss_like", "eyeriss_like_resnet18.csv");
}
