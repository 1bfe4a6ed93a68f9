// Reads ZigZag's per-layer reference CSVs (tests/reference/zigzag/) and its printed mappings.
#pragma once

#include <cctype>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "mapping/mapping.hpp"
#include "util/csv.hpp"

namespace elaa::test {

inline CsvTable zigzag_reference(const std::string& file) {
    const std::string path = std::string(ELAA_SOURCE_DIR) + "/tests/reference/zigzag/" + file;
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return CsvTable::parse(text.str(), path);
}

inline workload::Dim parse_dim(const std::string& name) {
    for (auto dim : workload::kAllDims)
        if (workload::to_string(dim) == name) return dim;
    throw std::runtime_error("unknown dim " + name);
}

// "{O: [[(FX, 7), (FY, 7)], [], []], W: [...], I: [...]}" -> operand -> levels -> (dim, factor).
using ZigzagLevels = std::vector<std::vector<std::pair<workload::Dim, double>>>;
inline std::map<workload::Operand, ZigzagLevels> parse_zigzag_mapping(const std::string& text) {
    std::map<workload::Operand, ZigzagLevels> out;
    std::size_t pos = 0;
    auto skip = [&] { while (pos < text.size() && std::isspace(static_cast<unsigned char>(text[pos]))) ++pos; };
    while ((pos = text.find_first_of("OWI", pos)) != std::string::npos) {
        const char op_char = text[pos];
        if (pos + 1 >= text.size() || text[pos + 1] != ':') { ++pos; continue; }
        const auto op = op_char == 'O' ? workload::Operand::O : op_char == 'W' ? workload::Operand::W : workload::Operand::I;
        pos = text.find('[', pos) + 1;  // outer list
        ZigzagLevels levels;
        for (;;) {
            skip();
            if (text[pos] == ']') { ++pos; break; }
            if (text[pos] == ',') { ++pos; continue; }
            // one level: [ (D, n), ... ]
            ++pos;  // '['
            std::vector<std::pair<workload::Dim, double>> level;
            for (;;) {
                skip();
                if (text[pos] == ']') { ++pos; break; }
                if (text[pos] == ',') { ++pos; continue; }
                ++pos;  // '('
                const auto comma = text.find(',', pos);
                const auto close = text.find(')', comma);
                std::string dim = text.substr(pos, comma - pos);
                level.emplace_back(parse_dim(dim), std::stod(text.substr(comma + 1, close - comma - 1)));
                pos = close + 1;
            }
            levels.push_back(level);
        }
        out[op] = levels;
    }
    return out;
}

inline mapping::TemporalMapping to_temporal(const std::map<workload::Operand, ZigzagLevels>& parsed) {
    mapping::TemporalMapping tm;
    for (const auto& [op, levels] : parsed)
        for (const auto& level : levels) {
            tm.of(op).emplace_back();
            for (const auto& [dim, size] : level) tm.of(op).back().push_back({dim, static_cast<std::int64_t>(size)});
        }
    return tm;
}

}  // namespace elaa::test
