#pragma once
// validate() of a program from its segments between cuts (program/repeated_segments.hpp), each class
// of equal segments checked once: what makes a program of timing cuts (a fused 7B decode step: 1.3 M
// ops, 25 532 segments, 44 classes) cheap to judge, where validate() takes seconds.
//
// Every cut is a two-sided barrier, so (capacity_groups.hpp) a memory's peak over every schedule is
// the largest over the segments of the bytes spanning the segment (allocated before it, freed after it
// or never) plus the peak of the segment's own group: the allocations carried into it (made before,
// freed inside) and its own (those freed later live to its end). A segment's group is the program of
// its ops alone — dependencies inside kept, those outside replaced by the carried-in allocations,
// which every op follows (they precede its opening cut) — and equal segments whose carried-in
// allocations are equal op for op are the same such program. Each is validated once, by validate()
// itself (the per-op rules, the frees inside, its peak over time by barrier groups and exact peaks only
// where a bound cannot prove the fit), against every capacity less the most bytes spanning any of its
// segments: enough for all of them. What no segment sees alone is checked over the whole program: no
// op freed twice, no free ahead of its op.
//
// A pass proves the program valid; a failure (or the most spanning bytes of one segment meeting the
// peak of another) hands the program to validate(), whose verdict and message stand: the verdict is
// validate()'s exactly.
#include <cstddef>

#include "hardware/hardware.hpp"
#include "program/program.hpp"
#include "program/repeated_segments.hpp"
#include "program/segment_groups.hpp"

namespace cimnet {

// Throws InputError as validate(program, hardware) does. `plan` is find_repeated_segments(program, ..)
// (a plan without segments: validate() itself). Returns how many groups it validated, 0 when it
// handed the program to validate() (a rule failed somewhere, or a case it does not prove).
std::size_t validate_segments(const Program& program, const RepeatedSegments& plan, const HardwareConfig& hardware);
// The same with the segments' groups already found (group_segments(program, plan, Memories(hardware))).
std::size_t validate_segments(const Program& program, const RepeatedSegments& plan, const HardwareConfig& hardware,
                              const SegmentGroups& groups);

}  // namespace cimnet
