// What each fuzz target does with one input, shared by the libFuzzer targets (fuzz/fuzz_*.cpp) and
// the regression tests (tests/test_fuzz_regressions.cpp), so that a reproducer replays exactly the
// same calls in both. Each function either returns or throws elaa::InputError for a bad input;
// anything else (another exception, a crash, a sanitizer report, a leak, a hang) is a finding.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "accuracy/accuracy.hpp"
#include "accuracy/table_rows.hpp"
#include "encodings/search_space.hpp"
#include "hardware/toml.hpp"
#include "optimise/checkpoint.hpp"
#include "optimise/driver.hpp"
#include "optimise/run_config.hpp"
#include "util/csv.hpp"
#include "util/embedded.hpp"
#include "util/error.hpp"
#include "workload/onnx/import.hpp"

namespace elaa::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// Runs `feed`, accepting InputError as the expected answer to a bad input.
template <typename Feed>
void expect_result_or_input_error(Feed&& feed) {
    try {
        feed();
    } catch (const elaa::InputError&) {
    }
}

// A directory private to this process (libFuzzer's -fork/-jobs run several processes side by side).
inline const std::filesystem::path& scratch_dir() {
    static const std::filesystem::path dir = [] {
        auto path = std::filesystem::temp_directory_path() / ("elaa_fuzz_" + std::to_string(::getpid()));
        std::filesystem::create_directories(path);
        return path;
    }();
    return dir;
}

inline void write_file(const std::filesystem::path& path, std::string_view bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// ---- accelerator_toml: parse, then the to_toml round trip of whatever was accepted.
inline void accelerator_toml(std::string_view input) {
    const auto accelerator = hardware::parse_accelerator(input, "fuzz.toml");
    hardware::parse_accelerator(hardware::to_toml(accelerator), "fuzz-roundtrip.toml");
}

// ---- search_space_toml: relative bases resolve against `spaces_dir` (the project's configs/spaces,
// so that the seeds' bases load for real).
inline void search_space_toml(std::string_view input, const std::filesystem::path& spaces_dir) {
    encodings::parse_search_space(input, "fuzz.toml", spaces_dir);
}

// ---- run_config_toml: parse, then the comparison that resume makes.
inline void run_config_toml(std::string_view input) {
    const auto config = optimise::parse_run_config(input, "fuzz.toml");
    optimise::config_differences(config, config);
}

// ---- onnx: import_onnx reads a file. Unsupported operators are skipped so that one odd node does
// not end the import before the rest of the graph is traced.
inline void onnx(std::string_view input, const std::filesystem::path& scratch_file) {
    write_file(scratch_file, input);
    workload::OnnxImportOptions options;
    options.skip_unsupported = true;
    workload::import_onnx(scratch_file, options);
}

// ---- checkpoint: an input starting with the magic is the whole file (fuzzes the header checks);
// any other input is a payload wrapped in a valid header (right length and CRC), since random bytes
// would almost never get past the CRC to the JSON. Then load_saved_run reads it as `elaa` does.
inline constexpr std::string_view kCheckpointMagic = "ELAACKPT";

inline void append_little_endian(std::string& out, std::uint64_t value, int bytes) {
    for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

// The layout documented in src/optimise/checkpoint.hpp.
inline std::string checkpoint_file_for(std::string_view input) {
    if (input.substr(0, kCheckpointMagic.size()) == kCheckpointMagic) return std::string(input);
    std::string file(kCheckpointMagic);
    append_little_endian(file, optimise::kCheckpointVersion, 4);
    append_little_endian(file, input.size(), 8);
    append_little_endian(file, optimise::crc32(std::string(input)), 4);
    file.append(input);
    return file;
}

inline void checkpoint(std::string_view input, const std::filesystem::path& run_dir) {
    write_file(run_dir / optimise::kCheckpointFile, checkpoint_file_for(input));
    optimise::load_saved_run(run_dir);
}

// ---- accuracy_csv: the first line names the table the rest stands for ("defaults.csv",
// "imagenet_models.csv", ...); a first line naming no table picks one from its bytes, so that
// mutated names still reach some table.
struct AccuracyInput {
    std::string table;      // file name under data/accuracy/
    std::string_view text;  // the CSV text
};

inline std::vector<std::string> accuracy_table_files() {
    std::vector<std::string> files;
    for (const auto& spec : accuracy::accuracy_table_specs()) files.emplace_back(spec.file);
    files.emplace_back("defaults.csv");
    return files;
}

inline AccuracyInput split_accuracy_input(std::string_view input) {
    static const std::vector<std::string> files = accuracy_table_files();
    const std::size_t newline = input.find('\n');
    const std::string_view first_line = input.substr(0, newline);
    const std::string_view text = newline == std::string_view::npos ? std::string_view{} : input.substr(newline + 1);
    for (const auto& file : files)
        if (file == first_line) return {file, text};
    const unsigned sum = std::accumulate(first_line.begin(), first_line.end(), 0u,
                                         [](unsigned s, char c) { return s + static_cast<unsigned char>(c); });
    return {files[sum % files.size()], text};
}

// The CSV reader alone, every cell also read as a number.
inline void accuracy_csv_table(std::string_view input) {
    const AccuracyInput in = split_accuracy_input(input);
    const CsvTable table = CsvTable::parse(in.text, in.table);
    for (std::size_t row = 0; row < table.rows(); ++row)
        for (const auto& column : table.header()) expect_result_or_input_error([&] { table.number(row, column); });
}

// AccuracyTables::load with the input standing in for its table, the compiled-in files for the rest.
inline void accuracy_tables(std::string_view input) {
    const AccuracyInput in = split_accuracy_input(input);
    const std::string fuzzed_path = "accuracy/" + in.table;
    accuracy::AccuracyTables::load([&](std::string_view path) -> std::optional<std::string_view> {
        if (path == fuzzed_path) return in.text;
        return embedded_file(path);
    });
}

}  // namespace elaa::fuzz
