#include "report/arch_tables.hpp"

#include <fmt/format.h>

#include "hardware/presets.hpp"

namespace elaa::report {

namespace {

std::string array_shape(const hardware::OperationalArray& array) {
    std::string out;
    for (int size : array.dim_sizes) out += fmt::format("{}{}", out.empty() ? "" : "x", size);
    return out;
}

}  // namespace

std::vector<std::string> arch_row(const hardware::Accelerator& acc) {
    const double peak_gmacs = static_cast<double>(acc.peak_macs_per_cycle()) * acc.frequency_mhz / 1000.0;
    return {acc.name,
            array_shape(acc.array),
            std::to_string(acc.array.total_units()),
            fmt::format("{:.1f}", acc.on_chip_bits() / 8.0 / 1024.0),
            fmt::format("{:.3f}", acc.area_mm2()),
            fmt::format("{:g}", acc.frequency_mhz),
            std::to_string(acc.peak_macs_per_cycle()),
            fmt::format("{:.1f}", peak_gmacs)};
}

Table arch_table() {
    Table table({"name", "array", "mac_units", "on_chip_kib", "area_mm2", "clock_mhz", "peak_macs_per_cycle",
                 "peak_gmac_s"});
    table.right_align({2, 3, 4, 5, 6, 7});
    for (const auto& name : hardware::preset_names()) table.add_row(arch_row(hardware::load_preset(name)));
    return table;
}

}  // namespace elaa::report
