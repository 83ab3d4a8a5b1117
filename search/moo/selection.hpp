#pragma once
// NSGA-II's selection: rank-and-crowding of a population, binary tournament for mating, and
// rank-and-crowding survival from parents plus offspring.
#include <cstddef>
#include <vector>

#include "common/random.hpp"
#include "search/moo/types.hpp"

namespace cimnet::moo {

struct Ranking {
  std::vector<std::size_t> rank;  // front index under constrained dominance (0 best)
  std::vector<double> crowding;   // crowding distance within the point's own front
};

// violations[i] is point i's total violation (0 = feasible).
Ranking rank_and_crowd(const std::vector<Objectives>& objectives, const std::vector<double>& violations);

// The winner of a binary tournament between members a and b: the lower rank, then the larger
// crowding distance, then a.
std::size_t tournament_winner(const Ranking& ranking, std::size_t a, std::size_t b);

// Tournaments without replacement (Deb's NSGA-II code): contestants are taken in pairs from a random
// permutation of the population, reshuffled when used up, so every member contests equally often and
// selection pressure does not depend on the luck of uniform draws.
class TournamentPool {
 public:
  std::size_t select(const Ranking& ranking, Rng& rng);
  void reset() { order_.clear(); next_ = 0; }

 private:
  std::size_t draw(std::size_t n, Rng& rng);
  std::vector<std::size_t> order_;
  std::size_t next_ = 0;
};

// The `count` survivors: whole fronts in order while they fit, then the overflowing front's members by
// decreasing crowding distance (computed on that front; ties by index, so the cut is deterministic).
// Returns indices, best front first. count ≥ size keeps everyone.
std::vector<std::size_t> select_survivors(const std::vector<Objectives>& objectives,
                                          const std::vector<double>& violations, std::size_t count);

}  // namespace cimnet::moo
