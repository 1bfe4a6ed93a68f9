// The Pareto set of an optimisation run, exported (`elaa export`): pareto.csv / pareto.json, one row
// per archive design sorted by energy then latency, and pareto/design_NNN.toml, accelerator files
// numbered in the same order that `elaa eval` accepts and that reproduce each design's figures.
#pragma once

#include <filesystem>
#include <nlohmann/json_fwd.hpp>
#include <ostream>
#include <vector>

#include "optimise/archive.hpp"
#include "optimise/design_evaluator.hpp"

namespace elaa::optimise {

struct ExportedDesign {
    ArchiveEntry entry;
    encodings::Design design;
    Evaluation evaluation;
    std::vector<std::pair<std::string, std::string>> genes;  // decoded gene values
};

// Decodes and re-evaluates the archive's designs, sorted by energy then latency.
std::vector<ExportedDesign> pareto_designs(const DesignEvaluator& evaluator, const std::vector<ArchiveEntry>& archive);

void write_pareto_csv(std::ostream& out, const DesignEvaluator& evaluator, const std::vector<ExportedDesign>& designs);
nlohmann::json pareto_json(const DesignEvaluator& evaluator, const std::vector<ExportedDesign>& designs);
// The accelerator TOML of design `number` (1-based), with the evaluation settings of the run.
std::string design_toml(const DesignEvaluator& evaluator, const ExportedDesign& design, std::size_t number);
std::string design_file_name(std::size_t number);  // "design_001.toml"

}  // namespace elaa::optimise
