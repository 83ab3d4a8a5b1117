#include "common/csv.hpp"

#include <fstream>
#include <sstream>

#include "common/error.hpp"
#include "common/text.hpp"

namespace cimnet {

namespace {

// Character-level cursor that tracks line and column for messages.
class Cursor {
 public:
  Cursor(const std::string& text, const std::string& source) : text_(text), source_(source) {
    if (text_.compare(0, 3, "\xEF\xBB\xBF") == 0) pos_ = 3;  // UTF-8 BOM
  }
  bool done() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }
  bool at_line_end() const { return done() || peek() == '\n' || (peek() == '\r' && next_is('\n')); }
  void advance() {
    if (text_[pos_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    ++pos_;
  }
  // Consumes LF or CRLF.
  void skip_line_end() {
    if (!done() && peek() == '\r') advance();
    if (!done() && peek() == '\n') advance();
  }
  std::size_t line() const { return line_; }
  std::size_t column() const { return column_; }
  [[noreturn]] void fail(std::size_t line, std::size_t column, const std::string& message) const {
    throw InputError(source_ + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message);
  }

 private:
  bool next_is(char c) const { return pos_ + 1 < text_.size() && text_[pos_ + 1] == c; }
  const std::string& text_;
  const std::string& source_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::size_t column_ = 1;
};

std::string read_field(Cursor& in) {
  std::string field;
  if (!in.done() && in.peek() == '"') {
    const std::size_t open_line = in.line();
    const std::size_t open_column = in.column();
    in.advance();
    for (;;) {
      if (in.done()) in.fail(open_line, open_column, "quoted field is never closed");
      const char c = in.peek();
      in.advance();
      if (c != '"') {
        field += c;
        continue;
      }
      if (!in.done() && in.peek() == '"') {  // "" is an escaped quote
        field += '"';
        in.advance();
        continue;
      }
      break;
    }
    if (!in.at_line_end() && in.peek() != ',') {
      in.fail(in.line(), in.column(), "unexpected character after a closing quote (expected ',' or a line end)");
    }
    return field;
  }
  while (!in.at_line_end() && in.peek() != ',') {
    if (in.peek() == '"') in.fail(in.line(), in.column(), "quote inside an unquoted field (quote the whole field)");
    if (in.peek() == '\r') in.fail(in.line(), in.column(), "bare carriage return inside a field");
    field += in.peek();
    in.advance();
  }
  return field;
}

}  // namespace

CsvTable parse_csv(const std::string& text, const std::string& source, CsvComments comments) {
  CsvTable table;
  table.source = source;
  Cursor in(text, source);
  if (comments == CsvComments::leading) {
    while (!in.done() && in.peek() == '#') {
      std::string line;
      while (!in.at_line_end()) {
        line += in.peek();
        in.advance();
      }
      in.skip_line_end();
      table.comments.push_back(std::move(line));
    }
  }
  if (in.done()) throw InputError(source + ": empty CSV (no header line)");
  bool first = true;
  while (!in.done()) {
    const std::size_t line = in.line();
    std::vector<std::string> record;
    std::vector<std::size_t> columns;
    for (;;) {
      columns.push_back(in.column());
      record.push_back(read_field(in));
      if (!in.done() && in.peek() == ',') {
        in.advance();
        continue;
      }
      break;
    }
    in.skip_line_end();
    if (first) {
      for (std::size_t c = 0; c < record.size(); ++c) {
        const std::string name = trim(record[c]);
        if (name.empty()) in.fail(line, columns[c], "empty column name in the header");
        for (std::size_t d = 0; d < c; ++d) {
          if (table.header[d] == name) in.fail(line, columns[c], "duplicate column name '" + name + "'");
        }
        table.header.push_back(name);
      }
      first = false;
      continue;
    }
    if (record.size() != table.header.size()) {
      in.fail(line, 1, "record has " + std::to_string(record.size()) + " fields, the header has " +
                           std::to_string(table.header.size()));
    }
    table.rows.push_back(std::move(record));
    table.row_lines.push_back(line);
  }
  return table;
}

CsvTable read_csv(const std::string& path, CsvComments comments) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw InputError(path + ": cannot open CSV file");
  std::ostringstream text;
  text << file.rdbuf();
  if (file.bad()) throw InputError(path + ": cannot read CSV file");
  return parse_csv(text.str(), path, comments);
}

bool CsvTable::has_column(const std::string& name) const {
  for (const auto& h : header) {
    if (h == name) return true;
  }
  return false;
}

std::size_t CsvTable::column(const std::string& name) const {
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (header[c] == name) return c;
  }
  throw InputError(source + ": no column '" + name + "'" + did_you_mean(name, header) + "; columns are: " +
                   join(header, ", "));
}

std::string CsvTable::where(std::size_t row, std::size_t c) const {
  return source + ":" + std::to_string(row_lines.at(row)) + ": column '" + header.at(c) + "'";
}

}  // namespace cimnet
