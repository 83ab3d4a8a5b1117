#pragma once
// The roofline of one MAC layer run alone on a hardware configuration: the fewest cycles any mapping
// could take, whatever the schedule. It is the largest of
//   compute   MACs ÷ peak MACs per cycle (every core busy on real MACs)
//   dram      (weights + input + output) ÷ DRAM_bw — each tensor crosses DRAM once (layer by layer,
//             every layer reads its input from DRAM and writes its output back)
//   l2        the same bytes ÷ L2_bw (every load, stream and write-back crosses the L2 link)
//   l1        the same bytes ÷ (L1_bw · L1_num_child) (they cross some L1 link at least once)
//   port      (weights written + weights read once for compute + output read out) ÷ (MA_bw · arrays)
// The benchmark (bench/roofline_bench.cpp) compares simulated cycles with it (docs/mapping.md,
// "Roofline").
#include <cstdint>

#include "hardware/hardware.hpp"
#include "workloads/layer.hpp"

namespace cimnet {

struct Roofline {
  double compute = 0, dram = 0, l2 = 0, l1 = 0, port = 0;
  double cycles = 0;            // the largest term
  const char* bound = "compute";  // its name
  // The same floor with the fixed latencies no schedule avoids (not part of the roofline, a
  // second yardstick for naming what keeps a short layer above it): the first computation waits for
  // its operands' first bytes (the DRAM's latency, or the global buffer's when nothing comes from
  // DRAM, then L2, L1 and the array), the last outputs then cross the array, L1 and L2 to where they
  // end (DRAM or the global buffer); and the DRAM's last transfer completes a DRAM latency after it
  // is served. The largest of compute + both latencies, dram + the DRAM latency, and the other terms.
  double with_latency = 0;
};

// Where the layer's data lives (the execution policy's decisions; the defaults are layer-by-layer):
// weights already in the arrays (resident, once warm) are not moved at all; an input or output in the
// global buffer does not cross DRAM but still crosses L2 and the L1 links.
struct RooflineIo {
  bool weights_loaded = true;
  bool input_from_dram = true;
  bool output_to_dram = true;
};

// Precondition: layer.is_mac_layer().
Roofline roofline(const Layer& layer, const HardwareConfig& hw, const RooflineIo& io = RooflineIo{});

}  // namespace cimnet
