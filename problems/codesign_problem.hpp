// The pagmo user-defined problems of `elaa optimise`: codesign, hardware_for_suite and
// network_for_hardware share one class, which delegates to the pagmo-free DesignEvaluator (the
// problem kind decides the genes and objectives there). Fitness is pure: one object is shared by
// all threads (thread_safety::constant).
#pragma once

#include <memory>
#include <pagmo/threading.hpp>
#include <pagmo/types.hpp>
#include <string>
#include <utility>

#include "optimise/design_evaluator.hpp"

namespace elaa::problems {

struct CodesignProblem {
    std::shared_ptr<const optimise::DesignEvaluator> evaluator;

    pagmo::vector_double fitness(const pagmo::vector_double& x) const { return evaluator->evaluate(x).objectives; }
    std::pair<pagmo::vector_double, pagmo::vector_double> get_bounds() const { return evaluator->encoding().bounds(); }
    pagmo::vector_double::size_type get_nobj() const { return evaluator->objective_count(); }
    // Integer genes are the last ones of the genome (encodings/encoding.hpp lays them out so).
    pagmo::vector_double::size_type get_nix() const { return evaluator->encoding().integer_dimension(); }
    std::string get_name() const { return "elaa " + std::string(optimise::to_string(evaluator->config().problem)); }
    pagmo::thread_safety get_thread_safety() const { return pagmo::thread_safety::constant; }
    // Never archived by pagmo: checkpoints store genomes and objectives in elaa's own format.
    template <typename Archive>
    void serialize(Archive&, unsigned) {}
};

}  // namespace elaa::problems
