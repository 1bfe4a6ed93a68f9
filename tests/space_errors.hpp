// Loader errors of search spaces written inline in a test, with bases found in configs/spaces.
#pragma once

#include <string>

#include "encodings/search_space.hpp"
#include "util/error.hpp"

namespace elaa::test {

inline const std::string kSpaces = std::string(ELAA_SOURCE_DIR) + "/configs/spaces";

// The InputError a space text raises, or "(no error)".
inline std::string space_load_error(const std::string& text) {
    try {
        encodings::parse_search_space(text, "space.toml", kSpaces);
    } catch (const InputError& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace elaa::test
