#include "mapping/fused_allocation.hpp"

#include <algorithm>

#include "mapping/issue_order.hpp"
#include "mapping/network_allocation.hpp"
#include "mapping/network_program.hpp"

namespace cimnet {

int improve_fused_allocation(const Network& net, const HardwareConfig& hw, MapperCache& cache, StreamScore& score,
                             NetworkMapping& out, DigitalStepMemo& memo) {
  const std::vector<bool> branch = branch_layers(net);
  std::vector<std::size_t> candidates;
  bool digital_branch = false;  // a layer on a digital core that may run beside others already
  for (std::size_t i = 0; i < out.layers.size(); ++i) {
    const MappedLayer& m = out.layers[i];
    if (m.mac && branch[i] && m.core_options.size() >= 2) candidates.push_back(i);
    digital_branch |= branch[i] && m.digital >= 0;
  }
  if (candidates.empty() && !digital_branch) return 0;  // a chain: nothing runs beside
  // The fused estimate's score: its cycles; the layers' dynamic energy alone, with the DRAM bytes the
  // placement adds or saves against them priced as DRAM rather than global-buffer bytes.
  const double per_byte = score.dram_over_buffer_pj_per_byte();
  auto score_of = [&](const NetworkMapping& m, double pj_alone) {
    const NetworkMapping e = network_program(net, hw, false, m, nullptr, Execution::Fused, nullptr, &memo);
    std::int64_t alone_bytes = 0;
    for (const MappedLayer& l : m.layers) alone_bytes += l.cost.dram_bytes;
    return score.of(pj_alone + per_byte * static_cast<double>(e.analytical_dram_bytes - alone_bytes),
                    e.analytical_cycles);
  };
  double pj = 0;
  for (std::size_t i = 0; i < out.layers.size(); ++i) pj += score.dynamic_pj(i, out.layers[i]);
  double now = score_of(out, pj);
  const NetworkMapping as_alone = out;
  const double pj_alone = pj;
  int kept = 0;
  for (int sweep = 0; sweep < kMaxAllocationSweeps; ++sweep) {
    int kept_now = 0;
    for (std::size_t i : candidates) {
      const MappedLayer before = out.layers[i];
      for (const auto& [core, alone] : before.core_options) {
        if (core < 0 || core == before.digital) continue;
        move_to_core(net.layers[i], hw, out.layers[i], cache, core);
        const double pj_there = pj - score.dynamic_pj(i, before) + score.dynamic_pj(i, out.layers[i]);
        const double there = score_of(out, pj_there);
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
  // Running beside costs the global buffer room (what a step beside reads and keeps stays longer), so
  // other tensors may spill: one step after another may score lower, for energy above all.
  // (Also with each layer where it was alone, as before any move.)
  NetworkMapping in_order = out;
  in_order.branches_beside = false;
  const double in_order_score = score_of(in_order, pj);
  in_order.layers = as_alone.layers;
  const double as_alone_score = score_of(in_order, pj_alone);
  if (as_alone_score < std::min(now, in_order_score)) {
    out.layers = as_alone.layers;
    out.branches_beside = false;
    return 0;
  }
  if (in_order_score < now) out.branches_beside = false;
  return kept;
}

}  // namespace cimnet
