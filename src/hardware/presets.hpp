// The accelerator presets: the assessment suite in configs/arch/*.toml (architectures "like" a
// published one, as ZigZag and the seed study model them) and the chips in configs/chips/*.toml
// (one measured chip each, held against its published figures by `elaa validate`).
#pragma once

#include <string>
#include <vector>

#include "hardware/accelerator.hpp"

namespace elaa::hardware {

// Every preset name (file stems): the suite, then the chips, each sorted.
const std::vector<std::string>& preset_names();
// The assessment suite only (what `assess --archs all` runs).
const std::vector<std::string>& suite_preset_names();
// Loads a preset by name; an unknown name is an InputError listing the presets, closest first.
Accelerator load_preset(const std::string& name);

}  // namespace elaa::hardware
