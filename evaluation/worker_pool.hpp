#pragma once
// A pool of at most J worker processes, one fresh fork per task.
//
// Fork per task rather than long-lived workers because a task may do what is allowed once per
// process (SystemC elaboration) and may crash or hang: the parent kills it at its deadline and
// records what happened; the next task starts in a clean process. The parent is single-threaded and
// forks only from that thread, which is what makes fork() safe here.
//
// Each worker runs in its own process group (terminal Ctrl-C reaches only the coordinator, which
// decides what to stop) and asks the kernel to kill it when the coordinator dies (PR_SET_PDEATHSIG),
// so a SIGKILLed run leaves no orphans computing for nobody.
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "evaluation/evaluator.hpp"

namespace cimnet::evaluation {

struct TaskOutcome {
  std::size_t task = 0;
  std::string status;   // "ok", "error" or "timeout"
  std::string message;
  Fields fields;        // the evaluator's fields (empty unless the worker finished)
  double wall_seconds = 0;
};

struct PoolHooks {
  // Runs in the parent just before task `task` is forked (state the worker inherits); may be empty.
  std::function<void(std::size_t task)> prepare;
  // Runs in the worker: the fields of task `task`. Exceptions become error outcomes.
  std::function<Fields(std::size_t task)> work;
  // Runs in the parent, in completion order.
  std::function<void(const TaskOutcome&)> done;
  // Polled between events (at least every `tick_seconds`): true stops the pool — no new task starts,
  // running workers are killed and their tasks left undone.
  std::function<bool()> should_stop;
  std::function<void()> tick;  // progress display; may be empty
  // Tasks that arrive while the pool runs (an MPI rank's server receives them from rank 0). Called
  // whenever a worker slot is free and the queue is empty: appends what has arrived, without blocking,
  // and returns false once no more will ever come. Empty: the task list is all there is.
  std::function<bool(std::vector<std::size_t>& more)> feed;
  int feed_fd = -1;  // polled with the workers while feed is open, so that an arrival wakes the pool
};

struct PoolOptions {
  int jobs = 1;
  double timeout_seconds = 0;  // per task; 0: none
  double tick_seconds = 0.2;
};

// Runs the tasks (in the given order of issue), then those `feed` supplies until it closes. Returns
// true when all finished, false when stopped.
bool run_pool(const std::vector<std::size_t>& tasks, const PoolOptions& options, const PoolHooks& hooks);

// The number of online cores (at least 1): the default J.
int default_jobs();

}  // namespace cimnet::evaluation
