#include "mapping/stream_order.hpp"

#include <algorithm>
#include <tuple>

namespace cimnet {

std::vector<StreamStep> stream_order(const std::vector<std::size_t>& stage_first, const std::vector<std::size_t>& stage_end,
                                     const std::vector<std::int64_t>& offset, int inferences, bool by_slot) {
  const std::size_t G = stage_first.size();
  std::vector<StreamStep> order;
  if (!by_slot) {
    for (int k = 1; k <= inferences; ++k) {
      for (std::size_t g = 0; g < G; ++g) {
        for (std::size_t s = stage_first[g]; s < stage_end[g]; ++s) order.push_back({k, g, s});
      }
    }
    return order;
  }
  for (int t = 1; t < inferences + static_cast<int>(G); ++t) {
    std::vector<std::tuple<std::int64_t, std::size_t, std::size_t>> slot;  // (offset, G − 1 − g, s)
    for (std::size_t g = 0; g < G; ++g) {
      const int k = t - static_cast<int>(g);
      if (k < 1 || k > inferences) continue;
      for (std::size_t s = stage_first[g]; s < stage_end[g]; ++s) slot.emplace_back(offset[s], G - 1 - g, s);
    }
    std::sort(slot.begin(), slot.end());
    for (const auto& [at, later, s] : slot) {
      const std::size_t g = G - 1 - later;
      order.push_back({t - static_cast<int>(g), g, s});
    }
  }
  return order;
}

}  // namespace cimnet
