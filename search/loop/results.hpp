#pragma once
// What a search reports: one line per iteration of a method and seed (iterations.csv, the progress
// lines), and per method and seed its front, hypervolume and speedup (front.csv, the summary).
#include <cstddef>
#include <string>
#include <vector>

#include "search/loop/evaluation_log.hpp"

namespace cimnet::loop {

struct IterationLog {
  std::string method;           // a method spec's canonical name (linas, linas:rerank=0, ...)
  long long seed = 0;
  int iteration = 0;
  std::size_t evaluations = 0;  // real evaluations of this method and seed so far
  double hypervolume = 0;
  // Predictor quality on this iteration's batch (before it was evaluated); NaN when not applicable.
  double tau_cycles, mape_cycles, tau_accuracy, mape_accuracy;
  double tau_energy, mape_energy;  // when an energy predictor guided the batch (energy or edp objective)
  std::string model_cycles;     // the selected model ("ridge alpha=... log")
  double fit_seconds = 0, inner_seconds = 0, eval_seconds = 0, rerank_seconds = 0;
  double inner_generations_per_second = 0;
  // Candidates whose cycles the mapper's analytical estimate gave to the re-rank (outside the budget).
  std::size_t analytical_estimates = 0;
};

struct MethodResult {
  std::string method;
  long long seed = 0;
  std::vector<Record> front;  // really evaluated, non-dominated, within the area budget
  double hypervolume = 0;
  double speedup = 0;         // reference cycles / fastest front point with accuracy ≥ the reference's
  std::size_t evaluations = 0;
  // The analytical estimates the method asked for beyond its real evaluations (LINAS's re-rank), over
  // every iteration (those of earlier processes of a resumed run included). The analytical cycles
  // measured inside each real evaluation are every method's alike and not counted here.
  std::size_t analytical_estimates = 0;
  double analytical_seconds = 0;
};

}  // namespace cimnet::loop
