#pragma once
// A program's equal stretches, so that the timed model times each of them once (issue 18: a 32-layer
// language model's decode step is 32 equal blocks, and a block's passes repeat within it).
//
// A clean cut is a two-sided barrier (capacity_groups.hpp: the ops before it are its ancestors, the
// ops after it its descendants) across which the ops before it hold nothing: every allocation made
// before it is freed before it, and no op after it depends on a stream before it (a stream's space in
// the input buffers is held until its dependents complete). When the barrier completes, every op
// before it has completed, so every link, port, core and unit of the timed model is idle and every
// memory and input buffer holds only what the later ops will put there. What happens after the cut
// then depends only on the ops after it, shifted in time: the model has no absolute clock (no refresh,
// no time-varying rate).
//
// A timing cut is weaker: a two-sided barrier that no stream's space is held across, allocations
// aside. What a memory holds never changes when an op runs (validate() proves it fits; the model only
// counts it), so the ops after a timing cut take the same cycles whatever is allocated before it; but
// the distinct segments are then not a program validate() can judge for the whole (an allocation made
// in one segment may be freed in another, or never), and the memories' peaks depend on what came
// before. A fused program keeps weights, the KV cache and activations across every layer and has
// clean cuts only at its ends; its timing cuts are between its layers' passes.
//
// The cuts split the program into segments (the ops after the last cut form the tail). Two
// segments are equal when their ops, taken in op-id order, agree field for field but the name: kind,
// arrays, sizes, places, order and prefetch; dependencies and frees inside the segment by rank, every
// dependency outside it alike (they all precede the opening cut, whose completion is the later). Equal
// segments take equal cycles from their opening cut to their closing one, with every op at the same
// offset, every resource busy as long, the memories filled alike. `distinct` holds each segment once,
// in order of first appearance, each behind the cut closing the one before it: simulating it and
// shifting its results (models/segment_replay.hpp) gives every op's timing of the whole program.
#include <cstdint>
#include <vector>

#include "program/program.hpp"

namespace cimnet {

enum class SegmentCuts { Clean, Timing };

// Whether two ops agree in every field but the name, the dependencies and what a Free frees: the
// fields the timed model and validate()'s per-op rules read.
bool same_op_fields(const Op& a, const Op& b);

struct RepeatedSegments {
  struct Segment {
    std::vector<int> ops;  // the program's op ids, ascending
    int closing = -1;      // the cut that closes it (one of `ops`), -1 for the tail
    int first = 0;         // the index of the first segment equal to it (its own when it is the first)
  };
  std::vector<Segment> segments;  // in the order they run
  Program distinct;               // the first of each class of equal segments, in order
  std::vector<int> distinct_op;   // per op of the program: the op of `distinct` that stands for it
  std::size_t distinct_segments = 0;  // segments that are the first of their class
  SegmentCuts cuts = SegmentCuts::Clean;  // the rule the cuts follow
  // Timing cuts only: whether some allocation is held across a cut. Then `distinct` holds frees of
  // another segment's op (named by the distinct op that stands for it) and validate() must judge the
  // whole program; otherwise it judges the whole by `distinct` (as for clean cuts).
  bool holds_across = false;

  bool repeats() const { return distinct_segments < segments.size(); }
};

// The program's segments between cuts of the given rule and which of them are equal (no segments
// when the program is found not valid: a free ahead of its op, a cycle). `distinct` and `distinct_op`
// are filled only when some segment repeats. Linear in the program's size but for the comparison of
// equal-looking segments.
RepeatedSegments find_repeated_segments(const Program& program, SegmentCuts cuts);
// The segments between clean cuts when some repeat (validating the distinct ones then validates the
// program), else between timing cuts: what simulate() replays. One pass over the program for both.
RepeatedSegments find_repeated_segments(const Program& program);

}  // namespace cimnet
