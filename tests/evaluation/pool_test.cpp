// The worker pool on its own: tasks that arrive while it runs (the MPI rank server's feed).
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "evaluation/worker_pool.hpp"

namespace cimnet::evaluation {
namespace {

// The feed hands out tasks in three deliveries with an empty call between, then closes: every task
// runs once, in a fresh worker (its field is computed in the child), and the pool returns only after
// the feed has closed and the last worker has finished.
TEST(WorkerPool, RunsTasksThatArriveUntilTheFeedCloses) {
  const std::vector<std::vector<std::size_t>> deliveries = {{10, 11, 12}, {}, {13}, {}, {14, 15, 16, 17}};
  std::size_t call = 0;
  std::size_t calls_after_close = 0;
  bool closed = false;
  PoolHooks hooks;
  hooks.feed = [&](std::vector<std::size_t>& more) {
    if (closed) ++calls_after_close;
    if (call < deliveries.size()) {
      more.insert(more.end(), deliveries[call].begin(), deliveries[call].end());
      ++call;
      return true;
    }
    closed = true;
    return false;
  };
  hooks.work = [](std::size_t task) { return Fields{{"square", std::to_string(task * task)}}; };
  std::map<std::size_t, std::string> results;
  hooks.done = [&](const TaskOutcome& o) {
    EXPECT_EQ(o.status, "ok") << o.message;
    EXPECT_TRUE(results.emplace(o.task, o.fields.at("square")).second) << "task " << o.task << " ran twice";
  };
  PoolOptions options;
  options.jobs = 2;
  options.tick_seconds = 0.01;
  ASSERT_TRUE(run_pool({1, 2}, options, hooks));
  EXPECT_TRUE(closed);
  EXPECT_EQ(calls_after_close, 0u);
  const std::map<std::size_t, std::string> expected = {{1, "1"},   {2, "4"},   {10, "100"}, {11, "121"}, {12, "144"},
                                                       {13, "169"}, {14, "196"}, {15, "225"}, {16, "256"}, {17, "289"}};
  EXPECT_EQ(results, expected);
}

}  // namespace
}  // namespace cimnet::evaluation
