#pragma once
// Writing one CSV record as one physical line. Line breaks inside a field are replaced by spaces so
// that every record is exactly one line: a record is then torn exactly when the file does not end in
// a line feed, which is what resume checks.
#include <string>
#include <vector>

namespace cimnet {

// RFC 4180 quoting (fields with ',', '"' or leading/trailing spaces are quoted).
std::string csv_field(const std::string& value);
// The fields joined by ',' and terminated by '\n'.
std::string format_csv_line(const std::vector<std::string>& fields);

}  // namespace cimnet
