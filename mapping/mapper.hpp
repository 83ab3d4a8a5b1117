#pragma once
// The search: enumerates a layer's mapspace (mapspace.hpp) and keeps the plans the cost model
// (cost_model.hpp) scores best, among plans within the op budget (kOpBudget; without a budget only
// when no plan fits it). Exhaustive over the enumerated mapspace — it is a few hundred to a few
// thousand plans per layer — so it terminates when the enumeration ends. Deterministic: the score is
// the estimated cycles; ties keep the plan enumerated first (mapspace.hpp gives the order).
#include <cstdint>
#include <vector>

#include "hardware/hardware.hpp"
#include "mapping/cost_model.hpp"
#include "mapping/mapping.hpp"
#include "workloads/layer.hpp"

namespace cimnet {

struct ScoredPlan {
  Plan plan;
  Cost cost;
};

struct LayerMapping {
  std::vector<ScoredPlan> best;  // best first, at most top_k
  std::int64_t evaluated = 0;    // plans the cost model scored
};

// Throws InputError naming the layer and the constraint when no mapping fits (e.g. one output
// position needs more input than half the input buffer, or a weight tile cannot be made to fit).
// Precondition: layer.is_mac_layer().
LayerMapping map_layer(const Layer& layer, const HardwareConfig& hw, std::size_t top_k = 1);

}  // namespace cimnet
