#pragma once
// Hashes for genomes, so that duplicate elimination can keep them in unordered sets. Only membership
// is ever asked of those sets, never their iteration order, so results do not depend on the hash.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace cimnet::moo {

struct GenomeHash {
  static std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
    // A SplitMix64 finaliser over the running value: cheap, and spreads small integers well.
    h ^= v + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
    h ^= h >> 30;
    h *= 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 27;
    return h;
  }
  std::size_t operator()(const std::vector<int>& genome) const {
    std::uint64_t h = genome.size();
    for (int g : genome) h = mix(h, static_cast<std::uint64_t>(static_cast<std::uint32_t>(g)));
    return static_cast<std::size_t>(h);
  }
  std::size_t operator()(const std::vector<double>& genome) const {
    std::uint64_t h = genome.size();
    for (double x : genome) {
      const double canonical = x + 0.0;  // −0.0 and 0.0 compare equal, so they must hash equal
      std::uint64_t bits;
      std::memcpy(&bits, &canonical, sizeof bits);
      h = mix(h, bits);
    }
    return static_cast<std::size_t>(h);
  }
};

}  // namespace cimnet::moo
