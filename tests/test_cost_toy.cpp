// The cost model on a 2x2 toy accelerator (tests/data/toy_2x2.toml), every figure derived by hand
// from the semantics in shared/reference/zigzag-model.md §2.5–2.7 (ZigZag 3.8), not from the code.
//
// The toy: MAC array D1 = 2 (unrolls K), D2 = 2 (unrolls C), 0.5 pJ per MAC.
//   rf_w  16 bits, W only, one per MAC (served []: 4 instances), r 0.1 / w 0.2 pJ, 8-bit ports.
//   sram  1024 bits, I and O, one instance (serves D1, D2), r 2 / w 3 pJ, 32-bit ports:
//         r_i = I to_low, w_i = I from_high, r_o = O to_low + O to_high, w_o = O from_low + O from_high.
//   dram  W, I, O (serves D1, D2), r 100 / w 150 pJ, 16-bit ports: w_rd = W to_low,
//         i_rd = I to_low, o_rw = O to_low + O from_low.
// bw_min = bw_max, so a transfer of x bits costs ceil(x / bw) word accesses.
//
// Notation used in the derivations (zigzag-model.md §2.3, 2.5):
//   spatial entries: W's rf_w serves no array dim, so K2 C2 sit below W's DRAM level (arch level 1):
//     W instances per arch level = [4, 4, 1], unique children fed per instance ("boost") = [1, 4].
//   I and O: the SRAM serves D1, D2, so K2 C2 sit below the SRAM (arch level 0):
//     I: instances [4, 1, 1], boost [2 (C2 is relevant, K2 is reuse), 1];
//     O: instances [4, 1, 1], boost [2 (K2 relevant, C2 reduced), 1].
//   D_u[a]  elements per instance at arch level a (a = 0 MAC, 1 = lowest memory, 2 = next).
//   c[a]    cycles of one period at arch level a: c[0] = cycles the operand stays at the MAC input
//           (the irrelevant loops at the bottom of its lowest level), c[m+1] = product of the
//           temporal loops up to memory level m.
//   flows at memory m: to_low  amount D_u[m]·boost[m], period c[m];
//                      from_high amount D_u[m+1],      period c[m+1];
//                      (O) from_low = to_low's amount/period; O to_low (psum read-back) when partial
//                      sums stay at m; O to_high / from_high like from_high.
//   words = ceil(amount·bits / bw) · (T / period) · instances at arch level m+1; the top memory
//   exchanges nothing with the outside.
//   Latency (§2.7): stall per (flow) = (ceil(amount·bits/bw) − allowed)·(periods − 1), allowed =
//   period here (every receiving memory is at most half full, so it is double-buffered); a port with
//   several flows: Σ positive + max(0, Σ non-positive + Σ allowed·(periods−1) − union of busy
//   windows); stall = max(0, max over ports). On-loading = per input, max(fill of its lowest memory,
//   feed from DRAM); transfers done once may shrink (down to ceil(lowest tile bits / bw)) by the
//   spare port bandwidth (bw − periodic demand)/bw · (T + stall). Off-loading = max(O to_high at the
//   SRAM, O from_low at the DRAM).
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "cost/evaluate.hpp"
#include "hardware/toml.hpp"
#include "workload/builder.hpp"

using namespace elaa;
using hardware::Direction;
using mapping::Loop;
using workload::Dim;
using workload::Operand;

namespace {

std::string toy_text() {
    std::ifstream in(ELAA_SOURCE_DIR "/tests/data/toy_2x2.toml");
    std::stringstream text;
    text << in.rdbuf();
    REQUIRE(!text.str().empty());
    return text.str();
}

hardware::Accelerator toy() { return hardware::parse_accelerator(toy_text(), "toy_2x2.toml"); }

// One conv layer on a c_in x h x h input.
workload::Layer conv_layer(const std::string& name, std::int64_t c_in, std::int64_t h, std::int64_t k_out,
                           const workload::Window& window) {
    workload::NetworkBuilder b("toy_net", "test", static_cast<int>(h));
    const auto x = b.input(c_in, h, h);
    b.conv(x, k_out, window, 1, false, name);
    auto net = b.finish();
    REQUIRE(net.layers.size() == 1);
    return net.layers[0];
}

using Levels = std::vector<std::vector<Loop>>;

mapping::Mapping toy_mapping(const workload::Layer& layer, const hardware::Accelerator& acc, Levels w, Levels i,
                             Levels o) {
    mapping::Mapping m;
    m.spatial = mapping::resolve_spatial(layer, acc, acc.dataflow_for(layer.kind));
    m.temporal.of(Operand::W) = std::move(w);
    m.temporal.of(Operand::I) = std::move(i);
    m.temporal.of(Operand::O) = std::move(o);
    return m;
}

// Layer a's mapping: every operand keeps OX2 OY2 at its lowest memory, nothing at DRAM.
mapping::Mapping every_tile_lowest(const workload::Layer& layer, const hardware::Accelerator& acc) {
    const Levels lowest{{{Dim::OX, 2}, {Dim::OY, 2}}, {}};
    return toy_mapping(layer, acc, lowest, lowest, lowest);
}

// Expected word accesses of one operand at one memory, per direction, and its energy.
struct Traffic {
    std::string memory;
    Operand operand;
    double to_low, from_high, from_low, to_high;
    double energy_pj;
};

void check_traffic(const cost::LayerCost& cost, const hardware::Accelerator& acc,
                   const std::vector<Traffic>& expected) {
    REQUIRE(cost.traffic.size() == expected.size());
    for (const auto& e : expected) {
        INFO(e.memory << " " << workload::to_string(e.operand));
        const cost::MemoryTraffic* found = nullptr;
        for (const auto& t : cost.traffic)
            if (acc.memories[t.memory].name == e.memory && t.operand == e.operand) found = &t;
        REQUIRE(found);
        auto words = [&](Direction d) { return found->word_accesses[static_cast<std::size_t>(d)]; };
        CHECK(words(Direction::ReadToLow) == e.to_low);
        CHECK(words(Direction::WriteFromHigh) == e.from_high);
        CHECK(words(Direction::WriteFromLow) == e.from_low);
        CHECK(words(Direction::ReadToHigh) == e.to_high);
        CHECK(found->energy_pj == Approx(e.energy_pj).epsilon(1e-12));
    }
}

struct Latency {
    double temporal, stall, onload, offload;
};

void check_latency(const cost::LayerCost& cost, const Latency& e) {
    CHECK(cost.temporal_cycles == e.temporal);
    CHECK(cost.stall_cycles == e.stall);
    CHECK(cost.onload_cycles == e.onload);
    CHECK(cost.offload_cycles == e.offload);
    CHECK(cost.latency_cycles() == e.temporal + e.stall + e.onload + e.offload);
}

}  // namespace

