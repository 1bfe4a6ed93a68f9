#include "assess/insights.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>

#include "assess/pareto.hpp"
#include "assess/stats.hpp"
#include "report/assess_report.hpp"
#include "util/error.hpp"

namespace elaa::assess {

namespace {

// A relation is called evidence when its two-sided p-value is below this.
constexpr double kAlpha = 0.05;
// A best accelerator ahead of the runner-up by less than this fraction is flagged as a near tie.
constexpr double kNearTie = 0.01;

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

bool contains(const std::string& text, const char* token) { return text.find(token) != std::string::npos; }

// ---------------------------------------------------------------------------------------------
// Number formats: fixed digits only, so that the text is byte-identical for identical input.

std::string fixed(double v, int decimals) {
    if (std::isnan(v)) return "n/a";
    std::string s = fmt::format("{:.{}f}", v, decimals);
    // "-0.00" would make a zero look signed.
    if (s.front() == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
    return s;
}

std::string signed_fixed(double v, int decimals) {
    const std::string s = fixed(v, decimals);
    return s.front() == '-' || s == "n/a" || s.find_first_not_of("0.") == std::string::npos ? s : "+" + s;
}

// At least three significant digits, never in exponent notation.
std::string sig3(double v) {
    if (v == 0 || std::isnan(v)) return fixed(v, 0);
    const int magnitude = static_cast<int>(std::floor(std::log10(std::abs(v))));
    return fixed(v, std::max(0, 2 - magnitude));
}

std::string p_text(double p) {
    if (std::isnan(p)) return "p undefined";
    if (p < 0.001) return "p < 0.001";
    std::string s = fixed(p, 3);
    if (p < kAlpha && s == "0.050") s = fixed(p, 4);  // do not print a significant p as 0.050
    return "p = " + s;
}

// A p-value in a table cell: the number alone.
std::string p_cell(double p) {
    const std::string text = p_text(p);
    return text.rfind("p = ", 0) == 0 ? text.substr(4) : text.substr(2);
}

// Whole numbers without decimals, others with three significant digits.
std::string quantity(double v) { return v == std::round(v) && std::abs(v) < 1e15 ? fixed(v, 0) : sig3(v); }

std::string ci_text(const stats::Correlation& c) {
    if (std::isnan(c.ci_low)) return "CI n/a";
    return "95 % CI [" + signed_fixed(c.ci_low, 2) + ", " + signed_fixed(c.ci_high, 2) + "]";
}

std::string rho_text(const stats::Correlation& c) { return "ρ = " + signed_fixed(c.rho, 2); }

std::string method_tag(stats::PMethod method) {
    switch (method) {
        case stats::PMethod::ExactPermutation: return "exact ";
        case stats::PMethod::NormalApproximation: return "normal-approx. ";
        case stats::PMethod::TApproximation: return "";
    }
    return "";
}

// "ρ = +0.62, 95 % CI [+0.35, +0.80], n = 34, p < 0.001"
std::string correlation_text(const stats::Correlation& c) {
    return fmt::format("{}, {}, n = {}, {}{}", rho_text(c), ci_text(c), c.n, method_tag(c.method), p_text(c.p_value));
}

// Sentence case for names that start a heading or a list item.
std::string capitalised(std::string text) {
    if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
    return text;
}

bool is_evidence(double p) { return !std::isnan(p) && p < kAlpha; }

// Appended to a finding whose p-value passes alone but not once the family of tests is accounted for.
std::string holm_caveat(double holm_p) { return is_evidence(holm_p) ? "" : "; not significant after that correction"; }

std::string join(const std::vector<std::string>& items, const std::string& separator) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) out += (i ? separator : "") + items[i];
    return out;
}

// ---------------------------------------------------------------------------------------------
// The records as a complete network x accelerator grid.

struct Grid {
    std::vector<std::string> networks, accelerators;
    std::vector<std::string> classes;  // per network
    std::vector<const PairRecord*> cells;  // network-major
    std::vector<AcceleratorTraits> traits;  // in accelerator order
    std::string shown_prefix;  // common "xxx/" prefix of the network names, left out in the text

