// Import a network's cost-bearing layers from an ONNX file (shapes only; weights are never needed).
// What is imported, which operators and the limitations: docs/onnx.md.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "workload/network.hpp"

namespace elaa::workload {

struct OnnxImportOptions {
    // Import the supported nodes and list unsupported ones in `skipped`, instead of failing.
    bool skip_unsupported = false;
    Precision precision{};
    // The value given to a symbolic (dynamic) batch dimension of the graph input, e.g. "batch_size"
    // from torch.onnx.export(dynamic_axes=...). Fixed batch dimensions are kept as the model has them.
    std::int64_t symbolic_batch = 1;
};

struct OnnxImportResult {
    Network network;
    std::vector<std::string> skipped;  // "node 'name' (op Type)" for each unsupported node skipped
};

// Throws elaa::InputError naming the file and what failed (unreadable, not ONNX, missing shapes,
// unsupported operator without skip_unsupported, ...).
OnnxImportResult import_onnx(const std::filesystem::path& file, const OnnxImportOptions& options = {});

}  // namespace elaa::workload
