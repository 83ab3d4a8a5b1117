#pragma once
// A stand-in for the real evaluator, for tests of the machinery (pool, kill/resume, shards, merge,
// MPI), not of the physics: every number is a deterministic function of the point, and environment
// variables make chosen points crash, hang or throw, or every point take some time.
//   CIMNET_TEST_DELAY_MS=N         sleep N ms per point
//   CIMNET_TEST_CRASH_GENOME=G     SIGSEGV for the point whose canonical compact genome is G ("*": all)
//   CIMNET_TEST_HANG_GENOME=G      hang forever on that point
//   CIMNET_TEST_THROW_GENOME=G     throw on that point
//   CIMNET_TEST_KILL_PARENT=1      SIGKILL the process that forked this worker (an MPI rank's server),
//                                  as if the machine under it had failed
#include "evaluation/evaluator.hpp"

namespace cimnet::test {

evaluation::Fields fake_evaluate(const evaluation::EvalPoint& point);

}  // namespace cimnet::test