    const PairRecord& at(std::size_t n, std::size_t a) const { return *cells[n * accelerators.size() + a]; }
    std::string shown(std::size_t n) const { return networks[n].substr(shown_prefix.size()); }
    std::vector<std::size_t> networks_of(const std::string& network_class) const {
        std::vector<std::size_t> out;
        for (std::size_t n = 0; n < networks.size(); ++n)
            if (classes[n] == network_class) out.push_back(n);
        return out;
    }
};

std::size_t index_of(std::vector<std::string>& names, std::map<std::string, std::size_t>& index, const std::string& name) {
    const auto [it, added] = index.emplace(name, names.size());
    if (added) names.push_back(name);
    return it->second;
}

std::string common_prefix(const std::vector<std::string>& names) {
    if (names.empty()) return "";
    const auto slash = names.front().find('/');
    if (slash == std::string::npos) return "";
    const std::string prefix = names.front().substr(0, slash + 1);
    for (const auto& n : names)
        if (n.rfind(prefix, 0) != 0 || n.size() == prefix.size()) return "";
    return prefix;
}

Grid make_grid(const std::vector<PairRecord>& records, const std::vector<AcceleratorTraits>& traits) {
    if (records.empty()) throw InputError("insights: no (network, accelerator) records");
    Grid g;
    std::map<std::string, std::size_t> network_index, accelerator_index;
    for (const auto& r : records) {
        index_of(g.networks, network_index, r.network);
        index_of(g.accelerators, accelerator_index, r.accelerator);
    }
    g.cells.assign(g.networks.size() * g.accelerators.size(), nullptr);
    g.classes.assign(g.networks.size(), "");
    for (const auto& r : records) {
        const std::size_t n = network_index.at(r.network), a = accelerator_index.at(r.accelerator);
        auto& cell = g.cells[n * g.accelerators.size() + a];
        if (cell) throw InputError("insights: two records for " + r.network + " on " + r.accelerator);
        if (r.network_class != kCompactClass && r.network_class != kClassicClass)
            throw InputError("insights: " + r.network + " has class '" + r.network_class + "' (compact or classic expected)");
        if (!g.classes[n].empty() && g.classes[n] != r.network_class)
            throw InputError("insights: " + r.network + " has two classes");
        g.classes[n] = r.network_class;
        cell = &r;
    }
    for (std::size_t i = 0; i < g.cells.size(); ++i)
        if (!g.cells[i])
            throw InputError("insights: no record for " + g.networks[i / g.accelerators.size()] + " on " +
                             g.accelerators[i % g.accelerators.size()]);
    for (const auto& name : g.accelerators) {
        const auto t = std::find_if(traits.begin(), traits.end(), [&](const AcceleratorTraits& x) { return x.name == name; });
        if (t == traits.end()) throw InputError("insights: no traits for accelerator " + name);
        g.traits.push_back(*t);
    }
    g.shown_prefix = common_prefix(g.networks);
    return g;
}

// ---------------------------------------------------------------------------------------------
// What is compared.

struct Objective {
    const char* name;  // "energy"
    std::function<double(const PairRecord&)> value;
};

const std::vector<Objective>& best_objectives() {
    static const std::vector<Objective> objectives{
        {"energy", [](const PairRecord& r) { return r.energy_uj; }},
        {"latency", [](const PairRecord& r) { return r.latency_s; }},
        {"energy-delay product", [](const PairRecord& r) { return r.energy_uj * r.latency_s; }},
    };
    return objectives;
}

struct NetworkProperty {
    const char* name;        // "depthwise share"
    const char* more;        // "a larger depthwise share", for sentences
    std::function<double(const PairRecord&)> value;
};

const std::vector<NetworkProperty>& network_properties() {
    static const std::vector<NetworkProperty> properties{
        {"depthwise share", "a larger depthwise share", [](const PairRecord& r) { return r.depthwise_share; }},
        {"spatial utilisation", "a higher spatial utilisation", [](const PairRecord& r) { return r.spatial_utilisation; }},
        {"weights", "more weights", [](const PairRecord& r) { return r.weights; }},
        {"activations", "more activation elements", [](const PairRecord& r) { return r.activation_elements; }},
    };
    return properties;
}

struct PerMacMetric {
    const char* name;  // "energy per MAC"
    std::function<double(const PairRecord&)> value;
};

const std::vector<PerMacMetric>& per_mac_metrics() {
    static const std::vector<PerMacMetric> metrics{
        {"energy per MAC", [](const PairRecord& r) { return r.macs > 0 ? r.energy_uj * 1e6 / r.macs : 0; }},
        {"latency per MAC", [](const PairRecord& r) { return r.macs > 0 ? r.latency_s * 1e12 / r.macs : 0; }},
    };
    return metrics;
}

struct Trait {
    const char* name;  // "MAC units"
    const char* more;  // "more MAC units"
    std::function<double(const AcceleratorTraits&)> value;
};

const std::vector<Trait>& hardware_traits() {
    static const std::vector<Trait> traits{
        {"MAC units", "more MAC units", [](const AcceleratorTraits& t) { return t.mac_units; }},
        {"array aspect", "a more elongated array (largest / smallest dimension)", [](const AcceleratorTraits& t) { return t.array_aspect; }},
        {"on-chip bits per MAC", "more on-chip memory per MAC unit", [](const AcceleratorTraits& t) { return t.onchip_bits_per_mac; }},
        {"DRAM bits per cycle", "a wider DRAM port", [](const AcceleratorTraits& t) { return t.dram_bits_per_cycle; }},
        {"depthwise dataflow", "a depthwise dataflow of their own", [](const AcceleratorTraits& t) { return t.depthwise_dataflow ? 1.0 : 0.0; }},
        {"MAC share of a depthwise layer", "a larger share of MAC units usable by a depthwise layer",
         [](const AcceleratorTraits& t) { return t.depthwise_mac_share; }},
    };
    return traits;
}

// ---------------------------------------------------------------------------------------------
// Header.

void write_header(std::string& md, const Grid& g) {
    const auto compact = g.networks_of(kCompactClass);
    std::vector<std::string> compact_names;
    for (auto n : compact) compact_names.push_back(g.shown(n));
    md += "# Insights from the assessment\n\n";
    md += fmt::format(
        "Derived by elaa from its own results: {} networks × {} accelerators ({} pairs). Every claim gives its "
        "statistic, its number of points n and a two-sided p-value; a relation with p ≥ {:.2f} is reported as "
        "*no evidence*, not as a finding. The numbers are deterministic model outputs: the statistics describe "
        "patterns across this set of networks and accelerators, which are not random samples of anything (networks "
        "of one family are near-copies of each other), so p-values measure how unusual a pattern would be under "
        "random assignment, not how well it generalises.\n\n",
        g.networks.size(), g.accelerators.size(), g.networks.size() * g.accelerators.size(), kAlpha);
    md += fmt::format("Network classes: {} compact ({}), {} classic. Compact = families designed for a mobile compute "
                      "budget (MobileNet, MnasNet, EfficientNet, ShuffleNet, SqueezeNet, NASNet-A mobile); everything "
                      "else is classic, Xception included.\n",
                      compact.size(), compact_names.empty() ? "none" : join(compact_names, ", "),
                      g.networks.size() - compact.size());
    if (!g.shown_prefix.empty()) md += fmt::format("\nNetwork names are shown without their common prefix `{}`.\n", g.shown_prefix);
    md += "\n";
}

// ---------------------------------------------------------------------------------------------
// 1. Energy-top-1 fronts.

// Networks on accelerator a's energy-top-1 front, by increasing energy (then decreasing top-1).
std::vector<std::size_t> energy_top1_front(const Grid& g, std::size_t a) {
    std::vector<std::vector<double>> points;
    for (std::size_t n = 0; n < g.networks.size(); ++n) points.push_back({g.at(n, a).energy_uj, -g.at(n, a).top1});
    auto front = pareto_front(points);
    std::stable_sort(front.begin(), front.end(), [&](std::size_t x, std::size_t y) { return points[x] < points[y]; });
    return front;
}

void write_fronts(std::string& md, const Grid& g) {
    md += "## 1. Energy–top-1 Pareto fronts\n\n";
    md += "A network is on an accelerator's front when no other network on that accelerator has both lower (or equal) "
          "energy and higher (or equal) top-1, one of them strictly. Each front in order of energy: network (energy µJ, "
          "top-1 %).\n\n";
    std::vector<std::size_t> fronts_containing(g.networks.size(), 0);
    for (std::size_t a = 0; a < g.accelerators.size(); ++a) {
        const auto front = energy_top1_front(g, a);
        std::vector<std::string> items;
        for (auto n : front) {
            items.push_back(fmt::format("{} ({}, {})", g.shown(n), sig3(g.at(n, a).energy_uj), fixed(g.at(n, a).top1, 1)));
            ++fronts_containing[n];
        }
        md += fmt::format("- **{}** ({} of {} networks): {}\n", g.accelerators[a], front.size(), g.networks.size(),
                          join(items, " → "));
    }
    std::vector<std::string> everywhere, somewhere;
    for (std::size_t n = 0; n < g.networks.size(); ++n) {
        if (fronts_containing[n] == g.accelerators.size()) everywhere.push_back(g.shown(n));
        else if (fronts_containing[n] > 0)
            somewhere.push_back(fmt::format("{} ({} of {})", g.shown(n), fronts_containing[n], g.accelerators.size()));
    }
    md += fmt::format("\nOn every accelerator's front: {}. On some fronts only: {}. The other {} networks are on no "
                      "front.\n\n",
                      everywhere.empty() ? "none" : join(everywhere, ", "), somewhere.empty() ? "none" : join(somewhere, ", "),
                      g.networks.size() - everywhere.size() - somewhere.size());
}

// ---------------------------------------------------------------------------------------------
// 2. Best accelerator per network.

struct Best {
    std::size_t accelerator = 0;
    double margin = NAN;  // runner-up / best - 1; NaN with a single accelerator
};

Best best_accelerator(const Grid& g, std::size_t n, const Objective& objective) {
    std::vector<std::size_t> order(g.accelerators.size());
    for (std::size_t a = 0; a < order.size(); ++a) order[a] = a;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
        return objective.value(g.at(n, x)) < objective.value(g.at(n, y));
    });
    Best b{order[0], NAN};
    if (order.size() > 1) {
        const double best = objective.value(g.at(n, order[0]));
        if (best > 0) b.margin = objective.value(g.at(n, order[1])) / best - 1;
    }
    return b;
}

