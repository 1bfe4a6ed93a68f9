#include "report/plots.hpp"

#include <sys/wait.h>

#include <cstdio>
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

void render_plots(const std::string& name, const std::filesystem::path& dir) {
    const auto script = embedded_file(name);
    if (!script) throw InputError("this elaa was built without " + name);
    const std::string check = python() + " -c 'import matplotlib' >/dev/null 2>&1";
    if (std::system(check.c_str()) != 0)
        throw InputError("plots need python3 with matplotlib: apt-get install python3-matplotlib "
                         "(scripts/setup.sh installs it)");
    const std::string command = python() + " - " + quoted(dir.string());
    FILE* pipe = ::popen(command.c_str(), "w");
    if (!pipe) throw InputError("cannot start " + python() + " for the plots");
    std::fwrite(script->data(), 1, script->size(), pipe);
    const int status = ::pclose(pipe);
    if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw InputError(name + " failed (see its message above)");
}

}  // namespace elaa::report