TEST_CASE("toy: 1x1 conv, every tile at its lowest memory, no partial sums", "[cost-toy]") {
    // Layer a: K 2, C 2, OY = OX = 2, 1x1, stride 1 on a 2x2x2 input. MACs = 2·2·2·2 = 16.
    // Spatial K2 x C2 (4 MACs, full use), temporal OX 2, OY 2: T = 4 cycles.
    // Mapping (innermost first): every operand keeps OX2 OY2 at its lowest memory, nothing at DRAM.
    const auto acc = toy();
    const auto layer = conv_layer("a", 2, 2, 2, workload::win(1, 1, 0));
    REQUIRE(layer.macs() == 16);
    const auto m = every_tile_lowest(layer, acc);
    const auto cost = cost::evaluate(layer, acc, m);

    // W (8 bit). OX, OY are irrelevant to W and innermost: one weight per MAC stays at the MAC input
    //   for 4 cycles, c = [4, 4, 4]. D_u = [1, 1, 4] (the DRAM level holds K2·C2 = 4 per instance).
    //   rf_w to_low:    1 weight, period 4 → 1 period · 1 word · 4 instances       = 4 reads
    //   rf_w from_high: D_u[1] = 1, period 4 → 1 · 1 · 4                            = 4 writes
    //   dram to_low:    1 · boost 4 = 4 weights = 32 bits → 2 words · 1 period · 1 = 2 reads
    //   energy: rf_w 4·0.1 + 4·0.2 = 1.2; dram 2·100 = 200.
    // I (8 bit). D_u = [1, 8 (C2·K-reuse·2·2 window, whole input), 8], c = [1, 4, 4].
    //   sram to_low:    1 · boost 2 = 16 bits → 1 word, 4 periods                  = 4 reads
    //   sram from_high: 8 · 8 = 64 bits → 2 words, 1 period                         = 2 writes
    //   dram to_low:    8 · 8 = 64 bits → 4 words, 1 period                         = 4 reads
    //   energy: sram 4·2 + 2·3 = 14; dram 4·100 = 400.
    // O. Only C2 (spatial, below the SRAM) reduces: no partial sum leaves the array, 8-bit outputs.
    //   D_u = [1, 8, 8], c = [1, 4, 4].
    //   sram from_low:  1 · boost 2 = 16 bits → 1 word, 4 periods                  = 4 writes
    //   sram to_high:   8 · 8 = 64 bits → 2 words, 1 period                         = 2 reads
    //   dram from_low:  64 bits → 4 words (16-bit port), 1 period                   = 4 writes
    //   energy: sram 4·3 + 2·2 = 16; dram 4·150 = 600.
    check_traffic(cost, acc,
                  {{"rf_w", Operand::W, 4, 4, 0, 0, 1.2},
                   {"dram", Operand::W, 2, 0, 0, 0, 200},
                   {"sram", Operand::I, 4, 2, 0, 0, 14},
                   {"dram", Operand::I, 4, 0, 0, 0, 400},
                   {"sram", Operand::O, 0, 0, 4, 2, 16},
                   {"dram", Operand::O, 0, 0, 4, 0, 600}});
    // MAC 16 · 0.5 = 8; memories 1.2 + 200 + 14 + 400 + 16 + 600 = 1231.2; total 1239.2 pJ.
    CHECK(cost.mac_energy_pj == 8);
    CHECK(cost.memory_energy_pj == Approx(1231.2).epsilon(1e-12));
    CHECK(cost.energy_pj() == Approx(1239.2).epsilon(1e-12));

    // Latency. T = 4; ideal = ceil(16 / 4) = 4.
    //   Stalls: every periodic flow fits its period (I to_low, O from_low: 1 word per 1-cycle
    //   period); the rest happen once → 0.
    //   On-loading (everything happens once): W: rf_w fill 1 cycle; DRAM feed 2 words, but the
    //   16-bit port has nothing periodic, spare (16 − 0)/16 · 4 = 4 cycles, so it shrinks to its
    //   floor ceil(8 bits / 16) = 1 → W = max(1, 1) = 1. I: SRAM fill 2 words (floor 2), DRAM feed
    //   4 words (floor ceil(64/16) = 4) → I = 4. On-loading = max(1, 4) = 4 (no port shared by W and I).
    //   Off-loading: SRAM to_high 2 words (floor 2), DRAM from_low 4 words (floor 4) → 4.
    //   Latency = 4 + 0 + 4 + 4 = 12.
    CHECK(cost.ideal_cycles == 4);
    check_latency(cost, {4, 0, 4, 4});
    CHECK(cost.spatial_utilisation == 1);
    CHECK(cost.temporal_utilisation == Approx(4.0 / 12.0));
    // DRAM traffic: (2 + 4 + 4) words of 16 bits.
    CHECK(cost.dram_bits == 160);

    // The reusable Evaluator (what the search calls) gives the same cost.
    const cost::Evaluator evaluator(layer, acc, m.spatial);
    const auto again = evaluator(m.temporal);
    CHECK(again.energy_pj() == cost.energy_pj());
    CHECK(again.latency_cycles() == cost.latency_cycles());
    // A latency-bounded evaluation: the full cost at a bound of the latency (12) or more, nothing
    // below it (the search skips the energy of a mapping slower than its best).
    const auto at_bound = evaluator.cost_within(m.temporal, 12);
    REQUIRE(at_bound);
    CHECK(at_bound->energy_pj() == cost.energy_pj());
    CHECK(at_bound->traffic.size() == cost.traffic.size());
    CHECK_FALSE(evaluator.cost_within(m.temporal, 11.5));
}

