// Accelerator descriptions in TOML: load (with validation and derivation of omitted energies and areas
// from the technology tables) and save. The schema is documented in docs/hardware.md.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "hardware/accelerator.hpp"

namespace elaa::hardware {

// Reads and validates an accelerator file. Every problem is an InputError whose message names the
// file, the line, the key and what was expected.
Accelerator load_accelerator(const std::filesystem::path& path);
// The same from text; `source_name` names it in messages.
Accelerator parse_accelerator(std::string_view toml_text, std::string source_name);

// Writes an accelerator so that parse_accelerator(to_toml(a), ...) == a. Figures marked derived are
// omitted (they are re-derived on load), everything else is written explicitly.
std::string to_toml(const Accelerator& accelerator);

}  // namespace elaa::hardware
