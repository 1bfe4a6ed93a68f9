#include "util/staged_directory.hpp"

#include <atomic>

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "util/error.hpp"

namespace elaa {

namespace fs = std::filesystem;

StagedDirectory::StagedDirectory(fs::path target) : target_(std::move(target)) {
    if (target_.filename().empty()) target_ = target_.parent_path();  // "out/" -> "out"
    const fs::path parent = target_.has_parent_path() ? target_.parent_path() : fs::path(".");
    std::error_code ec;
    if (!fs::is_directory(parent, ec))
        throw InputError(target_.string() + ": the parent directory " + parent.string() + " does not exist");
    if (fs::exists(target_, ec) && !fs::is_directory(target_, ec))
        throw InputError(target_.string() + ": exists and is not a directory");
    // Unique per process and per object: two threads staging the same target do not share a directory.
    static std::atomic<unsigned> serial{0};
    staging_ = parent / ("." + target_.filename().string() + ".staging-" + std::to_string(::getpid()) + "-" +
                         std::to_string(serial++));
    fs::remove_all(staging_, ec);
    if (!fs::create_directory(staging_, ec))
        throw InputError(target_.string() + ": cannot write in " + parent.string() + " (" + ec.message() + ")");
}

StagedDirectory::~StagedDirectory() {
    if (committed_) return;
    std::error_code ec;
    fs::remove_all(staging_, ec);
}

void StagedDirectory::commit() {
    std::error_code ec;
    if (fs::exists(target_, ec)) {
        if (::renameat2(AT_FDCWD, staging_.c_str(), AT_FDCWD, target_.c_str(), RENAME_EXCHANGE) != 0)
            throw InputError(target_.string() + ": cannot replace it (" + std::strerror(errno) + "); the new results are in " +
                             staging_.string());
        committed_ = true;
        fs::remove_all(staging_, ec);  // now holds the previous contents
    } else {
        if (::rename(staging_.c_str(), target_.c_str()) != 0)
            throw InputError(target_.string() + ": cannot create it (" + std::strerror(errno) + ")");
        committed_ = true;
    }
}

}  // namespace elaa
