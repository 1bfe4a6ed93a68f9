// A small RFC 4180 CSV reader for the data tables (quoted fields, embedded commas and quotes).
// (Debian's libfccp-dev wants the column count at compile time and reads files, while our tables are
// embedded strings of varying shape, so this 60-line reader is the simpler dependency.)
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace elaa {

class CsvTable {
public:
    // Parses `text`; `source` names the file in error messages. Throws InputError on a malformed
    // line (unterminated quote, wrong number of fields), naming the source and line.
    static CsvTable parse(std::string_view text, std::string source);

    const std::vector<std::string>& header() const { return header_; }
    std::size_t rows() const { return rows_.size(); }
    // Column index of `name`; throws InputError naming the source if absent.
    std::size_t column(std::string_view name) const;
    bool has_column(std::string_view name) const;
    const std::string& at(std::size_t row, std::string_view column_name) const;
    const std::string& at(std::size_t row, std::size_t column) const { return rows_[row][column]; }
    // The cell as a number; nullopt when empty. Throws InputError naming source, line and column
    // when the cell is not a number.
    std::optional<double> number(std::size_t row, std::string_view column_name) const;
    // 1-based line of a data row in the source (for messages).
    std::size_t line_of(std::size_t row) const { return lines_[row]; }
    const std::string& source() const { return source_; }

private:
    std::string source_;
    std::vector<std::string> header_;
    std::vector<std::vector<std::string>> rows_;
    std::vector<std::size_t> lines_;
};

}  // namespace elaa
