// Data files compiled into the binary (the accuracy tables under data/), so that `elaa` works from
// any directory without an install step. Paths are relative to the repository's data/ folder,
// e.g. "accuracy/imagenet_models.csv".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace elaa {

std::optional<std::string_view> embedded_file(std::string_view path);
std::vector<std::string> embedded_files();

}  // namespace elaa
