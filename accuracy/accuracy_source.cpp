#include "accuracy/accuracy_source.hpp"

#include <cmath>
#include <stdexcept>

#include "common/error.hpp"
#include "common/text.hpp"

namespace cimnet {

std::vector<double> AccuracySource::top1(const std::vector<Genome>& genomes) {
  std::vector<Genome> canonical;
  canonical.reserve(genomes.size());
  for (const auto& g : genomes) {
    space_.check(g);
    canonical.push_back(space_.canonical(g));
  }
  if (canonical.empty()) return {};
  std::vector<double> values = compute(canonical);
  if (values.size() != canonical.size()) {
    throw std::logic_error("accuracy source " + label() + " answered " + std::to_string(values.size()) +
                           " values for " + std::to_string(canonical.size()) + " sub-networks");
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    // A model can extrapolate past 100 % or below 0 far from its data; a value that is not a number
    // at all is a broken source, and would poison every comparison the search makes.
    if (!std::isfinite(values[i])) {
      throw InputError(label() + ": top-1 of " + space_.format(canonical[i]) + " is " + format_number(values[i]));
    }
  }
  return values;
}

double AccuracySource::top1(const Genome& genome) { return top1(std::vector<Genome>{genome}).front(); }

}  // namespace cimnet
