// Network families as grids, for topology genes (docs/search-space.md): a family's zoo networks
// placed on ordinal axes (width multiplier, input resolution, depth), so that a genome chooses a
// family and a position on its axes and neighbouring genome values are neighbouring networks.
//
// The cells are read off the zoo's names (mobilenet_v1_0.50_160 is mobilenet_v1 at width 0.5,
// resolution 160), so a network added to the zoo under a family's naming joins its grid.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace elaa::encodings {

enum class GridAxis { Width, Resolution, Depth };
inline constexpr std::array<GridAxis, 3> kGridAxes{GridAxis::Width, GridAxis::Resolution, GridAxis::Depth};
std::string_view to_string(GridAxis axis);  // "width", "resolution", "depth"

struct GridCell {
    std::string network;  // the zoo name
    // Coordinates on the family's axes; unused axes hold 0. Depth is the rank of the network's
    // depth within its family (0: the shallowest), so one depth gene serves every family.
    std::array<double, 3> at{};
    double operator[](GridAxis axis) const { return at[static_cast<std::size_t>(axis)]; }
};

struct NetworkFamily {
    std::string name;   // "mobilenet_v1", "resnet", ...
    std::string about;  // how its zoo names map to the axes, for messages and docs
    std::array<bool, 3> has{};  // which axes it varies on
    std::vector<GridCell> cells;  // every zoo network of the family, in zoo-name order
    bool varies(GridAxis axis) const { return has[static_cast<std::size_t>(axis)]; }
    // The cell at these coordinates (axes the family does not vary on are ignored); nullptr if none.
    const GridCell* find(const std::array<double, 3>& at) const;
};

// Every family with a grid, from the zoo (built once).
const std::vector<NetworkFamily>& network_families();
const NetworkFamily* find_family(std::string_view name);
// The family and cell of a zoo network, if it sits on a grid.
std::optional<std::pair<const NetworkFamily*, const GridCell*>> grid_cell_of(std::string_view network);

}  // namespace elaa::encodings
