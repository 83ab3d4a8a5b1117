#pragma once
// Variation for real-valued genomes in a box (the test functions ZDT and DTLZ need it).
//
// Simulated binary crossover (Deb & Agrawal 1995) in the bounded form of Deb's NSGA-II reference code
// — each variable recombined with probability ½ once a pair is chosen for crossover — and polynomial
// mutation (Deb & Goyal 1996, the bounded variant of the same code) at rate 1/n per variable.
#include <vector>

#include "common/random.hpp"

namespace cimnet::moo {

struct RealOptions {
  double crossover_probability = 0.9;
  double crossover_eta = 15.0;   // SBX distribution index
  double mutation_rate = -1.0;   // per variable; negative means 1/n
  double mutation_eta = 20.0;    // polynomial-mutation distribution index
};

class RealVariation {
 public:
  using Genome = std::vector<double>;

  RealVariation(std::vector<double> lower, std::vector<double> upper, RealOptions options = {});

  const std::vector<double>& lower() const { return lower_; }
  const std::vector<double>& upper() const { return upper_; }

  Genome sample(Rng& rng) const;  // uniform in the box
  void crossover(const Genome& a, const Genome& b, Genome& child_a, Genome& child_b, Rng& rng) const;
  void mutate(Genome& genome, Rng& rng) const;
  // Throws InputError unless the genome has the right length and lies in the box.
  void check(const Genome& genome) const;

 private:
  std::vector<double> lower_, upper_;
  RealOptions options_;
};

}  // namespace cimnet::moo
