// Replays the fuzzers' inputs through exactly the calls the fuzz targets make (fuzz/fuzz_inputs.hpp):
// every committed seed (fuzz/corpus/<target>/) and every reproducer of a finding
// (fuzz/regressions/<target>/) must give a result or an elaa::InputError, never another exception
// or a crash. Each input runs in a child process, so that a reproducer that still crashes fails its
// test instead of ending the test binary. Under the asan preset (docs/hardening.md) the children
// also report memory errors. The findings each have a test below.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "fuzz/fuzz_inputs.hpp"
#include "util/error.hpp"

namespace fs = std::filesystem;

namespace {

const fs::path kFuzzDir = fs::path(ELAA_SOURCE_DIR) / "fuzz";

// Scratch space of this process for the targets that read files (removed at exit).
class Scratch {
public:
    Scratch() : dir_(fs::temp_directory_path() / ("elaa_test_fuzz_" + std::to_string(::getpid()))) {
        fs::create_directories(dir_);
    }
    ~Scratch() { fs::remove_all(dir_); }
    const fs::path& dir() const { return dir_; }

private:
    fs::path dir_;
};

using Feed = std::function<void(std::string_view)>;

// One entry per fuzz target (fuzz/CMakeLists.txt), doing what its LLVMFuzzerTestOneInput does.
std::map<std::string, Feed> feeds(const Scratch& scratch) {
    const fs::path spaces = fs::path(ELAA_SOURCE_DIR) / "configs" / "spaces";
    return {
        {"accelerator_toml", [](std::string_view in) { elaa::fuzz::accelerator_toml(in); }},
        {"search_space_toml", [spaces](std::string_view in) { elaa::fuzz::search_space_toml(in, spaces); }},
        {"run_config_toml", [](std::string_view in) { elaa::fuzz::run_config_toml(in); }},
        {"onnx", [&scratch](std::string_view in) { elaa::fuzz::onnx(in, scratch.dir() / "input.onnx"); }},
        {"checkpoint", [&scratch](std::string_view in) { elaa::fuzz::checkpoint(in, scratch.dir()); }},
        {"accuracy_csv",
         [](std::string_view in) {
             elaa::fuzz::expect_result_or_input_error([&] { elaa::fuzz::accuracy_csv_table(in); });
             elaa::fuzz::accuracy_tables(in);
         }},
    };
}

std::string read_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<fs::path> files_in(const fs::path& dir) {
    std::vector<fs::path> files;
    if (fs::is_directory(dir))
        for (const auto& entry : fs::directory_iterator(dir))
            if (entry.is_regular_file()) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

// How feeding one input ended, observed from outside the process that did it.
enum class Outcome { Result, InputError, OtherException, Crashed };

std::string describe(Outcome outcome) {
    switch (outcome) {
        case Outcome::Result: return "a result";
        case Outcome::InputError: return "an InputError";
        case Outcome::OtherException: return "an exception other than InputError";
        case Outcome::Crashed: return "a crash, a sanitizer report or a leak";
    }
    return "?";
}

// Child exit codes; a sanitizer report exits 1, any signal is a crash.
constexpr int kExitResult = 40, kExitInputError = 41, kExitOtherException = 42, kExitLeak = 43;

}  // namespace

// LeakSanitizer's on-demand check, present only in sanitizer builds (weak: null otherwise). The
// child ends with _Exit, which skips the check LeakSanitizer makes at a normal exit.
extern "C" int __lsan_do_recoverable_leak_check() __attribute__((weak));

namespace {

bool leaked() { return __lsan_do_recoverable_leak_check && __lsan_do_recoverable_leak_check() != 0; }

Outcome feed_in_child(const Feed& feed, const std::string& bytes) {
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        // Catch's signal handlers live on in the child and would print a test report of their own;
        // its stdout is dropped, sanitizer reports (stderr) stay.
        const int null_fd = ::open("/dev/null", O_WRONLY);
        if (null_fd >= 0) ::dup2(null_fd, STDOUT_FILENO);
        int code = kExitResult;
        try {
            feed(bytes);
        } catch (const elaa::InputError&) {
            code = kExitInputError;
        } catch (...) {
            code = kExitOtherException;
        }
        if (leaked()) code = kExitLeak;
        std::_Exit(code);  // no atexit handlers, no Catch reporting from the child
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    if (!WIFEXITED(status)) return Outcome::Crashed;
    switch (WEXITSTATUS(status)) {
        case kExitResult: return Outcome::Result;
        case kExitInputError: return Outcome::InputError;
        case kExitOtherException: return Outcome::OtherException;
        default: return Outcome::Crashed;
    }
}

// Feeds every file of fuzz/<kind>/<target>/; each must give a result or an InputError.
std::size_t replay_all(const std::string& kind) {
    const Scratch scratch;
    std::size_t count = 0;
    for (const auto& [target, feed] : feeds(scratch))
        for (const fs::path& file : files_in(kFuzzDir / kind / target)) {
            const Outcome outcome = feed_in_child(feed, read_bytes(file));
            INFO(file.string() << " gave " << describe(outcome));
            CHECK((outcome == Outcome::Result || outcome == Outcome::InputError));
            ++count;
        }
    return count;
}

// The reproducer of one finding, fed through its target, must be rejected with an InputError.
void check_rejected(const std::string& target, const std::string& file) {
    const Scratch scratch;
    const fs::path path = kFuzzDir / "regressions" / target / file;
    REQUIRE(fs::is_regular_file(path));
    const Outcome outcome = feed_in_child(feeds(scratch).at(target), read_bytes(path));
    INFO(path.string() << " gave " << describe(outcome));
    CHECK(outcome == Outcome::InputError);
}

// The largest peak resident set size of the children this process has waited for, in KiB.
long children_peak_rss_kib() {
    rusage children{};
    ::getrusage(RUSAGE_CHILDREN, &children);
    return children.ru_maxrss;
}

}  // namespace

TEST_CASE("every fuzz seed gives a result or an InputError", "[fuzz]") {
    // Six targets with at least two seeds each (docs/hardening.md lists them).
    CHECK(replay_all("corpus") >= 12);
}

TEST_CASE("every fuzz reproducer gives a result or an InputError", "[fuzz]") {
    CHECK(replay_all("regressions") > 0);
}

// Finding 1 (docs/hardening.md): ONNX 1.12's Conv shape inference reads past the input's dimensions
// when the weight has more spatial dimensions than the input, and crashes inside
// onnx::convPoolShapeInference; import_onnx runs it on every model. Fixed: inference runs with
// guarded copies of the windowed ops' schemas that refuse such a node (workload/onnx/model.cpp).
TEST_CASE("fuzz finding: a Conv whose input has a lower rank than its weight is an InputError", "[fuzz]") {
    SECTION("declared input rank 3, weight rank 4") {
        check_rejected("onnx", "conv_input_rank_below_weight_rank.onnx");
    }
    SECTION("the rank-2 output of a Flatten feeding a Conv") {
        check_rejected("onnx", "flatten_then_conv.onnx");
    }
    SECTION("opset 8: Conv-1's inference (convPoolShapeInference1)") {
        check_rejected("onnx", "conv_opset8_input_rank_below_weight_rank.onnx");
    }
    SECTION("ConvInteger shares the inference") {
        check_rejected("onnx", "conv_integer_input_rank_below_weight_rank.onnx");
    }
    // The rank reaches the Conv through an operator whose output rank only ONNX's inference knows.
    for (const char* file : {"transpose_then_conv.onnx", "gap_then_conv.onnx", "squeeze_then_conv.onnx",
                             "reshape_then_conv.onnx"}) {
        SECTION(file) { check_rejected("onnx", file); }
    }
}

// Finding 2: read_checkpoint allocated the payload length stated in the header (up to 4 GiB)
// before it knew the file held that many bytes (fixed: the length is compared with the file size).
TEST_CASE("fuzz finding: a checkpoint header claiming 4 GiB is rejected without allocating them", "[fuzz]") {
    check_rejected("checkpoint", "header_length_4gib_no_payload.elaa");
    CHECK(children_peak_rss_kib() < 2 * 1024 * 1024);  // KiB: the child's peak, far below the 4 GiB claimed
}

// Finding 3: TOML++ 3.3 (Debian) reaches __builtin_unreachable in
// is_non_ascii_horizontal_whitespace() for U+00A1..U+0499, U+2C5E..U+2FFF, U+3001..U+3057 and
// U+FB26..U+FEFE where it looks for whitespace. Debian's compiled library happens to answer "not
// whitespace", so only the fuzz build (TOML++ header-only under UBSan) saw it. Fixed: parse_text
// hands TOML++ a copy with those characters swapped for private-use ones (toml_codepoint_swap.hpp).
TEST_CASE("fuzz finding: non-ASCII characters where TOML++ looks for whitespace are InputErrors", "[fuzz]") {
    for (const char* file : {"key_then_u00a1.toml", "value_u00a1.toml", "key_then_u3001.toml",
                             "multiline_backslash_u00a7.toml", "multiline_backslash_then_u00a1.toml",
                             "quote_inside_array_value_then_u013a.toml", "key_then_ufb30.toml",
                             "value_then_u2c60.toml"}) {
        INFO(file);
        check_rejected("accelerator_toml", file);
    }
    check_rejected("search_space_toml", "key_then_u00a1.toml");
    check_rejected("run_config_toml", "key_then_u00a1.toml");
    check_rejected("run_config_toml", "backslash_then_u00a1.toml");
    check_rejected("run_config_toml", "quote_after_number_then_u0cff.toml");
    check_rejected("search_space_toml", "quote_after_hex_prefix_then_u041c.toml");
    check_rejected("checkpoint", "config_text_key_then_u00a1.json");  // the run config a checkpoint holds
}

// Finding 4: a checkpoint payload whose counts (generations_done, a history entry's generation or
// archive size) are floats or negative reached nlohmann's get<unsigned>(), undefined behaviour for
// 2.3e56 (UBSan: "outside the range of representable values"). Fixed: count_at() in
// problems/driver.cpp requires a non-negative JSON integer that fits and names the field otherwise.
TEST_CASE("fuzz finding: checkpoint counts that are not non-negative integers are InputErrors", "[fuzz]") {
    check_rejected("checkpoint", "generations_done_float_1e56.json");
    check_rejected("checkpoint", "history_archive_negative.json");
}

// Finding 5 (10-minute runs, FUZZ_KEEP_GOING): (a) ONNX 1.12's convPoolShapeInference divides by the
// strides: a MaxPool with strides [2, 0] was a SIGFPE; the guarded schemas refuse non-positive
// strides, dilations and kernel sizes and window_problem names the node. (b) A model with opset 112
// and nameless nodes made ONNX's shape inference dereference null inside the library; inference now
// runs in a child process, so any such crash is an InputError naming the model. (c) A search
// space whose base name is longer than the file system allows made is_regular_file() throw
// filesystem_error; the error_code overload treats it as "not a file".
TEST_CASE("fuzz finding: crashes inside ONNX's shape inference and over-long base names are InputErrors", "[fuzz]") {
    check_rejected("onnx", "maxpool_zero_stride.onnx");
    check_rejected("onnx", "opset112_nameless_nodes_inference_segv.onnx");
    check_rejected("search_space_toml", "base_name_too_long.toml");
}
