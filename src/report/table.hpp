// A table of strings written either aligned for a terminal or as RFC 4180 CSV.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace elaa::report {

class Table {
public:
    explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
    // Columns listed here are right-aligned in text output (numbers).
    void right_align(std::vector<std::size_t> columns) { right_ = std::move(columns); }
    void add_row(std::vector<std::string> row);
    std::size_t rows() const { return rows_.size(); }

    void write_text(std::ostream& out) const;
    void write_csv(std::ostream& out) const;

private:
    std::vector<std::string> header_;
    std::vector<std::vector<std::string>> rows_;
    std::vector<std::size_t> right_;
};

// Quotes a CSV field when it holds a comma, quote or newline.
std::string csv_field(const std::string& text);

}  // namespace elaa::report
