// Search spaces of `elaa optimise` (docs/search-space.md), with their base accelerators.
#include "fuzz_inputs.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const auto spaces_dir = std::filesystem::path(ELAA_SOURCE_DIR) / "configs" / "spaces";
    elaa::fuzz::expect_result_or_input_error(
        [&] { elaa::fuzz::search_space_toml(elaa::fuzz::as_text(data, size), spaces_dir); });
    return 0;
}
