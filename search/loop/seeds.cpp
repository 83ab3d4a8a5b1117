#include "search/loop/seeds.hpp"

#include <stdexcept>

namespace cimnet::loop {

std::uint64_t mix_seed(std::uint64_t a, std::uint64_t b) {
  std::uint64_t z = a * 0x9E3779B97F4A7C15ULL + b + 0x632BE59BD9B4E019ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

namespace {

// Fixed numbers: changing one changes every evaluated set of that method.
std::uint64_t method_number(const std::string& method) {
  if (method == "linas") return 1;
  if (method == "nsga2") return 2;
  if (method == "random") return 3;
  if (method == "dynast") return 4;
  throw std::logic_error("no seed stream for method '" + method + "'");
}

}  // namespace

std::uint64_t method_seed(const std::string& method, long long seed, std::uint64_t salt) {
  return mix_seed(static_cast<std::uint64_t>(seed), (method_number(method) << 32) + salt);
}

std::uint64_t linas_inner_seed(long long seed, int iteration) {
  return method_seed("linas", seed, static_cast<std::uint64_t>(iteration));
}

}  // namespace cimnet::loop
