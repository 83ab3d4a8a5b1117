#pragma once
// The co-search: the predictor-guided loop ("linas", done better than DyNAS-T's), DyNAS-T's LINAS as
// published ("dynast") and two baselines (random search, NSGA-II on real evaluations only), each with
// the same budget of real evaluations, and variants of them with settings of their own
// (method_spec.hpp: `linas:rerank=0`), in a run folder that makes every run resumable
// (run_folder.hpp). docs/search.md describes the algorithms and the files.
//
// Where things are: run_search (here) opens the run folder, measures the reference point that sets
// the hypervolume frame (hypervolume_frame.hpp) and runs each method (method.hpp; one file per
// method) for each seed; the methods share the services of method_context.hpp (real evaluations,
// sampling, the iteration log) and linas and dynast share the inner search on predictors
// (inner_search.hpp).
//
// Invariants, each tested (tests/search/loop):
//   - no point is evaluated twice by one method and seed (identity: canonical sub-network + hardware);
//   - every reported point (fronts, hypervolumes, speedups) was evaluated for real;
//   - each LINAS iteration runs its inner NSGA-II with a seed of its own;
//   - the evaluated set is a pure function of (scenario, settings, seed): the plan of an iteration is
//     computed from the real evaluations of the earlier iterations only, sorted by point identity, so
//     neither completion order, J, nor an interruption (--resume) changes it;
//   - one process per run folder (a second is refused, naming the holder's pid).
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "search/loop/accuracy_function.hpp"
#include "search/loop/co_space.hpp"
#include "search/loop/evaluation_log.hpp"
#include "search/loop/method_spec.hpp"
#include "search/loop/objective.hpp"
#include "search/loop/results.hpp"
#include "search/loop/run_settings.hpp"
#include "search/loop/seeds.hpp"
#include "search/moo/types.hpp"

namespace cimnet::loop {

struct AnalyticalEstimate {
  double cycles = 0;
  double energy_pj = 0;
};

struct SearchOptions {
  // Method specs (method_spec.hpp), run in this order: linas, nsga2, random, dynast, or one of them
  // with settings of its own (linas:rerank=0).
  std::vector<std::string> methods = {"linas"};
  std::vector<long long> seeds = {1};
  // What the search optimises (objective.hpp): two or more, any order (the frame sorts them). Without
  // area among them, area is only the CoSpace's budget.
  std::vector<Objective> objectives = {Objective::accuracy, Objective::cycles};
  long long budget = 100;       // real evaluations per method and seed
  long long initial = 30;
  long long batch = 20;
  long long population = 50;    // inner NSGA-II (linas, dynast)
  long long generations = 100;  // inner NSGA-II (linas, dynast)
  std::string out;              // run folder
  bool resume = false;
  RunSettings config;           // what decides the evaluated set (evaluations.csv's first line)
  std::string scenario_text;    // copied to the run folder
  bool verbose = true;          // one line per iteration on stderr
  // linas: how many predicted candidates per batch slot to re-rank by `analytical` (0: none).
  long long rerank = 0;
  // The mapper's analytical estimate of candidates (cheap, SystemC-free): cycles, and energy (pJ) when
  // the objectives need it (else anything); empty: not used.
  std::function<std::vector<AnalyticalEstimate>(const std::vector<Candidate>&)> analytical;
  // Called once the run folder is claimed and read, before any evaluation (a command prints what it
  // is about to do: a refused run prints nothing but its refusal).
  std::function<void()> on_start;
  // Called after each real evaluation is in the run folder's log (in this process, never a worker), with
  // its record and the evaluations the log holds. Front ends that are not a terminal (the Python
  // module's progress callback) watch the run through it.
  std::function<void(const Record& record, std::size_t evaluations)> on_evaluation;

  // The run's settings that a method spec may override.
  MethodSettings method_settings() const { return {initial, batch, population, generations, rerank}; }
};

struct SearchResult {
  Record reference;                 // the reference sub-network on the reference hardware
  double accuracy_low = 0, accuracy_high = 0;  // normalisation: the range of the smallest, largest and reference sub-network
  std::vector<Objective> objectives;  // the chosen ones, in canonical order
  std::vector<MethodResult> methods;
  std::vector<IterationLog> iterations;
  int exit_status = 0;              // 0, or 128 + signal when interrupted (resume with --resume)
};

// Runs every method for every seed (in that order), writing the run folder. The CoSpace, evaluator
// and accuracy function must outlive the call. Bad settings, a run folder that cannot be written or is
// claimed by another process, and a resume that cannot be trusted are InputErrors before any
// evaluation.
SearchResult run_search(const CoSpace& space, BatchEvaluator& evaluator, const AccuracyFunction& accuracy,
                        const SearchOptions& options);

// InputError (one line) unless `out` can be a run folder: an existing writable folder, or a missing
// path whose nearest existing ancestor is a writable folder (run_search checks it too, and then claims
// the folder). For a command to check before any other work.
void check_run_folder(const std::string& out);

// Prints the fronts and the summary (hypervolume, speedup, analytical estimates) of a result.
void print_result(std::ostream& out, const CoSpace& space, const SearchResult& result);

}  // namespace cimnet::loop
