#pragma once
// Variation for categorical genomes: gene i is an index into n_i unordered choices.
//
// Uniform crossover (each gene from either parent with probability ½) and uniform-reset mutation (a
// gene is replaced by one of its other choices, uniformly) at rate 1/n per gene on every offspring,
// where n counts the genes that can change. Neither operator assumes that neighbouring indices are
// similar, which is right for choices such as kernel sizes or array shapes; docs/optimizer.md explains
// why this replaces the SBX-on-rounded-floats that DyNAS-T uses.
#include <vector>

#include "common/random.hpp"

namespace cimnet::moo {

struct CategoricalOptions {
  double crossover_probability = 0.9;  // chance that a pair of parents is recombined at all
  double mutation_rate = -1.0;         // per gene; negative means 1/n over the genes with n_i > 1
};

class CategoricalVariation {
 public:
  using Genome = std::vector<int>;

  // cardinalities[i] = n_i ≥ 1 (a gene with one choice is fixed and never mutates).
  explicit CategoricalVariation(std::vector<int> cardinalities, CategoricalOptions options = {});

  const std::vector<int>& cardinalities() const { return cardinalities_; }
  double mutation_rate() const { return mutation_rate_; }

  Genome sample(Rng& rng) const;  // every gene uniform over its choices
  void crossover(const Genome& a, const Genome& b, Genome& child_a, Genome& child_b, Rng& rng) const;
  void mutate(Genome& genome, Rng& rng) const;
  // Throws InputError unless the genome has one gene per cardinality, each in [0, n_i).
  void check(const Genome& genome) const;

 private:
  std::vector<int> cardinalities_;
  double crossover_probability_;
  double mutation_rate_;
};

}  // namespace cimnet::moo
