#include "util/csv.hpp"

#include <charconv>

#include "util/error.hpp"

namespace elaa {

namespace {
// Splits one record starting at `pos`; advances pos past its line end. Counts newlines inside quotes.
std::vector<std::string> read_record(std::string_view text, std::size_t& pos, std::size_t& line,
                                     const std::string& source) {
    std::vector<std::string> fields(1);
    bool quoted = false;
    const std::size_t start_line = line;
    while (pos < text.size()) {
        const char ch = text[pos++];
        if (quoted) {
            if (ch == '"') {
                if (pos < text.size() && text[pos] == '"') {
                    fields.back() += '"';
                    ++pos;
                } else {
                    quoted = false;
                }
            } else {
                if (ch == '\n') ++line;
                fields.back() += ch;
            }
        } else if (ch == '"') {
            quoted = true;
        } else if (ch == ',') {
            fields.emplace_back();
        } else if (ch == '\n') {
            ++line;
            break;
        } else if (ch != '\r') {
            fields.back() += ch;
        }
    }
    if (quoted) throw InputError(source + ":" + std::to_string(start_line) + ": unterminated quoted field");
    return fields;
}
}  // namespace

CsvTable CsvTable::parse(std::string_view text, std::string source) {
    CsvTable table;
    table.source_ = std::move(source);
    std::size_t pos = 0, line = 1;
    if (text.empty()) throw InputError(table.source_ + ": empty file, expected a CSV header line");
    table.header_ = read_record(text, pos, line, table.source_);
    while (pos < text.size()) {
        const std::size_t record_line = line;
        auto fields = read_record(text, pos, line, table.source_);
        if (fields.size() == 1 && fields[0].empty()) continue;  // blank line
        if (fields.size() != table.header_.size())
            throw InputError(table.source_ + ":" + std::to_string(record_line) + ": expected " +
                             std::to_string(table.header_.size()) + " fields, found " +
                             std::to_string(fields.size()));
        table.rows_.push_back(std::move(fields));
        table.lines_.push_back(record_line);
    }
    return table;
}

bool CsvTable::has_column(std::string_view name) const {
    for (const auto& h : header_)
        if (h == name) return true;
    return false;
}

std::size_t CsvTable::column(std::string_view name) const {
    for (std::size_t i = 0; i < header_.size(); ++i)
        if (header_[i] == name) return i;
    throw InputError(source_ + ": no column '" + std::string(name) + "'");
}

const std::string& CsvTable::at(std::size_t row, std::string_view column_name) const {
    return rows_[row][column(column_name)];
}

std::optional<double> CsvTable::number(std::size_t row, std::string_view column_name) const {
    const std::string& cell = at(row, column_name);
    if (cell.empty()) return std::nullopt;
    double value = 0;
    const auto [end, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
    if (ec != std::errc() || end != cell.data() + cell.size())
        throw InputError(source_ + ":" + std::to_string(lines_[row]) + ": column '" + std::string(column_name) +
                         "' holds '" + cell + "', expected a number");
    return value;
}

}  // namespace elaa
