#pragma once
// The most each memory (program/memories.hpp numbering) holds at the end of any cycle of a run, given
// when every op started and ended: an allocating op holds its bytes from its start until the end of
// the Free that releases it (to the end of the run when none does) — program/memory_occupancy.hpp's
// rule, per memory rather than per level, and the timed model's own peak (models/context.hpp). What a
// replay of equal segments reports when allocations are held across its cuts, where no segment's
// peak can stand for another's (models/segment_replay.hpp).
#include <cstdint>
#include <vector>

#include "program/memories.hpp"
#include "program/memory_occupancy.hpp"
#include "program/program.hpp"

namespace cimnet {

// `spans` has one entry per op (std::invalid_argument otherwise). Precondition: the program is valid
// (validate()).
std::vector<std::int64_t> memory_peaks(const Program& program, const Memories& memories,
                                       const std::vector<OpSpan>& spans);

}  // namespace cimnet
