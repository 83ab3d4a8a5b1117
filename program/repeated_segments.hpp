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
// The clean cuts split the program into segments (the ops after the last cut form the tail). Two
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

  bool repeats() const { return distinct_segments < segments.size(); }
};

// The program's segments between clean cuts and which of them are equal. The program must be valid
// (validate()); linear in its size but for the comparison of equal-looking segments.
RepeatedSegments find_repeated_segments(const Program& program);

}  // namespace cimnet
