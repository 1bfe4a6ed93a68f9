// Where a layer's operands live when the W slot holds an activation (attention's Q.K^T and A.V).
//
// An accelerator's W hierarchy is built for weights: a read-only path from DRAM through weight
// buffers into the PEs' weight registers. The second operand of a product of two activations is
// produced by the previous layer like any activation, so it does not travel that path. It keeps
// the datapath's second-operand registers inside the array (the W memories replicated per PE or
// per array row: more than one instance), and otherwise lives where activations live: the
// array-wide memories that hold I (each gains the W slot on the ports I uses) and DRAM. The
// array-wide weight buffers are bypassed. Area is unchanged: it is the same chip.
#pragma once

#include "hardware/accelerator.hpp"
#include "workload/layer.hpp"

namespace elaa::hardware {

// The accelerator as seen by a layer whose W slot is an activation (docs/cost-model.md). Applying
// it twice changes nothing.
Accelerator with_activation_second_operand(const Accelerator& acc);

// Whether `layer` sees the accelerator through that view (a product of two activations).
bool second_operand_is_activation(const workload::Layer& layer);

}  // namespace elaa::hardware
