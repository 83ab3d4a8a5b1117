#pragma once
// A strict RFC 4180 CSV reader for training data and datasets.
//
// Strict because a silently mis-split row becomes a wrong training point: every record must have the
// header's field count, quotes may only open a field and must close it, and every error names the
// file, line and column. Accepted beyond the RFC: LF as well as CRLF line ends, a missing final line
// end, and a UTF-8 byte-order mark at the start.
#include <cstddef>
#include <string>
#include <vector>

namespace cimnet {

struct CsvTable {
  std::string source;                         // file name, for messages
  std::vector<std::string> header;            // column names, unique and non-empty
  std::vector<std::vector<std::string>> rows;  // every row has header.size() fields
  std::vector<std::size_t> row_lines;         // line (1-based) where each row starts

  // Index of a column; InputError naming the file and the available columns when absent.
  std::size_t column(const std::string& name) const;
  bool has_column(const std::string& name) const;
  // "file:line: column 'name'" — the prefix of an error about one field.
  std::string where(std::size_t row, std::size_t column) const;
};

// Parses CSV text; `source` names it in errors. Throws InputError("source:line:column: ...").
CsvTable parse_csv(const std::string& text, const std::string& source);
// Reads and parses a file; InputError when it cannot be read or is empty.
CsvTable read_csv(const std::string& path);

}  // namespace cimnet
