#pragma once
// Benchmark problems with known Pareto fronts, for validating the optimizer: ZDT1, 2, 3, 4, 6 (Zitzler,
// Deb & Thiele 2000) and 3-objective DTLZ1, DTLZ2 (Deb, Thiele, Laumanns & Zitzler 2002).
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "search/moo/problem.hpp"
#include "search/moo/types.hpp"

namespace cimnet::moo {

class TestProblem : public Problem<std::vector<double>> {
 public:
  virtual std::string name() const = 0;
  virtual std::size_t objectives() const = 0;
  virtual std::vector<double> lower() const = 0;
  virtual std::vector<double> upper() const = 0;
  // About `samples` points of the true Pareto front, non-dominated and free of duplicates.
  virtual std::vector<Objectives> true_front(std::size_t samples) const = 0;
  // Exact hypervolume of the whole true front for reference_point().
  virtual double true_hypervolume() const = 0;
  // 1.1 in every objective, the usual reference for these problems.
  Objectives reference_point() const { return Objectives(objectives(), 1.1); }
};

// "zdt1", "zdt2", "zdt3", "zdt4", "zdt6", "dtlz1", "dtlz2"; `variables` 0 means the customary count
// (30 for ZDT1–3, 10 for ZDT4 and ZDT6, 7 for DTLZ1, 12 for DTLZ2). Throws InputError for other names.
std::unique_ptr<TestProblem> make_test_problem(const std::string& name, std::size_t variables = 0);
std::vector<std::string> test_problem_names();

}  // namespace cimnet::moo
