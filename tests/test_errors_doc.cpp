// docs/errors.md is executable: every example's files are written into an empty directory, its
// command is run there, and the message and exit code must be exactly the documented ones.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.hpp"

namespace fs = std::filesystem;

namespace {

struct Example {
    std::string title;
    std::vector<std::pair<std::string, std::string>> files;  // name, bytes
    std::string command;
    std::string expected;
    int exit_code = -1;
};

std::string unhex(const std::string& hex) {
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    return out;
}

std::vector<Example> read_examples(const fs::path& doc) {
    std::ifstream in(doc);
    REQUIRE(in);
    std::vector<Example> out;
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("## ", 0) == 0) {
            out.push_back({});
            out.back().title = line.substr(3);
            continue;
        }
        if (line.rfind("```", 0) != 0 || line == "```" || out.empty()) continue;
        const std::string info = line.substr(3);
        std::string body;
        while (std::getline(in, line) && line != "```") body += line + "\n";
        Example& e = out.back();
        if (const auto f = info.find(" file="); f != std::string::npos) {
            const std::string name = info.substr(f + 6);
            e.files.emplace_back(name, info.rfind("bytes", 0) == 0 ? unhex(body.substr(0, body.size() - 1)) : body);
        } else if (info == "sh") {
            e.command = body.substr(0, body.size() - 1);
        } else if (info.rfind("text exit=", 0) == 0) {
            e.exit_code = std::stoi(info.substr(10));
            e.expected = body;
        }
    }
    return out;
}

}  // namespace

TEST_CASE("every example in docs/errors.md produces its documented message", "[errors]") {
    const auto examples = read_examples(fs::path(ELAA_SOURCE_DIR) / "docs" / "errors.md");
    REQUIRE(examples.size() >= 20);
    const fs::path base = fs::temp_directory_path() / ("elaa_errors_doc_" + std::to_string(::getpid()));
    for (const auto& e : examples) {
        INFO(e.title << ": " << e.command);
        REQUIRE(e.command.rfind("elaa ", 0) == 0);
        REQUIRE(e.exit_code >= 0);
        fs::remove_all(base);
        fs::create_directories(base);
        for (const auto& [name, bytes] : e.files) {
            fs::create_directories((base / name).parent_path());
            std::ofstream(base / name, std::ios::binary) << bytes;
        }
        const fs::path out = base / ".stdout", err = base / ".stderr";
        const std::string shell = "cd '" + base.string() + "' && '" + ELAA_BINARY + "'" + e.command.substr(4) + " >'" +
                                  out.string() + "' 2>'" + err.string() + "' </dev/null";
        const int status = std::system(shell.c_str());
        CHECK(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == e.exit_code);
        CHECK(elaa::test::read_all(err) == e.expected);
        // A failed run leaves the example's files as they were.
        for (const auto& [name, bytes] : e.files) CHECK(elaa::test::read_all(base / name) == bytes);
    }
    fs::remove_all(base);
}
