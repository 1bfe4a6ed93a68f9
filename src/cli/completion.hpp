// Shell completion scripts generated from the command-line definition, so a new option or preset
// completes without anyone editing a script: `eval "$(elaa completion bash)"`.
#pragma once

#include <string>

#include "cli/command_line.hpp"

namespace elaa::cli {

// A bash script defining _elaa and registering it with `complete` (bash 4.1 or later; it does not
// need the bash-completion package).
std::string bash_completion(const CommandLine& command_line);

// A zsh script for the completion system (compinit): used as a file `_elaa` on $fpath, or sourced
// or eval'ed after compinit.
std::string zsh_completion(const CommandLine& command_line);

}  // namespace elaa::cli
