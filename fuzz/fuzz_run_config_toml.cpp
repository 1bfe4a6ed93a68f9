// Run configurations of `elaa optimise` (docs/optimise.md): problem, space path, NSGA-II settings,
// budgets, and the config comparison made on resume.
#include "fuzz_inputs.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    elaa::fuzz::expect_result_or_input_error([&] { elaa::fuzz::run_config_toml(elaa::fuzz::as_text(data, size)); });
    return 0;
}
