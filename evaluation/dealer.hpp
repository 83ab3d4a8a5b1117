#pragma once
// Rank 0's book of who evaluates what under MPI (datasets and searches): tasks are dealt to ranks as
// they finish them rather than split up front, so a faster machine, a lighter load or cheaper tasks
// take more of the run, and the run lasts as long as the work, not as long as its slowest share.
//
// Each rank holds at most `lookahead` × its J tasks (J running, the rest queued at the rank so that no
// worker waits for a message). A rank whose evaluation server is lost gets no more tasks, and those it
// held go back to the front of the queue for the others. No MPI here: the callers move the messages.
#include <cstddef>
#include <deque>
#include <set>
#include <vector>

namespace cimnet::evaluation {

class Dealer {
 public:
  // jobs_per_rank[r]: rank r's J (at least 1 is assumed for a rank that reports less).
  explicit Dealer(std::vector<int> jobs_per_rank, std::size_t lookahead = 2);

  // Queues tasks, in the order they should start.
  void add(const std::vector<std::size_t>& tasks);
  // What rank r should receive now (possibly nothing); recorded as held by r.
  std::vector<std::size_t> deal(int rank);
  // A result of `task` came back from `rank`. False when r did not hold it (a stray result).
  bool finished(int rank, std::size_t task);
  // Rank r's server is gone: it gets nothing more; returns the tasks it held, now queued again first.
  std::vector<std::size_t> lost(int rank);

  bool alive(int rank) const { return alive_.at(static_cast<std::size_t>(rank)); }
  bool any_alive() const;
  // Nothing queued and nothing held: every added task has finished.
  bool idle() const;
  std::size_t queued() const { return queue_.size(); }
  std::size_t finished_by(int rank) const { return finished_.at(static_cast<std::size_t>(rank)); }
  int ranks() const { return static_cast<int>(jobs_.size()); }

 private:
  std::vector<int> jobs_;
  std::size_t lookahead_;
  std::deque<std::size_t> queue_;
  std::vector<std::set<std::size_t>> held_;
  std::vector<bool> alive_;
  std::vector<std::size_t> finished_;
};

}  // namespace cimnet::evaluation
