#pragma once
// A planned batch of a predictor-guided method (linas, dynast): the points to evaluate for real, what
// the predictors said of them (to score the predictors once the batch is measured) and how the plan
// was made. The run folder's checkpoint keeps every plan, so a resumed run does not refit and search
// again (it would find the same plan: plans are pure functions of earlier real evaluations).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "search/loop/co_space.hpp"

namespace cimnet::loop {

struct Plan {
  std::vector<Candidate> points;
  std::vector<double> predicted_cycles, predicted_accuracy;
  std::vector<double> predicted_energy;  // one per point when energy was predicted, else empty
  std::string model;  // the selected cycles model
  double fit_s = 0, inner_s = 0, gens_per_s = 0, rerank_s = 0;
  std::size_t analytical_estimates = 0;  // candidates re-ranked by the analytical estimate
  std::uint64_t inner_seed = 0;
};

}  // namespace cimnet::loop
