#pragma once
// The result of a whole program from a run of its distinct segments (program/repeated_segments.hpp):
// every segment equal to one that was timed takes its cycles, its ops its ops' timings shifted to where
// it starts, its resources the busy cycles, bytes and transactions the timed one added between its
// opening and closing cuts (counter checkpoints at those cuts). SystemC-free: simulate() runs the
// distinct segments in its forked child and replays them in the caller.
#include <vector>

#include "models/simulate.hpp"
#include "program/repeated_segments.hpp"
#include "program/segment_groups.hpp"

namespace cimnet {

// The ops of `plan.distinct` at whose completion the run must record its counters: each distinct
// segment's closing cut.
std::vector<int> replay_checkpoints(const RepeatedSegments& plan);

// The whole program's result from `timed`, the run of `plan.distinct` with replay_checkpoints(plan).
// A result that is not Ok keeps its status, message and counters, without ops (they are the distinct
// program's). With allocations held across the cuts (plan.holds_across) the memories' peaks are taken at
// the replayed timings, `timed`'s being of a program whose segments do not carry what the program holds:
// from each group of segments once and the bytes spanning each segment when `groups` is given and valid
// (program/segment_groups.hpp), else from every allocation of the program (memory_occupancy.hpp,
// memory_peaks); the two are equal.
SimResult replay_segments(const SimResult& timed, const Program& program, const RepeatedSegments& plan,
                          const HardwareConfig& hardware, const SegmentGroups* groups = nullptr);

}  // namespace cimnet
