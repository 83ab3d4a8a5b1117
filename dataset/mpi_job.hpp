#pragma once
// The MPI run of a plan (built only with CIMNET_WITH_MPI).
//
// Fork safety: each rank forks its pool server before MPI_Init (evaluation/rank_server.hpp says why); the
// server receives the rank's point indices, runs the fork-per-point worker pool, and sends each
// finished row back. Rows of ranks > 0 travel to rank 0 as MPI messages; rank 0 writes the single file
// and draws the single progress display.
//
// Points: the rank-independent slice (shard) minus the rows already in the file (rank 0 reads it and
// broadcasts what is done), dealt round-robin over the ranks.
#include "dataset/plan.hpp"

namespace cimnet::dataset {

int run_mpi_job(Plan& plan);

}  // namespace cimnet::dataset
