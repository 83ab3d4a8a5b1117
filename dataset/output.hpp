#pragma once
// The output file of a run: created, or — with --resume — checked against the plan, cut after its
// last whole row and reopened for appending. Finished files are rewritten sorted by index.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "dataset/plan.hpp"
#include "common/row_writer.hpp"

namespace cimnet::dataset {

struct Output {
  std::optional<RowWriter> writer;
  std::vector<bool> done;   // per point of the list: a row exists
  std::size_t done_count = 0;
};

// Everything here happens before any evaluation, and every problem is an InputError: an output that
// exists without --resume, cannot be created, or belongs to another run (scenario, seed, mode, N,
// points or shard differ), has other columns, or rows that are not points of this run.
// Warnings (a torn last line dropped) go to stderr.
Output open_output(const Plan& plan);

// After a run: true when every point of the slice has a row; then the file is rewritten sorted by
// index (atomically), so that runs with any J, shard layout or rank count give the same file.
bool finish_output(const Plan& plan, Output& output);

// Rewrites a dataset file with its rows sorted by index.
void sort_dataset_file(const std::string& path);

}  // namespace cimnet::dataset