std::string best_cell(const Grid& g, const Best& b) {
    if (std::isnan(b.margin)) return g.accelerators[b.accelerator];
    return fmt::format("{} ({}{} %)", g.accelerators[b.accelerator], b.margin < kNearTie ? "≈ " : "+", fixed(100 * b.margin, 1));
}

std::string win_counts(const Grid& g, const std::vector<std::size_t>& wins_per_accelerator) {
    std::vector<std::size_t> order(g.accelerators.size());
    for (std::size_t a = 0; a < order.size(); ++a) order[a] = a;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return wins_per_accelerator[x] > wins_per_accelerator[y]; });
    std::vector<std::string> winners, never;
    for (auto a : order) {
        if (wins_per_accelerator[a] > 0) winners.push_back(fmt::format("{} {}", g.accelerators[a], wins_per_accelerator[a]));
        else never.push_back(g.accelerators[a]);
    }
    return join(winners, ", ") + (never.empty() ? "" : "; never: " + join(never, ", "));
}

void write_best_per_network(std::string& md, const Grid& g) {
    const auto& objectives = best_objectives();
    md += "## 2. Best accelerator per network\n\n";
    md += fmt::format("Lowest energy, lowest latency (seconds, so clock frequencies count) and lowest energy-delay "
                      "product, with the margin to the runner-up (runner-up / best − 1). `≈` marks a margin below "
                      "{} %: a near tie the cost model's approximations could reverse.\n\n",
                      fixed(100 * kNearTie, 0));
    md += "| network | class |";
    for (const auto& o : objectives) md += fmt::format(" {} |", o.name);
    md += "\n|---|---|";
    for (std::size_t i = 0; i < objectives.size(); ++i) md += "---|";
    md += "\n";
    std::vector<std::vector<std::size_t>> wins(objectives.size(), std::vector<std::size_t>(g.accelerators.size(), 0));
    std::vector<std::size_t> near_ties(objectives.size(), 0);
    for (std::size_t n = 0; n < g.networks.size(); ++n) {
        md += fmt::format("| {} | {} |", g.shown(n), g.classes[n]);
        for (std::size_t o = 0; o < objectives.size(); ++o) {
            const auto b = best_accelerator(g, n, objectives[o]);
            ++wins[o][b.accelerator];
            if (b.margin < kNearTie) ++near_ties[o];
            md += fmt::format(" {} |", best_cell(g, b));
        }
        md += "\n";
    }
    md += "\nNetworks won, per objective:\n\n";
    for (std::size_t o = 0; o < objectives.size(); ++o)
        md += fmt::format("- {} ({} networks, {} near ties): {}\n", objectives[o].name, g.networks.size(), near_ties[o],
                          win_counts(g, wins[o]));
    md += "\n";
}

// ---------------------------------------------------------------------------------------------
// 3. Network properties against energy and latency per MAC, per accelerator.

struct DriverTest {
    std::size_t accelerator, property, metric;
    stats::Correlation c;
    double holm_p = NAN;
};

