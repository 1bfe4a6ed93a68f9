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
constexpr std::string_view kPrefix = "configs/arch/";
constexpr std::string_view kExtension = ".toml";

std::string embedded_path(const std::string& name) {
    return std::string(kPrefix) + name + std::string(kExtension);
}

}  // namespace

const std::vector<std::string>& preset_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const auto& path : embedded_files())
            if (path.starts_with(kPrefix) && path.ends_with(kExtension))
                out.push_back(path.substr(kPrefix.size(), path.size() - kPrefix.size() - kExtension.size()));
        std::sort(out.begin(), out.end());
        return out;
    }();
    return names;
}

Accelerator load_preset(const std::string& name) {
    const auto text = embedded_file(embedded_path(name));
    if (!text) {
        std::string list;
        for (const auto& candidate : closest_names(name, preset_names(), preset_names().size()))
            list += fmt::format("{}{}", list.empty() ? "" : ", ", candidate);
        throw InputError(fmt::format("unknown accelerator preset '{}'; presets: {}", name, list));
    }
    return parse_accelerator(*text, embedded_path(name));
}

}  // namespace elaa::hardware
