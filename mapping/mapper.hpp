#pragma once
// The search: enumerates a layer's mapspace (mapspace.hpp) and keeps the plans the cost model
// (cost_model.hpp) scores best, over the whole mapspace (no op budget: a budget that widened only when
// nothing fitted made the search non-monotonic in the hardware). Exhaustive over the enumerated
// mapspace, so it terminates when the enumeration ends. Deterministic: the score is (estimated cycles,
// estimated_ops) — fewer program ops only break ties of cycles — then the plan enumerated first
// (mapspace.hpp gives the order).
//
// Two exact shortcuts (SearchMode::Pruned, the default; tests/mapping checks they change nothing):
//   - branch and bound: once K plans are held, a placement whose lower bound (cycles_lower_bound)
//     is above the K-th best cycles is skipped before its traffic is computed — none of its plans
//     could enter the list (a later plan needs a lower score: fewer cycles, or as many and fewer ops);
//   - twins: a one-pass half_capacity plan scores exactly as its full-capacity twin (cost_model.hpp),
//     which is enumerated just before it, so its cost is copied instead of recomputed.
// MapperCache adds a third: layers with the same loop dimensions, precisions and hardware have the
// same mapspace and scores, so their search runs once.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "hardware/hardware.hpp"
#include "mapping/cost_model.hpp"
#include "mapping/digital_mapper.hpp"
#include "mapping/layer_io.hpp"
#include "mapping/mapping.hpp"
#include "workloads/layer.hpp"

namespace cimnet {

struct ScoredPlan {
  Plan plan;
  Cost cost;
  std::int64_t ops = 0;  // estimated_ops(plan): breaks ties between equal cycles (fewer first)
  // Resident searches (weights that stay, only under `fused`): the global buffer its staged input and
  // two pieces in flight take (gb_footprint), which breaks ties of cycles before ops: equally fast
  // alone, the plan with smaller pieces leaves more of the buffer to the activations kept on chip.
  std::int64_t footprint = 0;
};

// A plan's staged input plus two pieces of its outputs in the global buffer (placement.hpp).
std::int64_t gb_footprint(const Plan& plan);

struct LayerMapping {
  std::vector<ScoredPlan> best;  // best first, at most top_k
  std::int64_t enumerated = 0;   // plans of the mapspace
  std::int64_t evaluated = 0;    // plans the cost model scored (fewer when pruned)
};

enum class SearchMode {
  Pruned,      // branch and bound and twins (same result as Exhaustive, much faster)
  Exhaustive,  // score every plan: the reference the pruned search is tested against
};

// Throws InputError naming the layer and the constraint when no mapping fits (e.g. one output
// position needs more input than half the input buffer, or a weight tile cannot be made to fit).
// Precondition: layer.is_mac_layer().
LayerMapping map_layer(const Layer& layer, const HardwareConfig& hw, std::size_t top_k = 1,
                       SearchMode mode = SearchMode::Pruned);

// The best plan for weights that stay in the arrays (residency.hpp): among the plans of one pass and
// one weight slice (no half_capacity: nothing loads beside them), the fewest cycles with the weights
// already in (the cost model's Weights::Resident), ties as map_layer; branch and bound with the lower
// bound without weight bytes. `best` is empty when no plan has one pass.
LayerMapping map_layer_resident(const Layer& layer, const HardwareConfig& hw);

// The layer's plans that load their weights, best by need (MapperCache::by_need, uncached): one
// exhaustive search, or with SearchMode::Pruned two exact shortcuts (mapper.cpp, need_front).
// `resident`: the plans that keep their weights (as map_layer_resident), best by resident_bytes
// (MapperCache::resident_by_bytes).
struct PlanLimits;
LayerMapping map_layer_by_need(const Layer& layer, const HardwareConfig& hw, const PlanLimits* limits = nullptr,
                               SearchMode mode = SearchMode::Pruned, bool resident = false);

// Bytes a plan of one pass holds over all its arrays (its tile on each: replicas' copies included).
std::int64_t resident_bytes(const Plan& plan);

// Bytes of MA_mem_size a plan that loads its weights needs on each array it uses (its tile, twice with
// half_capacity).
std::int64_t weight_need(const Plan& plan);

// What the network mapper requires of a layer's plan under `fused`: the post-ops its step is to carry
// (placement.hpp) and the global buffer they share. A search given limits keeps only the plans whose
// pieces leave room for all of them (layer_io.hpp, chain_fits), so that none is cut back into a step
// of its own through DRAM.
struct PlanLimits {
  std::vector<PostOp> post;
  std::int64_t gb_capacity = 0;
  bool admits(const Plan& plan) const { return chain_fits(plan, post, gb_capacity); }
};

// map_layer results by (loop dimensions, precisions, MACs, hardware, top_k): exact, since the search
// reads nothing else of the layer but its name, which the returned plans are given. Not thread-safe;
// one per thread or per network.
class MapperCache {
 public:
  // `resident`: map_layer_resident's result instead. `limits`: only the plans it admits; the result's
  // `best` is then empty when none does (no InputError: the caller falls back).
  LayerMapping map(const Layer& layer, const HardwareConfig& hw, std::size_t top_k = 1, bool resident = false,
                   const PlanLimits* limits = nullptr);
  // Under `fused`: the best plan (top 1; `resident`: map_layer_resident's) if it carries `post` in the
  // global buffer (chain_fits), else the best of those that do; the best when none does.
  LayerMapping map_carrying(const Layer& layer, const HardwareConfig& hw, bool resident,
                            const std::vector<PostOp>& post);
  // The layer's plans that load their weights, best by need: for each weight_need, the best plan
  // (score as map_layer) among those that need no more, listed when it beats every plan needing less
  // (ascending need, descending cycles: a Pareto front). `limits` as for map(). What the weight
  // reserve (residency.hpp) costs a layer that cannot be resident: one search for every reserve.
  // by_need's front is map_layer_by_need's (SearchMode::Pruned).
  LayerMapping by_need(const Layer& layer, const HardwareConfig& hw, const PlanLimits* limits = nullptr);
  // The plans that keep their weights (map_layer_resident's), best by resident_bytes: a Pareto front
  // of (bytes over all arrays, cycles), ascending bytes. What a resident layer can give up in speed
  // for room (residency.hpp).
  LayerMapping resident_by_bytes(const Layer& layer, const HardwareConfig& hw, const PlanLimits* limits = nullptr);
  // map_layer_digital's result for the layer on a digital core over `path` (issue 17): layers of the
  // same loop dimensions, window and precisions share it.
  DigitalMapping map_digital(const Layer& layer, const DigitalCore& core, const DigitalPath& path);
  std::int64_t hits() const { return hits_; }
  std::int64_t misses() const { return static_cast<std::int64_t>(entries_.size() + digital_entries_.size()); }

 private:
  // `kind`: -1 for by_need, -2 for resident_by_bytes, else 2 · top_k + resident.
  static std::vector<std::int64_t> key_of(std::int64_t kind, const Layer& layer, const HardwareConfig& hw,
                                          const PlanLimits* limits);
  template <typename Search>
  LayerMapping lookup(std::vector<std::int64_t> key, const Layer& layer, Search&& run);
  std::map<std::vector<std::int64_t>, LayerMapping> entries_;
  std::map<std::pair<std::vector<std::int64_t>, std::string>, DigitalMapping> digital_entries_;
  std::int64_t hits_ = 0;
};

}  // namespace cimnet
