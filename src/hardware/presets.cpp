#include "hardware/presets.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "hardware/toml.hpp"
#include "util/embedded.hpp"
#include "util/error.hpp"
#include "util/suggest.hpp"

namespace elaa::hardware {

namespace {

// Presets are compiled into the binary from configs/arch/*.toml (cmake/EmbedData.cmake), so the
// numbers a result came from never depend on the working directory.
constexpr std::string_view kSuitePrefix = "configs/arch/";
constexpr std::string_view kChipPrefix = "configs/chips/";
constexpr std::string_view kExtension = ".toml";

std::vector<std::string> stems_under(std::string_view prefix) {
    std::vector<std::string> out;
    for (const auto& path : embedded_files())
        if (path.starts_with(prefix) && path.ends_with(kExtension))
            out.push_back(path.substr(prefix.size(), path.size() - prefix.size() - kExtension.size()));
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

const std::vector<std::string>& suite_preset_names() {
    static const std::vector<std::string> names = stems_under(kSuitePrefix);
    return names;
}

const std::vector<std::string>& preset_names() {
    static const std::vector<std::string> names = [] {
        auto out = suite_preset_names();
        for (auto& chip : stems_under(kChipPrefix)) out.push_back(std::move(chip));
        return out;
    }();
    return names;
}

Accelerator load_preset(const std::string& name) {
    for (auto prefix : {kSuitePrefix, kChipPrefix}) {
        const std::string path = std::string(prefix) + name + std::string(kExtension);
        if (const auto text = embedded_file(path)) return parse_accelerator(*text, path);
    }
    std::string list;
    for (const auto& candidate : closest_names(name, preset_names(), preset_names().size()))
        list += fmt::format("{}{}", list.empty() ? "" : ", ", candidate);
    throw InputError(fmt::format("unknown accelerator preset '{}'; presets: {}", name, list));
}

}  // namespace elaa::hardware
