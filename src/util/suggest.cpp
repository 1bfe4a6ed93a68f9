#include "util/suggest.hpp"

#include <algorithm>
#include <cctype>
#include <numeric>
#include <tuple>

namespace elaa {

namespace {
std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return out;
}
}  // namespace

std::size_t edit_distance(std::string_view a_in, std::string_view b_in) {
    const std::string a = lower(a_in), b = lower(b_in);
    std::vector<std::size_t> row(b.size() + 1);
    std::iota(row.begin(), row.end(), 0);
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = up;
        }
    }
    return row[b.size()];
}

std::vector<std::string> closest_names(std::string_view query, const std::vector<std::string>& candidates,
                                       std::size_t count) {
    const std::string q = lower(query);
    std::vector<std::tuple<int, std::size_t, std::string>> scored;
    for (const auto& name : candidates) {
        const std::string n = lower(name);
        const bool related = !q.empty() && (n.find(q) != std::string::npos || q.find(n) != std::string::npos);
        scored.emplace_back(related ? 0 : 1, edit_distance(q, n), name);
    }
    std::sort(scored.begin(), scored.end());
    std::vector<std::string> out;
    for (std::size_t i = 0; i < scored.size() && i < count; ++i) out.push_back(std::get<2>(scored[i]));
    return out;
}

}  // namespace elaa
