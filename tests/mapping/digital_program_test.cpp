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

// |estimate − simulated| ÷ simulated, in percent, of layer `l` alone on digital core 0 of `hw`, from
// DRAM to DRAM (the mapper's best tiling; a layer that cannot run or a failed run fails the test).
double percent_error_alone(const Layer& l, const HardwareConfig& hw) {
  const DigitalMapping m = map_layer_digital(l, hw.digital_cores[0], digital_path(hw, 0, Place::Dram));
  EXPECT_TRUE(m.cost.feasible) << l.name << ": " << m.cost.why;
  if (!m.cost.feasible) return 100;
  Program p;
  build_digital_layer(p, l, hw, 0, m.tiling, DigitalLayerIo{});
  const SimResult r = simulate(p, hw);
  EXPECT_TRUE(r.ok()) << l.name << ": " << r.message;
  if (!r.ok()) return 100;
  return 100 * std::abs(static_cast<double>(m.cost.cycles - r.total_cycles)) / static_cast<double>(r.total_cycles);
}

TEST(DigitalProgram, SimulatedCyclesAgreeWithTheEstimateOnEveryLayer) {
  const HardwareConfig hw = design();
  for (const PublishedDigitalAgreement& pub : {PublishedDigitalAgreement{"ofa-mbv3", 90, 0.00, 4.82},
                                               PublishedDigitalAgreement{"ofa-resnet50", 62, 0.10, 0.33},
                                               PublishedDigitalAgreement{"vit-b16", 98, 0.01, 0.45}}) {
    const auto space = make_space(pub.space);
    const Network net = space->build(space->largest());
    std::vector<double> errors;
    for (const Layer& l : net.layers) {
      if (!l.is_mac_layer()) continue;
      errors.push_back(percent_error_alone(l, hw));
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

// The same agreement on a grid whose rows unroll input channels × kernel taps (1 152 = 128 × 3 × 3) and
// whose columns unroll 512 output channels — DIANA's analog array's geometry, timed as a digital grid —
// over every convolution of ResNet-50's largest sub-network, its port (16 B/cycle) the narrowest link.
// Measured: median 0.02 %, worst 1.12 %. With the port as wide as DRAM or wider the estimate falls
// behind the simulation where transfers bound the layer (port 48: median 1.41 %, worst 13.5 %; 64:
// 3.8 %, 24.7 %; 128: 7.6 %, 20.8 %; docs/heterogeneous.md, "Agreement"): a gap of the schedule's
// single-pipe view of DRAM, not of the unrolling (a 16 × 16 grid at port 64 agrees, 0.07 %, because
// its computation hides the transfers).
TEST(DigitalProgram, AFlattenedUnrollingAgreesToo) {
  HardwareConfig hw = design();
  DigitalCore& macro = hw.digital_cores[0];
  macro.rows = 1152;
  macro.cols = 512;
  macro.row_dims = {LoopDim::C, LoopDim::R, LoopDim::S};
  macro.col_dims = {LoopDim::K};
  macro.weight_buffer_bytes = 1 << 20;
  const auto space = make_space("ofa-resnet50");
  const Network net = space->build(space->largest());
  std::vector<double> errors;
  for (const Layer& l : net.layers) {
    if (l.kind != LayerKind::Conv) continue;
    errors.push_back(percent_error_alone(l, hw));
  }
  std::sort(errors.begin(), errors.end());
  std::printf("[digital agreement] C*R*S x K grid, ofa-resnet50 convolutions: %zu layers, median |error| %.2f%%, "
              "worst %.2f%%\n",
              errors.size(), errors[errors.size() / 2], errors.back());
  EXPECT_LE(errors[errors.size() / 2], 0.1);
  EXPECT_LE(errors.back(), 1.2);
}

}  // namespace
}  // namespace cimnet
