#pragma once
// The seeds of a search: independent, reproducible streams for (run seed, method, iteration). A method
// variant (linas:rerank=0) draws from its method's streams, so a variant and its method start from the
// same initial sample and, iteration by iteration, run their inner searches with the same seeds: the
// comparison isolates the setting the variant changes.
#include <cstdint>
#include <string>

namespace cimnet::loop {

// splitmix64 of two words.
std::uint64_t mix_seed(std::uint64_t a, std::uint64_t b);

// The stream of a method (linas, nsga2, random, dynast; not a variant's name) for a run seed, with
// `salt` telling its uses apart (0: the initial uniform sample; see each method).
std::uint64_t method_seed(const std::string& method, long long seed, std::uint64_t salt = 0);

// The seed of LINAS iteration `iteration`'s inner NSGA-II: a new one per iteration (DyNAS-T reuses one).
std::uint64_t linas_inner_seed(long long seed, int iteration);

}  // namespace cimnet::loop
