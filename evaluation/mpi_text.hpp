#pragma once
// Text messages between MPI ranks (built only with CIMNET_WITH_MPI): the ranks of `cimnet dataset`
// and `cimnet search` exchange CSV rows, task lines and outcome lines as MPI_CHAR messages.
#include <mpi.h>

#include <string>

namespace cimnet::evaluation {

void send_text(const std::string& text, int to, int tag);
// Receives the message `probed` describes (from MPI_Probe / MPI_Iprobe).
std::string receive_text(const MPI_Status& probed);
// Rank 0's `text` to every rank.
void broadcast_text(std::string& text, int rank);

}  // namespace cimnet::evaluation
