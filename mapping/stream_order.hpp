#pragma once
// The order in which a stream's program issues its segments (pipelined_network.cpp), shared with the
// stream's period model (stream_period.cpp) so that both follow one order. A digital core serves its
// layers in the order they are issued (the program chains each to the previous one on its core), so
// the order is a schedule: inference by inference, a core would finish inference k's last stage
// before inference k + 1's first and the stages would not overlap; time slot by time slot (slot k + g
// runs stage g of inference k), with a slot's segments merged by their estimated start in their stage
// (the later stage first on ties), the core serves the stages as they reach it. Every dependency of a
// step (its stage's previous segment, the same inference's previous stage, the stage's and the next
// stage's earlier inferences) lies in an earlier slot or earlier in its stage, so either order is a
// valid order of issue.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace cimnet {

struct StreamStep {
  int inference = 0;        // warm inference 1 .. inferences (0, the first warm one, runs alone before)
  std::size_t stage = 0;    // its stage
  std::size_t segment = 0;  // the segment, numbered over all stages
};

// Stage g holds segments stage_first[g] .. stage_end[g] − 1; `offset[s]`: segment s's estimated start in
// its stage once warm. `by_slot`: slot by slot (a design with digital cores), else inference by inference.
std::vector<StreamStep> stream_order(const std::vector<std::size_t>& stage_first, const std::vector<std::size_t>& stage_end,
                                     const std::vector<std::int64_t>& offset, int inferences, bool by_slot);

}  // namespace cimnet
