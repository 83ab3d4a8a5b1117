#pragma once
// The task line rank 0 sends an MPI rank for each candidate it deals (search/loop/mpi_evaluator.hpp):
//   "<id> <compact sub-network spec> <hardware choice indices, comma-separated> <execution policy>\n"
// The spec in the space's own text form, as the checkpoint and evaluations.csv write it; the hardware
// indices the whole genome (the eight parameters, then any component genes); the policy the
// candidate's own, which a searched policy makes differ between candidates. MPI-free, so that the
// format is tested without mpirun.
#include <cstddef>
#include <string>
#include <utility>

#include "search/loop/co_space.hpp"

namespace cimnet::loop {

std::string task_line(const CoSpace& space, std::size_t id, const Candidate& c);
// The inverse, of the line without its newline (as the server's line reader hands it); std::runtime_error for a line of the wrong shape (rank 0 wrote it: not the user's input).
std::pair<std::size_t, Candidate> parse_task(const CoSpace& space, const std::string& line);

}  // namespace cimnet::loop
