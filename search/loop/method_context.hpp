#pragma once
// What every method of a search shares: the co-space, real evaluations that never repeat a point of a
// method and seed, the records so far, uniform sampling, the hypervolume frame, and the iteration log.
// run_search makes one per run; each method (method.hpp) is handed it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "search/loop/accuracy_function.hpp"
#include "search/loop/hypervolume_frame.hpp"
#include "search/loop/plan.hpp"
#include "search/loop/roofline_features.hpp"
#include "search/loop/run_folder.hpp"
#include "search/loop/search.hpp"

namespace cimnet::loop {

// Thrown when SIGINT/SIGTERM arrives (between evaluations, or in an inner search); run_search turns it
// into exit status 128 + signal with every finished evaluation kept.
struct Interrupted {};

// The successful real evaluations of a method and seed before an iteration, sorted by point identity:
// a fit on them (hence a plan) does not depend on completion order.
struct TrainingSet {
  std::vector<Candidate> points;
  std::vector<double> cycles, accuracy;
  std::vector<double> energy_pj;  // 0 where the evaluator reported none
};

class MethodContext {
 public:
  MethodContext(const CoSpace& space, BatchEvaluator& evaluator, const AccuracyFunction& accuracy,
                const SearchOptions& options, RunFolder& folder);

  const CoSpace& space() const { return space_; }
  const SearchOptions& options() const { return options_; }
  const AccuracyFunction& accuracy_function() const { return accuracy_function_; }
  AccuracyCache& accuracy() { return accuracy_; }
  RooflineFeatures& features() { return features_; }
  RunFolder& folder() { return folder_; }
  const RunFolder& folder() const { return folder_; }
  const HypervolumeFrame& frame() const { return frame_; }
  const Record& reference() const { return frame_.reference(); }

  // Measures the reference point (method `reference`, seed 0, iteration 0; never counted in a budget)
  // and sets the frame. InputError when it cannot be evaluated.
  void measure_reference();

  std::vector<const Record*> records_of(const std::string& method, long long seed,
                                        int before_iteration = 1 << 30) const;
  std::unordered_map<std::string, const Record*> by_key(const std::string& method, long long seed) const;
  // Real evaluations left in the budget of a method and seed.
  std::size_t remaining(const std::string& method, long long seed) const;

  // Evaluates the candidates not yet recorded for (method, seed) — never one twice — and records them.
  // Throws Interrupted when stopped.
  void evaluate(const std::vector<Candidate>& plan, const std::string& method, long long seed, int iteration);

  // The first `count` distinct feasible uniform samples of a seeded stream (fewer when the space runs
  // out); never the reference point, which is measured already.
  std::vector<Candidate> uniform_sample(std::uint64_t seed, std::size_t count,
                                        const std::unordered_set<std::string>& exclude = {}) const;

  TrainingSet training_set(const std::string& method, long long seed, int iteration) const;
  // Predictor quality on an evaluated batch: the predictions made before it was evaluated vs the truth.
  void batch_quality(const std::string& method, long long seed, const Plan& plan, bool accuracy_predicted,
                     IterationLog& log) const;

  // A log line with no predictor numbers (NaN).
  static IterationLog blank(const std::string& method, long long seed, int iteration);
  // Completes (evaluations, hypervolume), prints (verbose) and records an iteration, once.
  void log_iteration(IterationLog log);

 private:
  const CoSpace& space_;
  BatchEvaluator& evaluator_;
  const AccuracyFunction& accuracy_function_;
  const SearchOptions& options_;
  RunFolder& folder_;
  AccuracyCache accuracy_;
  RooflineFeatures features_;
  HypervolumeFrame frame_;
};

}  // namespace cimnet::loop
