// Accelerator descriptions (docs/hardware.md): TOML syntax, schema validation, derivation of omitted
// energies and areas from the technology tables, and the to_toml round trip.
#include "fuzz_inputs.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    elaa::fuzz::expect_result_or_input_error([&] { elaa::fuzz::accelerator_toml(elaa::fuzz::as_text(data, size)); });
    return 0;
}
