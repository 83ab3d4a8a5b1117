#pragma once
// The MPI run of a plan (built only with CIMNET_WITH_MPI).
//
// Fork safety: a process that has called MPI_Init must not fork on OpenMPI (registered memory, the
// progress threads it starts; it warns through mpi_warn_on_fork). So each rank forks one "pool
// server" BEFORE MPI_Init: a plain process with no MPI state that receives the rank's point indices
// over a socket pair, runs the fork-per-point worker pool, and sends each finished row back. The rank
// itself never forks after MPI_Init. Rows of ranks > 0 travel to rank 0 as MPI messages; rank 0
// writes the single file and draws the single progress display.
//
// Points: the rank-independent slice (shard) minus the rows already in the file (rank 0 reads it and
// broadcasts what is done), dealt round-robin over the ranks.
#include "dataset/plan.hpp"

namespace cimnet::dataset {

int run_mpi_job(Plan& plan);

}  // namespace cimnet::dataset
