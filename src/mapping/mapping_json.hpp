// Mappings as JSON, so that a mapping found by one run can be printed, edited and evaluated again
// without a search (`elaa eval --mapping FILE`).
//
//   {"spatial":  {"D1": [["K", 32]], "D2": [["C", 12.8]]},            unrolling per array dim
//    "temporal": {"W": [[["FX", 7], ["FY", 7]], []], "I": [...], "O": [...]}}
//                 per operand, its memory levels bottom-up, loops innermost first
//
// A fractional spatial factor is the one ZigZag's conversion gives (K = 64 on 14 PEs: 12.8); its
// integer part is what latency uses.
#pragma once

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "mapping/mapping.hpp"

namespace elaa::mapping {

nlohmann::json to_json(const Mapping& mapping, const hardware::Accelerator& acc);

// Throws InputError naming `where` (file and layer) and the offending key.
Mapping mapping_from_json(const nlohmann::json& json, const hardware::Accelerator& acc, const std::string& where);

// Reads the per-layer mappings of an `elaa eval --json` output (its "layers" array: name + mapping),
// by layer name. Throws InputError naming the file on a read or format problem.
std::map<std::string, Mapping> load_mappings(const std::string& path, const hardware::Accelerator& acc);
// The same from text already read (`path` names it in messages).
std::map<std::string, Mapping> parse_mappings(const std::string& text, const std::string& path,
                                              const hardware::Accelerator& acc);

}  // namespace elaa::mapping
