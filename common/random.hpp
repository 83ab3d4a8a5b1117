#pragma once
// A small deterministic random generator.
//
// The standard distributions are implementation-defined, so a seed would give different samples on
// another standard library. Everything cimnet samples goes through this generator instead: the same
// seed gives the same sub-networks, hardware and search decisions on every platform.
#include <cstdint>

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

}  // namespace cimnet
