#pragma once
// The output file of a run: created, or — with --resume — checked against the plan, cut after its
// last whole row and reopened for appending. Finished files are rewritten sorted by index.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "common/output_lock.hpp"
#include "common/row_writer.hpp"
#include "dataset/dataset_file.hpp"
#include "dataset/plan.hpp"

namespace cimnet::dataset {

struct Output {
  // The claim on the file (common/output_lock.hpp), taken before the file is read and held until the
  // Output is gone: a second process on the same output is refused, naming this one's pid. Declared
  // first, so it is released last.
  std::optional<OutputLock> lock;
  std::optional<RowWriter> writer;
  std::vector<bool> done;   // per point of the list: a row exists
  std::size_t done_count = 0;
  std::size_t rows = 0;              // after finish_output: rows of the finished file
  std::size_t missing_accuracy = 0;  // after finish_output: rows whose accuracy cell is empty
};

// Everything here happens before any evaluation, and every problem is an InputError: an output that
// another process is writing, exists without --resume, cannot be created, or belongs to another run
// (scenario, seed, mode, N, points or shard differ), has other columns, or rows that are not points of
// this run. Warnings (a torn last line dropped) go to stderr.
Output open_output(const Plan& plan);

// After a run: true when every point of the slice has a row; then the file is rewritten sorted by
// index (atomically), so that runs with any J, shard layout or rank count give the same file, and
// missing_accuracy counts its rows without an accuracy (when the file has the column).
bool finish_output(const Plan& plan, Output& output);

// The last line of a complete run whose accuracy column has empty cells (output.missing_accuracy > 0),
// saying how many and why; the run then exits with status 1 (docs/datasets.md).
std::string missing_accuracy_line(const Plan& plan, const Output& output);

// Rewrites a dataset file with its rows sorted by index; returns the file as read (before sorting).
DatasetFile sort_dataset_file(const std::string& path);

// "column 13 is 'status' in the file but 'accuracy' in this run (75 vs 75 columns)": the first column
// where two headers differ, for one-line errors; `expected_name` names where `expected` comes from.
std::string column_difference(const std::vector<std::string>& file, const std::vector<std::string>& expected,
                              const std::string& expected_name);

}  // namespace cimnet::dataset