std::vector<DriverTest> driver_tests(const Grid& g) {
    std::vector<DriverTest> tests;
    for (std::size_t m = 0; m < per_mac_metrics().size(); ++m)
        for (std::size_t a = 0; a < g.accelerators.size(); ++a)
            for (std::size_t p = 0; p < network_properties().size(); ++p) {
                std::vector<double> x, y;
                for (std::size_t n = 0; n < g.networks.size(); ++n) {
                    x.push_back(network_properties()[p].value(g.at(n, a)));
                    y.push_back(per_mac_metrics()[m].value(g.at(n, a)));
                }
                tests.push_back({a, p, m, stats::spearman(x, y)});
            }
    std::vector<double> p_values;
    for (const auto& t : tests) p_values.push_back(t.c.p_value);
    const auto holm = stats::holm_adjust(p_values);
    for (std::size_t i = 0; i < tests.size(); ++i) tests[i].holm_p = holm[i];
    return tests;
}

std::string driver_cell(const DriverTest& t) {
    if (!t.c.defined()) return "undefined (constant)";
    const std::string text = fmt::format("{} [{}, {}] {}", signed_fixed(t.c.rho, 2), signed_fixed(t.c.ci_low, 2),
                                         signed_fixed(t.c.ci_high, 2), p_text(t.c.p_value));
    return is_evidence(t.c.p_value) ? fmt::format("**{}**", text) : text;
}

void write_driver_tables(std::string& md, const Grid& g, const std::vector<DriverTest>& tests) {
    const auto& properties = network_properties();
    for (std::size_t m = 0; m < per_mac_metrics().size(); ++m) {
        md += fmt::format("### {} against network properties\n\n| accelerator |", capitalised(per_mac_metrics()[m].name));
        for (const auto& p : properties) md += fmt::format(" {} |", p.name);
        md += "\n|---|";
        for (std::size_t i = 0; i < properties.size(); ++i) md += "---|";
        md += "\n";
        for (std::size_t a = 0; a < g.accelerators.size(); ++a) {
            md += fmt::format("| {} |", g.accelerators[a]);
            for (const auto& t : tests)
                if (t.metric == m && t.accelerator == a) md += fmt::format(" {} |", driver_cell(t));
            md += "\n";
        }
        md += "\n";
    }
}

// One line per (metric, property): which accelerators show a rise, a fall, or no evidence.
void write_driver_summary(std::string& md, const Grid& g, const std::vector<DriverTest>& tests) {
    md += "Summary (each ρ over the same n = " + std::to_string(g.networks.size()) + " networks):\n\n";
    for (std::size_t m = 0; m < per_mac_metrics().size(); ++m)
        for (std::size_t p = 0; p < network_properties().size(); ++p) {
            std::vector<std::string> rises, falls, none, undefined;
            for (const auto& t : tests) {
                if (t.metric != m || t.property != p) continue;
                const std::string acc = g.accelerators[t.accelerator];
                const std::string stat = fmt::format("{} ({}, {})", acc, rho_text(t.c), p_text(t.c.p_value));
                if (!t.c.defined()) undefined.push_back(acc);
                else if (!is_evidence(t.c.p_value)) none.push_back(stat);
                else (t.c.rho > 0 ? rises : falls).push_back(stat);
            }
            std::vector<std::string> parts;
            if (!rises.empty()) parts.push_back("higher with " + std::string(network_properties()[p].more) + " on " + join(rises, ", "));
            if (!falls.empty()) parts.push_back("lower with " + std::string(network_properties()[p].more) + " on " + join(falls, ", "));
            if (!none.empty()) parts.push_back("no evidence on " + join(none, ", "));
            if (!undefined.empty()) parts.push_back("undefined (a constant) on " + join(undefined, ", "));
            md += fmt::format("- {} vs {}: {}.\n", capitalised(per_mac_metrics()[m].name), network_properties()[p].name,
                              join(parts, "; "));
        }
}

void write_drivers(std::string& md, const Grid& g) {
    const auto tests = driver_tests(g);
    std::size_t with_depthwise = 0;
    for (std::size_t n = 0; n < g.networks.size(); ++n) with_depthwise += g.at(n, 0).depthwise_share > 0;
    md += "## 3. What energy and latency per MAC follow, per accelerator\n\n";
    md += fmt::format(
        "Per accelerator, Spearman's rank correlation ρ over the n = {} networks between a network property and the "
        "network's energy per MAC or latency per MAC on that accelerator. p: t approximation with n − 2 degrees of "
        "freedom (exact permutation when n ≤ {}); 95 % CI: Fisher z with standard error 1.06 / √(n − 3). Cells: "
        "ρ [CI] p, bold when p < {:.2f}. Weights = the network's parameters; activations = the sum of every layer's "
        "output elements. {} of the {} networks have depthwise layers: the others tie at a depthwise share of 0, so "
        "that column mostly contrasts those {} with the rest. The cost model defines latency as the loop iterations / "
        "(MAC units × spatial × temporal utilisation), so latency per MAC against spatial utilisation largely restates "
        "that definition.\n\n",
        g.networks.size(), stats::kExactSpearmanMax, kAlpha, with_depthwise, g.networks.size(), with_depthwise);
    write_driver_tables(md, g, tests);
    write_driver_summary(md, g, tests);
    std::size_t significant = 0, after_holm = 0, defined = 0;
    for (const auto& t : tests) {
        defined += t.c.defined();
        significant += is_evidence(t.c.p_value);
        after_holm += is_evidence(t.holm_p);
    }
    md += fmt::format("\nOf these {} tests, {} have p < {:.2f} (about {} would by chance if nothing were related); {} "
                      "remain below {:.2f} after Holm's correction for {} tests.\n\n",
                      defined, significant, kAlpha, fixed(kAlpha * static_cast<double>(defined), 1), after_holm, kAlpha,
                      defined);
}

// ---------------------------------------------------------------------------------------------
// 4. Which hardware traits separate the winners on compact networks from those on classic ones.

