#pragma once
// The co-search: the predictor-guided loop ("linas", done better than DyNAS-T's) and two baselines
// with the same budget of real evaluations (random search, NSGA-II on real evaluations only), with a
// run folder that makes every run resumable. docs/search.md describes the algorithm and the files.
//
// Invariants, each tested (tests/search/loop):
//   - no point is evaluated twice by one method and seed (identity: canonical sub-network + hardware);
//   - every reported point (fronts, hypervolumes, speedups) was evaluated for real;
//   - each LINAS iteration runs its inner NSGA-II with a seed of its own;
//   - the evaluated set is a pure function of (scenario, settings, seed): the plan of an iteration is
//     computed from the real evaluations of the earlier iterations only, sorted by point identity, so
//     neither completion order, J, nor an interruption (--resume) changes it.
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "search/loop/co_space.hpp"
#include "search/loop/evaluation_log.hpp"
#include "search/moo/types.hpp"

namespace cimnet::loop {

struct SearchOptions {
  std::vector<std::string> methods = {"linas"};  // linas, nsga2, random
  std::vector<long long> seeds = {1};
  bool area_objective = false;  // area as a third objective (else only the budget of the CoSpace)
  long long budget = 100;       // real evaluations per method and seed
  long long initial = 30;
  long long batch = 20;
  long long population = 50;    // inner NSGA-II (linas)
  long long generations = 100;  // inner NSGA-II (linas)
  std::string out;              // run folder
  bool resume = false;
  std::string config;           // one-line description of the settings (evaluations.csv header)
  std::string scenario_text;    // copied to the run folder
  bool verbose = true;          // one line per iteration on stderr
  // linas: how many predicted candidates per batch slot to re-rank by `analytical` (0: none).
  long long rerank = 0;
  // The mapper's analytical cycle estimate of candidates (cheap, SystemC-free); empty: not used.
  std::function<std::vector<double>(const std::vector<Candidate>&)> analytical;
};

// Top-1 (%) of sub-networks. `cheap`: use it directly inside the inner loop (a model or a table);
// otherwise (an external command) the loop fits an accuracy predictor on the real evaluations.
struct AccuracyFunction {
  std::function<std::vector<double>(const std::vector<Genome>&)> top1;
  bool cheap = true;
  std::string label;
};

struct IterationLog {
  std::string method;
  long long seed = 0;
  int iteration = 0;
  std::size_t evaluations = 0;  // real evaluations of this method and seed so far
  double hypervolume = 0;
  // Predictor quality on this iteration's batch (before it was evaluated); NaN when not applicable.
  double tau_cycles, mape_cycles, tau_accuracy, mape_accuracy;
  std::string model_cycles;     // the selected model ("ridge alpha=... log")
  double fit_seconds = 0, inner_seconds = 0, eval_seconds = 0, rerank_seconds = 0;
  double inner_generations_per_second = 0;
};

struct MethodResult {
  std::string method;
  long long seed = 0;
  std::vector<Record> front;  // really evaluated, non-dominated, within the area budget
  double hypervolume = 0;
  double speedup = 0;         // reference cycles / fastest front point with accuracy ≥ the reference's
  std::size_t evaluations = 0;
};

struct SearchResult {
  Record reference;                 // the reference sub-network on the reference hardware
  double accuracy_low = 0, accuracy_high = 0;  // normalisation: the range of the smallest, largest and reference sub-network
  std::vector<MethodResult> methods;
  std::vector<IterationLog> iterations;
  int exit_status = 0;              // 0, or 128 + signal when interrupted (resume with --resume)
};

// Runs every method for every seed (in that order), writing the run folder. The CoSpace, evaluator
// and accuracy function must outlive the call.
SearchResult run_search(const CoSpace& space, BatchEvaluator& evaluator, const AccuracyFunction& accuracy,
                        const SearchOptions& options);

// The seed of LINAS iteration `iteration`'s inner NSGA-II: a new one per iteration (DyNAS-T reuses one).
std::uint64_t linas_inner_seed(long long seed, int iteration);

// Prints the fronts and the summary (hypervolume, speedup) of a result.
void print_result(std::ostream& out, const CoSpace& space, const SearchResult& result);

// The normalised objectives (minimised) of a record: −(acc − low)/(high − low), cycles / reference
// cycles, [area]; the hypervolume's reference point is (0, 1, [1.1 × max area]).
moo::Objectives normalised_objectives(const Record& r, const SearchResult& frame, bool area_objective);

}  // namespace cimnet::loop
