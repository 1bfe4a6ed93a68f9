// "Did you mean" suggestions for misspelt names.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace elaa {

// Edit distance (insert, delete, substitute; case-insensitive).
std::size_t edit_distance(std::string_view a, std::string_view b);

// Up to `count` candidates closest to `query`, best first. Candidates that contain the query
// (or are contained in it) rank before others at the same distance.
std::vector<std::string> closest_names(std::string_view query, const std::vector<std::string>& candidates,
                                       std::size_t count = 5);

}  // namespace elaa
