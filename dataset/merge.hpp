#pragma once
// Joining the shard files of one run into one dataset file, sorted by index.
#include <string>
#include <vector>

namespace cimnet::dataset {

// Checks that the inputs come from one run (same format, scenario, space, mode, seed, N, points and
// columns) and that together they hold every point exactly once; then writes OUT (atomically) with the
// shard recorded as "all". InputError, before writing anything, naming the files and points at fault;
// also when another process is writing OUT (common/output_lock.hpp: claimed first, held until OUT is
// written) or OUT's folder is missing or read-only. Returns the number of rows written.
std::size_t merge_datasets(const std::string& out, const std::vector<std::string>& inputs);

}  // namespace cimnet::dataset