struct ClassRanks {
    std::size_t accelerator;
    double mean_compact, mean_classic;  // mean rank (1 = best) over each class's networks
    stats::RankSumTest test;            // compact ranks vs classic ranks
    double holm_p = NAN;
    double difference() const { return mean_classic - mean_compact; }  // > 0: relatively better on compact
};

// ranks[n][a]: rank of accelerator a on network n by the objective (1 = lowest, ties share the mean).
std::vector<std::vector<double>> ranks_per_network(const Grid& g, const Objective& objective) {
    std::vector<std::vector<double>> out;
    for (std::size_t n = 0; n < g.networks.size(); ++n) {
        std::vector<double> values;
        for (std::size_t a = 0; a < g.accelerators.size(); ++a) values.push_back(objective.value(g.at(n, a)));
        out.push_back(stats::ranks(values));
    }
    return out;
}

std::vector<ClassRanks> class_ranks(const Grid& g, const Objective& objective) {
    const auto ranks = ranks_per_network(g, objective);
    const auto compact = g.networks_of(kCompactClass), classic = g.networks_of(kClassicClass);
    std::vector<ClassRanks> out;
    for (std::size_t a = 0; a < g.accelerators.size(); ++a) {
        std::vector<double> on_compact, on_classic;
        for (auto n : compact) on_compact.push_back(ranks[n][a]);
        for (auto n : classic) on_classic.push_back(ranks[n][a]);
        out.push_back({a, stats::mean(on_compact), stats::mean(on_classic), stats::mann_whitney(on_compact, on_classic)});
    }
    std::vector<double> p_values;
    for (const auto& c : out) p_values.push_back(c.test.p_value);
    const auto holm = stats::holm_adjust(p_values);
    for (std::size_t i = 0; i < out.size(); ++i) out[i].holm_p = holm[i];
    return out;
}

void write_traits_table(std::string& md, const Grid& g) {
    md += "| accelerator | array | MAC units | aspect | on-chip bits per MAC | DRAM bits per cycle | depthwise dataflow "
          "| MAC share of a depthwise layer |\n";
    md += "|---|---|---|---|---|---|---|---|\n";
    for (const auto& t : g.traits)
        md += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} |\n", t.name, t.array_dims, quantity(t.mac_units),
                          quantity(t.array_aspect), quantity(t.onchip_bits_per_mac), quantity(t.dram_bits_per_cycle),
                          t.depthwise_dataflow ? "yes" : "no",
                          std::isnan(t.depthwise_mac_share) ? "searched" : sig3(t.depthwise_mac_share));
    md += "\n";
}

// "X on 4 of 5, Y on 1": who ranks first (alone or shared) on a class's networks.
std::string first_place_counts(const Grid& g, const std::vector<std::vector<double>>& ranks, const std::vector<std::size_t>& nets) {
    std::vector<std::size_t> firsts(g.accelerators.size(), 0);
    for (auto n : nets)
        for (std::size_t a = 0; a < g.accelerators.size(); ++a) firsts[a] += ranks[n][a] < 1.5;  // rank 1 or a shared first place
    std::vector<std::size_t> order;
    for (std::size_t a = 0; a < firsts.size(); ++a)
        if (firsts[a] > 0) order.push_back(a);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return firsts[x] > firsts[y]; });
    std::vector<std::string> items;
    for (auto a : order) items.push_back(fmt::format("{} on {} of {}", g.accelerators[a], firsts[a], nets.size()));
    return join(items, ", ");
}

// Every row has the same class sizes, hence the same p-value method.
std::string rank_sum_method_text(stats::PMethod method) {
    return method == stats::PMethod::ExactPermutation
               ? "exact: every split of the pooled ranks, ties included"
               : "normal approximation with tie and continuity corrections: too many networks to count every split";
}

void write_class_rank_table(std::string& md, const Grid& g, const std::vector<ClassRanks>& rows) {
    md += fmt::format("| accelerator | mean rank, compact | mean rank, classic | classic − compact | U | {}p | Holm p |\n",
                      method_tag(rows.front().test.method));
    md += "|---|---|---|---|---|---|---|\n";
    for (const auto& r : rows)
        md += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", g.accelerators[r.accelerator], fixed(r.mean_compact, 2),
                          fixed(r.mean_classic, 2), signed_fixed(r.difference(), 2), fixed(r.test.u, 1),
                          p_cell(r.test.p_value), p_cell(r.holm_p));
    md += "\n";
}

void write_class_rank_findings(std::string& md, const Grid& g, const std::vector<ClassRanks>& rows, const char* objective) {
    std::vector<std::string> findings;
    const ClassRanks* smallest = nullptr;
    for (const auto& r : rows) {
        if (!smallest || r.test.p_value < smallest->test.p_value) smallest = &r;
        if (!is_evidence(r.test.p_value)) continue;
        const bool compact_better = r.difference() > 0;
        findings.push_back(fmt::format(
            "- **{}** ranks better on {} networks than on {} ones (mean {} rank {} vs {}; Mann–Whitney U = {}, n = {} + {}, "
            "{}{}; Holm-adjusted over the {} accelerators: {}{}).\n",
            g.accelerators[r.accelerator], compact_better ? kCompactClass : kClassicClass,
            compact_better ? kClassicClass : kCompactClass, objective,
            fixed(compact_better ? r.mean_compact : r.mean_classic, 2), fixed(compact_better ? r.mean_classic : r.mean_compact, 2),
            fixed(r.test.u, 1), r.test.n1, r.test.n2, method_tag(r.test.method), p_text(r.test.p_value), rows.size(),
            p_text(r.holm_p), holm_caveat(r.holm_p)));
    }
    if (findings.empty())
        md += fmt::format("No evidence that any accelerator's {} rank differs between compact and classic networks "
                          "(smallest p: {}, {}{}).\n\n",
                          objective, g.accelerators[smallest->accelerator], method_tag(smallest->test.method),
                          p_text(smallest->test.p_value));
    else
        md += join(findings, "") + "\n";
}