TEST_CASE("toy: partial sums travel between the SRAM and DRAM at psum precision", "[cost-toy]") {
    // Layer b: K 2, C 4, OY = OX = 2, 1x1 on a 4x2x2 input. MACs = 2·4·2·2 = 32.
    // Spatial K2 x C2, temporal OX 2, OY 2, C 2: T = 8.
    // Mapping (innermost first) OX2 OY2 C2:
    //   W: rf_w [OX2 OY2], dram [C2];  I: sram [OX2 OY2], dram [C2];  O: sram [OX2], dram [OY2 C2].
    // The C2 loop (irrelevant to O) iterates at the DRAM level above O's SRAM tile, with OY2 between
    // them, so the SRAM tile is evicted before its reduction ends: 16-bit partial sums go up to DRAM
    // and come back. (Were C2 directly above the SRAM tile it would merge down: the tile would
    // simply stay in the SRAM.)
    const auto acc = toy();
    const auto layer = conv_layer("b", 4, 2, 2, workload::win(1, 1, 0));
    REQUIRE(layer.macs() == 32);
    const auto m = toy_mapping(layer, acc, {{{Dim::OX, 2}, {Dim::OY, 2}}, {{Dim::C, 2}}},  // W
                               {{{Dim::OX, 2}, {Dim::OY, 2}}, {{Dim::C, 2}}},               // I
                               {{{Dim::OX, 2}}, {{Dim::OY, 2}, {Dim::C, 2}}});              // O
    const auto cost = cost::evaluate(layer, acc, m);

    // W: stationary 4 cycles at the MAC (OX OY innermost), c = [4, 4, 8], D_u = [1, 1, 8].
    //   rf_w to_low 1 word · 2 periods · 4 instances = 8; from_high 1 · 2 · 4 = 8.
    //   dram to_low 4 weights = 32 bits = 2 words · 2 periods = 4.
    //   energy: rf_w 8·0.1 + 8·0.2 = 2.4; dram 4·100 = 400.
    // I: c = [1, 4, 8], D_u = [1, 8 (C2 · 2x2), 16].
    //   sram to_low 16 bits = 1 word · 8 = 8; from_high 64 bits = 2 words · 2 periods = 4.
    //   dram to_low 64 bits = 4 words · 2 = 8.
    //   energy: sram 8·2 + 4·3 = 28; dram 8·100 = 800.
    // O: c = [1, 2, 8], D_u = [1, 4 (OX2·K2), 8]. Reduction loops above the SRAM (C2 at the DRAM)
    //   → the SRAM holds partial sums; everything moving below the DRAM is 16-bit.
    //   sram from_low: 2 psums = 32 bits = 1 word, period 1, 8 periods           = 8 writes
    //   sram to_low (read-back): same                                            = 8 reads
    //   sram to_high: 4 psums = 64 bits = 2 words, period 2, 4 periods           = 8 reads
    //   sram from_high (psums back from DRAM): same                              = 8 writes
    //   dram from_low: 4 psums · boost 1 = 64 bits = 4 words, 4 periods         = 16 writes
    //   dram to_low (psums sent back down): same                                 = 16 reads
    //   energy: sram 16·2 + 16·3 = 80; dram 16·100 + 16·150 = 4000.
    check_traffic(cost, acc,
                  {{"rf_w", Operand::W, 8, 8, 0, 0, 2.4},
                   {"dram", Operand::W, 4, 0, 0, 0, 400},
                   {"sram", Operand::I, 8, 4, 0, 0, 28},
                   {"dram", Operand::I, 8, 0, 0, 0, 800},
                   {"sram", Operand::O, 8, 8, 8, 8, 80},
                   {"dram", Operand::O, 16, 0, 16, 0, 4000}});
    // MAC 32 · 0.5 = 16; total 16 + 2.4 + 400 + 28 + 800 + 80 + 4000 = 5326.4 pJ.
    CHECK(cost.mac_energy_pj == 16);
    CHECK(cost.energy_pj() == Approx(5326.4).epsilon(1e-12));

    // Latency, T = 8.
    //   Stalls per port (allowed = period; all memories double-buffered):
    //     rf_w r: (1 − 4)·(2 − 1) = −3; rf_w w: −3; r_i: (1 − 1)·7 = 0; w_i: (2 − 4)·1 = −2;
    //     r_o: O to_low (1 word, period 1, 8 periods: 0, busy 1·7) and O to_high (2 words, period 2,
    //          4 periods: 0, busy 2·3): 0 + max(0, 0 + 13 − union 8) = 5 (the to_low window is the
    //          whole period, so the union is all 8 cycles);
    //     w_o: O from_low and O from_high likewise = 5;
    //     w_rd: (2 − 4)·1 = −2; i_rd: (4 − 4)·1 = 0;
    //     o_rw: O from_low and O to_low, each 4 words per 2-cycle period, 4 periods: (4 − 2)·3 = 6
    //           each, busy 2·3 each: 12 + max(0, 0 + 12 − 8) = 16.
    //   stall = max = 16.
    //   On-loading (nothing happens once, so nothing shrinks): W max(rf_w fill 1, DRAM 2 words) = 2;
    //   I max(SRAM fill 2, DRAM 4) = 4 → 4. Off-loading: max(SRAM to_high 2, DRAM from_low 4) = 4.
    //   Latency = 8 + 16 + 4 + 4 = 32.
    check_latency(cost, {8, 16, 4, 4});
    CHECK(cost.dram_bits == (4 + 8 + 32) * 16);

    // O: sram [OX2 OY2], dram [C2] (loop order C2 outermost, as for W and I): the C2 loop sits right
    // above the SRAM tile, so the tile stays in the SRAM across it. That is the same mapping for O as
    // sram [OX2 OY2 C2], dram [] — partial sums never leave the SRAM.
    const Levels wi{{{Dim::OX, 2}, {Dim::OY, 2}}, {{Dim::C, 2}}};
    const auto c_above =
        cost::evaluate(layer, acc, toy_mapping(layer, acc, wi, wi, {{{Dim::OX, 2}, {Dim::OY, 2}}, {{Dim::C, 2}}}));
    const auto c_inside =
        cost::evaluate(layer, acc, toy_mapping(layer, acc, wi, wi, {{{Dim::OX, 2}, {Dim::OY, 2}, {Dim::C, 2}}, {}}));
    CHECK(c_above.energy_pj() == c_inside.energy_pj());
    CHECK(c_above.latency_cycles() == c_inside.latency_cycles());
    // ... and the DRAM sees only the 8 final 8-bit outputs once: 64 bits = 4 words, 4·150 = 600 pJ.
    for (const auto& t : c_above.traffic)
        if (acc.memories[t.memory].name == "dram" && t.operand == Operand::O) {
            CHECK(t.word_accesses == std::array<double, 4>{0, 0, 4, 0});
            CHECK(t.energy_pj == 600);
        }
}

