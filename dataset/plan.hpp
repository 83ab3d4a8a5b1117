#pragma once
// Everything a dataset run derives from its scenario and options before any work: the space, the
// point list, the slice this run (shard) owns, the schema and the header metadata. Every process of a
// run (each shard, each MPI rank, the pool server) builds the identical plan from the same inputs.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "config/scenario.hpp"
#include "evaluation/evaluator.hpp"
#include "dataset/point_list.hpp"
#include "dataset/preamble.hpp"
#include "evaluation/schema.hpp"
#include "dataset/shard.hpp"
#include "evaluation/worker_pool.hpp"
#include "accuracy/accuracy_source.hpp"

namespace cimnet::dataset {

struct JobOptions {
  std::string out;
  Mode mode = Mode::Joint;
  long long samples = 0;
  std::uint64_t seed = 1;
  bool resume = false;
  Shard shard;
  int jobs = 0;                    // 0: evaluation::default_jobs()
  double timeout_seconds = 600;    // per point; 0: none
  std::string points_file;         // non-empty: explicit list (mode Points)
  bool progress = true;
  // Called by the coordinator (rank 0 under mpirun), never a worker, once each finished point's row is in
  // the file: the slice's points done so far (resumed ones included) and in all. Front ends that are not
  // a terminal (the Python module's progress callback) watch the run through it.
  std::function<void(std::size_t done, std::size_t total)> on_point;
  Execution execution = Execution::LayerByLayer;  // how every point's network runs (recorded in the preamble)
  CyclesOf cycles_of = CyclesOf::Steady;          // which inference's cycles fill `cycles` (recorded too)
  LatencyBound latency_bound;                     // pipelined: the least-memory objective's bound (recorded too)
  CoreAllocation allocation = CoreAllocation::Latency;  // digital cores: what the choice of core minimises (recorded too)
};

class Plan {
 public:
  // Throws InputError for bad options (N <= 0, a malformed points file, ...).
  Plan(const Scenario& scenario, const JobOptions& options, evaluation::Evaluator evaluator);

  const JobOptions& options() const { return options_; }
  const SearchSpace& space() const { return *space_; }
  const HardwareSpace& hardware() const { return scenario_.hardware; }
  const PointList& list() const { return list_; }
  // The run's columns; when it resumes a file written before the cold and steady columns, that file's
  // layout (Schema::without_cold_steady()), so that its rows stay one table.
  const evaluation::Schema& schema() const { return schema_; }
  const Meta& meta() const { return meta_; }
  std::string preamble() const { return format_preamble(meta_, schema_); }
  // Indices of the points this run owns (its shard), in list order.
  std::vector<std::size_t> slice() const;
  // The expected key of a row, for checking rows read back: genome column + hardware columns.
  std::string row_key(const std::vector<std::string>& header, const std::vector<std::string>& row) const;
  std::string expected_key(std::size_t index) const;

  // Pool hooks: prepare (parent, before the fork) builds the network so the worker inherits it;
  // work (worker) evaluates; row (parent) builds the finished CSV row and releases the network.
  void prepare(std::size_t index);
  evaluation::Fields work(std::size_t index) const;
  std::vector<std::string> row(const evaluation::TaskOutcome& outcome);

  // The run's accuracy source (scenario `accuracy:`), or null when there is none: kind `auto` on a
  // space with neither a shipped model nor a proxy. The coordinator (this process, never a worker)
  // computes the accuracy column, in batches of up to kAccuracyBatch points of the slice.
  const AccuracySource* accuracy_source() const { return accuracy_.get(); }
  static constexpr std::size_t kAccuracyBatch = 64;
  // Why there is no accuracy column although the scenario asks for `auto`; empty otherwise. The run
  // prints it once its output is open (so that input errors stay one line).
  const std::string& accuracy_note() const { return accuracy_note_; }
  // Why this run stopped asking its accuracy source (it failed as a whole: a command that hung, exited
  // or broke the protocol); empty while it answers. After the first such failure no point asks again,
  // so a misbehaving command costs at most one time-out per run; the rows after it have no accuracy.
  const std::string& accuracy_failure() const { return accuracy_failure_; }

 private:
  // Accuracy (%) of point `index` as the row's text; empty when the source could not answer for it.
  std::string accuracy_text(std::size_t index);

  Scenario scenario_;
  JobOptions options_;
  evaluation::Evaluator evaluator_;
  std::unique_ptr<SearchSpace> space_;
  std::string accuracy_note_;  // before accuracy_: filled while accuracy_ is built
  std::unique_ptr<AccuracySource> accuracy_;
  std::string accuracy_failure_;
  std::map<std::size_t, std::string> accuracy_cache_;  // point index -> column text
  PointList list_;
  evaluation::Schema schema_;
  Meta meta_;
  std::map<std::size_t, Network> networks_;  // of the points in flight
};

}  // namespace cimnet::dataset
