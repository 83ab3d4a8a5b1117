#pragma once
// The mapspace of one MAC layer on one hardware configuration: an explicit, enumerable set of
// Mappings (mapping.hpp). It only proposes; the cost model scores and the mapper searches.
//
// Axes (each a short list; the mapspace is their product, filtered by feasibility):
//   group_pack  1, 2, 4, … < G, and G                     (G = 1: just 1)
//   k_split     1, 2, 4, … < K, and K
//   r_split     1, 2, 4, … < min(C, arrays), and min(C, arrays)
//   spread      false (packed, needs r_split ≤ MA_num_child), true
//   replicas    1, 2, 4, … < ρmax, and ρmax, where ρmax = min(places / tile groups, M) (one pass only)
//   half_capacity  false, true
//   reduce_at   L2, and L1 when R is split and groups are packed
//   tiles       n_min · 2^i, i = 0..3, where n_min is the fewest tiles whose input fits half the input
//               buffer
// Plans whose program would exceed `op_budget` ops (estimated_ops) are left out; the mapper first
// searches with kOpBudget and only when nothing fits searches without a budget.
// Every axis is independent of the hardware except through feasibility and the upper ends (arrays,
// MA_num_child, ρmax, capacity), which only grow with the hardware: the mapspace of a larger
// configuration contains that of a smaller one.
#include <cstdint>
#include <functional>
#include <vector>

#include "hardware/hardware.hpp"
#include "mapping/gemm_view.hpp"
#include "mapping/mapping.hpp"

namespace cimnet {

// Most program ops one layer may take (keeps whole-network programs small enough to validate and
// simulate quickly; coarser tiles are the price).
constexpr std::int64_t kOpBudget = 160;

// Powers of two below `limit`, then `limit` itself (limit ≥ 1).
std::vector<std::int64_t> pow2_choices(std::int64_t limit);

struct MapSpace {
  GemmView view;
  HardwareConfig hw;
  MapSpace(GemmView v, HardwareConfig h) : view(std::move(v)), hw(std::move(h)) {}

  // Calls `visit` with every feasible plan, in a fixed order (group_pack, k_split, r_split, spread,
  // replicas descending, half_capacity, reduce_at, tiles — each ascending unless said), and
  // `new_placement` = true when the placement (all but half_capacity, reduce_at and tiles) changed
  // since the previous call. Returns the number of feasible plans.
  std::int64_t enumerate(const std::function<void(const Plan&, bool new_placement)>& visit,
                         std::int64_t op_budget = kOpBudget) const;

  // Why no mapping fits (the constraint of the smallest tile), for error messages.
  std::string infeasibility() const;
};

// Program ops the plan's layer will take (program_builder.hpp shape), for the op budget.
std::int64_t estimated_ops(const Plan& plan);

}  // namespace cimnet
