// The accuracy tables: the CSV reader on its own, then AccuracyTables::load with the input standing
// in for one table (its first line names which; see elaa::fuzz::split_accuracy_input).
#include "fuzz_inputs.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input = elaa::fuzz::as_text(data, size);
    elaa::fuzz::expect_result_or_input_error([&] { elaa::fuzz::accuracy_csv_table(input); });
    elaa::fuzz::expect_result_or_input_error([&] { elaa::fuzz::accuracy_tables(input); });
    return 0;
}
