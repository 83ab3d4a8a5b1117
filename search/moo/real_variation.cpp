#include "search/moo/real_variation.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "common/error.hpp"

namespace cimnet::moo {
namespace {

// The spread factor β_q of SBX for one side, bounded so the child stays inside [low, high]: `room` is
// the distance from the nearer parent to its bound, `gap` the distance between the parents.
double sbx_spread(double room, double gap, double eta, double u) {
  const double beta = 1.0 + 2.0 * room / gap;
  const double alpha = 2.0 - std::pow(beta, -(eta + 1.0));
  if (u <= 1.0 / alpha) return std::pow(u * alpha, 1.0 / (eta + 1.0));
  return std::pow(1.0 / (2.0 - u * alpha), 1.0 / (eta + 1.0));
}

}  // namespace

RealVariation::RealVariation(std::vector<double> lower, std::vector<double> upper, RealOptions options)
    : lower_(std::move(lower)), upper_(std::move(upper)), options_(options) {
  if (lower_.empty() || lower_.size() != upper_.size())
    throw InputError("real genome: lower and upper bounds must be non-empty and of equal length");
  for (std::size_t i = 0; i < lower_.size(); ++i)
    if (!(std::isfinite(lower_[i]) && std::isfinite(upper_[i]) && lower_[i] <= upper_[i]))
      throw InputError("real genome: bound " + std::to_string(i) + " is not a finite interval");
  if (!(options_.crossover_probability >= 0.0 && options_.crossover_probability <= 1.0))
    throw InputError("real genome: crossover probability must be in [0, 1]");
  if (options_.mutation_rate < 0.0) options_.mutation_rate = 1.0 / static_cast<double>(lower_.size());
  if (options_.mutation_rate > 1.0) throw InputError("real genome: mutation rate must be in [0, 1]");
  if (!(options_.crossover_eta >= 0.0 && options_.mutation_eta >= 0.0))
    throw InputError("real genome: distribution indices must be non-negative");
}

RealVariation::Genome RealVariation::sample(Rng& rng) const {
  Genome genome(lower_.size());
  for (std::size_t i = 0; i < genome.size(); ++i)
    genome[i] = lower_[i] + rng.uniform01() * (upper_[i] - lower_[i]);
  return genome;
}

void RealVariation::crossover(const Genome& a, const Genome& b, Genome& child_a, Genome& child_b,
                              Rng& rng) const {
  child_a = a;
  child_b = b;
  if (!rng.bernoulli(options_.crossover_probability)) return;
  const double eta = options_.crossover_eta;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!rng.bernoulli(0.5)) continue;
    // Parents closer than this would make the spread β blow up; they stay as they are.
    if (std::fabs(a[i] - b[i]) <= 1e-14) continue;
    const double y1 = std::min(a[i], b[i]), y2 = std::max(a[i], b[i]);
    const double low = lower_[i], high = upper_[i], gap = y2 - y1;
    const double u = rng.uniform01();
    double c1 = 0.5 * ((y1 + y2) - sbx_spread(y1 - low, gap, eta, u) * gap);
    double c2 = 0.5 * ((y1 + y2) + sbx_spread(high - y2, gap, eta, u) * gap);
    c1 = std::clamp(c1, low, high);
    c2 = std::clamp(c2, low, high);
    // Which child gets the lower value is a coin flip, so no child is biased towards a bound.
    if (rng.bernoulli(0.5)) std::swap(c1, c2);
    child_a[i] = c1;
    child_b[i] = c2;
  }
}

void RealVariation::mutate(Genome& genome, Rng& rng) const {
  const double eta = options_.mutation_eta, power = 1.0 / (eta + 1.0);
  for (std::size_t i = 0; i < genome.size(); ++i) {
    if (!rng.bernoulli(options_.mutation_rate)) continue;
    const double low = lower_[i], high = upper_[i], span = high - low;
    if (!(span > 0.0)) continue;
    const double y = genome[i];
    const double u = rng.uniform01();
    double delta;
    if (u < 0.5) {
      const double xy = 1.0 - (y - low) / span;
      const double value = 2.0 * u + (1.0 - 2.0 * u) * std::pow(xy, eta + 1.0);
      delta = std::pow(value, power) - 1.0;
    } else {
      const double xy = 1.0 - (high - y) / span;
      const double value = 2.0 * (1.0 - u) + 2.0 * (u - 0.5) * std::pow(xy, eta + 1.0);
      delta = 1.0 - std::pow(value, power);
    }
    genome[i] = std::clamp(y + delta * span, low, high);
  }
}

void RealVariation::check(const Genome& genome) const {
  if (genome.size() != lower_.size())
    throw InputError("real genome: " + std::to_string(genome.size()) + " variables, expected " +
                     std::to_string(lower_.size()));
  for (std::size_t i = 0; i < genome.size(); ++i)
    if (!(genome[i] >= lower_[i] && genome[i] <= upper_[i]))
      throw InputError("real genome: variable " + std::to_string(i) + " is outside its bounds");
}

}  // namespace cimnet::moo
