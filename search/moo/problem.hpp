#pragma once
// What the optimizer's convenience loop evaluates. The ask/tell interface (nsga2.hpp) needs no
// Problem at all: callers that evaluate elsewhere (a predictor, a batch of SystemC runs on MPI ranks)
// ask for genomes and tell the results.
#include <vector>

#include "search/moo/types.hpp"

namespace cimnet::moo {

template <class Genome>
class Problem {
 public:
  virtual ~Problem() = default;
  virtual Evaluation evaluate(const Genome& genome) const = 0;
  // One call per generation; override it to evaluate a batch at once (vectorised predictors).
  virtual std::vector<Evaluation> evaluate_batch(const std::vector<Genome>& genomes) const {
    std::vector<Evaluation> results;
    results.reserve(genomes.size());
    for (const auto& genome : genomes) results.push_back(evaluate(genome));
    return results;
  }
};

}  // namespace cimnet::moo
