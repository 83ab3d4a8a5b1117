#include "mapping/roofline.hpp"

namespace cimnet {

Roofline roofline(const Layer& layer, const HardwareConfig& hw) {
  Roofline r;
  const double w = static_cast<double>(layer.weight_bytes());
  const double moved = w + static_cast<double>(layer.input_bytes()) + static_cast<double>(layer.output_bytes());
  const double arrays = static_cast<double>(hw.total_arrays());
  r.compute = static_cast<double>(layer.macs()) / static_cast<double>(hw.peak_macs_per_cycle());
  r.dram = moved / static_cast<double>(hw.get(HwParam::DRAM_bw));
  r.l2 = moved / static_cast<double>(hw.get(HwParam::L2_bw));
  r.l1 = moved / static_cast<double>(hw.get(HwParam::L1_bw) * hw.l1_decoders());
  r.port = (2 * w + static_cast<double>(layer.output_bytes())) / (static_cast<double>(hw.get(HwParam::MA_bw)) * arrays);
  const struct {
    const char* name;
    double v;
  } terms[] = {{"compute", r.compute}, {"dram", r.dram}, {"l2", r.l2}, {"l1", r.l1}, {"port", r.port}};
  for (const auto& t : terms) {
    if (t.v > r.cycles) {
      r.cycles = t.v;
      r.bound = t.name;
    }
  }
  return r;
}

}  // namespace cimnet
