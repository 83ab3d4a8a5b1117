#include "mapping/roofline.hpp"

#include <algorithm>

namespace cimnet {

Roofline roofline(const Layer& layer, const HardwareConfig& hw, const RooflineIo& io) {
  Roofline r;
  const double w = io.weights_loaded ? static_cast<double>(layer.weight_bytes()) : 0.0;
  const double in = static_cast<double>(layer.input_bytes()), out = static_cast<double>(layer.output_bytes());
  const double moved = w + in + out;
  const double off_chip = w + (io.input_from_dram ? in : 0.0) + (io.output_to_dram ? out : 0.0);
  const double arrays = static_cast<double>(hw.total_arrays());
  r.compute = static_cast<double>(layer.macs()) / static_cast<double>(hw.peak_macs_per_cycle());
  r.dram = off_chip / static_cast<double>(hw.get(HwParam::DRAM_bw));
  r.l2 = moved / static_cast<double>(hw.get(HwParam::L2_bw));
  r.l1 = moved / static_cast<double>(hw.get(HwParam::L1_bw) * hw.l1_decoders());
  // Weights written (when loaded) and read once for compute, outputs read out.
  const double read = static_cast<double>(layer.weight_bytes());
  r.port = (w + read + out) / (static_cast<double>(hw.get(HwParam::MA_bw)) * arrays);
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
  const auto& f = hw.fixed;
  const double lat_dram = static_cast<double>(f.dram_latency), lat_gb = static_cast<double>(f.gb_latency);
  const double links = static_cast<double>(f.l2_latency + f.l1_latency + f.ma_latency);
  const double first = (io.weights_loaded || io.input_from_dram ? lat_dram : lat_gb) + links;
  const double last = links + (io.output_to_dram ? lat_dram : lat_gb);
  r.with_latency = std::max({r.cycles, r.compute + first + last, off_chip > 0 ? r.dram + lat_dram : 0.0});
  return r;
}

}  // namespace cimnet
