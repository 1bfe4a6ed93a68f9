// ONNX import (docs/onnx.md): protobuf decoding (Debian's libprotobuf, not instrumented), graph
// checks, shape tracing and layer construction, from a scratch file holding the input.
#include "fuzz_inputs.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const auto file = elaa::fuzz::scratch_dir() / "input.onnx";
    elaa::fuzz::expect_result_or_input_error([&] { elaa::fuzz::onnx(elaa::fuzz::as_text(data, size), file); });
    return 0;
}
