#include "mapping/mapping_json.hpp"

#include <cmath>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "util/error.hpp"

namespace elaa::mapping {

using nlohmann::json;

namespace {

Dim dim_from(const json& j, const std::string& where) {
    if (!j.is_string()) throw InputError(where + ": expected a loop dimension name (B, K, C, OY, OX, FY, FX, G)");
    const auto name = j.get<std::string>();
    for (Dim d : workload::kAllDims)
        if (workload::to_string(d) == name) return d;
    throw InputError(where + ": unknown loop dimension '" + name + "' (expected B, K, C, OY, OX, FY, FX or G)");
}

Operand operand_from(const std::string& name, const std::string& where) {
    for (Operand op : kOperands)
        if (workload::to_string(op) == name) return op;
    throw InputError(where + ": unknown operand '" + name + "' (expected W, I or O)");
}

}  // namespace

json to_json(const Mapping& mapping, const hardware::Accelerator& acc) {
    json spatial = json::object();
    for (std::size_t d = 0; d < mapping.spatial.per_array_dim.size() && d < acc.array.dim_names.size(); ++d) {
        json loops = json::array();
        for (const auto& loop : mapping.spatial.per_array_dim[d])
            loops.push_back({std::string(workload::to_string(loop.dim)), loop.factor});
        spatial[acc.array.dim_names[d]] = loops;
    }
    json temporal = json::object();
    for (Operand op : kOperands) {
        if (mapping.temporal.of(op).empty()) continue;
        json levels = json::array();
        for (const auto& level : mapping.temporal.of(op)) {
            json loops = json::array();
            for (const auto& loop : level) loops.push_back({std::string(workload::to_string(loop.dim)), loop.size});
            levels.push_back(loops);
        }
        temporal[std::string(workload::to_string(op))] = levels;
    }
    return {{"spatial", spatial}, {"temporal", temporal}};
}

Mapping mapping_from_json(const json& j, const hardware::Accelerator& acc, const std::string& where) {
    if (!j.is_object() || !j.contains("spatial") || !j.contains("temporal"))
        throw InputError(where + ": expected an object with \"spatial\" and \"temporal\"");
    Mapping m;
    m.spatial.per_array_dim.resize(acc.array.dim_names.size());
    const auto& spatial = j.at("spatial");
    if (!spatial.is_object()) throw InputError(where + ": \"spatial\" must map array dimensions to unrollings");
    for (const auto& [name, loops] : spatial.items()) {
        const auto d = acc.array.dim_index(name);
        if (!d) throw InputError(where + ": spatial: accelerator '" + acc.name + "' has no array dimension '" + name + "'");
        if (!loops.is_array()) throw InputError(where + ": spatial." + name + ": expected a list of [dimension, factor]");
        double product = 1;
        for (const auto& loop : loops) {
            if (!loop.is_array() || loop.size() != 2 || !loop[1].is_number())
                throw InputError(where + ": spatial." + name + ": expected [dimension, factor] pairs");
            const double factor = loop[1].get<double>();
            if (!(factor >= 1)) throw InputError(where + ": spatial." + name + ": factor must be at least 1");
            product *= factor;
            m.spatial.per_array_dim[*d].push_back({dim_from(loop[0], where + ": spatial." + name), factor,
                                                   static_cast<int>(std::trunc(factor))});
        }
        if (product > acc.array.dim_sizes[*d] + 1e-9)
            throw InputError(where + ": spatial." + name + ": unrolls " + std::to_string(product) + " but the array dimension has " +
                             std::to_string(acc.array.dim_sizes[*d]) + " units");
    }
    const auto& temporal = j.at("temporal");
    if (!temporal.is_object()) throw InputError(where + ": \"temporal\" must map operands to memory levels");
    for (const auto& [name, levels] : temporal.items()) {
        const Operand op = operand_from(name, where + ": temporal");
        if (!levels.is_array()) throw InputError(where + ": temporal." + name + ": expected a list of memory levels");
        for (const auto& level : levels) {
            if (!level.is_array()) throw InputError(where + ": temporal." + name + ": each level is a list of loops");
            m.temporal.of(op).emplace_back();
            for (const auto& loop : level) {
                if (!loop.is_array() || loop.size() != 2 || !loop[1].is_number_integer() || loop[1].get<std::int64_t>() < 1)
                    throw InputError(where + ": temporal." + name + ": expected [dimension, size >= 1] pairs");
                m.temporal.of(op).back().push_back({dim_from(loop[0], where + ": temporal." + name), loop[1].get<std::int64_t>()});
            }
        }
    }
    return m;
}

std::map<std::string, Mapping> load_mappings(const std::string& path, const hardware::Accelerator& acc) {
    std::ifstream in(path);
    if (!in) throw InputError(path + ": cannot read the mapping file");
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return parse_mappings(text, path, acc);
}

std::map<std::string, Mapping> parse_mappings(const std::string& text, const std::string& path,
                                              const hardware::Accelerator& acc) {
    json doc;
    try {
        doc = json::parse(text);
    } catch (const json::parse_error& e) {
        throw InputError(path + ": not valid JSON (" + std::string(e.what()) + ")");
    }
    if (!doc.is_object() || !doc.contains("layers") || !doc["layers"].is_array())
        throw InputError(path + ": expected the output of 'elaa eval --json' (an object with a \"layers\" array)");
    std::map<std::string, Mapping> out;
    for (const auto& layer : doc["layers"]) {
        if (!layer.is_object() || !layer.contains("name") || !layer["name"].is_string())
            throw InputError(path + ": every entry of \"layers\" needs a \"name\"");
        if (!layer.contains("mapping") || layer["mapping"].is_null()) continue;  // layer not costed
        const auto name = layer["name"].get<std::string>();
        out[name] = mapping_from_json(layer["mapping"], acc, path + ": layer '" + name + "'");
    }
    return out;
}

}  // namespace elaa::mapping
