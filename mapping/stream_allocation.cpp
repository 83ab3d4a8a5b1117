#include "mapping/stream_allocation.hpp"

#include <utility>

#include "mapping/network_allocation.hpp"

namespace cimnet {

int improve_stream_allocation(const Network& net, const HardwareConfig& hw, MapperCache& cache,
                              std::vector<MappedLayer>& layers, StreamSchedule& schedule) {
  int kept = 0;
  for (int sweep = 0; sweep < kMaxAllocationSweeps; ++sweep) {
    int kept_now = 0;
    for (std::size_t s = 0; s < schedule.segments.size(); ++s) {
      const StreamSegment now = schedule.segments[s];
      if (now.segment.stack) continue;
      const auto i = static_cast<std::size_t>(now.segment.first);
      if (!layers[i].mac || layers[i].core_options.size() < 2) continue;
      for (const auto& [core, alone] : layers[i].core_options) {
        if (core < 0 || core == now.core) continue;
        MappedLayer moved = layers[i];
        move_to_core(net.layers[i], hw, moved, cache, core);
        StreamSegment there = now;
        there.core = core;
        there.single = ScoredPlan{};
        there.gb_bytes = there.gb_share = 0;  // from DRAM to DRAM through the core's own buffers
        there.stays = false;
        there.cold = there.warm = moved.cost.cycles;
        share_single(there, moved.cost);
        const std::int64_t before = schedule.period;
        schedule.segments[s] = there;
        restate(schedule);
        if (schedule.period < before) {
          layers[i] = std::move(moved);
          ++kept_now;
          break;
        }
        schedule.segments[s] = now;
        restate(schedule);
      }
    }
    kept += kept_now;
    if (kept_now == 0) break;
  }
  return kept;
}

}  // namespace cimnet
