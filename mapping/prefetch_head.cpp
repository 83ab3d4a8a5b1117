#include "mapping/prefetch_head.hpp"

#include <algorithm>
#include <utility>

namespace cimnet {

double prefetch_head_start(const Cost& previous, bool previous_loads, const ResourceBusy& loads) {
  const double span = static_cast<double>(previous.cycles);
  if (span <= 0) return 0.0;
  const double from = previous_loads ? static_cast<double>(previous.loads_in) : 0.0;
  const ResourceBusy& b = previous.busy;
  const ResourceBusy own = previous_loads ? previous.load_busy : ResourceBusy{};
  const double alone = std::max({loads.dram, loads.l2, loads.l1, loads.port});
  double pace = 1.0;
  for (const auto& [busy, needed] : {std::pair{b.dram - own.dram, loads.dram}, std::pair{b.l2 - own.l2, loads.l2},
                                    std::pair{b.l1 - own.l1, loads.l1}, std::pair{b.port - own.port, loads.port}}) {
    if (needed <= 0) continue;
    const double idle = std::max(0.0, 1.0 - busy / span);
    pace = std::min(pace, idle * alone / needed);
  }
  return std::max(0.0, span - from) * pace;
}

}  // namespace cimnet