struct TraitTest {
    const Trait* trait;
    bool trait_constant = false;
    stats::Correlation c;
    double holm_p = NAN;
};

// Spearman of each trait against the rank difference, Holm-adjusted over the defined tests.
std::vector<TraitTest> trait_tests(const Grid& g, const std::vector<double>& difference) {
    std::vector<TraitTest> tests;
    for (const auto& trait : hardware_traits()) {
        std::vector<double> x;
        for (const auto& t : g.traits) x.push_back(trait.value(t));
        const bool constant = std::all_of(x.begin(), x.end(), [&](double v) { return v == x.front(); });
        tests.push_back({&trait, constant, stats::spearman(x, difference)});
    }
    std::vector<double> p_values;
    for (const auto& t : tests) p_values.push_back(t.c.p_value);
    const auto holm = stats::holm_adjust(p_values);
    for (std::size_t i = 0; i < tests.size(); ++i) tests[i].holm_p = holm[i];
    return tests;
}

std::string trait_relation_line(const Grid& g, const TraitTest& t, std::size_t family_size) {
    if (t.trait_constant)
        return fmt::format("- {}: untestable, the same on every accelerator ({}).\n", capitalised(t.trait->name),
                           quantity(t.trait->value(g.traits.front())));
    if (!t.c.defined()) return fmt::format("- {}: untestable, the rank difference is the same on every accelerator.\n",
                                            capitalised(t.trait->name));
    const std::string holm = fmt::format("Holm-adjusted over the {} trait tests: {}{}", family_size, p_text(t.holm_p),
                                         holm_caveat(t.holm_p));
    if (is_evidence(t.c.p_value))
        return fmt::format("- Accelerators with {} rank relatively better on {} networks ({}; {}).\n", t.trait->more,
                           t.c.rho > 0 ? kCompactClass : kClassicClass, correlation_text(t.c), holm);
    std::string line = fmt::format("- {}: no evidence ({})", capitalised(t.trait->name), correlation_text(t.c));
    if (!std::isnan(t.c.min_attainable_p) && t.c.min_attainable_p >= kAlpha)
        line += fmt::format("; with these ties no ordering of the accelerators could reach p < {:.2f} (smallest "
                            "attainable p = {})",
                            kAlpha, fixed(t.c.min_attainable_p, 3));
    return line + ".\n";
}

void write_trait_relations(std::string& md, const Grid& g, const std::vector<ClassRanks>& rows, const char* objective) {
    std::vector<double> difference;
    for (const auto& r : rows) difference.push_back(r.difference());
    md += fmt::format("Traits against the {} rank difference (classic − compact mean rank; positive = relatively better "
                      "on compact networks), Spearman over the n = {} accelerators:\n\n",
                      objective, g.accelerators.size());
    const auto tests = trait_tests(g, difference);
    const auto defined = static_cast<std::size_t>(
        std::count_if(tests.begin(), tests.end(), [](const TraitTest& t) { return !std::isnan(t.c.p_value); }));
    for (const auto& t : tests) md += trait_relation_line(g, t, defined);
    md += "\n";
}

void write_traits(std::string& md, const Grid& g) {
    md += "## 4. Hardware traits of the accelerators that win compact vs classic networks\n\n";
    write_traits_table(md, g);
    const auto compact = g.networks_of(kCompactClass), classic = g.networks_of(kClassicClass);
    if (compact.empty() || classic.empty()) {
        md += fmt::format("Not analysed: it needs both classes, and there are {} compact and {} classic networks.\n\n",
                          compact.size(), classic.size());
        return;
    }
    const std::vector<Objective> objectives{best_objectives()[0], best_objectives()[1]};
    for (const auto& objective : objectives) {
        const auto ranks = ranks_per_network(g, objective);
        const auto rows = class_ranks(g, objective);
        md += fmt::format("### By {}\n\n", objective.name);
        md += fmt::format("Per network the accelerators are ranked by {} (1 = lowest, ties share the mean rank). Each "
                          "accelerator's ranks on the {} compact networks are compared with its ranks on the {} classic "
                          "ones by a two-sided Mann–Whitney U test ({}). Lowest {} on compact networks: {}. On classic networks: {}.\n\n",
                          objective.name, compact.size(), classic.size(), rank_sum_method_text(rows.front().test.method),
                          objective.name,
                          first_place_counts(g, ranks, compact), first_place_counts(g, ranks, classic));
        write_class_rank_table(md, g, rows);
        write_class_rank_findings(md, g, rows, objective.name);
        write_trait_relations(md, g, rows, objective.name);
    }
}

// ---------------------------------------------------------------------------------------------
// From an Assessment.

double depthwise_share(const workload::Network& net) {
    double depthwise = 0, total = 0;
    for (const auto& l : net.layers) {
        total += static_cast<double>(l.macs());
        if (l.kind == workload::OpKind::DepthwiseConv) depthwise += static_cast<double>(l.macs());
    }
    return total > 0 ? depthwise / total : 0;
}

double activation_elements(const workload::Network& net) {
    double sum = 0;
    for (const auto& l : net.layers) sum += static_cast<double>(l.output_elements());
    return sum;
}

// ---------------------------------------------------------------------------------------------
// 5. Transformers against CNNs (only when the assessment has both).

struct ArchitectureMetric {
    const char* name;  // "energy per MAC"
    const char* unit;  // " (pJ)", for the heading
    const char* more;  // "more energy per MAC", for sentences
    const char* less;
    int decimals;      // -1: three significant digits
    std::function<double(const PairRecord&)> value;
};

const std::vector<ArchitectureMetric>& architecture_metrics() {
    static const std::vector<ArchitectureMetric> metrics{
        {"energy per MAC", " (pJ)", "more energy per MAC", "less energy per MAC", -1,
         [](const PairRecord& r) { return r.macs > 0 ? r.energy_uj * 1e6 / r.macs : 0; }},
        {"spatial utilisation", "", "a higher spatial utilisation", "a lower spatial utilisation", 3,
         [](const PairRecord& r) { return r.spatial_utilisation; }},
    };
    return metrics;
}

