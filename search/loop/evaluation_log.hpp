#pragma once
// The run folder's evaluations.csv: every real evaluation of a search, one row each, streamed as it
// finishes (one write() per row, like dataset files: a killed search loses no finished evaluation).
//
// Columns: exactly the dataset columns (evaluation/schema.hpp: point, hardware, macs, status, cycles,
// analytical_cycles, traffic, ...), then accuracy (%), area (relative to the reference design), method
// (a method spec's name: linas, linas:rerank=0, nsga2, random, dynast; or reference), seed and
// iteration; and, only when the execution policy is searched, execution (the candidate's policy, under
// which its cycles were measured). It is the search's source of truth: --resume rebuilds every method's state from it, and
// refuses a file it cannot trust (another search's, another version's columns, a row it cannot read,
// a point recorded twice for one method and seed), naming the line and quoting at most a short,
// escaped excerpt of what it found.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/row_writer.hpp"
#include "evaluation/schema.hpp"
#include "evaluation/worker_pool.hpp"
#include "search/loop/co_space.hpp"
#include "search/loop/run_settings.hpp"

namespace cimnet::loop {

struct Measurement {
  std::string status = "ok";  // ok, error, timeout
  double cycles = 0;
  double analytical_cycles = 0;
  // One inference's energy (pJ), simulated and analytical; 0 when the evaluator reported none.
  double energy_pj = 0, analytical_energy_pj = 0;
  double accuracy = 0;
  bool ok() const { return status == "ok"; }
};

struct Record {
  Candidate point;
  Measurement m;
  std::string method;
  long long seed = 0;
  int iteration = 0;
};

class EvaluationLog {
 public:
  // `settings`: everything that decides the evaluated set (scenario fingerprint, mode, methods, budget,
  // seeds, ...), written on the first line: a resumed run must have the same (InputError naming each
  // setting that differs). resume=false: creates the file (InputError when it exists). resume=true:
  // reads the records of an existing file (a torn last line is dropped) or creates it.
  EvaluationLog(const std::string& path, const CoSpace& space, const RunSettings& settings, bool resume);

  const std::vector<Record>& records() const { return records_; }
  // Appends a record and its row: `outcome` carries the evaluator's measured fields, status and wall time.
  void append(const Record& record, const evaluation::TaskOutcome& outcome, const Network& network);
  void close();

 private:
  void read_existing(const std::string& text);

  std::string path_;
  const CoSpace& space_;
  evaluation::Schema schema_;
  std::vector<Record> records_;
  std::optional<RowWriter> writer_;
};

// The part of a real evaluation that depends on the machine: the measured dataset fields of each
// candidate. `done` is called in the parent, in completion order, as each finishes.
class BatchEvaluator {
 public:
  virtual ~BatchEvaluator() = default;
  // Returns false when stopped (SIGINT/SIGTERM) before every candidate finished.
  virtual bool evaluate(const std::vector<Candidate>& batch, const std::vector<const Network*>& networks,
                        const std::function<void(const evaluation::TaskOutcome&)>& done) = 0;
};

// Real evaluations on the dataset worker pool: one fresh forked worker per point (the evaluator may
// elaborate SystemC there; the parent never does), J at a time, each with its timeout.
class PoolEvaluator : public BatchEvaluator {
 public:
  PoolEvaluator(const CoSpace& space, evaluation::Evaluator evaluator, int jobs, double timeout_seconds);
  bool evaluate(const std::vector<Candidate>& batch, const std::vector<const Network*>& networks,
                const std::function<void(const evaluation::TaskOutcome&)>& done) override;

 private:
  const CoSpace& space_;
  evaluation::Evaluator evaluator_;
  int jobs_;
  double timeout_;
};

}  // namespace cimnet::loop
