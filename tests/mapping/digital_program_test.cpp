// A layer on a digital core as program ops (mapping/digital_program.hpp): the program's traffic is the
// cost model's to the byte; it validates; and its simulated cycles agree with the cost model's estimate.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "mapping/digital_program.hpp"
#include "mapping/digital_tiles.hpp"
#include "models/simulate.hpp"
#include "program/action_counts.hpp"
#include "workloads/network.hpp"
#include "workloads/search_space.hpp"

namespace cimnet {
namespace {

HardwareConfig design() {
  HardwareConfig hw = HardwareSpace::defaults().reference_config();
  DigitalCore core;
  core.name = "pe";
  core.port_bytes_per_cycle = 16;
  hw.digital_cores.push_back(core);
  return hw;
}

// Every MAC layer of one block of each space's largest sub-network, and the whole program's checks.
std::vector<Layer> sample_layers() {
  std::vector<Layer> layers;
  for (const char* name : {"ofa-mbv3", "ofa-resnet50", "vit-b16"}) {
    const auto space = make_space(name);
    const Network net = space->build(space->largest());
    int taken = 0;
    for (const Layer& l : net.layers) {
      if (l.is_mac_layer() && taken < 6) {
        layers.push_back(l);
        ++taken;
      }
    }
  }
  return layers;
}

TEST(DigitalProgram, TheProgramMovesWhatTheCostModelCounts) {
  const HardwareConfig hw = design();
  const DigitalPath path = digital_path(hw, 0, Place::Dram);
  for (const Layer& l : sample_layers()) {
    const DigitalMapping m = map_layer_digital(l, hw.digital_cores[0], path);
    ASSERT_TRUE(m.cost.feasible) << l.name << ": " << m.cost.why;
    Program p;
    build_digital_layer(p, l, hw, 0, m.tiling, DigitalLayerIo{});
    ASSERT_NO_THROW(validate(p, hw)) << l.name;
    const ActionCounts c = count_actions(p, hw);
    EXPECT_EQ(c.dram_read_bytes, m.cost.weight_bytes + m.cost.input_bytes + (m.cost.output_bytes - l.output_bytes()) / 2)
        << l.name << " " << m.tiling.summary();
    EXPECT_EQ(c.dram_read_bytes + c.dram_write_bytes, m.cost.port_bytes()) << l.name;
    EXPECT_EQ(c.digital[0].macs, l.macs()) << l.name;
    std::int64_t steps = 0, tiles = 0;
    for (const Op& op : p.ops) {
      if (op.kind == OpKind::DigitalCompute) steps += op.steps, ++tiles;
    }
    EXPECT_EQ(steps, m.cost.compute_cycles) << l.name;
    EXPECT_EQ(tiles, m.cost.tiles) << l.name;
  }
}

// Every MAC layer of each space's largest sub-network, alone on the core from DRAM: the estimate (the
// mapper's schedule) against the SystemC model. Published in docs/heterogeneous.md; a figure may only
// get better.
struct PublishedDigitalAgreement {
  const char* space;
  std::size_t layers;
  double median, worst;  // |error| in percent, as printed
};

TEST(DigitalProgram, SimulatedCyclesAgreeWithTheEstimateOnEveryLayer) {
  const HardwareConfig hw = design();
  const DigitalPath path = digital_path(hw, 0, Place::Dram);
  for (const PublishedDigitalAgreement& pub : {PublishedDigitalAgreement{"ofa-mbv3", 90, 0.00, 4.82},
                                               PublishedDigitalAgreement{"ofa-resnet50", 62, 0.10, 0.33},
                                               PublishedDigitalAgreement{"vit-b16", 98, 0.01, 0.45}}) {
    const auto space = make_space(pub.space);
    const Network net = space->build(space->largest());
    std::vector<double> errors;
    for (const Layer& l : net.layers) {
      if (!l.is_mac_layer()) continue;
      const DigitalMapping m = map_layer_digital(l, hw.digital_cores[0], path);
      ASSERT_TRUE(m.cost.feasible) << l.name << ": " << m.cost.why;
      Program p;
      build_digital_layer(p, l, hw, 0, m.tiling, DigitalLayerIo{});
      const SimResult r = simulate(p, hw);
      ASSERT_TRUE(r.ok()) << l.name << ": " << r.message;
      errors.push_back(100 * std::abs(static_cast<double>(m.cost.cycles - r.total_cycles)) /
                       static_cast<double>(r.total_cycles));
    }
    std::sort(errors.begin(), errors.end());
    const double median = errors[errors.size() / 2], worst = errors.back();
    std::printf("[digital agreement] %s: %zu layers, median |error| %.2f%%, worst %.2f%%\n", pub.space, errors.size(),
                median, worst);
    EXPECT_EQ(errors.size(), pub.layers) << pub.space;
    EXPECT_LE(median, pub.median + 0.005) << pub.space;
    EXPECT_LE(worst, pub.worst + 0.005) << pub.space;
  }
}

}  // namespace
}  // namespace cimnet