// One metric on one accelerator: transformers against CNNs.
struct ArchitectureTest {
    std::size_t accelerator;
    double median_transformer, median_cnn;
    stats::RankSumTest test;  // transformers' values against the CNNs'
    double holm_p = NAN;      // over the accelerators, per metric
};

std::vector<double> values_on(const Grid& g, const std::vector<std::size_t>& nets, std::size_t a,
                              const std::function<double(const PairRecord&)>& value) {
    std::vector<double> out;
    for (auto n : nets) out.push_back(value(g.at(n, a)));
    return out;
}

std::vector<ArchitectureTest> architecture_tests(const Grid& g, const ArchitectureMetric& metric,
                                                 const std::vector<std::size_t>& transformers,
                                                 const std::vector<std::size_t>& cnns) {
    std::vector<ArchitectureTest> out;
    for (std::size_t a = 0; a < g.accelerators.size(); ++a) {
        const auto t = values_on(g, transformers, a, metric.value), c = values_on(g, cnns, a, metric.value);
        out.push_back({a, stats::median(t), stats::median(c), stats::mann_whitney(t, c)});
    }
    std::vector<double> p;
    for (const auto& t : out) p.push_back(t.test.p_value);
    const auto holm = stats::holm_adjust(p);
    for (std::size_t i = 0; i < out.size(); ++i) out[i].holm_p = holm[i];
    return out;
}

std::string metric_value(const ArchitectureMetric& metric, double v) {
    return metric.decimals < 0 ? sig3(v) : fixed(v, metric.decimals);
}

void write_architecture_metric(std::string& md, const Grid& g, const ArchitectureMetric& metric,
                               const std::vector<ArchitectureTest>& tests) {
    md += fmt::format("### {}{}\n\n| accelerator | median, transformers | median, CNNs | U | {}p | Holm p |\n"
                      "|---|---|---|---|---|---|\n",
                      capitalised(metric.name), metric.unit, method_tag(tests.front().test.method));
    for (const auto& t : tests)
        md += fmt::format("| {} | {} | {} | {} | {} | {} |\n", g.accelerators[t.accelerator],
                          metric_value(metric, t.median_transformer), metric_value(metric, t.median_cnn),
                          fixed(t.test.u, 1), p_cell(t.test.p_value), p_cell(t.holm_p));
    md += "\n";
    std::vector<std::string> findings;
    for (const auto& t : tests) {
        if (!is_evidence(t.holm_p)) continue;
        findings.push_back(fmt::format(
            "- **{}**: transformers have {} than CNNs (median {} vs {}; Mann–Whitney U = {}, n = {} + {}, {}{}; "
            "Holm-adjusted over the {} accelerators: {}).\n",
            g.accelerators[t.accelerator], t.median_transformer > t.median_cnn ? metric.more : metric.less,
            metric_value(metric, t.median_transformer), metric_value(metric, t.median_cnn), fixed(t.test.u, 1),
            t.test.n1, t.test.n2, method_tag(t.test.method), p_text(t.test.p_value), tests.size(), p_text(t.holm_p)));
    }
    if (findings.empty()) {
        const auto smallest = std::min_element(tests.begin(), tests.end(),
                                               [](const auto& x, const auto& y) { return x.holm_p < y.holm_p; });
        md += fmt::format("No evidence after Holm's correction that transformers and CNNs differ in {} on any "
                          "accelerator (smallest Holm p: {}, {}).\n\n",
                          metric.name, g.accelerators[smallest->accelerator], p_text(smallest->holm_p));
    } else {
        md += join(findings, "") + "\n";
    }
}

void write_architectures(std::string& md, const Grid& g) {
    std::vector<std::size_t> transformers, cnns;
    for (std::size_t n = 0; n < g.networks.size(); ++n) (g.at(n, 0).transformer ? transformers : cnns).push_back(n);
    if (transformers.size() < kMinNetworksPerArchitecture || cnns.size() < kMinNetworksPerArchitecture) return;
    std::vector<std::string> names;
    for (auto n : transformers) names.push_back(g.shown(n));

    md += "## 5. Transformers against CNNs\n\n";
    md += fmt::format("{} transformers ({}) against {} CNNs. A transformer is a network with attention: products of two "
                      "activations (Q·Kᵀ, A·V), costed with both operands in activation memories. Per accelerator and "
                      "metric: the median of each group and the Mann–Whitney U of the transformers' values against the "
                      "CNNs', Holm-adjusted over the accelerators.\n\n",
                      transformers.size(), join(names, ", "), cnns.size());
    for (const auto& metric : architecture_metrics())
        write_architecture_metric(md, g, metric, architecture_tests(g, metric, transformers, cnns));

    md += "### Where a transformer's energy goes\n\n| accelerator | attention MAC share | attention energy share | "
          "vector-op energy share |\n|---|---|---|---|\n";
    std::vector<double> mac_share, energy_share, vector_share;
    for (std::size_t a = 0; a < g.accelerators.size(); ++a) {
        const auto m = values_on(g, transformers, a, [](const PairRecord& r) { return r.attention_mac_share; });
        const auto e = values_on(g, transformers, a, [](const PairRecord& r) { return r.attention_energy_share; });
        const auto v = values_on(g, transformers, a, [](const PairRecord& r) { return r.vector_energy_share; });
        md += fmt::format("| {} | {} % | {} % | {} % |\n", g.accelerators[a], fixed(100 * stats::median(m), 1),
                          fixed(100 * stats::median(e), 1), fixed(100 * stats::median(v), 1));
        mac_share.insert(mac_share.end(), m.begin(), m.end());
        energy_share.insert(energy_share.end(), e.begin(), e.end());
        vector_share.insert(vector_share.end(), v.begin(), v.end());
    }
    md += fmt::format("\nMedians over the transformers. Over all {} transformer pairs, attention carries a median {} % of "
                      "the MACs and {} % of the energy; the vector operators (softmax, layer norm, GELU), with no MACs, "
                      "{} %. Between layers every activation returns to DRAM (ZigZag's convention), so operators that "
                      "only move data pay for it in full.\n\n",
                      mac_share.size(), fixed(100 * stats::median(mac_share), 1),
                      fixed(100 * stats::median(energy_share), 1), fixed(100 * stats::median(vector_share), 1));
}

