#pragma once
// The run folder of a search, and the only code that touches it:
//
//   .lock             the claim (common/output_lock.hpp): one process per run folder, held for the run
//   scenario.yaml     the scenario as read (written once)
//   evaluations.csv   every real evaluation, streamed (EvaluationLog): the source of truth
//   checkpoint.json   the run's settings, each plan of linas and dynast, the iteration log
//   iterations.csv    the iteration log as CSV (rewritten whole from the checkpoint's log)
//   front.csv         each method's and seed's front (written at the end)
// When the execution policy is searched, evaluations.csv and front.csv end with an `execution` column
// and each checkpointed plan point carries its policy; with a fixed policy they are as before.
//
// Opening claims the folder before reading or writing anything in it; a second process on the same
// folder is refused (InputError naming the holder's pid), and so is a folder of a search with other
// settings (naming each setting that differs) or, without --resume, any folder that holds a search.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/output_lock.hpp"
#include "search/loop/co_space.hpp"
#include "search/loop/evaluation_log.hpp"
#include "search/loop/plan.hpp"
#include "search/loop/results.hpp"
#include "search/loop/run_settings.hpp"

namespace cimnet::loop {

class RunFolder {
 public:
  // InputError (one line) unless `out` can be a run folder: an existing writable folder, or a missing
  // path whose nearest existing ancestor is a writable folder. Reads nothing, creates nothing.
  static void check_path(const std::string& out);

  // Creates the folder if needed, claims it, then reads what a resume continues from.
  RunFolder(const std::string& out, const CoSpace& space, const RunSettings& settings, const std::string& scenario_text,
            bool resume);

  const std::string& path() const { return out_; }
  EvaluationLog& log() { return *log_; }
  const EvaluationLog& log() const { return *log_; }

  // The iteration log: those of earlier processes (resume) and this one's.
  const std::vector<IterationLog>& iterations() const { return iterations_; }
  bool logged(const std::string& method, long long seed, int iteration) const;
  // Appends to the log and saves checkpoint.json and iterations.csv.
  void record_iteration(const IterationLog& log);

  bool stored_plan(const std::string& method, long long seed, int iteration, Plan& plan) const;
  void store_plan(const std::string& method, long long seed, int iteration, const Plan& plan);

  void write_front(const std::vector<MethodResult>& methods, const Record& reference) const;
  void close_log() { log_->close(); }

 private:
  void load_checkpoint(const RunSettings& settings);
  void save_checkpoint();
  std::string file(const char* name) const;

  std::string out_;
  const CoSpace& space_;
  std::optional<OutputLock> lock_;
  std::optional<EvaluationLog> log_;
  std::vector<IterationLog> iterations_;
  std::map<std::string, Plan> plans_;  // by "method/seed/iteration"
  std::string settings_line_;
};

}  // namespace cimnet::loop
