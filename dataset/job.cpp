#include "dataset/job.hpp"

#include <cstdlib>
#include <iostream>

#include "common/error.hpp"
#include "common/text.hpp"
#include "dataset/output.hpp"
#include "common/csv_line.hpp"
#include "dataset/progress.hpp"
#include "evaluation/stop_signal.hpp"
#ifdef CIMNET_HAVE_MPI
#include "dataset/mpi_job.hpp"
#endif

namespace cimnet::dataset {

bool mpi_available() {
#ifdef CIMNET_HAVE_MPI
  return true;
#else
  return false;
#endif
}

int mpi_world_size_from_environment() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"}) {
    if (const char* v = std::getenv(name); v && *v) return std::atoi(v);
  }
  return 0;
}

int mpi_world_rank_from_environment() {
  for (const char* name : {"OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK"}) {
    if (const char* v = std::getenv(name); v && *v) return std::atoi(v);
  }
  return 0;
}

int run_local_job(Plan& plan) {
  Output output = open_output(plan);  // before any work: every input problem shows here
  if (!plan.accuracy_note().empty()) std::cerr << "note: dataset: " << plan.accuracy_note() << '\n';
  std::vector<std::size_t> remaining;
  for (std::size_t i : plan.slice()) {
    if (!output.done[i]) remaining.push_back(i);
  }
  const std::string& path = plan.options().out;
  if (output.done_count > 0) {
    std::cerr << "dataset: resuming " << path << ": " << output.done_count << " points done, " << remaining.size()
              << " to go\n";
  }
  Progress progress(remaining.size(), output.done_count, plan.options().progress);
  evaluation::StopSignal stop;
  evaluation::PoolHooks hooks;
  std::size_t finished = 0;  // this run's points
  hooks.prepare = [&plan](std::size_t i) { plan.prepare(i); };
  hooks.work = [&plan](std::size_t i) { return plan.work(i); };
  hooks.done = [&](const evaluation::TaskOutcome& o) {
    output.writer->write(format_csv_line(plan.row(o)));
    output.done[o.task] = true;
    progress.add(o.status);
    if (plan.options().on_point) plan.options().on_point(output.done_count + ++finished, plan.slice().size());
  };
  hooks.should_stop = [] { return evaluation::StopSignal::requested(); };
  hooks.tick = [&] { progress.tick(); };
  evaluation::PoolOptions options;
  options.jobs = plan.options().jobs;
  options.timeout_seconds = plan.options().timeout_seconds;
  const bool complete = evaluation::run_pool(remaining, options, hooks);
  progress.finish();
  if (!complete) {
    output.writer->close();
    const int sig = evaluation::StopSignal::signal_number();
    std::cerr << "dataset: stopped by " << (sig == 2 ? "SIGINT" : "SIGTERM") << "; " << path
              << " holds every finished row; continue with --resume\n";
    evaluation::StopSignal::reset();
    return 128 + sig;
  }
  if (!finish_output(plan, output)) throw std::logic_error("dataset: points left undone after a complete run");
  if (output.missing_accuracy > 0) {
    std::cerr << missing_accuracy_line(plan, output) << '\n';
    return 1;
  }
  std::cerr << "dataset: " << path << " complete\n";
  return 0;
}

int run_job(const Scenario& scenario, const JobOptions& options, const evaluation::Evaluator& evaluator) {
  Plan plan(scenario, options, evaluator);
  const int ranks = mpi_world_size_from_environment();
#ifdef CIMNET_HAVE_MPI
  if (ranks > 0) return run_mpi_job(plan);
#else
  if (ranks > 1) {
    throw InputError("launched by mpirun with " + std::to_string(ranks) +
                     " ranks, but this cimnet was built without MPI (CIMNET_WITH_MPI=OFF): every rank would "
                     "write the same file; run without mpirun, or use --shard");
  }
#endif
  return run_local_job(plan);
}

}  // namespace cimnet::dataset
