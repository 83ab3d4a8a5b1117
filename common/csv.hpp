#pragma once
// A strict RFC 4180 CSV reader for training data and datasets.
//
// Strict because a silently mis-split row becomes a wrong training point: every record must have the
// header's field count, quotes may only open a field and must close it, and every error names the
// file, line and column. Accepted beyond the RFC: LF as well as CRLF line ends, a missing final line
// end, and a UTF-8 byte-order mark at the start; on request, leading comment lines starting with '#'
// (the metadata preamble of `cimnet dataset` files, which pandas skips with comment='#').
#include <cstddef>
#include <string>
#include <vector>

namespace cimnet {

// Whether lines starting with '#' before the header are a preamble to skip. Only leading ones: a '#'
// later in the file is data.
enum class CsvComments { none, leading };

struct CsvTable {
  std::string source;                         // file name, for messages
  std::vector<std::string> comments;          // the skipped leading comment lines, without line ends
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
// Line numbers in rows and messages count the skipped comment lines.
CsvTable parse_csv(const std::string& text, const std::string& source, CsvComments comments = CsvComments::none);
// Reads and parses a file; InputError when it cannot be read or is empty.
CsvTable read_csv(const std::string& path, CsvComments comments = CsvComments::none);

}  // namespace cimnet
