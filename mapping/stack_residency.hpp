#pragma once
// Throughput mode of the `pipelined` policy (issue 15; docs/pipelined.md, "Over a stream of
// inferences"): which stacks keep their weights in the arrays from one inference to the next. A
// network decision made from the segments' plans and the analytical model alone (deterministic).
//
// A stack whose weights stay loads them in the first inference exactly as one whose weights do not
// (each MAC layer's first band, on its own decoders) but never frees them; in every later inference it
// runs warm and loads nothing. Single-layer segments always load their weights (the layer-by-layer
// plan, over all decoders, which no stack could share).
//
// Capacity, per array, exact in its accounting (the program's validation proves it): the weights that
// stay on the array + the most any segment whose weights do not stay needs there (its weight tile,
// twice with half_capacity) ≤ MA_mem_size. Stacks place their layers from decoder 0 on (the
// scheduler's layouts); they are not turned.
//
// Which: the stacks that save cycles once warm (their cold estimate − their warm one) are added
// greedily in two orders — cycles saved per byte kept, and cycles saved — while the capacity holds;
// the fill that saves more is kept. Greedy, so not optimal in general.
#include <cstdint>
#include <vector>

#include "hardware/hardware.hpp"
#include "mapping/mapping.hpp"
#include "workloads/network.hpp"

namespace cimnet {

// What the choice needs of one segment.
struct SegmentWeights {
  bool stack = false;
  // The plans of its MAC layers, placed on their decoders (Plan::decoder_base): a stack's layers, or
  // the single layer's plan (none for a vector layer).
  std::vector<Plan> plans;
  std::int64_t saving = 0;  // stacks: estimated cycles saved per inference once warm
};

struct StackResidency {
  std::vector<char> stays;          // per segment: its weights stay in the arrays
  std::int64_t saving = 0;          // Σ saving of those that stay
  std::int64_t resident_bytes = 0;  // weights kept, over all arrays
  std::int64_t fullest_array = 0;   // the most kept bytes on any one array
};

// Bytes a plan keeps on each array it uses in its first pass (array id → bytes, added to `bytes`).
void add_plan_bytes(const Plan& plan, std::int64_t per_array, std::vector<std::int64_t>& bytes);

StackResidency choose_stack_residency(const HardwareConfig& hw, const std::vector<SegmentWeights>& segments);

}  // namespace cimnet
