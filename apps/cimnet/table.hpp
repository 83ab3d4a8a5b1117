#pragma once
// Plain-text tables with aligned columns, and CSV with RFC 4180 quoting.
#include <ostream>
#include <string>
#include <vector>

namespace cimnet::cli {

class Table {
 public:
  // Columns whose header starts with '>' are right-aligned (the '>' is not printed).
  explicit Table(std::vector<std::string> headers);
  void add_row(std::vector<std::string> cells);
  void add_rule();  // a separator line before the next row (e.g. before totals)
  void print(std::ostream& out) const;
  void print_csv(std::ostream& out) const;

 private:
  std::vector<std::string> headers_;
  std::vector<bool> right_;
  std::vector<std::vector<std::string>> rows_;  // an empty row is a rule
};

std::string csv_field(const std::string& s);
// 1234567 -> "1,234,567": big counts people read at a glance.
std::string with_thousands(long long v);

}  // namespace cimnet::cli
