// insights.md of `elaa assess`: what the assessment's numbers say, each claim with its statistic,
// its number of points and a p-value (and, for correlations, a 95 % confidence interval). A relation
// whose p-value is not below 0.05 is reported as "no evidence", never as a finding.
//
// The statistics work on a flat table of (network, accelerator) records and a table of accelerator
// traits, so they can be fed synthetic data; pair_records() / accelerator_traits() derive both from
// an Assessment. The markdown is a pure function of its input (fixed number formats, fixed orders,
// no time stamps): the same input gives byte-identical text.
#pragma once

#include <string>
#include <vector>

#include "assess/assessment.hpp"

namespace elaa::assess {

inline constexpr const char* kCompactClass = "compact";
inline constexpr const char* kClassicClass = "classic";

// One network on one accelerator. Per-network figures (macs, weights, activations, depthwise share)
// repeat on each of its accelerators.
struct PairRecord {
    std::string network, accelerator;
    std::string network_class;  // kCompactClass or kClassicClass (classify_network)
    double energy_uj = 0;
    double latency_s = 0;
    double area_mm2 = 0;
    double top1 = 0;                 // percent
    double macs = 0;                 // costed multiply-accumulates (those results.csv divides by)
    double weights = 0;              // parameters of the network (Network::params())
    double activation_elements = 0;  // SUM of every layer's output elements: all activations written
    double depthwise_share = 0;      // fraction of the MACs in depthwise convolutions
    double spatial_utilisation = 0;
    double temporal_utilisation = 0;
    // Transformers: networks with products of two activations (attention). The shares are of the
    // costed MACs and of the pair's energy.
    bool transformer = false;
    double attention_mac_share = 0;     // MACs in attention's Q.K^T and A.V
    double attention_energy_share = 0;  // energy of those layers
    double vector_energy_share = 0;     // energy of softmax, layer norm and GELU (no MACs)
};

struct AcceleratorTraits {
    std::string name;
    std::string array_dims;          // "16x16x2x2", for display
    double mac_units = 0;            // MACs per cycle at full use
    double array_aspect = 1;         // largest / smallest array dimension
    double onchip_bits_per_mac = 0;  // all on-chip memory (every instance) per MAC unit
    double dram_bits_per_cycle = 0;  // widest DRAM port
    bool depthwise_dataflow = false; // the preset states a depthwise dataflow entry of its own
    // Peak share of the MAC units a depthwise layer (K = C = 1 per group) keeps busy under the dataflow
    // that applies to it (its own entry or the default's fallback); NaN when the dataflow is searched.
    double depthwise_mac_share = 0;
};

// "compact" for networks of the families designed for a mobile compute budget -- MobileNet v1/v2/v3,
// MnasNet, EfficientNet (its B0 base was searched under a mobile FLOPs target, B1-B7 scale it up),
// ShuffleNet, SqueezeNet, NASNet-A mobile -- decided from the zoo name and family (case-insensitive).
// Everything else is "classic": VGG, ResNet(-v2/-NeXt/SE), DenseNet, Inception, AlexNet, DarkNet,
// RegNet, NASNet-A large, and Xception (depthwise-separable, but designed at Inception v3's budget).
std::string classify_network(const std::string& name, const std::string& family);
// Section 5 compares transformers with CNNs when each side has at least this many networks.
inline constexpr std::size_t kMinNetworksPerArchitecture = 2;

std::vector<PairRecord> pair_records(const Assessment& a);
std::vector<AcceleratorTraits> accelerator_traits(const Assessment& a);

// Records must cover every network on every accelerator of `traits` (the network and accelerator
// orders of the text are the records' first-appearance orders); throws InputError otherwise.
std::string insights_markdown(const std::vector<PairRecord>& records, const std::vector<AcceleratorTraits>& traits);
std::string insights_markdown(const Assessment& a);

}  // namespace elaa::assess
