#pragma once
// A rank's MPI-free helper process, for `cimnet dataset` and `cimnet search` under mpirun.
//
// A process that has called MPI_Init must not fork on OpenMPI (registered memory, the progress
// threads it starts; it warns through mpi_warn_on_fork), yet every real evaluation runs in a freshly
// forked worker. So each rank forks one server BEFORE MPI_Init: a plain process with no MPI state that
// talks to the rank over a socket pair and runs the fork-per-point worker pool. The rank itself never
// forks after MPI_Init.
#include <sys/types.h>

#include <functional>

namespace cimnet::evaluation {

struct RankServer {
  pid_t pid = -1;
  int fd = -1;  // the rank's end of the socket pair
};

// Forks `serve(fd)`, which must end the process with _exit(). The child gets a process group of its
// own (a terminal's Ctrl-C is for the rank to handle), SIGTERM when the rank dies, and ignores
// SIGPIPE (a gone rank shows as a failed write). The rank ignores SIGPIPE too, for the same reason.
RankServer fork_rank_server(const std::function<void(int fd)>& serve);

// Asks a running server to stop (SIGTERM); nothing once it has ended.
void stop_rank_server(const RankServer& server);

// Closes the rank's end and waits for the server to exit; with `stop`, sends it SIGTERM first (a busy
// server would otherwise finish its batch).
void end_rank_server(RankServer& server, bool stop);

}  // namespace cimnet::evaluation
