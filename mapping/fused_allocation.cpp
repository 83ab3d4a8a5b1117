#include "mapping/fused_allocation.hpp"

#include "mapping/issue_order.hpp"
#include "mapping/network_allocation.hpp"
#include "mapping/network_program.hpp"

namespace cimnet {

int improve_fused_allocation(const Network& net, const HardwareConfig& hw, MapperCache& cache, StreamScore& score,
                             NetworkMapping& out, DigitalStepMemo& memo) {
  const std::vector<bool> branch = branch_layers(net);
  std::vector<std::size_t> candidates;
  for (std::size_t i = 0; i < out.layers.size(); ++i) {
    const MappedLayer& m = out.layers[i];
    if (m.mac && branch[i] && m.core_options.size() >= 2) candidates.push_back(i);
  }
  if (candidates.empty()) return 0;
  auto cycles_of = [&](const NetworkMapping& m) {
    return network_program(net, hw, false, m, nullptr, Execution::Fused, nullptr, &memo).analytical_cycles;
  };
  double pj = 0;
  for (std::size_t i = 0; i < out.layers.size(); ++i) pj += score.dynamic_pj(i, out.layers[i]);
  double now = score.of(pj, cycles_of(out));
  int kept = 0;
  for (int sweep = 0; sweep < kMaxAllocationSweeps; ++sweep) {
    int kept_now = 0;
    for (std::size_t i : candidates) {
      const MappedLayer before = out.layers[i];
      for (const auto& [core, alone] : before.core_options) {
        if (core < 0 || core == before.digital) continue;
        move_to_core(net.layers[i], hw, out.layers[i], cache, core);
        const double pj_there = pj - score.dynamic_pj(i, before) + score.dynamic_pj(i, out.layers[i]);
        const double there = score.of(pj_there, cycles_of(out));
        if (there < now) {
          pj = pj_there;
          now = there;
          ++kept_now;
          break;
        }
        out.layers[i] = before;
      }
    }
    kept += kept_now;
    if (kept_now == 0) break;
  }
  return kept;
}

}  // namespace cimnet
