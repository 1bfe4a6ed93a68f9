// Lookups into a Network that several test files share.
#pragma once

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <string>

#include "workload/network.hpp"

namespace elaa::test {

inline std::size_t count_kind(const workload::Network& net, workload::OpKind kind) {
    return static_cast<std::size_t>(std::count_if(net.layers.begin(), net.layers.end(),
                                                  [kind](const workload::Layer& l) { return l.kind == kind; }));
}

// The layer called `name`; fails the test when there is none.
inline const workload::Layer& layer_named(const workload::Network& net, const std::string& name) {
    const auto it = std::find_if(net.layers.begin(), net.layers.end(),
                                 [&](const workload::Layer& l) { return l.name == name; });
    INFO("layer " << name);
    REQUIRE(it != net.layers.end());
    return *it;
}

}  // namespace elaa::test
