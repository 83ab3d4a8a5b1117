#include "dataset/output.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <iostream>

#include "common/error.hpp"
#include "common/text.hpp"
#include "common/csv_line.hpp"
#include "dataset/dataset_file.hpp"

namespace cimnet::dataset {

namespace {

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace

std::string column_difference(const std::vector<std::string>& file, const std::vector<std::string>& expected,
                              const std::string& expected_name) {
  const std::string sizes = " (" + std::to_string(file.size()) + " vs " + std::to_string(expected.size()) + " columns)";
  for (std::size_t c = 0; c < file.size() && c < expected.size(); ++c) {
    if (file[c] != expected[c]) {
      return "column " + std::to_string(c + 1) + " is '" + file[c] + "' in the file but '" + expected[c] + "' in " +
             expected_name + sizes;
    }
  }
  if (file.size() < expected.size()) return "the file lacks column '" + expected[file.size()] + "'" + sizes;
  if (file.size() > expected.size()) return "the file has an extra column '" + file[expected.size()] + "'" + sizes;
  return "none";
}

Output open_output(const Plan& plan) {
  const std::string& path = plan.options().out;
  if (path.empty()) throw InputError("--out is required");
  Output out;
  out.lock.emplace(OutputLock::for_file(path));  // before reading it: one writer per file
  out.done.assign(plan.list().points.size(), false);
  if (!plan.options().resume || !exists(path)) {
    out.writer.emplace(RowWriter::create(path, plan.preamble()));
    return out;
  }
  DatasetFile file = read_dataset(path);
  if (!file.meta.same_run(plan.meta())) {
    throw InputError(path + ": cannot resume a file of another run (the file has " +
                     file.meta.difference(plan.meta()) + " in this run; a scenario= difference means the scenario "
                     "text differs)");
  }
  if (file.header != plan.schema().names()) {
    throw InputError(path + ": its columns differ from this run's: " +
                     column_difference(file.header, plan.schema().names(), "this run") + "; start a new file");
  }
  const std::size_t index_column = file.column(evaluation::col::kIndex);
  for (std::size_t r = 0; r < file.rows.size(); ++r) {
    const std::string where = path + ":" + std::to_string(file.row_lines[r]);
    long long i = -1;
    try {
      i = parse_integer(file.rows[r][index_column], "index");
    } catch (const InputError&) {
    }
    if (i < 0 || static_cast<std::size_t>(i) >= out.done.size() || !plan.options().shard.contains(static_cast<std::size_t>(i))) {
      throw InputError(where + ": index '" + file.rows[r][index_column] + "' is not a point of this run");
    }
    const auto index = static_cast<std::size_t>(i);
    if (out.done[index]) throw InputError(where + ": point " + std::to_string(index) + " appears twice");
    if (plan.row_key(file.header, file.rows[r]) != plan.expected_key(index)) {
      throw InputError(where + ": point " + std::to_string(index) + " is not the point this run has at that index");
    }
    out.done[index] = true;
    ++out.done_count;
  }
  if (!file.warning.empty()) std::cerr << "warning: " << file.warning << '\n';
  out.writer.emplace(RowWriter::append(path, file.valid_bytes));
  return out;
}

DatasetFile sort_dataset_file(const std::string& path) {
  DatasetFile file = read_dataset(path);
  const std::size_t index_column = file.column(evaluation::col::kIndex);
  std::vector<std::pair<long long, std::size_t>> order;
  for (std::size_t r = 0; r < file.rows.size(); ++r) {
    order.emplace_back(parse_integer(file.rows[r][index_column], "index"), r);
  }
  std::sort(order.begin(), order.end());
  const std::string text = [&] {
    std::ifstream in(path, std::ios::binary);
    std::string t((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return t;
  }();
  std::string out = text.substr(0, preamble_length(text));
  out += format_csv_line(file.header);
  for (const auto& [index, r] : order) out += format_csv_line(file.rows[r]);
  replace_file_atomically(path, out);
  return file;
}

bool finish_output(const Plan& plan, Output& output) {
  output.writer->close();
  for (std::size_t i : plan.slice()) {
    if (!output.done[i]) return false;
  }
  const DatasetFile file = sort_dataset_file(plan.options().out);
  output.rows = file.rows.size();
  output.missing_accuracy = 0;
  if (plan.accuracy_source()) {
    const std::size_t column = file.column(evaluation::col::kAccuracy);
    for (const auto& row : file.rows) output.missing_accuracy += row[column].empty() ? 1 : 0;
  }
  return true;
}

std::string missing_accuracy_line(const Plan& plan, const Output& output) {
  const std::string why = plan.accuracy_failure().empty()
                              ? "the source could not answer for them (the warnings of this or an earlier run say why)"
                              : plan.accuracy_failure();
  return "dataset: " + plan.options().out + " holds every point, but " + std::to_string(output.missing_accuracy) +
         " of " + std::to_string(output.rows) + " have no accuracy: " + why + " (exit status 1)";
}

}  // namespace cimnet::dataset
