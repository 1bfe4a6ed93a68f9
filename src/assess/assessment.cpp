#include "assess/assessment.hpp"

#include <fmt/format.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "hardware/presets.hpp"
#include "hardware/toml.hpp"
#include "util/error.hpp"
#include "workload/zoo/zoo.hpp"

namespace elaa::assess {

namespace {

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto comma = text.find(',', start);
        const auto item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (!item.empty()) out.push_back(item);
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return out;
}

bool is_suite(const std::string& name) { return name.rfind("suite/", 0) == 0; }

// `--nets contemporary`: the networks an architect is asked about in the 2020s next to the seed
// study's best CNNs. Transformers: every ViT, Swin (V1, V2) and MaxViT at its own resolution; CNNs
// designed against them or in the same years: ConvNeXt, EfficientNetV2, RegNetY (16, 32 GF); and the
// eight suite networks on every accelerator's energy-top-1 front of the seed study
// (results/assessment/insights.md, section 1).
const std::vector<std::string>& contemporary_networks() {
    static const std::vector<std::string> names{
        "vit_b_16", "vit_b_32", "vit_l_16", "vit_l_32", "vit_h_14",
        "swin_t", "swin_s", "swin_b", "swin_v2_t", "swin_v2_s", "swin_v2_b", "maxvit_t",
        "convnext_tiny", "convnext_small", "convnext_base", "convnext_large",
        "efficientnet_v2_s", "efficientnet_v2_m", "efficientnet_v2_l", "regnet_y_16gf", "regnet_y_32gf",
        "suite/DenseNet169", "suite/InceptionResnet_v2", "suite/MobileNet_v3_large", "suite/MobileNet_v3_small",
        "suite/NASNet_large", "suite/SENet154", "suite/SEResNeXt101", "suite/SEResNeXt50",
    };
    return names;
}

// The parametric families `--nets all` adds: the TF grids, EfficientNet and torchvision's models.
bool is_parametric(const workload::ZooEntry& e) { return !is_suite(e.name); }

}  // namespace

std::vector<std::string> select_networks(const std::string& selection) {
    const auto& zoo = workload::Zoo::instance();
    std::vector<std::string> out;
    if (selection == "contemporary") {
        out = contemporary_networks();
    } else if (selection == "suite" || selection == "all") {
        for (const auto& e : zoo.entries())
            if (is_suite(e.name)) out.push_back(e.name);
        if (selection == "all")
            for (const auto& e : zoo.entries())
                if (is_parametric(e) && accuracy::AccuracyTables::builtin().find(e.name)) out.push_back(e.name);
    } else {
        out = split_list(selection);
        for (const auto& name : out) zoo.build(name);  // InputError with the closest names if unknown
    }
    if (out.empty()) throw InputError("--nets: the selection '" + selection + "' names no network");
    return out;
}

std::vector<std::string> select_accelerators(const std::string& selection) {
    const auto out = selection == "all" ? hardware::suite_preset_names() : split_list(selection);
    if (out.empty()) throw InputError("--archs: the selection '" + selection + "' names no accelerator");
    return out;
}

Assessment run_assessment(const AssessOptions& options, const Progress& progress) {
    Assessment a;
    a.options = options;
    for (const auto& arch : options.archs)
        a.accelerators.push_back(arch.find(".toml") != std::string::npos || arch.find('/') != std::string::npos
                                     ? hardware::load_accelerator(arch)
                                     : hardware::load_preset(arch));
    for (const auto& name : options.nets) {
        a.networks.push_back(workload::Zoo::instance().build(name));
        // Published accuracy is one of the four objectives: a network without a row is refused.
        a.accuracy.push_back(accuracy::AccuracyTables::builtin().lookup(name));
    }
    if (a.networks.empty() || a.accelerators.empty()) throw InputError("assessment: empty selection");

    const std::size_t total = a.networks.size() * a.accelerators.size();
    a.pairs.resize(total);
    cost::SearchCache cache;
    cost::EvalOptions eval;
    eval.search.objective = options.objective;
    eval.search.space = options.space;
    eval.threads = 1;  // parallel over pairs instead

    std::atomic<std::size_t> next{0}, done{0};
    std::mutex progress_mutex;
    std::exception_ptr error;
    std::mutex error_mutex;
    auto worker = [&] {
        for (std::size_t i = next++; i < total; i = next++) {
            if (options.stop && options.stop->load()) break;
            try {
                PairResult& p = a.pairs[i];
                p.network = i / a.accelerators.size();
                p.accelerator = i % a.accelerators.size();
                const auto& acc = a.accelerators[p.accelerator];
                p.cost = cost::evaluate_network(a.networks[p.network], acc, eval, &cache);
                for (const auto& layer : p.cost.layers)
                    if (layer.costed)
                        for (const auto& t : layer.result.cost.traffic)
                            (acc.memories[t.memory].is_dram ? p.energy_dram_pj : p.energy_onchip_pj) += t.energy_pj;
            } catch (...) {
                std::lock_guard lock(error_mutex);
                if (!error) error = std::current_exception();
            }
            const auto finished = ++done;
            if (progress) {
                std::lock_guard lock(progress_mutex);
                progress(finished, total);
            }
        }
    };
    const unsigned threads = std::max(1u, std::min<unsigned>(options.threads, static_cast<unsigned>(total)));
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
    if (error) std::rethrow_exception(error);
    if (done < total)
        throw InputError(fmt::format("assess: stopped after {} of {} pairs; nothing was written", done.load(), total));
    return a;
}

}  // namespace elaa::assess
