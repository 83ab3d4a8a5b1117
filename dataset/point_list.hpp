#pragma once
// The ordered list of points a dataset run evaluates. The list is a pure function of (scenario, mode,
// seed, N) — or of the --points file — so every process that needs it (each shard, each MPI rank, a
// resumed run) rebuilds the identical list instead of passing it around, and an index names one point
// everywhere.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "config/scenario.hpp"
#include "dataset/point.hpp"

namespace cimnet::dataset {

struct PointList {
  Mode mode = Mode::Joint;
  std::uint64_t seed = 0;
  std::vector<Point> points;
  // "sampled", or "file:<hash of the points>" for an explicit list (recorded in the file header so
  // that resume and merge can tell two explicit lists apart).
  std::string source = "sampled";
};

// Progress while a list is built: points drawn so far and the total. Drawing millions of points takes
// long enough (seconds to minutes) that a silent command looks hung.
using ListProgress = std::function<void(std::size_t done, std::size_t total)>;
// Points between two progress calls (and a last call at the end).
inline constexpr std::size_t kListProgressStep = 65536;

// N distinct points drawn uniformly from the seed (duplicates by point_key are redrawn, so the list
// for N is a prefix of the list for any larger N). InputError for N <= 0, for mode Points, or when the
// space has fewer than N distinct points. `progress` (when set) is called after every
// kListProgressStep points and once with done == N.
PointList sample_points(const SearchSpace& space, const HardwareSpace& hardware, Mode mode, long long n,
                        std::uint64_t seed, const ListProgress& progress = {});

// An explicit list from a CSV file: a `genome` column (any spec parse() accepts) and optional
// columns named like the eight hardware parameters (values among the scenario's choices; a missing
// column means the reference value). A cimnet dataset file is accepted as is (its other columns are
// ignored); in any other file an unknown column is an error. InputError naming the file and line for
// a malformed file, an invalid genome or value, or a duplicated point.
PointList read_points_file(const std::string& path, const SearchSpace& space, const HardwareSpace& hardware);

}  // namespace cimnet::dataset
