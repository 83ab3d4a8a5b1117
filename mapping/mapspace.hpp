#pragma once
// The mapspace of one MAC layer on one hardware configuration: an explicit, enumerable set of
// Mappings (mapping.hpp). It only proposes; the cost model scores and the mapper searches.
//
// Axes (each a short list; the mapspace is their product, filtered by feasibility):
//   group_pack  1, 2, 4, … < G, and G                     (G = 1: just 1)
//   k_split     1, 2, 4, … < K, and K
//   r_split     1, 2, 4, … < min(C, arrays), and min(C, arrays)
//   spread      false (packed, needs r_split ≤ MA_num_child), true
//   pass_groups 0 (the hardware's places), then the places P' < G_r of every smaller configuration
//               (smaller_places; G_r = reduction groups), descending
//   replicas    1, 2, 4, … < ρmax, ρmax, and min(P' / G_r, M) for every smaller configuration's P' ≥ G_r
//               (descending; one pass only), where ρmax = min(places / G_r, M)
//   half_capacity  false, true
//   reduce_at   L2, and L1 when R is split and groups are packed
//   tiles       n_min · 2^i, i = 0..3, where n_min is the fewest tiles whose input fits half the input
//               buffer
//   weight_slices  1, 2, 4, … ≤ min(kMaxWeightSlices, gp·kt): the loads of a pass in slices the
//               computation follows (mapping.hpp), in sub-passes or, with several tiles, pacing the
//               first tile only (first_tile_slices)
// There is no op budget: the mapper searches the whole mapspace and prefers fewer program ops only on
// ties of cycles (a budget chosen by what fits depends on the hardware and broke monotonicity;
// docs/mapping.md, "Monotonicity").
// Every axis is independent of the hardware except through feasibility and the upper ends (arrays,
// MA_num_child, ρmax, capacity), which only grow with the hardware, and the pass sizes and replica
// counts, which include those of every smaller configuration: the mapspace of a larger configuration
// contains that of a smaller one (for hardware counts that are powers of two, as in the default
// space), and a contained plan places the same groups per pass on the same or more L1 decoders, so
// its estimate cannot be worse (raising a bandwidth or a rate never lengthens any term).
#include <cstdint>
#include <functional>
#include <vector>

#include "hardware/hardware.hpp"
#include "mapping/gemm_view.hpp"
#include "mapping/mapping.hpp"

namespace cimnet {

// The most weight slices the mapspace offers (more add op count and stream latency for little).
inline constexpr std::int64_t kMaxWeightSlices = 16;

// Powers of two below `limit`, then `limit` itself (limit ≥ 1).
std::vector<std::int64_t> pow2_choices(std::int64_t limit);

struct MapSpace {
  GemmView view;
  HardwareConfig hw;
  MapSpace(GemmView v, HardwareConfig h) : view(std::move(v)), hw(std::move(h)) {}

  // Calls `visit` with every feasible plan, in a fixed order (group_pack, k_split, r_split, spread,
  // pass_groups, replicas descending, half_capacity, reduce_at, tiles, weight_slices, first_tile_slices — each ascending
  // unless said),
  // and `new_placement` = true when the placement (all but half_capacity, reduce_at, tiles and slices)
  // changed since the previous call; the first plan of a placement has its fewest tiles. Returns the
  // number of feasible plans.
  std::int64_t enumerate(const std::function<void(const Plan&, bool new_placement)>& visit) const;

  // Why no mapping fits (the constraint of the smallest tile), for error messages. Precondition: the
  // enumeration found no plan (then the smallest tile is infeasible; std::logic_error otherwise).
  std::string infeasibility() const;
};

// The work of simulating the plan's layer, in ops of the program_builder.hpp shape (a forwarding
// reduce counted once per decoder it covers): the mapper's tie-break between plans of equal cycles
// (fewer first).
std::int64_t estimated_ops(const Plan& plan);

// Places (reduction groups held at once) the placement would have on every configuration with
// 2^i ≤ l1_decoders L1 decoders and 2^j ≤ per_l1 arrays each (2^i·2^j arrays when spread), ascending.
std::vector<std::int64_t> smaller_places(std::int64_t l1_decoders, std::int64_t per_l1, std::int64_t r_split,
                                         bool spread);

}  // namespace cimnet
