#pragma once
// DyNAS-T's variation for integer genomes, kept to compare against (cimnet's own search uses
// CategoricalVariation; docs/optimizer.md says why): each gene i is treated as a real number in
// [0, n_i − 1], varied by SBX (pair recombined with probability 0.9, each variable with probability ½,
// η 15) and polynomial mutation (η 20), clamped to the bounds and rounded to the nearest index — as
// pymoo 0.6 does with its RoundingRepair. pymoo's mutation `prob` is the chance that an offspring is
// mutated at all (then each gene at rate min(½, 1/n)); DyNAS-T sets it to 0.02.
#include <vector>

#include "common/random.hpp"
#include "search/moo/real_variation.hpp"

namespace cimnet::moo {

struct RoundedRealOptions {
  double crossover_probability = 0.9;
  double crossover_eta = 15.0;
  double offspring_mutation_probability = 0.02;  // DyNAS-T's pymoo setting
  double mutation_eta = 20.0;
};

class RoundedRealVariation {
 public:
  using Genome = std::vector<int>;

  // cardinalities[i] = n_i ≥ 1.
  explicit RoundedRealVariation(std::vector<int> cardinalities, RoundedRealOptions options = {});

  Genome sample(Rng& rng) const;  // every gene uniform over its indices (pymoo's IntegerRandomSampling)
  void crossover(const Genome& a, const Genome& b, Genome& child_a, Genome& child_b, Rng& rng) const;
  void mutate(Genome& genome, Rng& rng) const;
  void check(const Genome& genome) const;

 private:
  std::vector<int> cardinalities_;
  RealVariation real_;
  double offspring_mutation_probability_;
};

}  // namespace cimnet::moo
