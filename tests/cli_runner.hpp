// Runs the built `elaa` binary (ELAA_BINARY) and captures its exit code, stdout and stderr.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace elaa::test {

struct CommandResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

inline std::string read_all(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// `args` is appended to the binary's path as shell words (callers quote what needs quoting).
inline CommandResult run_elaa(const std::string& args) {
    const auto dir = std::filesystem::temp_directory_path();
    const auto tag = std::to_string(::getpid()) + "_" + std::to_string(std::rand());
    const auto out_path = dir / ("elaa_out_" + tag), err_path = dir / ("elaa_err_" + tag);
    const std::string command = std::string("'") + ELAA_BINARY + "' " + args + " >'" + out_path.string() +
                                "' 2>'" + err_path.string() + "' </dev/null";
    const int status = std::system(command.c_str());
    CommandResult result;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.out = read_all(out_path);
    result.err = read_all(err_path);
    std::filesystem::remove(out_path);
    std::filesystem::remove(err_path);
    return result;
}

}  // namespace elaa::test
