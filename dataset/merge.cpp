#include "dataset/merge.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <optional>
#include <unordered_map>

#include "common/error.hpp"
#include "common/output_lock.hpp"
#include "common/text.hpp"
#include "common/csv_line.hpp"
#include "dataset/dataset_file.hpp"
#include "dataset/output.hpp"
#include "common/row_writer.hpp"
#include "hardware/hardware.hpp"

namespace cimnet::dataset {

namespace {

struct Where {
  std::size_t file;
  std::size_t row;
};

std::string preamble_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return text.substr(0, preamble_length(text));
}

}  // namespace

std::size_t merge_datasets(const std::string& out, const std::vector<std::string>& inputs) {
  if (inputs.empty()) throw InputError("merge needs at least one input file");
  // Claimed before anything is read: a second merge into OUT is refused, and a missing or read-only
  // folder is an input error here instead of an internal error when the file is finally written.
  const OutputLock lock = OutputLock::for_file(out);
  struct stat st {};
  if (::stat(out.c_str(), &st) == 0) throw InputError(out + ": output exists; choose another name");
  std::vector<DatasetFile> files;
  for (const auto& path : inputs) {
    files.push_back(read_dataset(path));
    if (!files.back().warning.empty()) std::cerr << "warning: " << files.back().warning << '\n';
  }
  const DatasetFile& first = files.front();
  for (std::size_t f = 1; f < files.size(); ++f) {
    if (!files[f].meta.same_list(first.meta)) {
      throw InputError("cannot merge files of different runs: " + first.path + " has " +
                       first.meta.difference(files[f].meta) + " in " + files[f].path);
    }
    if (files[f].header != first.header) {
      throw InputError(files[f].path + ": its columns differ from " + first.path + "'s: " +
                       column_difference(files[f].header, first.header, first.path));
    }
  }
  const std::size_t n = first.meta.n;
  std::vector<std::optional<Where>> by_index(n);
  std::unordered_map<std::string, Where> by_key;
  const auto describe = [&](const Where& w) {
    return files[w.file].path + ":" + std::to_string(files[w.file].row_lines[w.row]);
  };
  std::vector<std::size_t> key_columns{first.column("genome")};
  for (const auto& name : hw_param_names()) key_columns.push_back(first.column(name));
  // Component genes' columns ("pe.rows") stand between the eight parameters and macs (evaluation/schema.hpp).
  for (std::size_t c = key_columns.back() + 1; c < first.header.size() && first.header[c] != "macs"; ++c) {
    key_columns.push_back(c);
  }
  const std::size_t index_column = first.column("index");
  for (std::size_t f = 0; f < files.size(); ++f) {
    for (std::size_t r = 0; r < files[f].rows.size(); ++r) {
      const Where here{f, r};
      const auto& row = files[f].rows[r];
      long long i = -1;
      try {
        i = parse_integer(row[index_column], "index");
      } catch (const InputError&) {
      }
      if (i < 0 || static_cast<std::size_t>(i) >= n) {
        throw InputError(describe(here) + ": index '" + row[index_column] + "' is not a point of a " +
                         std::to_string(n) + "-point run");
      }
      auto& slot = by_index[static_cast<std::size_t>(i)];
      if (slot) throw InputError("point " + std::to_string(i) + " appears twice: " + describe(*slot) + " and " + describe(here));
      slot = here;
      std::string key;
      for (auto c : key_columns) key += row[c] + ' ';
      const auto [it, inserted] = by_key.emplace(key, here);
      if (!inserted) {
        throw InputError("the same point appears twice under different indices: " + describe(it->second) + " and " +
                         describe(here));
      }
    }
  }
  std::vector<std::string> missing;
  std::size_t missing_count = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (by_index[i]) continue;
    if (++missing_count <= 10) missing.push_back(std::to_string(i));
  }
  if (missing_count > 0) {
    throw InputError(std::to_string(missing_count) + " of " + std::to_string(n) + " points are missing (indices " +
                     join(missing, ", ") + (missing_count > 10 ? ", ..." : "") +
                     "): a shard is absent or unfinished (finish it with --resume)");
  }
  // The first input's preamble with the shard set to "all".
  std::string preamble = preamble_text(first.path);
  const std::size_t eol = preamble.find('\n');
  Meta meta = first.meta;
  meta.shard = Shard{};
  std::string text = "# cimnet dataset " + meta.version + " " + meta.describe() + preamble.substr(eol);
  text += format_csv_line(first.header);
  for (std::size_t i = 0; i < n; ++i) text += format_csv_line(files[by_index[i]->file].rows[by_index[i]->row]);
  replace_file_atomically(out, text);
  return n;
}

}  // namespace cimnet::dataset
