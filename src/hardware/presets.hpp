// The accelerator presets shipped in configs/arch/*.toml.
#pragma once

#include <string>
#include <vector>

#include "hardware/accelerator.hpp"

namespace elaa::hardware {

// Preset names (file stems), sorted.
const std::vector<std::string>& preset_names();
// Loads a preset by name; an unknown name is an InputError listing the presets, closest first.
Accelerator load_preset(const std::string& name);

}  // namespace elaa::hardware