TEST_CASE("toy: strided, padded 3x3 conv; the input tile is the clipped sliding window", "[cost-toy]") {
    // Layer c: 3x3, stride 2, pad 1 on a 2x4x4 input, K 2: OY = OX = floor((4 + 2 − 3) / 2) + 1 = 2.
    // MACs = 2·2·2·2·3·3 = 144. Spatial K2 x C2, temporal FX3 FY3 OX2 OY2: T = 36.
    // Mapping (innermost first) FX3 FY3 OX2 OY2:
    //   W: rf_w [], dram [FX3 FY3 OX2 OY2];  I: sram [FX3 FY3 OX2], dram [OY2];  O: same as I.
    const auto acc = toy();
    const auto layer = conv_layer("c", 2, 4, 2, workload::win(3, 2, 1));
    REQUIRE(layer.OY == 2);
    REQUIRE(layer.macs() == 144);
    const Levels inner_outer{{{Dim::FX, 3}, {Dim::FY, 3}, {Dim::OX, 2}}, {{Dim::OY, 2}}};
    const Levels w{{}, {{Dim::FX, 3}, {Dim::FY, 3}, {Dim::OX, 2}, {Dim::OY, 2}}};
    const auto m = toy_mapping(layer, acc, w, inner_outer, inner_outer);
    const auto cost = cost::evaluate(layer, acc, m);

    // W: a new weight every cycle, c = [1, 1, 36], D_u = [1, 1, 36].
    //   rf_w to_low 1 · 36 · 4 = 144; from_high 144; dram to_low 4 weights = 2 words · 36 = 72.
    //   energy: rf_w 144·0.1 + 144·0.2 = 43.2; dram 72·100 = 7200.
    // I: the SRAM tile spans FX3 x FY3 x OX2 (x C2): rows = one output row's window = FY = 3; columns
    //   = s(OX − 1) + FX = 2·1 + 3 = 5, clipped to the real input width 4 → 2·3·4 = 24 elements.
    //   The DRAM level adds OY2: rows 2·1 + 3 = 5 → clipped to 4: 2·4·4 = 32 (the whole input).
    //   c = [1, 18, 36], D_u = [1, 24, 32].
    //   sram to_low 2 elements = 16 bits = 1 word · 36 = 36; from_high 24 · 8 = 192 bits = 6 words
    //   · 2 periods = 12; dram to_low 192 bits = 12 words · 2 = 24.
    //   energy: sram 36·2 + 12·3 = 108; dram 24·100 = 2400.
    // O: FX3 FY3 reduce inside the SRAM level: partial sums between the array and the SRAM (16 bit),
    //   final 8-bit outputs above it. c = [1, 18, 36], D_u = [1, 4, 8].
    //   sram from_low 2 psums = 32 bits = 1 word · 36 = 36 writes; to_low read-back: 36 reads;
    //   sram to_high 4 outputs = 32 bits = 1 word · 2 = 2 reads; dram from_low 32 bits = 2 words · 2 = 4.
    //   energy: sram (36 + 2)·2 + 36·3 = 184; dram 4·150 = 600.
    check_traffic(cost, acc,
                  {{"rf_w", Operand::W, 144, 144, 0, 0, 43.2},
                   {"dram", Operand::W, 72, 0, 0, 0, 7200},
                   {"sram", Operand::I, 36, 12, 0, 0, 108},
                   {"dram", Operand::I, 24, 0, 0, 0, 2400},
                   {"sram", Operand::O, 36, 0, 36, 2, 184},
                   {"dram", Operand::O, 0, 0, 4, 0, 600}});
    // MAC 144 · 0.5 = 72; total 72 + 43.2 + 7200 + 108 + 2400 + 184 + 600 = 10607.2 pJ.
    CHECK(cost.mac_energy_pj == 72);
    CHECK(cost.energy_pj() == Approx(10607.2).epsilon(1e-12));

    // Latency, T = 36.
    //   Stalls: w_rd: 2 words per 1-cycle period, 36 periods: (2 − 1)·35 = 35. Others: w_i (6 − 18)·1
    //   = −12; i_rd (12 − 18)·1 = −6; o_rw (2 − 18)·1 = −16; r_o: O to_low 0 (busy 35) and O to_high
    //   (1 − 18)·1 = −17 (busy 18): max(0, −17 + 53 − 36) = 0; the 1-cycle flows 0. stall = 35.
    //   On-loading: W max(1, 2) = 2, I max(SRAM fill 6, DRAM 12) = 12 → 12.
    //   Off-loading: max(SRAM to_high 1, DRAM from_low 2) = 2.
    //   Latency = 36 + 35 + 12 + 2 = 85.
    check_latency(cost, {36, 35, 12, 2});
    CHECK(cost.spatial_utilisation == 1);
}

