#include "encodings/network_grid.hpp"

#include <algorithm>
#include <map>
#include <regex>

#include "workload/zoo/zoo.hpp"

namespace elaa::encodings {

namespace {

// How a family's zoo names give its coordinates: a pattern whose groups are read by `read` into
// (width, resolution, raw depth); the raw depths are ranked afterwards.
struct FamilyPattern {
    const char* name;
    const char* about;
    const char* pattern;
    std::array<bool, 3> has;  // width, resolution, depth
    std::array<double, 3> (*read)(const std::smatch&);
};

double number(const std::ssub_match& m) { return std::stod(m.str()); }
// "1_6" -> 1.6 (torchvision writes decimals with an underscore)
double underscored(const std::ssub_match& m) {
    std::string text = m.str();
    std::replace(text.begin(), text.end(), '_', '.');
    return std::stod(text);
}
double size_rank(const std::string& size) {  // model sizes named by letter or word
    static const std::map<std::string, double> order{{"t", 0},    {"tiny", 0}, {"s", 1}, {"small", 1},
                                                     {"m", 2},    {"base", 2}, {"b", 2}, {"l", 3},
                                                     {"large", 3}};
    return order.at(size);
}

std::array<double, 3> width_resolution(const std::smatch& m) { return {number(m[1]), number(m[2]), 0}; }
std::array<double, 3> depth_only(const std::smatch& m) { return {0, 0, number(m[1])}; }

const std::vector<FamilyPattern>& patterns() {
    static const std::vector<FamilyPattern> all{
        {"mobilenet_v1", "mobilenet_v1_<width>_<resolution> (TF-slim grid)", R"(mobilenet_v1_([0-9.]+)_([0-9]+))",
         {true, true, false}, width_resolution},
        {"mobilenet_v2", "mobilenet_v2_<width>_<resolution> (TF-slim grid)", R"(mobilenet_v2_([0-9.]+)_([0-9]+))",
         {true, true, false}, width_resolution},
        {"mnasnet_a1", "mnasnet_a1_<width>_<resolution> (TPU grid)", R"(mnasnet_a1_([0-9.]+)_([0-9]+))",
         {true, true, false}, width_resolution},
        {"mobilenet_v3_large", "mobilenet_v3_large_<width>_<resolution> (TF-slim)",
         R"(mobilenet_v3_large_([0-9.]+)_([0-9]+))", {true, true, false}, width_resolution},
        {"mobilenet_v3_small", "mobilenet_v3_small_<width>_<resolution> (TF-slim)",
         R"(mobilenet_v3_small_([0-9.]+)_([0-9]+))", {true, true, false}, width_resolution},
        {"efficientnet_tf", "efficientnet_tf_b<depth> (TF, each at its own resolution)", R"(efficientnet_tf_b([0-9]))",
         {false, false, true}, depth_only},
        {"efficientnet", "efficientnet_b<depth> (torchvision)", R"(efficientnet_b([0-9]))", {false, false, true},
         depth_only},
        {"efficientnet_v2", "efficientnet_v2_<s|m|l>", R"(efficientnet_v2_([sml]))", {false, false, true},
         [](const std::smatch& m) { return std::array<double, 3>{0, 0, size_rank(m[1].str())}; }},
        {"resnet", "resnet<layers>", R"(resnet([0-9]+))", {false, false, true}, depth_only},
        {"regnet_x", "regnet_x_<flops> (torchvision, 224 px)", R"(regnet_x_([0-9_]+)(mf|gf))", {false, false, true},
         [](const std::smatch& m) {
             return std::array<double, 3>{0, 0, underscored(m[1]) * (m[2].str() == "gf" ? 1000 : 1)};
         }},
        {"regnet_y", "regnet_y_<flops> (torchvision, 224 px)", R"(regnet_y_([0-9_]+)(mf|gf))", {false, false, true},
         [](const std::smatch& m) {
             return std::array<double, 3>{0, 0, underscored(m[1]) * (m[2].str() == "gf" ? 1000 : 1)};
         }},
        {"shufflenet_v2", "shufflenet_v2_x<width>", R"(shufflenet_v2_x([0-9]_[0-9]))", {true, false, false},
         [](const std::smatch& m) { return std::array<double, 3>{underscored(m[1]), 0, 0}; }},
        {"densenet", "densenet<layers>", R"(densenet([0-9]+))", {false, false, true}, depth_only},
        {"vgg", "vgg<layers>", R"(vgg([0-9]+))", {false, false, true}, depth_only},
        {"convnext", "convnext_<tiny|small|base|large>", R"(convnext_(tiny|small|base|large))", {false, false, true},
         [](const std::smatch& m) { return std::array<double, 3>{0, 0, size_rank(m[1].str())}; }},
        {"swin", "swin_<t|s|b>", R"(swin_([tsb]))", {false, false, true},
         [](const std::smatch& m) { return std::array<double, 3>{0, 0, size_rank(m[1].str())}; }},
    };
    return all;
}

std::vector<NetworkFamily> build_families() {
    std::vector<NetworkFamily> out;
    const auto names = workload::Zoo::instance().names();
    for (const auto& p : patterns()) {
        NetworkFamily family{p.name, p.about, p.has, {}};
        const std::regex re(p.pattern);
        for (const auto& name : names) {
            std::smatch m;
            if (std::regex_match(name, m, re)) family.cells.push_back({name, p.read(m)});
        }
        if (family.cells.empty()) continue;
        // Depth as the rank among the family's depths: one depth gene means the same thing in
        // every family (0: the shallowest).
        std::vector<double> depths;
        for (const auto& c : family.cells) depths.push_back(c.at[2]);
        std::sort(depths.begin(), depths.end());
        depths.erase(std::unique(depths.begin(), depths.end()), depths.end());
        for (auto& c : family.cells)
            c.at[2] = static_cast<double>(std::lower_bound(depths.begin(), depths.end(), c.at[2]) - depths.begin());
        out.push_back(std::move(family));
    }
    return out;
}

}  // namespace

std::string_view to_string(GridAxis axis) {
    switch (axis) {
        case GridAxis::Width: return "width";
        case GridAxis::Resolution: return "resolution";
        case GridAxis::Depth: return "depth";
    }
    return "?";
}

const GridCell* NetworkFamily::find(const std::array<double, 3>& at) const {
    for (const auto& cell : cells) {
        bool match = true;
        for (std::size_t a = 0; a < 3; ++a) match = match && (!has[a] || cell.at[a] == at[a]);
        if (match) return &cell;
    }
    return nullptr;
}

const std::vector<NetworkFamily>& network_families() {
    static const std::vector<NetworkFamily> families = build_families();
    return families;
}

const NetworkFamily* find_family(std::string_view name) {
    for (const auto& family : network_families())
        if (family.name == name) return &family;
    return nullptr;
}

std::optional<std::pair<const NetworkFamily*, const GridCell*>> grid_cell_of(std::string_view network) {
    for (const auto& family : network_families())
        for (const auto& cell : family.cells)
            if (cell.network == network) return std::pair{&family, &cell};
    return std::nullopt;
}

}  // namespace elaa::encodings
