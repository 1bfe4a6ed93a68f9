#include "report/table.hpp"

#include <algorithm>
#include <stdexcept>

namespace elaa::report {

void Table::add_row(std::vector<std::string> row) {
    if (row.size() != header_.size()) throw std::logic_error("Table: row width differs from header");
    rows_.push_back(std::move(row));
}

std::string csv_field(const std::string& text) {
    if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
    std::string out = "\"";
    for (char ch : text) {
        if (ch == '"') out += '"';
        out += ch;
    }
    return out + "\"";
}

void Table::write_csv(std::ostream& out) const {
    auto line = [&](const std::vector<std::string>& cells) {
        for (std::size_t i = 0; i < cells.size(); ++i) out << (i ? "," : "") << csv_field(cells[i]);
        out << '\n';
    };
    line(header_);
    for (const auto& row : rows_) line(row);
}

void Table::write_text(std::ostream& out) const {
    std::vector<std::size_t> width(header_.size());
    for (std::size_t i = 0; i < header_.size(); ++i) width[i] = header_[i].size();
    for (const auto& row : rows_)
        for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
    auto line = [&](const std::vector<std::string>& cells) {
        std::string text;
        for (std::size_t i = 0; i < cells.size(); ++i) {
            const std::string pad(width[i] - cells[i].size(), ' ');
            const bool right = std::find(right_.begin(), right_.end(), i) != right_.end();
            if (i) text += "  ";
            text += right ? pad + cells[i] : cells[i] + pad;
        }
        while (!text.empty() && text.back() == ' ') text.pop_back();
        out << text << '\n';
    };
    line(header_);
    for (const auto& row : rows_) line(row);
}

}  // namespace elaa::report