TEST_CASE("toy: an unrolling that does not divide the layer is fractional for energy", "[cost-toy]") {
    // Layer d: K 2, C 3, 1x1 on a 3x1x1 input. MACs = 6. D2's C 2 does not divide C 3: ceil(3/2) = 2
    // temporal iterations of C 3/2 = 1.5 (energy); latency uses the integer 1.
    // Temporal C2, T = 2; array use 6 / (4 · 2) = 0.75.
    // Mapping: W rf_w [], dram [C2]; I and O: sram [C2], dram [].
    const auto acc = toy();
    const auto layer = conv_layer("d", 3, 1, 2, workload::win(1, 1, 0));
    REQUIRE(layer.macs() == 6);
    const auto m = toy_mapping(layer, acc, {{}, {{Dim::C, 2}}}, {{{Dim::C, 2}}, {}}, {{{Dim::C, 2}}, {}});
    REQUIRE(m.spatial.per_array_dim[1].size() == 1);
    CHECK(m.spatial.per_array_dim[1][0].factor == 1.5);
    CHECK(m.spatial.per_array_dim[1][0].factor_int == 1);
    const auto cost = cost::evaluate(layer, acc, m);

    // W: instances K2 · C1.5 = 3 registers; boost 3. c = [1, 1, 2], D_u = [1, 1, 6].
    //   rf_w to_low 1 word · 2 periods · 3 = 6; from_high 6; dram to_low 3 weights = 24 bits = 2 words
    //   · 2 periods = 4. Energy rf_w 6·0.1 + 6·0.2 = 1.8; dram 400.
    // I: boost round(1.5) = 2, one SRAM. c = [1, 2, 2], D_u = [1, 3 (C2 · C1.5), 3].
    //   sram to_low 2 elements = 16 bits = 1 word · 2 = 2; from_high 24 bits = 1 word · 1 = 1;
    //   dram to_low 24 bits = 2 words · 1 = 2. Energy sram 2·2 + 1·3 = 7; dram 200.
    // O: C reduces both spatially (1.5) and temporally (2, inside the SRAM level): 16-bit partial sums
    //   between the array and the SRAM, 8-bit outputs above. D_u = [1, 2, 2], boost 2.
    //   sram from_low 2 psums = 32 bits = 1 word · 2 = 2; to_low 2; to_high 2 outputs = 16 bits =
    //   1 word · 1 = 1; dram from_low 16 bits = 1 word. Energy sram 3·2 + 2·3 = 12; dram 150.
    check_traffic(cost, acc,
                  {{"rf_w", Operand::W, 6, 6, 0, 0, 1.8},
                   {"dram", Operand::W, 4, 0, 0, 0, 400},
                   {"sram", Operand::I, 2, 1, 0, 0, 7},
                   {"dram", Operand::I, 2, 0, 0, 0, 200},
                   {"sram", Operand::O, 2, 0, 2, 1, 12},
                   {"dram", Operand::O, 0, 0, 1, 0, 150}});
    // MAC 6 · 0.5 = 3 (the MACs of the layer, not of the 8 array slots); total 773.8 pJ.
    CHECK(cost.mac_energy_pj == 3);
    CHECK(cost.energy_pj() == Approx(773.8).epsilon(1e-12));
    CHECK(cost.temporal_cycles == 2);
    CHECK(cost.ideal_cycles == 2);  // ceil(6 / 4)
    CHECK(cost.spatial_utilisation == 0.75);
}

