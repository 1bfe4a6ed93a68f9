// insights.md: the statistics on hand-checkable data, and claims that follow synthetic data when it
// is perturbed (no assessment run here: records are built directly).
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cmath>
#include <set>

#include "assess/insights.hpp"
#include "assess/stats.hpp"
#include "util/error.hpp"
#include "workload/zoo/zoo.hpp"

using namespace elaa::assess;
using Catch::Matchers::Contains;

// ------------------------------------------------------------------------------------------------
// (a) Statistics.

TEST_CASE("ranks share the mean rank among ties", "[insights]") {
    CHECK(stats::ranks({10, 20, 20, 30}) == std::vector<double>{1, 2.5, 2.5, 4});
    CHECK(stats::ranks({5, 5, 5}) == std::vector<double>{2, 2, 2});
    CHECK(stats::ranks({3, 1, 2}) == std::vector<double>{3, 1, 2});
}

TEST_CASE("Spearman of a known pair: rho, exact p, t-approximation p and Fisher-z interval", "[insights]") {
    // y swaps two adjacent pairs of x: sum d^2 = 4, rho = 1 - 6*4 / (5*(25-1)) = 0.8.
    const std::vector<double> x{1, 2, 3, 4, 5}, y{2, 1, 4, 3, 5};
    const auto c = stats::spearman(x, y);
    CHECK(c.n == 5);
    CHECK(c.rho == Approx(0.8));
    // Exact (n = 5 <= 8): of the 120 orderings, 8 have sum d^2 <= 4 (identity, 4 adjacent swaps, 3 pairs of
    // disjoint adjacent swaps) and 8 mirror them at rho <= -0.8: p = 16/120 (tables: one-sided 0.067).
    CHECK(c.method == stats::PMethod::ExactPermutation);
    CHECK(c.p_value == Approx(16.0 / 120));
    CHECK(c.min_attainable_p == Approx(2.0 / 120));
    // t = 0.8 sqrt(3 / 0.36) = 2.3094 with 3 degrees of freedom; the t(3) CDF in closed form,
    // F(t) = 1/2 + (a/(1+a^2) + atan a)/pi with a = t/sqrt 3, gives p = 2 (1 - F) = 0.104088.
    CHECK(stats::spearman_t_p_value(0.8, 5) == Approx(0.104088).epsilon(1e-5));
    // Fisher z: atanh(0.8) -+ 1.96 * 1.06 / sqrt(2), back through tanh.
    CHECK(c.ci_low == Approx(-0.354382).epsilon(1e-5));
    CHECK(c.ci_high == Approx(0.988299).epsilon(1e-5));
}

