#include "search/moo/rounded_real_variation.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "common/error.hpp"

namespace cimnet::moo {

namespace {

std::vector<double> bounds(const std::vector<int>& cardinalities, bool upper) {
  std::vector<double> out;
  for (int n : cardinalities) {
    if (n < 1) throw InputError("integer genome: every gene needs at least one choice");
    out.push_back(upper ? static_cast<double>(n - 1) : 0.0);
  }
  return out;
}

RealOptions real_options(const std::vector<int>& cardinalities, const RoundedRealOptions& o) {
  RealOptions r;
  r.crossover_probability = o.crossover_probability;
  r.crossover_eta = o.crossover_eta;
  r.mutation_eta = o.mutation_eta;
  r.mutation_rate = std::min(0.5, 1.0 / static_cast<double>(std::max<std::size_t>(1, cardinalities.size())));
  return r;
}

std::vector<double> as_real(const std::vector<int>& g) { return std::vector<double>(g.begin(), g.end()); }

// Clamped by the real operators already; rounding half away from zero (numpy rounds half to even: the
// difference is a tie, which a continuous operator produces with probability zero).
void round_into(const std::vector<double>& real, std::vector<int>& out) {
  out.resize(real.size());
  for (std::size_t i = 0; i < real.size(); ++i) out[i] = static_cast<int>(std::lround(real[i]));
}

}  // namespace

RoundedRealVariation::RoundedRealVariation(std::vector<int> cardinalities, RoundedRealOptions options)
    : cardinalities_(std::move(cardinalities)),
      real_(bounds(cardinalities_, false), bounds(cardinalities_, true), real_options(cardinalities_, options)),
      offspring_mutation_probability_(options.offspring_mutation_probability) {
  if (!(offspring_mutation_probability_ >= 0.0 && offspring_mutation_probability_ <= 1.0)) {
    throw InputError("integer genome: the offspring mutation probability must be in [0, 1]");
  }
}

RoundedRealVariation::Genome RoundedRealVariation::sample(Rng& rng) const {
  Genome g(cardinalities_.size());
  for (std::size_t i = 0; i < g.size(); ++i) g[i] = static_cast<int>(rng.uniform_int(static_cast<std::uint64_t>(cardinalities_[i])));
  return g;
}

void RoundedRealVariation::crossover(const Genome& a, const Genome& b, Genome& child_a, Genome& child_b,
                                     Rng& rng) const {
  std::vector<double> ra, rb;
  real_.crossover(as_real(a), as_real(b), ra, rb, rng);
  round_into(ra, child_a);
  round_into(rb, child_b);
}

void RoundedRealVariation::mutate(Genome& genome, Rng& rng) const {
  if (!rng.bernoulli(offspring_mutation_probability_)) return;
  std::vector<double> r = as_real(genome);
  real_.mutate(r, rng);
  round_into(r, genome);
}

void RoundedRealVariation::check(const Genome& genome) const {
  if (genome.size() != cardinalities_.size()) {
    throw InputError("integer genome: " + std::to_string(genome.size()) + " genes, expected " +
                     std::to_string(cardinalities_.size()));
  }
  for (std::size_t i = 0; i < genome.size(); ++i) {
    if (genome[i] < 0 || genome[i] >= cardinalities_[i]) {
      throw InputError("integer genome: gene " + std::to_string(i) + " = " + std::to_string(genome[i]) +
                       " outside [0, " + std::to_string(cardinalities_[i]) + ")");
    }
  }
}

}  // namespace cimnet::moo