TEST_CASE("toy: attention's second operand is an activation and passes through the activation SRAM",
          "[cost-toy][attention]") {
    // Q.K^T of one head: 2 query rows (OX) of depth 2 (C) against 2 keys (K). MACs = 2·2·2 = 8.
    // Spatial K2 x C2, temporal OX2: T = 2. Every operand keeps OX2 at its lowest memory.
    // The second operand K^T (the W slot, K·C = 4 elements) is produced by the previous layer, so it
    // comes from DRAM through the SRAM that holds activations (on I's ports) into the per-MAC
    // register: three W levels, rf_w, sram, dram (docs/cost-model.md).
    const auto acc = toy();
    workload::NetworkBuilder b("toy_attention", "test", 2);
    b.matmul(1, 2, 2, 2, "q_kt");
    b.linear(workload::Tensor{2, 1, 2}, 2, false, "proj");  // the same shape with a weight matrix
    const auto net = b.finish();
    const auto& attention = net.layers[0];
    const auto& projection = net.layers[1];
    REQUIRE(attention.macs() == 8);
    CHECK(attention.weight_count() == 0);
    CHECK(projection.weight_count() == 4);
    const Levels ox2 = {{{Dim::OX, 2}}, {}};
    const auto m = toy_mapping(attention, acc, {{{Dim::OX, 2}}, {}, {}}, ox2, ox2);
    const auto cost = cost::evaluate(attention, acc, m);

    // W (8 bit). OX is irrelevant to it and innermost: c = [2, 2, 2, 2]; D_u = [1, 1, 4, 4]
    //   (K2 C2 unrolled below the SRAM, which serves the whole array: boost 4 at the SRAM).
    //   rf_w to_low 1 word · 1 period · 4 instances = 4; from_high 4.
    //   sram to_low 1 · 4 = 32 bits → 1 word · 1 period = 1; from_high 4 · 8 = 32 bits → 1 word = 1.
    //   dram to_low 32 bits → 2 words (16-bit port) = 2.
    //   Energy rf_w 4·0.1 + 4·0.2 = 1.2; sram 2 + 3 = 5; dram 200.
    // I (Q, OX2 · C2 = 4 elements): D_u = [1, 4, 4], c = [1, 2, 2], boost 2 (C2; K2 is reuse).
    //   sram to_low 16 bits → 1 word · 2 periods = 2; from_high 32 bits → 1 word = 1; dram 2 words.
    //   Energy sram 2·2 + 3 = 7; dram 200.
    // O (OX2 · K2 = 4): only the spatial C2 reduces, 8-bit outputs. D_u = [1, 4, 4], c = [1, 2, 2].
    //   sram from_low 16 bits → 1 word · 2 = 2; to_high 32 bits → 1 word = 1; dram from_low 2 words.
    //   Energy sram 2·3 + 2 = 8; dram 300.
    check_traffic(cost, acc,
                  {{"rf_w", Operand::W, 4, 4, 0, 0, 1.2},
                   {"sram", Operand::W, 1, 1, 0, 0, 5},
                   {"dram", Operand::W, 2, 0, 0, 0, 200},
                   {"sram", Operand::I, 2, 1, 0, 0, 7},
                   {"dram", Operand::I, 2, 0, 0, 0, 200},
                   {"sram", Operand::O, 0, 0, 2, 1, 8},
                   {"dram", Operand::O, 0, 0, 2, 0, 300}});
    // MAC 8 · 0.5 = 4; memories 1.2 + 5 + 200 + 7 + 200 + 8 + 300 = 721.2; total 725.2 pJ.
    CHECK(cost.mac_energy_pj == 4);
    CHECK(cost.energy_pj() == Approx(725.2).epsilon(1e-12));

    // The weight-matrix twin: W goes from DRAM straight into the registers (two levels), I and O
    // are unchanged. Total 725.2 − 5 = 720.2 pJ.
    const auto mp = toy_mapping(projection, acc, {{{Dim::OX, 2}}, {}}, ox2, ox2);
    const auto weighted = cost::evaluate(projection, acc, mp);
    check_traffic(weighted, acc,
                  {{"rf_w", Operand::W, 4, 4, 0, 0, 1.2},
                   {"dram", Operand::W, 2, 0, 0, 0, 200},
                   {"sram", Operand::I, 2, 1, 0, 0, 7},
                   {"dram", Operand::I, 2, 0, 0, 0, 200},
                   {"sram", Operand::O, 0, 0, 2, 1, 8},
                   {"dram", Operand::O, 0, 0, 2, 0, 300}});
    CHECK(weighted.energy_pj() == Approx(720.2).epsilon(1e-12));
    // A mapping written for the weight hierarchy does not fit the activation one.
    CHECK_THROWS_AS(cost::evaluate(attention, acc, mp), cost::MappingError);
}

TEST_CASE("toy: vector operators read and write each element once", "[cost-toy][attention]") {
    // Softmax over a 2 x 2 score tensor (2 features G at 2 positions OY): 4 elements, one operation
    // each, no W operand. D1 and D2 unroll K and C, both 1 here, so one MAC unit works: T = 4, with
    // G2 OY2 at the SRAM.
    const auto acc = toy();
    workload::NetworkBuilder b("toy_softmax", "test", 2);
    b.softmax(workload::Tensor{2, 2, 1}, "softmax");
    const auto layer = b.finish().layers.at(0);
    REQUIRE(layer.ops() == 4);
    CHECK_FALSE(layer.has_operand(Operand::W));
    mapping::Mapping m;
    m.spatial = mapping::resolve_spatial(layer, acc, acc.dataflow_for(layer.kind));
    m.temporal.of(Operand::I) = {{{Dim::G, 2}, {Dim::OY, 2}}, {}};
    m.temporal.of(Operand::O) = {{{Dim::G, 2}, {Dim::OY, 2}}, {}};
    const auto cost = cost::evaluate(layer, acc, m);
    // I: D_u = [1, 4, 4], c = [1, 4, 4], boost 1. sram to_low 8 bits → 1 word · 4 periods = 4;
    //   from_high 32 bits → 1 word = 1; dram 32 bits → 2 words. Energy sram 4·2 + 3 = 11; dram 200.
    // O: D_u = [1, 4, 4]. sram from_low 1 word · 4 = 4; to_high 1; dram from_low 2 words.
    //   Energy sram 4·3 + 2 = 14; dram 300.
    check_traffic(cost, acc,
                  {{"sram", Operand::I, 4, 1, 0, 0, 11},
                   {"dram", Operand::I, 2, 0, 0, 0, 200},
                   {"sram", Operand::O, 0, 0, 4, 1, 14},
                   {"dram", Operand::O, 0, 0, 2, 0, 300}});
    // One operation per element at the MAC energy: 4 · 0.5 = 2; total 527 pJ.
    CHECK(cost.mac_energy_pj == 2);
    CHECK(cost.energy_pj() == Approx(527).epsilon(1e-12));
}

