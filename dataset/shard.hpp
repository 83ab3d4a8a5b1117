#pragma once
// A deterministic slice of a point list, for job arrays: shard I of K takes the points whose index
// modulo K is I. Round-robin rather than contiguous blocks so that every shard gets a similar mix of
// cheap and expensive points whatever order the sampler produced them in.
#include <cstddef>
#include <string>

namespace cimnet::dataset {

struct Shard {
  std::size_t index = 0;
  std::size_t count = 1;  // 1: the whole list

  bool whole() const { return count == 1; }
  bool contains(std::size_t point_index) const { return point_index % count == index; }
  std::string to_string() const;  // "I/K", or "all" for the whole list
};

// "I/K" with 0 <= I < K; "all" is the whole list. InputError otherwise.
Shard parse_shard(const std::string& text);

}  // namespace cimnet::dataset
