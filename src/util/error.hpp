// Errors caused by what a user gave us (files, names, options), as opposed to bugs.
// The CLI prints what() as a one-line message and exits non-zero; the message names the file,
// the key or line, and what was expected.
#pragma once

#include <stdexcept>
#include <string>

namespace elaa {

class InputError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace elaa