TEST_CASE("toy: mappings that do not fit the layer or the memories are rejected", "[cost-toy]") {
    using Catch::Matchers::Contains;
    const auto acc = toy();
    const auto a = conv_layer("a", 2, 2, 2, workload::win(1, 1, 0));
    const Levels full{{{Dim::OX, 2}, {Dim::OY, 2}}, {}};

    // O's loops lack OY 2: the product of its OY loops is 1, the layer needs 2.
    const auto missing = toy_mapping(a, acc, full, full, {{{Dim::OX, 2}}, {}});
    CHECK_THROWS_AS(cost::check_mapping(a, acc, missing), cost::MappingError);
    CHECK_THROWS_WITH(cost::evaluate(a, acc, missing), Contains("OY") && Contains("layer 'a'"));
    // One loop too many (OX 4 instead of 2).
    const auto extra = toy_mapping(a, acc, {{{Dim::OX, 4}, {Dim::OY, 2}}, {}}, full, full);
    CHECK_THROWS_WITH(cost::check_mapping(a, acc, extra), Contains("OX") && Contains("multiply to 4"));
    // A level missing for W (the toy has two memories for W).
    const auto short_w = toy_mapping(a, acc, {{{Dim::OX, 2}, {Dim::OY, 2}}}, full, full);
    CHECK_THROWS_WITH(cost::check_mapping(a, acc, short_w), Contains("operand W") && Contains("1 memory levels"));

    // Layer c with FX3 kept in rf_w: 3 weights = 24 bits in a 16-bit register.
    const auto c = conv_layer("c", 2, 4, 2, workload::win(3, 2, 1));
    const Levels io{{{Dim::FX, 3}, {Dim::FY, 3}, {Dim::OX, 2}}, {{Dim::OY, 2}}};
    const auto too_big = toy_mapping(c, acc, {{{Dim::FX, 3}}, {{Dim::FY, 3}, {Dim::OX, 2}, {Dim::OY, 2}}}, io, io);
    CHECK_NOTHROW(cost::check_mapping(c, acc, too_big));
    CHECK_THROWS_AS(cost::evaluate(c, acc, too_big), cost::MappingError);
    CHECK_THROWS_WITH(cost::evaluate(c, acc, too_big), Contains("'rf_w'") && Contains("24 bits"));
}

TEST_CASE("toy: zero gating and run-length coding of a sparse layer", "[cost-toy][sparsity]") {
    // Layer a of the first toy case (16 MACs, same mapping) on the toy with
    //   [sparsity] gate_zero_inputs = true, rlc_run_bits = 5, rlc_word_bits = 64
    // and densities input = output = 0.25.
    // RLC of 8-bit values: a (5-bit run, 8-bit value) pair is 13 bits; floor(64 / 13) = 4 pairs per
    // 64-bit word, so 16 bits per pair. Pairs per value at density d: d / (1 - (1 - d)^32) (a run of
    // 32 zeros needs a pair of its own) = 0.25 / (1 - 0.75^32) = 0.2500251; coded bits per value
    // 0.2500251 * 16 = 4.0004 of 8: fraction 0.5000502.
    auto acc = hardware::parse_accelerator(
        toy_text() + "\n[sparsity]\ngate_zero_inputs = true\nrlc_run_bits = 5\nrlc_word_bits = 64\n", "toy_sparse.toml");
    auto layer = conv_layer("a", 2, 2, 2, workload::win(1, 1, 0));
    layer.input_density = layer.output_density = 0.25;
    CHECK(hardware::rlc_fraction(acc.sparsity, 0.25, 8) == Approx(0.5000502312587121).epsilon(1e-12));
    const auto m = every_tile_lowest(layer, acc);
    const auto cost = cost::evaluate(layer, acc, m);
    // Against the dense derivation (first toy case):
    //   gating (innermost level, energy only): W rf_w to_low 4 -> 4 * 0.25 = 1; the output's lowest
    //   level is the SRAM: O from_low 4 -> 1 (no partial-sum read-back here). The input's own reads
    //   stay (the zero is detected after reading it), every fill stays.
    //   RLC (DRAM link only): I dram to_low 4 words -> trunc(4 * 0.50005) = 2; O dram from_low (final
    //   8-bit outputs) 4 -> 2. Weights are not activations: W dram to_low stays 2.
    //   energy: rf_w 1*0.1 + 4*0.2 = 0.9; dram W 200; sram I 4*2 + 2*3 = 14; dram I 2*100 = 200;
    //   sram O 1*3 + 2*2 = 7; dram O 2*150 = 300.
    check_traffic(cost, acc,
                  {{"rf_w", Operand::W, 1, 4, 0, 0, 0.9},
                   {"dram", Operand::W, 2, 0, 0, 0, 200},
                   {"sram", Operand::I, 4, 2, 0, 0, 14},
                   {"dram", Operand::I, 2, 0, 0, 0, 200},
                   {"sram", Operand::O, 0, 0, 1, 2, 7},
                   {"dram", Operand::O, 0, 0, 2, 0, 300}});
    // MAC: 16 * 0.5 pJ * 0.25 = 2 pJ.
    CHECK(cost.mac_energy_pj == 2);
    CHECK(cost.memory_energy_pj == Approx(721.9).epsilon(1e-12));
    CHECK(cost.dram_bits == (2 + 2 + 2) * 16);
    // Latency: gating spends the cycles. The coded transfers are shorter: I's DRAM feed is
    // ceil(64 bits * 0.50005 / 16) = 3 words (floor the same), so on-loading = max(W 1, I max(2, 3))
    // = 3; off-loading = max(SRAM to_high 2, DRAM from_low 3) = 3. Latency = 4 + 0 + 3 + 3.
    check_latency(cost, {4, 0, 3, 3});

    // Dense densities on the same accelerator give the dense figures exactly (1239.2 pJ, 12 cycles).
    layer.input_density = layer.output_density = 1;
    const auto dense = cost::evaluate(layer, acc, m);
    CHECK(dense.energy_pj() == Approx(1239.2).epsilon(1e-12));
    CHECK(dense.latency_cycles() == 12);
}

