// Writes a directory's new contents next to it and swaps them in only when complete, so that a
// failed or interrupted run never leaves the directory half-written or destroys what was there.
#pragma once

#include <filesystem>

namespace elaa {

class StagedDirectory {
public:
    // Creates an empty sibling staging directory ("<parent>/.<name>.staging-<pid>"). Throws
    // InputError when the parent is missing or not writable, or when `target` is a file.
    explicit StagedDirectory(std::filesystem::path target);
    ~StagedDirectory();  // removes the staging directory unless committed
    StagedDirectory(const StagedDirectory&) = delete;
    StagedDirectory& operator=(const StagedDirectory&) = delete;

    const std::filesystem::path& path() const { return staging_; }

    // Atomically puts the staged contents at the target: an existing directory is exchanged with
    // the staging one (renameat2 RENAME_EXCHANGE; rename(2) cannot replace a non-empty directory)
    // and then removed.
    void commit();

private:
    std::filesystem::path target_;
    std::filesystem::path staging_;
    bool committed_ = false;
};

}  // namespace elaa
