#include "mapping/mapper.hpp"

#include <algorithm>

#include "common/error.hpp"
#include "mapping/mapspace.hpp"

namespace cimnet {

LayerMapping map_layer(const Layer& layer, const HardwareConfig& hw, std::size_t top_k) {
  const GemmView view = gemm_view(layer);
  const MapSpace space(view, hw);
  const std::int64_t macs = layer.macs();
  LayerMapping out;
  top_k = std::max<std::size_t>(1, top_k);
  PassTraffic full, last;
  auto visit = [&](const Plan& p, bool new_placement) {
    if (new_placement) {
      full = pass_traffic(p, 0);
      last = pass_traffic(p, p.passes - 1);
    }
    ++out.evaluated;
    const Cost c = estimate(p, hw, macs, &full, &last);
    if (out.best.size() == top_k && c.cycles >= out.best.back().cost.cycles) return;
    // Insert after every plan with a score ≤ this one: earlier-enumerated plans win ties.
    auto it = std::upper_bound(out.best.begin(), out.best.end(), c.cycles,
                               [](std::int64_t v, const ScoredPlan& s) { return v < s.cost.cycles; });
    out.best.insert(it, ScoredPlan{p, c});
    if (out.best.size() > top_k) out.best.pop_back();
  };
  space.enumerate(visit, kOpBudget);
  // Nothing within the budget (small hardware, many passes): widen it, then drop it. Fixed budgets
  // keep the search monotonic in the hardware (a budget that depended on it would not be).
  if (out.best.empty()) space.enumerate(visit, 8 * kOpBudget);
  if (out.best.empty()) space.enumerate(visit, 0);
  if (out.best.empty()) {
    throw InputError("layer '" + layer.name + "' cannot be mapped onto this hardware: " + space.infeasibility());
  }
  return out;
}

}  // namespace cimnet