TEST_CASE("toy: a DRAM on its own clock takes core cycles in the clock ratio", "[cost-toy]") {
    // Layer a on the toy whose DRAM runs at 50 MHz against the 100 MHz core: each DRAM port cycle
    // is 2 core cycles, and its spare bandwidth is 16 bits per 2 core cycles.
    std::string text = toy_text();
    const auto at = text.find("name = \"dram\"");
    REQUIRE(at != std::string::npos);
    text.insert(text.find('\n', at) + 1, "clock_mhz = 50\n");
    const auto acc = hardware::parse_accelerator(text, "toy_clock.toml");
    const auto layer = conv_layer("a", 2, 2, 2, workload::win(1, 1, 0));
    const auto m = every_tile_lowest(layer, acc);
    const auto cost = cost::evaluate(layer, acc, m);
    CHECK(cost.energy_pj() == Approx(1239.2).epsilon(1e-12));  // energy does not depend on the clock
    // On-loading: W's DRAM feed, 2 words = 4 core cycles, floor ceil(8/16) * 2 = 2, spare
    // (8 - 0) / 8 * 4 = 4 cycles: down to 2; W = max(rf_w fill 1, 2) = 2. I's feed 4 words = 8
    // core cycles, floor ceil(64/16) * 2 = 8; I = max(SRAM fill 2, 8) = 8. On-loading 8.
    // Off-loading: DRAM from_low 4 words = 8 (floor 8); max(SRAM to_high 2, 8) = 8.
    check_latency(cost, {4, 0, 8, 8});
}

TEST_CASE("toy: a sliding-window input memory fetches only the new columns", "[cost-toy]") {
    // A 1-D convolution: K 2, C 2 on a 2 x 1 x 6 input, 1 x 3 kernel, stride 1, no padding: OX 4,
    // FX 3, 48 MACs. Spatial K2 x C2 below the SRAM; temporal FX3 (innermost), OX4: T = 12.
    // I: sram [FX3], dram [OX4]. The SRAM tile is C2 x 3 columns = 6 inputs (48 bits).
    //   Without sliding: sram from_high ceil(48/32) = 2 words x 4 periods = 8 writes; dram to_low
    //   48/16 = 3 words x 4 = 12 reads; sram to_low 1 word (C2 x 8 bits) x 12 periods = 12 reads.
    //   With sliding_window on the SRAM: the loop above the tile is OX4; a step of one output moves the
    //   3-column window by the stride, 1 new column of 3. The first of the 4 steps fetches the whole
    //   tile: (1 + 3 * 1/3) / 4 = 1/2 of the fills: 8 -> 4 writes, 12 -> 6 DRAM reads. The MAC-side
    //   reads (12) do not change.
    workload::NetworkBuilder b("toy_1d", "test", 6);
    workload::Window window;
    window.kw = 3;
    b.conv(b.input(2, 1, 6), 2, window, 1, false, "row");
    const auto layer = b.finish().layers.at(0);
    REQUIRE(layer.macs() == 48);
    REQUIRE(layer.OX == 4);
    const Levels i{{{Dim::FX, 3}}, {{Dim::OX, 4}}};
    const Levels w{{}, {{Dim::FX, 3}, {Dim::OX, 4}}};
    const Levels o{{{Dim::FX, 3}, {Dim::OX, 4}}, {}};
    auto input_traffic = [&](bool sliding) {
        std::string text = toy_text();
        if (sliding) text.insert(text.find("served_dimensions = [\"D1\", \"D2\"]"), "sliding_window = true\n");
        const auto acc = hardware::parse_accelerator(text, "toy_slide.toml");
        CHECK(acc.memories[1].sliding_window == sliding);
        return cost::evaluate(layer, acc, toy_mapping(layer, acc, w, i, o));
    };
    const auto plain = input_traffic(false), sliding = input_traffic(true);
    auto words = [](const cost::LayerCost& c, std::size_t memory, Direction d) {
        for (const auto& t : c.traffic)
            if (t.memory == memory && t.operand == Operand::I) return t.word_accesses[static_cast<std::size_t>(d)];
        return -1.0;
    };
    CHECK(words(plain, 1, Direction::WriteFromHigh) == 8);
    CHECK(words(plain, 2, Direction::ReadToLow) == 12);
    CHECK(words(plain, 1, Direction::ReadToLow) == 12);
    CHECK(words(sliding, 1, Direction::WriteFromHigh) == 4);
    CHECK(words(sliding, 2, Direction::ReadToLow) == 6);
    CHECK(words(sliding, 1, Direction::ReadToLow) == 12);
    // 4 SRAM writes (3 pJ) and 6 DRAM reads (100 pJ) fewer.
    CHECK(plain.memory_energy_pj - sliding.memory_energy_pj == Approx(4 * 3 + 6 * 100).epsilon(1e-12));
}
