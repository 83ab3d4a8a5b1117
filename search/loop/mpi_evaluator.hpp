#pragma once
// Real evaluations of a co-search spread over MPI ranks (`mpirun -np R cimnet search ...`; built only
// with CIMNET_WITH_MPI).
//
// Roles: rank 0 runs the whole loop (predictor fits, inner NSGA-II, the run folder) exactly as a local
// run does; every rank, rank 0 included, evaluates its share of each batch on a local worker pool of
// J workers (--jobs, per rank). The loop's evaluated set does not depend on who evaluates what nor in
// which order results arrive (search.hpp), so an R-rank run records the same points with the same
// cycles as a one-process run with the same seed.
//
// Fork safety (evaluation/rank_server.hpp): the constructor forks the rank's evaluation server BEFORE
// MPI_Init: an MPI-free child that holds the co-space and the evaluator, receives candidates over a
// socket pair, runs them on the fork-per-point worker pool and sends each outcome back. The rank
// never forks after MPI_Init.
//
// Dealing (evaluation/dealer.hpp): each batch's candidates, largest networks first (MACs: the proxy of a
// simulation's length), go to the ranks as they finish them, each rank at most 2 J ahead; the server
// runs them as they arrive. A batch thus ends when its work does, not when the unluckiest share does.
//
// Stops: SIGINT/SIGTERM on any rank stops the whole search (rank 0 tells the others). A rank whose
// server dies gets nothing more and its unfinished candidates go to the others; only when no rank is
// left does the search fail. Finished evaluations are in evaluations.csv either way; --resume continues.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "evaluation/evaluator.hpp"
#include "search/loop/co_space.hpp"
#include "search/loop/evaluation_log.hpp"

namespace cimnet::loop {

class MpiEvaluation {
 public:
  // Forks this rank's evaluation server, runs `before_mpi_init` (e.g. starting an accuracy command:
  // after MPI_Init this process must not fork; after the server's fork, so that the server holds none
  // of its pipes), then calls MPI_Init. `space` and `evaluator` must be fully set up: the server is a
  // copy of this process as it is now.
  MpiEvaluation(const CoSpace& space, evaluation::Evaluator evaluator, int jobs, double timeout_seconds,
                const std::function<void()>& before_mpi_init = {});
  // Rank 0 releases the other ranks; then MPI_Finalize.
  ~MpiEvaluation();
  MpiEvaluation(const MpiEvaluation&) = delete;
  MpiEvaluation& operator=(const MpiEvaluation&) = delete;

  int rank() const;
  int size() const;
  int total_jobs() const;  // workers over all ranks (rank 0 only)
  // Real evaluations each rank has finished so far (rank 0 only; the balance of the dealing).
  std::vector<std::size_t> evaluations_per_rank() const;

  // Rank 0: the loop's evaluator.
  BatchEvaluator& evaluator();
  // Ranks > 0: evaluate rank 0's shares until it releases them; the process's exit status.
  int serve();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace cimnet::loop