TEST_CASE("Spearman: sign, perfect relations, ties and undefined cases", "[insights]") {
    const std::vector<double> x{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    std::vector<double> falling(x.rbegin(), x.rend());
    const auto perfect = stats::spearman(x, falling);
    CHECK(perfect.rho == Approx(-1));
    CHECK(perfect.method == stats::PMethod::TApproximation);  // n = 10 > 8
    CHECK(perfect.p_value == 0);
    // A constant vector has no ranks to relate.
    const auto flat = stats::spearman(x, std::vector<double>(10, 3.0));
    CHECK_FALSE(flat.defined());
    CHECK(std::isnan(flat.p_value));
    // One of four points set apart (a binary trait): only 4 distinct arrangements of y's ranks exist,
    // so no arrangement reaches p < 0.5.
    const auto binary = stats::spearman({0, 0, 0, 1}, {1, 2, 3, 4});
    CHECK(binary.min_attainable_p == Approx(0.5));
    CHECK(binary.p_value == Approx(0.5));
}

TEST_CASE("Mann-Whitney U on small known samples", "[insights]") {
    // Complete separation, 3 + 3: U = 0; 2 of the C(6,3) = 20 splits are as extreme.
    auto t = stats::mann_whitney({1, 2, 3}, {4, 5, 6});
    CHECK(t.u == 0);
    CHECK(t.method == stats::PMethod::ExactPermutation);
    CHECK(t.p_value == Approx(2.0 / 20));
    // 4 + 4: 2 of 70.
    CHECK(stats::mann_whitney({1, 2, 3, 4}, {5, 6, 7, 8}).p_value == Approx(2.0 / 70));
    CHECK(stats::mann_whitney({5, 6, 7, 8}, {1, 2, 3, 4}).u == 16);
    // Ties: pooled ranks 1, 3, 3, 3, 5, 6; a's rank sum is 7, U = 7 - 6 = 1. Of the 20 splits, rank sums
    // <= 7 (3 splits: 1 with two of the 3s) or >= 14 (3 splits: 3, 5, 6) are as far from 10.5: p = 6/20.
    t = stats::mann_whitney({1, 2, 2}, {2, 3, 4});
    CHECK(t.u == 1);
    CHECK(t.p_value == Approx(6.0 / 20));
    // Large samples use the normal approximation: evens vs odds of 0..399, U = 0+1+...+199 = 19900,
    // sigma = sqrt(200*200*401/12), z = (20000 - 19900 - 0.5) / sigma, p = 2 (1 - Phi(z)) = 0.931417.
    std::vector<double> evens, odds;
    for (int i = 0; i < 200; ++i) {
        evens.push_back(2 * i);
        odds.push_back(2 * i + 1);
    }
    t = stats::mann_whitney(evens, odds);
    CHECK(t.method == stats::PMethod::NormalApproximation);
    CHECK(t.u == 19900);
    CHECK(t.p_value == Approx(0.931417).epsilon(1e-5));
}

TEST_CASE("Holm's adjustment", "[insights]") {
    // Sorted 0.01, 0.03, 0.04 times 3, 2, 1 = 0.03, 0.06, 0.04 -> monotone 0.03, 0.06, 0.06.
    const auto adjusted = stats::holm_adjust({0.01, 0.04, 0.03});
    CHECK(adjusted[0] == Approx(0.03));
    CHECK(adjusted[1] == Approx(0.06));
    CHECK(adjusted[2] == Approx(0.06));
    const auto with_undefined = stats::holm_adjust({0.01, NAN});
    CHECK(with_undefined[0] == Approx(0.01));  // a family of one
    CHECK(std::isnan(with_undefined[1]));
}

// ------------------------------------------------------------------------------------------------
// Synthetic records.

namespace {

struct Synthetic {
    std::vector<PairRecord> records;
    std::vector<AcceleratorTraits> traits;
};

AcceleratorTraits traits_of(const std::string& name, double units, double aspect) {
    AcceleratorTraits t;
    t.name = name;
    t.array_dims = "x";
    t.mac_units = units;
    t.array_aspect = aspect;
    t.onchip_bits_per_mac = 1000 * aspect;
    t.dram_bits_per_cycle = 64;
    t.depthwise_mac_share = 1 / units;
    return t;
}

// `compact` + `classic` networks on accelerators alpha, beta, gamma. energy(n, a, is_compact) gives
// each pair's energy; latency follows energy so both objectives agree.
template <typename EnergyFn>
Synthetic synthetic(int compact, int classic, EnergyFn energy) {
    Synthetic s;
    s.traits = {traits_of("alpha", 256, 1), traits_of("beta", 1024, 2), traits_of("gamma", 4096, 4)};
    for (int n = 0; n < compact + classic; ++n) {
        const bool is_compact = n < compact;
        for (int a = 0; a < 3; ++a) {
            PairRecord r;
            r.network = fmt::format("{}{}", is_compact ? "c" : "k", n);
            r.accelerator = s.traits[a].name;
            r.network_class = is_compact ? kCompactClass : kClassicClass;
            r.energy_uj = energy(n, a, is_compact);
            r.latency_s = r.energy_uj * 1e-6;
            r.top1 = 60 + n;
            r.macs = 1e6 * (1 + n);
            r.weights = 1e5 * (1 + n % 5);
            r.activation_elements = 1e4 * (1 + n % 3);
            r.depthwise_share = is_compact ? 0.1 * (1 + n) : 0;
            r.spatial_utilisation = 0.5;
            s.records.push_back(r);
        }
    }
    return s;
}

// Energy cheapest on `compact_winner` for compact networks and on `classic_winner` for classic ones;
// the other accelerators in between. Scaled per network so that values differ across networks.
Synthetic class_split(int compact_winner, int classic_winner) {
    return synthetic(6, 10, [=](int n, int a, bool is_compact) {
        const int winner = is_compact ? compact_winner : classic_winner;
        const int loser = 3 - compact_winner - classic_winner;  // the accelerator that never wins
        const double rank = a == winner ? 1 : a == loser ? 2 : 3;
        return 100.0 * (1 + n) * rank;
    });
}

std::string section(const std::string& md, const std::string& heading, const std::string& next) {
    const auto start = md.find(heading);
    REQUIRE(start != std::string::npos);
    const auto end = md.find(next, start + heading.size());
    return md.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

}  // namespace

// ------------------------------------------------------------------------------------------------
// (b) Claims follow the data.

TEST_CASE("the accelerator cheapest on compact networks is named, and swaps with the data", "[insights]") {
    // alpha (0) cheapest on compact networks, gamma (2) on classic ones.
    const auto s = class_split(0, 2);
    const auto energy = section(insights_markdown(s.records, s.traits), "### By energy", "### By latency");
    CHECK_THAT(energy, Contains("Lowest energy on compact networks: alpha on 6 of 6."));
    CHECK_THAT(energy, Contains("On classic networks: gamma on 10 of 10."));
    CHECK_THAT(energy, Contains("- **alpha** ranks better on compact networks than on classic ones (mean energy rank 1.00 vs 3.00"));
    CHECK_THAT(energy, Contains("- **gamma** ranks better on classic networks than on compact ones (mean energy rank 1.00 vs 3.00"));
    // alpha: U = 0 for 6 + 10 networks, two of the C(16, 6) = 8008 splits as extreme.
    CHECK_THAT(energy, Contains("Mann–Whitney U = 0.0, n = 6 + 10, exact p < 0.001"));
    CHECK_THAT(energy, !Contains("**beta**"));  // 2nd everywhere: same rank on both classes

    // Swapped energies: the sentences name the other accelerators.
    const auto swapped = class_split(2, 0);
    const auto energy_swapped = section(insights_markdown(swapped.records, swapped.traits), "### By energy", "### By latency");
    CHECK_THAT(energy_swapped, Contains("Lowest energy on compact networks: gamma on 6 of 6."));
    CHECK_THAT(energy_swapped, Contains("- **gamma** ranks better on compact networks than on classic ones"));
    CHECK_THAT(energy_swapped, Contains("- **alpha** ranks better on classic networks than on compact ones"));
    CHECK_THAT(energy_swapped, !Contains("- **alpha** ranks better on compact"));
}

TEST_CASE("a flat relation between class and rank gives no evidence", "[insights]") {
    // Cyclic energies: over each class every accelerator takes every rank equally often.
    const auto s = synthetic(6, 6, [](int n, int a, bool) { return 100.0 * (1 + (n + a) % 3); });
    const auto md = insights_markdown(s.records, s.traits);
    CHECK_THAT(md, Contains("No evidence that any accelerator's energy rank differs between compact and classic networks "
                            "(smallest p: alpha, exact p = 1.000)."));
    CHECK_THAT(md, !Contains("ranks better on"));
}

TEST_CASE("trait relations over few accelerators say when no ordering could be significant", "[insights]") {
    // With 3 accelerators the exact Spearman p is at least 2/6: never evidence, and the text says so.
    const auto s = class_split(0, 2);
    const auto energy = section(insights_markdown(s.records, s.traits), "### By energy", "### By latency");
    CHECK_THAT(energy, Contains("- MAC units: no evidence (ρ = -1.00, CI n/a, n = 3, exact p = 0.333); with these ties "
                                "no ordering of the accelerators could reach p < 0.05 (smallest attainable p = 0.333)."));
    CHECK_THAT(energy, Contains("- DRAM bits per cycle: untestable, the same on every accelerator (64)."));
}

TEST_CASE("per-accelerator drivers: a monotone relation is evidence, a scrambled one is not", "[insights]") {
    // 16 networks: on alpha energy per MAC rises with depthwise share; on beta it is scrambled.
    const std::vector<double> scramble{5, 12, 1, 9, 14, 3, 16, 7, 2, 11, 13, 6, 10, 4, 15, 8};
    auto s = synthetic(16, 0, [&](int n, int a, bool) {
        const double per_mac = a == 0 ? 1 + n : a == 1 ? scramble[n] : 3;
        return per_mac * 1e6 * (1 + n) * 1e-6;  // energy_uj = pJ/MAC * MACs * 1e-6
    });
    std::vector<double> share, scrambled;
    for (int n = 0; n < 16; ++n) {
        share.push_back(0.1 * (1 + n));
        scrambled.push_back(scramble[n]);
    }
    const auto precondition = stats::spearman(share, scrambled);
    REQUIRE(precondition.p_value > 0.05);
    const auto md = insights_markdown(s.records, s.traits);
    CHECK_THAT(md, Contains("- Energy per MAC vs depthwise share: higher with a larger depthwise share on alpha (ρ = +1.00, "
                            "p < 0.001); no evidence on beta (ρ = " +
                                fmt::format("{:+.2f}, p = {:.3f})", precondition.rho, precondition.p_value)));
    CHECK_THAT(md, Contains("undefined (a constant) on gamma"));
    // One class only: the class comparison is not attempted.
    CHECK_THAT(md, Contains("Not analysed: it needs both classes, and there are 16 compact and 0 classic networks."));
}

// ------------------------------------------------------------------------------------------------
// (c) Fronts and best accelerators follow the data.

TEST_CASE("the energy-top-1 front lists the non-dominated networks in order of energy", "[insights]") {
    // On alpha: k0 (1 µJ, 60 %), k1 (2, 70), k2 (3, 65: dominated by k1), k3 (4, 80).
    const std::vector<std::pair<double, double>> alpha{{1, 60}, {2, 70}, {3, 65}, {4, 80}};
    auto s = synthetic(0, 4, [&](int n, int a, bool) { return a == 0 ? alpha[n].first : 10.0 * (1 + a) * (1 + n); });
    auto top1 = [&](Synthetic& data, int network, double value) {
        for (auto& r : data.records)
            if (r.network == fmt::format("k{}", network)) r.top1 = value;
    };
    for (int n = 0; n < 4; ++n) top1(s, n, alpha[n].second);
    CHECK_THAT(insights_markdown(s.records, s.traits),
               Contains("- **alpha** (3 of 4 networks): k0 (1.00, 60.0) → k1 (2.00, 70.0) → k3 (4.00, 80.0)\n"));
    top1(s, 2, 75);  // k2 now beats k1 on top-1 at more energy: on the front
    CHECK_THAT(insights_markdown(s.records, s.traits),
               Contains("- **alpha** (4 of 4 networks): k0 (1.00, 60.0) → k1 (2.00, 70.0) → k2 (3.00, 75.0) → k3 (4.00, 80.0)\n"));
}

TEST_CASE("best accelerator per network with its margin to the runner-up", "[insights]") {
    // Energies 100, 150, 102 on alpha, beta, gamma for every network: alpha wins by 2 % over gamma;
    // latency follows energy.
    auto s = synthetic(0, 2, [](int, int a, bool) { return a == 0 ? 100.0 : a == 1 ? 150.0 : 102.0; });
    auto md = insights_markdown(s.records, s.traits);
    CHECK_THAT(md, Contains("| k0 | classic | alpha (+2.0 %) | alpha (+2.0 %) |"));
    CHECK_THAT(md, Contains("- energy (2 networks, 0 near ties): alpha 2; never: beta, gamma\n"));
    // gamma 100.5: a near tie, now marked.
    for (auto& r : s.records)
        if (r.accelerator == "gamma") r.energy_uj = 100.5;
    md = insights_markdown(s.records, s.traits);
    CHECK_THAT(md, Contains("| k0 | classic | alpha (≈ 0.5 %) |"));
    CHECK_THAT(md, Contains("- energy (2 networks, 2 near ties): alpha 2; never: beta, gamma\n"));
}

TEST_CASE("insights are deterministic and refuse an incomplete grid", "[insights]") {
    auto s = class_split(0, 2);
    CHECK(insights_markdown(s.records, s.traits) == insights_markdown(s.records, s.traits));
    s.records.pop_back();
    CHECK_THROWS_AS(insights_markdown(s.records, s.traits), elaa::InputError);
}

TEST_CASE("network classes of the 34-network suite", "[insights]") {
    // The suite's mobile-budget designs: the four MobileNets and NASNet-A mobile (NASNet_small).
    const std::set<std::string> compact{"suite/MobileNet_v1", "suite/MobileNet_v2", "suite/MobileNet_v3_large",
                                        "suite/MobileNet_v3_small", "suite/NASNet_small"};
    std::size_t suite = 0;
    for (const auto& e : elaa::workload::Zoo::instance().entries()) {
        if (e.name.rfind("suite/", 0) != 0) continue;
        ++suite;
        INFO(e.name);
        CHECK(classify_network(e.name, e.family) == (compact.count(e.name) ? kCompactClass : kClassicClass));
    }
    CHECK(suite == 34);
    CHECK(classify_network("efficientnet_b7", "efficientnet") == std::string(kCompactClass));
    CHECK(classify_network("mnasnet_a1_1.0_224", "mnasnet_a1") == std::string(kCompactClass));
    CHECK(classify_network("regnet_x_400mf", "regnet") == std::string(kClassicClass));
}

TEST_CASE("transformers against CNNs: separated utilisations are a finding, the section needs both", "[insights]") {
    // 4 "compact" networks are made transformers (attention MACs) with utilisation 0.9 + 0.01 n on
    // every accelerator; the 12 others utilise 0.3 + 0.01 n (medians 0.915 and 0.395). Energies are those of class_split.
    auto s = class_split(0, 1);
    for (auto& r : s.records) {
        const int n = std::stoi(r.network.substr(1));
        r.transformer = n < 4;
        r.spatial_utilisation = r.transformer ? 0.9 + 0.01 * n : 0.3 + 0.01 * n;
        r.attention_mac_share = r.transformer ? 0.04 : 0;
        r.attention_energy_share = r.transformer ? 0.10 : 0;
        r.vector_energy_share = r.transformer ? 0.15 : 0;
    }
    const auto md = insights_markdown(s.records, s.traits);
    const auto part = section(md, "## 5. Transformers against CNNs", "\n## ");
    CHECK_THAT(part, Contains("4 transformers (c0, c1, c2, c3) against 12 CNNs"));
    // Complete separation, 4 + 12: U = 48, exact p = 2 / C(16, 4) = 2 / 1820 = 0.0011 on each of the
    // three accelerators; Holm multiplies the smallest by 3: 0.0033.
    CHECK_THAT(part, Contains("| alpha | 0.915 | 0.395 | 48.0 | 0.001 | 0.003 |"));
    CHECK_THAT(part, Contains("- **gamma**: transformers have a higher spatial utilisation than CNNs (median 0.915 vs 0.395"));
    CHECK_THAT(part, Contains("| beta | 4.0 % | 10.0 % | 15.0 % |"));
    CHECK_THAT(part, Contains("Over all 12 transformer pairs, attention carries a median 4.0 % of the MACs and 10.0 % of the energy"));

    // One transformer is not enough for a comparison: no section, and the rest of the text unchanged.
    for (auto& r : s.records) r.transformer = r.network == "c0";
    const auto without = insights_markdown(s.records, s.traits);
    CHECK(without.find("## 5.") == std::string::npos);
}
