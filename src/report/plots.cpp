#include "report/plots.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "util/embedded.hpp"
#include "util/error.hpp"

namespace elaa::report {

namespace {

// Debian's interpreter sees Debian's python3-matplotlib; a python3 earlier on PATH may not.
std::string python() {
    return std::filesystem::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}

std::string quoted(const std::string& text) {
    std::string out = "'";
    for (char ch : text) out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    return out + "'";
}

}  // namespace

// The scripts import the shared plot_style module, so both go into a private temporary directory
// (removed afterwards) and the script runs from there; python puts a script's directory on its path.
class ScriptDirectory {
public:
    ScriptDirectory() {
        std::string pattern = (std::filesystem::temp_directory_path() / "elaa-plots-XXXXXX").string();
        if (!::mkdtemp(pattern.data())) throw InputError("cannot create a temporary directory for the plot scripts");
        path_ = pattern;
    }
    ~ScriptDirectory() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    ScriptDirectory(const ScriptDirectory&) = delete;
    ScriptDirectory& operator=(const ScriptDirectory&) = delete;

    // Writes the embedded file `name` ("scripts/x.py") as <dir>/x.py and returns that path.
    std::filesystem::path write(const std::string& name) const {
        const auto text = embedded_file(name);
        if (!text) throw InputError("this elaa was built without " + name);
        const auto path = path_ / std::filesystem::path(name).filename();
        std::ofstream out(path, std::ios::binary);
        out.write(text->data(), static_cast<std::streamsize>(text->size()));
        if (!out.flush()) throw InputError("cannot write " + path.string());
        return path;
    }

private:
    std::filesystem::path path_;
};

void render_plots(const std::string& name, const std::filesystem::path& dir) {
    const std::string check = python() + " -c 'import matplotlib' >/dev/null 2>&1";
    if (std::system(check.c_str()) != 0)
        throw InputError("plots need python3 with matplotlib: apt-get install python3-matplotlib "
                         "(scripts/setup.sh installs it)");
    const ScriptDirectory scripts;
    scripts.write("scripts/plot_style.py");
    const std::string command = python() + " -B " + quoted(scripts.write(name).string()) + " " + quoted(dir.string());
    const int status = std::system(command.c_str());
    if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw InputError(name + " failed (see its message above)");
}

}  // namespace elaa::report
