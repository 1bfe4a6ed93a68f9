// Checkpoints of `elaa optimise`: header checks and the JSON payload as load_saved_run reads it
// (see elaa::fuzz::checkpoint for how an input becomes a file).
#include "fuzz_inputs.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    elaa::fuzz::expect_result_or_input_error(
        [&] { elaa::fuzz::checkpoint(elaa::fuzz::as_text(data, size), elaa::fuzz::scratch_dir()); });
    return 0;
}
