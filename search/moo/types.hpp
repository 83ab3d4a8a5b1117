#pragma once
// Vocabulary shared by the optimizer, the indicators and the test problems.
//
// Every objective is minimised. To maximise a quantity q, optimise −q (or c − q) and negate it back
// when reporting; hypervolume reference points follow the same sign convention.
#include <vector>

namespace cimnet::moo {

using Objectives = std::vector<double>;

// What one evaluation of a genome returns. Constraint values follow the g(x) ≤ 0 convention: a value
// of 0 or below is satisfied, a positive value is the amount by which the constraint is violated.
struct Evaluation {
  Objectives objectives;
  std::vector<double> constraints;
};

}  // namespace cimnet::moo
