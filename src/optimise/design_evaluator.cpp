#include "optimise/design_evaluator.hpp"

#include <cmath>

#include "accuracy/accuracy.hpp"
#include "cost/evaluate.hpp"
#include "hardware/presets.hpp"
#include "hardware/toml.hpp"
#include "util/error.hpp"
#include "workload/zoo/zoo.hpp"

namespace elaa::optimise {

namespace {

// network_for_hardware: a space with the fixed accelerator and a single gene choosing the network.
encodings::SearchSpace network_only_space(const RunConfig& c) {
    encodings::SearchSpace space;
    space.name = "networks on " + c.accelerator;
    space.file = c.source;
    space.base = c.accelerator.find(".toml") != std::string::npos ? hardware::load_accelerator(c.accelerator)
                                                                  : hardware::load_preset(c.accelerator);
    space.precision = "int" + std::to_string(space.base.array.precision_bits);
    encodings::Gene gene;
    gene.name = gene.target_text = "network";
    gene.target = encodings::Target::Network;
    gene.kind = encodings::GeneKind::Choice;
    gene.labels = c.networks;
    for (const auto& name : c.networks) workload::Zoo::instance().build(name);  // InputError if unknown
    space.genes.push_back(gene);
    return space;
}

double geometric_mean(const std::vector<double>& values) {
    double log_sum = 0;
    for (double v : values) log_sum += std::log(v);
    return std::exp(log_sum / static_cast<double>(values.size()));
}

}  // namespace

DesignEvaluator::DesignEvaluator(const RunConfig& config, std::size_t search_cache_bytes)
    : config_(config), searches_(search_cache_bytes, cost::SearchCache::Keep::Figures) {  // totals are all it needs
    auto space = config.problem == ProblemKind::NetworkForHardware ? network_only_space(config)
                                                                   : encodings::load_search_space(config.space);
    if (config.problem == ProblemKind::HardwareForSuite && space.chooses_network())
        throw InputError(config.source + ": hardware_for_suite evaluates the [suite] networks; the space '" +
                         space.file + "' has a network gene: remove it");
    if (config.problem == ProblemKind::Codesign && !space.chooses_network())
        throw InputError(config.source + ": codesign needs a network gene in the space '" + space.file + "'");
    for (const auto& name : config.suite) workload::Zoo::instance().build(name);  // InputError if unknown
    encoding_ = std::make_shared<const encodings::Encoding>(std::move(space));
    if (encoding_->dimension() == 0) throw InputError(config.source + ": the search space has no genes");
    eval_options_.search.objective = config.mapping_objective;
    eval_options_.search.space = config.search;
}

std::vector<std::string> DesignEvaluator::objective_names() const {
    switch (config_.problem) {
        case ProblemKind::Codesign: return {"energy_j", "latency_s", "area_mm2", "neg_top1"};
        case ProblemKind::HardwareForSuite: return {"geomean_energy_j", "geomean_latency_s", "area_mm2"};
        case ProblemKind::NetworkForHardware: return {"energy_j", "latency_s", "neg_top1"};
    }
    return {};
}

const workload::Network& DesignEvaluator::network(const std::string& name) const {
    std::lock_guard lock(mutex_);
    auto& slot = networks_[name];
    if (!slot) slot = std::make_unique<workload::Network>(workload::Zoo::instance().build(name));
    return *slot;
}

Evaluation DesignEvaluator::penalty(std::string reason, double violation) const {
    Evaluation e;
    e.reason = std::move(reason);
    e.objectives.assign(objective_count(), kPenalty * (1 + violation));
    return e;
}

Evaluation DesignEvaluator::evaluate(const std::vector<double>& genome) const {
    ++evaluations_;
    const auto key = encoding_->normalise(genome);
    {
        std::lock_guard lock(mutex_);
        if (auto it = genomes_.find(key); it != genomes_.end()) {
            ++genome_hits_;
            return it->second;
        }
    }
    Evaluation result;
    const auto decoded = encoding_->decode(key);
    if (!decoded.design) {
        result = penalty(decoded.infeasible, 1);
    } else {
        const auto& design = *decoded.design;
        const auto& acc = design.accelerator;
        const double area = acc.area_mm2();
        const double seconds_per_cycle = 1 / (acc.frequency_mhz * 1e6);
        auto run = [&](const std::string& name, double& energy_j, double& latency_s) {
            const auto cost = cost::evaluate_network(network(name), acc, eval_options_, &searches_);
            for (const auto& layer : cost.layers) layer_searches_ += layer.costed ? 1 : 0;
            layer_hits_ += cost.cache_hits;
            energy_j = cost.energy_pj * 1e-12;
            latency_s = cost.latency_cycles * seconds_per_cycle;
        };
        try {
            result.area_mm2 = area;
            if (config_.problem == ProblemKind::HardwareForSuite) {
                std::vector<double> energies, latencies;
                for (const auto& name : config_.suite) {
                    double e = 0, l = 0;
                    run(name, e, l);
                    energies.push_back(e);
                    latencies.push_back(l);
                }
                result.energy_j = geometric_mean(energies);
                result.latency_s = geometric_mean(latencies);
                result.objectives = {result.energy_j, result.latency_s, area};
            } else {
                result.network = design.network;
                run(design.network, result.energy_j, result.latency_s);
                const auto acc_row = accuracy::AccuracyTables::builtin().lookup(design.network, design.accuracy_precision);
                result.top1 = acc_row.top1;
                result.accuracy_source = acc_row.weights + " (" + acc_row.source + ")";
                if (config_.problem == ProblemKind::Codesign)
                    result.objectives = {result.energy_j, result.latency_s, area, -result.top1};
                else
                    result.objectives = {result.energy_j, result.latency_s, -result.top1};
            }
            result.feasible = true;
            // Budgets: the relative excess is the violation.
            double violation = 0;
            std::string why;
            const auto& b = config_.budgets;
            if (b.max_area_mm2 && area > *b.max_area_mm2) {
                violation += area / *b.max_area_mm2 - 1;
                why += "area above budget; ";
            }
            if (b.max_latency_s && result.latency_s > *b.max_latency_s) {
                violation += result.latency_s / *b.max_latency_s - 1;
                why += "latency above budget; ";
            }
            if (b.min_top1 && config_.problem != ProblemKind::HardwareForSuite && result.top1 < *b.min_top1) {
                violation += (*b.min_top1 - result.top1) / *b.min_top1;
                why += "top-1 below budget; ";
            }
            if (!why.empty()) {
                auto penalised = penalty(why.substr(0, why.size() - 2), violation);
                penalised.energy_j = result.energy_j;
                penalised.latency_s = result.latency_s;
                penalised.area_mm2 = result.area_mm2;
                penalised.top1 = result.top1;
                penalised.network = result.network;
                result = penalised;
            }
        } catch (const cost::MappingError& e) {
            result = penalty(e.what(), 1);  // a layer that fits no mapping on this hardware
        } catch (const InputError& e) {
            result = penalty(e.what(), 1);  // e.g. no accuracy row at this precision
        }
    }
    std::lock_guard lock(mutex_);
    genomes_.emplace(key, result);
    return result;
}

EvaluatorStats DesignEvaluator::stats() const {
    return {evaluations_.load(), genome_hits_.load(), layer_searches_.load(), layer_hits_.load()};
}

}  // namespace elaa::optimise
