#pragma once
// A small deterministic random generator.
//
// The standard distributions are implementation-defined, so a seed would give different samples on
// another standard library. Everything cimnet samples goes through this generator instead: the same
// seed gives the same sub-networks, hardware and search decisions on every platform.
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace cimnet {

class Rng {
 public:
  explicit Rng(std::uint64_t seed);

  std::uint64_t next();                       // 64 uniformly random bits (xoshiro256**)
  std::uint64_t uniform_int(std::uint64_t n);  // uniform in [0, n), unbiased; n > 0
  double uniform01();                         // uniform in [0, 1) with 53 random bits
  bool bernoulli(double p);

 private:
  std::uint64_t s_[4];
};

// Shuffles `items` in place (Fisher–Yates, from the back: item i-1 swaps with a uniform one of the
// first i). The one shuffle of cimnet: std::shuffle's draws are library-specific, and every shuffle
// (cross-validation folds, learning-curve splits, NSGA-II tournaments) must give the same order for a
// seed on every platform and in every release, since tests and published results pin them.
template <typename T>
void shuffle(std::vector<T>& items, Rng& rng) {
  for (std::size_t i = items.size(); i > 1; --i) std::swap(items[i - 1], items[rng.uniform_int(i)]);
}

// 0, 1, ..., n-1 in shuffled order.
std::vector<std::size_t> random_permutation(std::size_t n, Rng& rng);

}  // namespace cimnet
