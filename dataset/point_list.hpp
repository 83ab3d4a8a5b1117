#pragma once
// The ordered list of points a dataset run evaluates. The list is a pure function of (scenario, mode,
// seed, N) — or of the --points file — so every process that needs it (each shard, each MPI rank, a
// resumed run) rebuilds the identical list instead of passing it around, and an index names one point
// everywhere.
#include <cstdint>
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

// N distinct points drawn uniformly from the seed (duplicates by point_key are redrawn, so the list
// for N is a prefix of the list for any larger N). InputError for N <= 0, for mode Points, or when the
// space has fewer than N distinct points.
PointList sample_points(const SearchSpace& space, const HardwareSpace& hardware, Mode mode, long long n,
                        std::uint64_t seed);

// An explicit list from a CSV file: a `genome` column (any spec parse() accepts) and optional
// columns named like the eight hardware parameters (values among the scenario's choices; a missing
// column means the reference value). A cimnet dataset file is accepted as is (its other columns are
// ignored); in any other file an unknown column is an error. InputError naming the file and line for
// a malformed file, an invalid genome or value, or a duplicated point.
PointList read_points_file(const std::string& path, const SearchSpace& space, const HardwareSpace& hardware);

}  // namespace cimnet::dataset
