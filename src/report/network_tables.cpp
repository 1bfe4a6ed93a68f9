#include "report/network_tables.hpp"

#include <fmt/format.h>

#include "accuracy/accuracy.hpp"
#include "workload/zoo/zoo.hpp"

namespace elaa::report {

std::string millions(std::int64_t count, int decimals) {
    return fmt::format("{:.{}f}", static_cast<double>(count) / 1e6, decimals);
}

Table zoo_table(const std::string& family_filter, const std::string& weights) {
    Table table({"name", "family", "resolution", "layers", "macs_m", "params_m", "top1", "top5",
                 "accuracy_source"});
    table.right_align({2, 3, 4, 5, 6, 7});
    const auto& tables = accuracy::AccuracyTables::builtin();
    for (const auto& entry : workload::Zoo::instance().entries()) {
        if (!family_filter.empty() && entry.family != family_filter) continue;
        const workload::Network net = entry.build();
        const auto acc = tables.find(entry.name, weights);
        table.add_row({entry.name, entry.family, std::to_string(net.resolution),
                       std::to_string(net.layers.size()), millions(net.macs()), millions(net.params()),
                       acc ? fmt::format("{:.2f}", acc->top1) : "-",
                       acc && acc->top5 ? fmt::format("{:.2f}", *acc->top5) : "-",
                       acc ? acc->weights + " (" + acc->source + ")" : "no published row"});
    }
    return table;
}

Table layer_table(const workload::Network& net) {
    Table table({"layer", "kind", "B", "K", "C", "OY", "OX", "FY", "FX", "G", "stride", "pad", "macs",
                 "ops"});
    table.right_align({2, 3, 4, 5, 6, 7, 8, 9, 12, 13});
    for (const auto& l : net.layers) {
        table.add_row({l.name, std::string(workload::to_string(l.kind)), std::to_string(l.B),
                       std::to_string(l.K), std::to_string(l.C), std::to_string(l.OY), std::to_string(l.OX),
                       std::to_string(l.FY), std::to_string(l.FX), std::to_string(l.G),
                       fmt::format("{}x{}", l.stride_y, l.stride_x),
                       fmt::format("{},{},{},{}", l.pad_top, l.pad_left, l.pad_bottom, l.pad_right),
                       std::to_string(l.macs()), std::to_string(l.ops())});
    }
    return table;
}

}  // namespace elaa::report
