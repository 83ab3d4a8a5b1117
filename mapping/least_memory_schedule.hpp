#pragma once
// The `pipelined` scheduler's third objective (issue 15; docs/pipelined.md, "The scheduler"): the
// segmentation that claims the least global buffer at once among those whose latency (cold cycles of
// one inference) is within a bound.
//
// A segmentation's claim is the most any one of its segments claims (segments run one after another,
// each after the previous one's last op): a stack, its bands' budget (stack_gb_bytes); a single layer,
// the most its ops can hold there in any order their dependencies allow (peak_allocation.hpp). The
// global buffer is where a CiM chip keeps activations; the arrays' cells hold weights whatever the
// segmentation, so they are not the quantity traded here.
//
// Exact over the options the latency programme enumerates (stack_scheduler.hpp), with each (stack,
// tile count) kept when no other tiling of the same layers beats it in both cycles and claim: for a
// cap M, the latency programme over the segments claiming at most M gives the fewest cycles under M,
// which can only fall as M grows; so the least M whose fewest cycles meet the bound is found by binary
// search over the distinct claims there are. Among segmentations claiming that M, the fastest is kept.
#include <cstdint>
#include <vector>

#include "mapping/stack_scheduler.hpp"

namespace cimnet {

// `singles`: per layer, its segment alone (cycles and gb_bytes); `options`: the stacks' (StackOptions).
// The latency programme over segments claiming at most `cap` bytes; `cycles` -1 when no segmentation does.
PipelineChoice fastest_within_claim(const std::vector<Segment>& singles, const StackOptions& options,
                                    std::int64_t cap);

// The least claim whose fastest segmentation takes at most `latency_bound` cycles, with that
// segmentation. InputError when even the fastest segmentation takes longer, naming both figures.
PipelineChoice least_memory_schedule(const std::vector<Segment>& singles, const StackOptions& options,
                                     std::int64_t latency_bound);

// The most any segment of `choice` claims.
std::int64_t claimed_gb_bytes(const PipelineChoice& choice);

}  // namespace cimnet
