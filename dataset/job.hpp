#pragma once
// A dataset run: plan, open the output, evaluate the remaining points of the slice on a pool of
// forked workers, stream each row to the file as it finishes, sort the file when complete.
//
// Under mpirun (when built with MPI) the points of the slice are spread over the ranks; rank 0 writes
// the one file and shows the one progress display (see mpi_job.hpp).
#include "config/scenario.hpp"
#include "evaluation/evaluator.hpp"
#include "dataset/plan.hpp"

namespace cimnet::dataset {

// Returns the exit status: 0 when every point of the slice has a row (error and timeout rows
// included: they are data), 1 when it has but some rows lack the accuracy the scenario's source should
// have given (the last line says how many and why), 128 + signal when SIGINT or SIGTERM stopped it (the
// file is valid and --resume continues it). InputError for bad input, always before any evaluation.
int run_job(const Scenario& scenario, const JobOptions& options, const evaluation::Evaluator& evaluator);

// The local (single-process coordinator) run of a plan.
int run_local_job(Plan& plan);

// True when built with MPI (CIMNET_WITH_MPI).
bool mpi_available();
// Ranks of the MPI job this process belongs to, from the launcher's environment; 0 when not
// launched by mpirun.
int mpi_world_size_from_environment();
// This process's rank as the MPI launcher's environment gives it (before MPI_Init); 0 when not set.
int mpi_world_rank_from_environment();

}  // namespace cimnet::dataset
