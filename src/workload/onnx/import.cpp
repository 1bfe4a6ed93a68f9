#include "workload/onnx/import.hpp"

#include "util/error.hpp"

namespace elaa::workload {

OnnxImportResult import_onnx(const std::filesystem::path& file, const OnnxImportOptions&) {
    throw InputError(file.string() + ": ONNX import not yet written");
}

}  // namespace elaa::workload
