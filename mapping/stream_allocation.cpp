#include "mapping/stream_allocation.hpp"

#include "mapping/core_allocation.hpp"
#include "mapping/network_allocation.hpp"

namespace cimnet {

StreamScore::StreamScore(const Network& net, const HardwareConfig& hw, const ScheduleObjective& objective)
    : net_(net), hw_(hw), objective_(objective) {
  if (objective.allocation != CoreAllocation::Latency) static_pj_per_cycle_ = static_pj_per_cycle(hw, objective.energy);
}

double StreamScore::dynamic_pj(std::size_t layer, const MappedLayer& m) {
  if (objective_.allocation == CoreAllocation::Latency) return 0;
  const auto key = std::make_pair(layer, m.mac ? m.digital : -2);
  const auto found = priced_.find(key);
  if (found != priced_.end()) return found->second;
  const Layer& l = net_.layers[layer];
  const EnergyTable& table = objective_.energy;
  const double pj = !m.mac             ? vector_layer_dynamic_pj(l, hw_, table)
                    : m.digital >= 0 ? digital_layer_dynamic_pj(l, m.digital, m.digital_tiling, hw_, table)
                                     : mac_layer_dynamic_pj(l, m.plan, hw_, table);
  priced_.emplace(key, pj);
  return pj;
}

double StreamScore::of(double dynamic_pj, std::int64_t period) const {
  const double cycles = static_cast<double>(period);
  switch (objective_.allocation) {
    case CoreAllocation::Latency: return cycles;
    case CoreAllocation::Energy: return dynamic_pj + static_pj_per_cycle_ * cycles;
    case CoreAllocation::EnergyDelay: return (dynamic_pj + static_pj_per_cycle_ * cycles) * cycles;
  }
  return cycles;
}

double StreamScore::dram_over_buffer_pj_per_byte() const {
  if (objective_.allocation == CoreAllocation::Latency) return 0;
  const EnergyTable& t = objective_.energy;
  const std::int64_t gb = hw_.fixed.gb_bytes;
  return (t.dram_read + t.dram_write) / 2 - (t.sram_read_per_byte(gb) + t.sram_write_per_byte(gb)) / 2;
}

double StreamScore::operator()(const std::vector<MappedLayer>& layers, std::int64_t period) {
  double pj = 0;
  for (std::size_t i = 0; i < layers.size(); ++i) pj += dynamic_pj(i, layers[i]);
  return of(pj, period);
}

int improve_stream_allocation(const Network& net, const HardwareConfig& hw, MapperCache& cache, StreamScore& score,
                              std::vector<MappedLayer>& layers, StreamSchedule& schedule) {
  double pj = 0;
  for (std::size_t i = 0; i < layers.size(); ++i) pj += score.dynamic_pj(i, layers[i]);
  double now_score = score.of(pj, schedule.period);
  int kept = 0;
  for (int sweep = 0; sweep < kMaxAllocationSweeps; ++sweep) {
    int kept_now = 0;
    for (std::size_t s = 0; s < schedule.segments.size(); ++s) {
      if (schedule.segments[s].segment.stack) continue;
      const auto i = static_cast<std::size_t>(schedule.segments[s].segment.first);
      if (!layers[i].mac || layers[i].core_options.size() < 2) continue;
      const StreamSegment now = schedule.segments[s];
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
        schedule.segments[s] = there;
        restate(schedule);
        const double pj_there = pj - score.dynamic_pj(i, layers[i]) + score.dynamic_pj(i, moved);
        const double there_score = score.of(pj_there, schedule.period);
        if (there_score < now_score) {
          layers[i] = std::move(moved);
          pj = pj_there;
          now_score = there_score;
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
