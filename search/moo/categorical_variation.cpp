#include "search/moo/categorical_variation.hpp"

#include <string>

#include "common/error.hpp"

namespace cimnet::moo {

CategoricalVariation::CategoricalVariation(std::vector<int> cardinalities, CategoricalOptions options)
    : cardinalities_(std::move(cardinalities)),
      crossover_probability_(options.crossover_probability),
      mutation_rate_(options.mutation_rate) {
  if (cardinalities_.empty()) throw InputError("categorical genome: no genes");
  int mutable_genes = 0;
  for (int n : cardinalities_) {
    if (n < 1) throw InputError("categorical genome: every gene needs at least one choice");
    mutable_genes += n > 1 ? 1 : 0;
  }
  if (!(crossover_probability_ >= 0.0 && crossover_probability_ <= 1.0))
    throw InputError("categorical genome: crossover probability must be in [0, 1]");
  if (mutation_rate_ < 0.0) mutation_rate_ = mutable_genes > 0 ? 1.0 / mutable_genes : 0.0;
  if (mutation_rate_ > 1.0) throw InputError("categorical genome: mutation rate must be in [0, 1]");
}

CategoricalVariation::Genome CategoricalVariation::sample(Rng& rng) const {
  Genome genome(cardinalities_.size());
  for (std::size_t i = 0; i < genome.size(); ++i)
    genome[i] = static_cast<int>(rng.uniform_int(static_cast<std::uint64_t>(cardinalities_[i])));
  return genome;
}

void CategoricalVariation::crossover(const Genome& a, const Genome& b, Genome& child_a,
                                     Genome& child_b, Rng& rng) const {
  child_a = a;
  child_b = b;
  if (!rng.bernoulli(crossover_probability_)) return;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (rng.bernoulli(0.5)) std::swap(child_a[i], child_b[i]);
}

void CategoricalVariation::mutate(Genome& genome, Rng& rng) const {
  for (std::size_t i = 0; i < genome.size(); ++i) {
    const int n = cardinalities_[i];
    if (n < 2 || !rng.bernoulli(mutation_rate_)) continue;
    // One of the n − 1 other choices, so that every mutation event changes the gene.
    const int shift = 1 + static_cast<int>(rng.uniform_int(static_cast<std::uint64_t>(n - 1)));
    genome[i] = (genome[i] + shift) % n;
  }
}

void CategoricalVariation::check(const Genome& genome) const {
  if (genome.size() != cardinalities_.size())
    throw InputError("categorical genome: " + std::to_string(genome.size()) + " genes, expected " +
                     std::to_string(cardinalities_.size()));
  for (std::size_t i = 0; i < genome.size(); ++i)
    if (genome[i] < 0 || genome[i] >= cardinalities_[i])
      throw InputError("categorical genome: gene " + std::to_string(i) + " = " +
                       std::to_string(genome[i]) + " is outside [0, " +
                       std::to_string(cardinalities_[i]) + ")");
}

}  // namespace cimnet::moo
