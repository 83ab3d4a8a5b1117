#pragma once
// Reading a dataset file back (resume, merge, tests), tolerating exactly the damage an interrupted
// writer can leave: a last line without its line feed (or holding the NUL bytes a crash of the whole
// machine can leave after the last flushed block). That line is dropped with a warning; any other
// damage is an error.
#include <cstddef>
#include <string>
#include <vector>

#include "dataset/preamble.hpp"

namespace cimnet::dataset {

struct DatasetFile {
  std::string path;
  Meta meta;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::size_t> row_lines;  // 1-based line of each row in the file
  std::size_t valid_bytes = 0;         // length of the file without the dropped torn line
  std::string warning;                 // non-empty when a torn line was dropped

  // Column index; InputError naming the file when absent.
  std::size_t column(const std::string& name) const;
};

DatasetFile read_dataset(const std::string& path);

// The column names of the dataset file at `path` (its CSV header line), read without its rows; empty
// when there is no such file or it has no complete header yet.
std::vector<std::string> read_dataset_header(const std::string& path);

}  // namespace cimnet::dataset
