#include "dataset/dataset_file.hpp"

#include <fstream>
#include <sstream>

#include "common/error.hpp"
#include "common/text.hpp"
#include "common/csv.hpp"

namespace cimnet::dataset {

std::size_t DatasetFile::column(const std::string& name) const {
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (header[c] == name) return c;
  }
  throw InputError(path + ": dataset has no column '" + name + "'");
}

DatasetFile read_dataset(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open dataset file");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();

  DatasetFile file;
  file.path = path;
  file.meta = parse_meta(text, path);
  const std::size_t preamble = preamble_length(text);
  // The last line is torn when it lacks its line feed or holds NUL bytes; drop it.
  std::size_t last_start = text.empty() || text.back() != '\n' ? text.rfind('\n') : text.rfind('\n', text.size() - 2);
  last_start = last_start == std::string::npos ? 0 : last_start + 1;
  const bool no_newline = !text.empty() && text.back() != '\n';
  const bool has_nul = text.find('\0', last_start) != std::string::npos;
  if (no_newline || has_nul) {
    const std::size_t dropped = text.size() - last_start;
    text.resize(last_start);
    file.warning = path + ": dropped a torn last line (" + std::to_string(dropped) +
                   " bytes, left by an interrupted write); its point will be evaluated again";
  }
  file.valid_bytes = text.size();

  std::size_t header_start = preamble;
  const std::size_t header_end = text.find('\n', header_start);
  if (header_start >= text.size() || header_end == std::string::npos) {
    throw InputError(path + ": the dataset header is incomplete (the run was interrupted while creating the "
                            "file); delete the file and start again");
  }
  std::size_t preamble_lines = 0;
  for (std::size_t i = 0; i < preamble; ++i) preamble_lines += text[i] == '\n';
  CsvTable table = parse_csv(text.substr(preamble), path);
  file.header = std::move(table.header);
  file.rows = std::move(table.rows);
  for (auto line : table.row_lines) file.row_lines.push_back(line + preamble_lines);
  return file;
}

std::vector<std::string> read_dataset_header(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] != '#') break;
  }
  if (!in || line.empty()) return {};
  return parse_csv(line + "\n", path).header;
}

}  // namespace cimnet::dataset
