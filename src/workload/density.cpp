#include "workload/density.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "util/suggest.hpp"

namespace elaa::workload {

namespace {

double density_value(const toml::node& node, std::string_view key, const toml_read::Place& place) {
    const double value = toml_read::as_number(node, key, place);
    if (!(value > 0 && value <= 1))
        place.fail(node, fmt::format("'{}' must be a density in (0, 1] (the non-zero fraction), got {}", key, value));
    return value;
}

}  // namespace

void apply_densities(Network& net, const toml::table& table, const toml_read::Place& place) {
    std::vector<std::string> names;
    for (const auto& layer : net.layers) names.push_back(layer.name);
    for (auto&& [key, node] : table) {
        const std::string name(key.str());
        auto layer = std::find_if(net.layers.begin(), net.layers.end(), [&](const Layer& l) { return l.name == name; });
        if (layer == net.layers.end()) {
            const auto close = closest_names(name, names, 3);
            place.fail(key.source(), fmt::format("network '{}' has no layer '{}'{}", net.name, name,
                                                 close.empty() ? "" : "; closest: " + toml_read::join(close)));
        }
        const toml_read::Place at = place.inner(fmt::format("[{}]", name));
        if (!node.is_table()) at.fail(node, fmt::format("'{}' must be a table such as {{ input = 0.6 }}", name));
        const auto& densities = *node.as_table();
        toml_read::check_keys(densities, {"input", "output"}, at);
        if (const auto* input = densities.get("input")) layer->input_density = density_value(*input, "input", at);
        if (const auto* output = densities.get("output")) layer->output_density = density_value(*output, "output", at);
    }
}

Network with_densities(Network net, const std::string& path) {
    const toml::table table = toml_read::parse_file(path);
    apply_densities(net, table, toml_read::Place{path, "top level"});
    return net;
}

}  // namespace elaa::workload