std::string array_dims(const hardware::OperationalArray& array) {
    std::vector<std::string> sizes;
    for (int s : array.dim_sizes) sizes.push_back(std::to_string(s));
    return join(sizes, "x");
}

double widest_dram_port(const hardware::Accelerator& acc) {
    double widest = 0;
    for (const auto& m : acc.memories)
        if (m.is_dram)
            for (const auto& port : m.ports) widest = std::max(widest, port.bw_max_bits);
    return widest;
}

// Share of the MAC units a depthwise layer can keep busy under the dataflow that applies to it: a
// depthwise layer has one input and one output channel per group (K = C = 1), so only the unrolling
// of the other loops (G, OX, OY, FX, FY, B) carries parallel work. Peak value: a layer smaller than
// an unrolling factor uses less. NaN when the dataflow is searched ("auto").
double depthwise_mac_share(const hardware::Accelerator& acc) {
    const auto& dataflow = acc.dataflow_for(workload::OpKind::DepthwiseConv);
    if (dataflow.automatic() || acc.array.total_units() <= 0) return NAN;
    double busy = 1;
    for (const auto& unrolling : dataflow.per_dim)
        for (const auto& [dim, factor] : unrolling.loops)
            if (dim != workload::Dim::K && dim != workload::Dim::C) busy *= factor;
    return busy / static_cast<double>(acc.array.total_units());
}

}  // namespace

std::string classify_network(const std::string& name, const std::string& family) {
    const std::string text = lower(name) + " " + lower(family);
    for (const char* token : {"mobilenet", "mnasnet", "efficientnet", "shufflenet", "squeezenet"})
        if (contains(text, token)) return kCompactClass;
    // NASNet-A comes in a mobile (4 @ 1056, the suite's NASNet_small) and a large (6 @ 4032) model.
    if (contains(text, "nasnet") && (contains(text, "mobile") || contains(text, "small"))) return kCompactClass;
    return kClassicClass;
}

std::vector<PairRecord> pair_records(const Assessment& a) {
    std::vector<PairRecord> out;
    for (const auto& p : a.pairs) {
        const auto& net = a.networks[p.network];
        const auto f = report::pair_figures(a, p);
        PairRecord r;
        r.network = net.name;
        r.accelerator = a.accelerators[p.accelerator].name;
        r.network_class = classify_network(net.name, net.family);
        r.energy_uj = f.energy_uj;
        r.latency_s = f.latency_s;
        r.area_mm2 = f.area_mm2;
        r.top1 = f.top1;
        r.macs = static_cast<double>(p.cost.macs);
        r.weights = static_cast<double>(net.params());
        r.activation_elements = activation_elements(net);
        r.depthwise_share = depthwise_share(net);
        r.spatial_utilisation = p.cost.spatial_utilisation;
        r.temporal_utilisation = p.cost.temporal_utilisation;
        double attention_macs = 0, attention_pj = 0, vector_pj = 0;
        for (const auto& layer : p.cost.layers) {
            if (!layer.costed) continue;
            const auto kind = cost::kind_class(layer.layer->kind);
            if (kind == cost::KindClass::Attention) {
                attention_macs += static_cast<double>(layer.layer->macs());
                attention_pj += layer.result.cost.energy_pj();
            } else if (kind == cost::KindClass::Vector) {
                vector_pj += layer.result.cost.energy_pj();
            }
        }
        r.transformer = attention_macs > 0;
        if (r.macs > 0) r.attention_mac_share = attention_macs / r.macs;
        if (p.cost.energy_pj > 0) {
            r.attention_energy_share = attention_pj / p.cost.energy_pj;
            r.vector_energy_share = vector_pj / p.cost.energy_pj;
        }
        out.push_back(std::move(r));
    }
    return out;
}

std::vector<AcceleratorTraits> accelerator_traits(const Assessment& a) {
    std::vector<AcceleratorTraits> out;
    for (const auto& acc : a.accelerators) {
        AcceleratorTraits t;
        t.name = acc.name;
        t.array_dims = array_dims(acc.array);
        t.mac_units = static_cast<double>(acc.array.total_units());
        const auto [smallest, largest] = std::minmax_element(acc.array.dim_sizes.begin(), acc.array.dim_sizes.end());
        t.array_aspect = acc.array.dim_sizes.empty() ? 1 : static_cast<double>(*largest) / *smallest;
        t.onchip_bits_per_mac = t.mac_units > 0 ? acc.on_chip_bits() / t.mac_units : 0;
        t.dram_bits_per_cycle = widest_dram_port(acc);
        t.depthwise_dataflow = acc.dataflow_given[static_cast<std::size_t>(hardware::OpClass::Depthwise)];
        t.depthwise_mac_share = depthwise_mac_share(acc);
        out.push_back(std::move(t));
    }
    return out;
}

std::string insights_markdown(const std::vector<PairRecord>& records, const std::vector<AcceleratorTraits>& traits) {
    const Grid g = make_grid(records, traits);
    std::string md;
    write_header(md, g);
    write_fronts(md, g);
    write_best_per_network(md, g);
    write_drivers(md, g);
    write_traits(md, g);
    write_architectures(md, g);
    return md;
}

std::string insights_markdown(const Assessment& a) { return insights_markdown(pair_records(a), accelerator_traits(a)); }

}  // namespace elaa::assess
