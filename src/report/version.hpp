// Build provenance for reports (run.json, --version).
#pragma once

namespace elaa::report {

extern const char* const kVersion;    // project version from CMakeLists.txt
extern const char* const kGitCommit;  // commit the binary was built from ("unknown" outside git)

}  // namespace elaa::report
