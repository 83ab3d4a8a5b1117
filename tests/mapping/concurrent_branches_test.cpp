// Branches on different cores under `fused` (issue 17; mapping/issue_order.hpp, network_program.hpp,
// fused_allocation.hpp): the order of issue moves a layer on a digital core up to its last producer,
// such a layer runs beside the steps up to its first reader, the estimate takes the later of the two
// paths, and the SystemC model runs both at once.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "config/scenario.hpp"
#include "hardware/energy.hpp"
#include "mapping/core_allocation.hpp"
#include "mapping/issue_order.hpp"
#include "program/action_counts.hpp"
#include "sim_support.hpp"
#include "tests/support/heterogeneous_design.hpp"
#include "tests/support/test_support.hpp"
#include "workloads/network_file.hpp"
#include "workloads/search_space.hpp"

namespace cimnet {
namespace {

// A block like a ResNet's: `stem`'s output feeds a main path of two depthwise convolutions and a 1 × 1
// projection; an add joins them. The projection is listed last, as torchvision lists its downsample.
Network residual_block() {
  return parse_network_yaml(
      "name: block\n"
      "input: {channels: 64, height: 28, width: 28}\n"
      "precision: {weights: 8, activations: 8}\n"
      "layers:\n"
      "  - {name: stem, type: conv, out_channels: 64, kernel: 1}\n"
      "  - {name: conv1, type: conv, kernel: 5, padding: 2, groups: depthwise}\n"
      "  - {name: relu1, type: activation, op: relu}\n"
      "  - {name: conv2, type: conv, kernel: 5, padding: 2, groups: depthwise}\n"
      "  - {name: proj, type: conv, inputs: stem, out_channels: 64, kernel: 1}\n"
      "  - {name: add, type: add, inputs: [conv2, proj]}\n",
      "block");
}

TEST(IssueOrder, ADigitalLayerFollowsItsLastProducer) {
  const Network net = residual_block();
  std::vector<bool> digital(net.layers.size(), false);
  EXPECT_EQ(issue_order(net, digital), (std::vector<int>{0, 1, 2, 3, 4, 5}));  // none digital: as listed
  digital[4] = true;                                                         // proj on a core
  EXPECT_EQ(issue_order(net, digital), (std::vector<int>{0, 4, 1, 2, 3, 5}));
  digital[1] = true;  // conv1 too: both follow stem, in the network's order
  EXPECT_EQ(issue_order(net, digital), (std::vector<int>{0, 1, 4, 2, 3, 5}));
}

TEST(IssueOrder, AChainKeepsTheNetworksOrder) {
  const Network net = parse_network_yaml(
      "name: chain\n"
      "input: {channels: 16, height: 8, width: 8}\n"
      "layers:\n"
      "  - {name: a, type: conv, out_channels: 16, kernel: 1}\n"
      "  - {name: b, type: activation, op: relu}\n"
      "  - {name: c, type: conv, out_channels: 16, kernel: 1}\n",
      "chain");
  EXPECT_EQ(issue_order(net, {true, false, true}), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(branch_layers(net), (std::vector<bool>{false, false, false}));
}

TEST(BranchLayers, BothPathsOfABlockAreBranchesItsEndsAreNot) {
  // stem and add are ordered with every layer; the main path and the projection are not.
  EXPECT_EQ(branch_layers(residual_block()), (std::vector<bool>{false, true, true, true, true, false}));
}

// On the small heterogeneous design (test::small_heterogeneous) a pointwise projection runs on the
// digital core and the depthwise convolutions on the arrays (each where it is fastest alone). Under `fused` the projection is issued right
// after `stem` and runs beside conv1: the estimate starts the add's step at the later of the two paths,
// exactly; in the simulation the projection's ops and conv1's overlap in time, the program passes
// validation (the global buffer is never overcommitted), and the network takes fewer cycles than with
// the projection in its listed place one step after another.
TEST(ConcurrentBranches, AProjectionOnTheDigitalCoreRunsBesideTheMainPath) {
  const HardwareConfig hw = test::small_heterogeneous();
  const Network net = residual_block();
  const test::Simulated s = test::simulate_network(net, hw, Execution::Fused);
  ASSERT_TRUE(s.result.ok()) << s.result.message;
  const NetworkMapping& m = s.mapping;
  const MappedLayer& proj = m.layers[4];
  ASSERT_EQ(proj.digital, 0);
  for (int i : {1, 3}) ASSERT_EQ(m.layers[static_cast<std::size_t>(i)].digital, -1) << i;
  EXPECT_EQ(m.issue_order, (std::vector<int>{0, 4, 1, 2, 3, 5}));
  EXPECT_TRUE(proj.beside);
  EXPECT_EQ(m.layers[2].fused_into, 1);  // relu1 in conv1's output path
  EXPECT_EQ(m.layers[5].fused_into, 3);  // the add in conv2's: its step waits for the projection
  EXPECT_EQ(m.layers[3].joins, (std::vector<int>{4}));
  // The estimate: stem, then the later of conv1's step and the projection, then conv2's step.
  const std::int64_t stem = m.layers[0].cost.cycles, conv1 = m.layers[1].cost.cycles;
  const std::int64_t conv2 = m.layers[3].cost.cycles, projection = proj.cost.cycles;
  EXPECT_EQ(m.analytical_cycles, stem + std::max(conv1, projection) + conv2);
  // The simulation: both at once.
  EXPECT_LT(proj.sim_start, m.layers[1].sim_end);
  EXPECT_LT(m.layers[1].sim_start, proj.sim_end);
  EXPECT_NO_THROW(validate(m.program, hw));
  const double error = std::abs(static_cast<double>(m.analytical_cycles - m.sim_cold_cycles)) /
                       static_cast<double>(m.sim_cold_cycles);
  std::printf("[concurrent] stem %lld, conv1 %lld, projection %lld, conv2 + add %lld; estimate %lld, simulated %lld "
              "(%.2f %%)\n",
              static_cast<long long>(stem), static_cast<long long>(conv1), static_cast<long long>(projection),
              static_cast<long long>(conv2), static_cast<long long>(m.analytical_cycles),
              static_cast<long long>(m.sim_cold_cycles), 100 * error);
  EXPECT_LE(error, 0.05);
  EXPECT_LT(m.analytical_cycles, stem + conv1 + projection + conv2);
  // Layer by layer (the CiMNet-like baseline) every layer still runs one after another, as listed.
  const NetworkMapping lbl = estimate_network(net, hw);
  EXPECT_TRUE(lbl.issue_order.empty());
  EXPECT_FALSE(lbl.layers[4].beside);
  std::int64_t sum = 0;
  for (const MappedLayer& ml : lbl.layers) sum += ml.cost.cycles;
  EXPECT_EQ(lbl.analytical_cycles, sum);
}

// The DIANA-like design (no arrays: an analog macro and a 16 × 16 digital core) under `fused`: alone,
// every ternary convolution of ResNet-18 is fastest on the macro; the allocation searched over the fused
// schedule moves the three downsample projections to the digital core, where they run beside the
// macro's main path, and the network takes fewer cycles than with each layer where it is fastest alone
// (1 771 977 simulated, docs/diana-like.md). Estimate and simulation agree within 1 %.
TEST(ConcurrentBranches, ResNet18sProjectionsRunOnTheDigitalCoreBesideTheMacro) {
  const Scenario scenario = load_scenario((test::source_dir() / "scenarios/experiments/diana-like.yaml").string());
  const HardwareConfig hw = scenario.hardware.reference_config();
  const Network net = load_network_file((test::source_dir() / "examples/networks/resnet18.yaml").string());
  const test::Simulated s = test::simulate_network(net, hw, Execution::Fused);
  ASSERT_TRUE(s.result.ok()) << s.result.message;
  const NetworkMapping& m = s.mapping;
  int projections = 0;
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    if (l.name.find("downsample") == std::string::npos) continue;
    ++projections;
    EXPECT_EQ(hw.digital_cores[static_cast<std::size_t>(m.layers[i].digital)].name, "digital") << l.name;
    EXPECT_TRUE(m.layers[i].beside) << l.name;
  }
  EXPECT_EQ(projections, 3);
  const double error = std::abs(static_cast<double>(m.analytical_cycles - m.sim_cold_cycles)) /
                       static_cast<double>(m.sim_cold_cycles);
  std::printf("[concurrent] DIANA-like ResNet-18 fused: estimate %lld, simulated %lld (%.2f %%)\n",
              static_cast<long long>(m.analytical_cycles), static_cast<long long>(m.sim_cold_cycles), 100 * error);
  EXPECT_LE(error, 0.01);
  EXPECT_LT(m.sim_cold_cycles, 1771977);
}

// The fused allocation's objectives on DIANA-like ResNet-18 (analytical): for latency the three
// projections go to the digital core, beside the macro; for energy they stay on the macro, where
// each alone costs less; each objective's network is the best of the three by its own measure — the
// cycles, and the energy of the program's ops at the layers' precisions plus static power over the
// cycles. (Measured 2026-12-07: 1 731 883 cycles / 944 µJ, 1 748 431 / 923 µJ, 1 756 821 / 922 µJ for
// latency, energy-delay, energy.)
TEST(ConcurrentBranches, EachFusedAllocationObjectiveIsBestByItsOwnMeasure) {
  const Scenario scenario = load_scenario((test::source_dir() / "scenarios/experiments/diana-like.yaml").string());
  const HardwareConfig hw = scenario.hardware.reference_config();
  const EnergyTable& table = scenario.energy;
  const Network net = load_network_file((test::source_dir() / "examples/networks/resnet18.yaml").string());
  MapperCache cache;
  std::vector<std::int64_t> cycles;
  std::vector<double> pj;
  std::vector<int> projections_on_digital;
  for (CoreAllocation goal : {CoreAllocation::Latency, CoreAllocation::EnergyDelay, CoreAllocation::Energy}) {
    const NetworkMapping m =
        map_network(net, hw, &cache, Execution::Fused, ScheduleObjective(CyclesOf::Cold, {}, goal, table));
    double dynamic = 0;
    for (std::size_t i = 0; i < net.layers.size(); ++i) {
      const MappedLayer& ml = m.layers[i];
      ActionCounts c;
      for (int op = ml.first_op; op < ml.end_op; ++op) c += count_actions(m.program.ops[static_cast<std::size_t>(op)], hw);
      dynamic += energy_of(c, table, hw, 0, net.layers[i].weight_bits, net.layers[i].input_bits).dynamic();
    }
    cycles.push_back(m.analytical_cycles);
    pj.push_back(dynamic + static_pj_per_cycle(hw, table) * static_cast<double>(m.analytical_cycles));
    int n = 0;
    for (std::size_t i = 0; i < net.layers.size(); ++i) {
      if (net.layers[i].name.find("downsample") != std::string::npos) {
        n += hw.digital_cores[static_cast<std::size_t>(m.layers[i].digital)].name == "digital";
      }
    }
    projections_on_digital.push_back(n);
    std::printf("[concurrent] %s: %lld cycles, %.1f uJ, %d projections on the digital core\n", to_string(goal),
                static_cast<long long>(cycles.back()), pj.back() / 1e6, n);
  }
  EXPECT_EQ(projections_on_digital.front(), 3);
  EXPECT_EQ(projections_on_digital.back(), 0);
  EXPECT_LE(cycles[0], cycles[1]);
  EXPECT_LE(cycles[0], cycles[2]);
  EXPECT_LE(pj[2], pj[0]);
  EXPECT_LE(pj[2], pj[1]);
  const auto edp = [&](std::size_t k) { return pj[k] * static_cast<double>(cycles[k]); };
  EXPECT_LE(edp(1), edp(0));
  EXPECT_LE(edp(1), edp(2));
}

// Running beside is a choice too: on the heterogeneous reference (test::small_heterogeneous), the
// largest OFA-ResNet-50 under the latency objective runs its digital steps beside (41 381 828 estimated
// cycles against 41 436 060 one after another); for energy-delay what the steps beside keep in the
// global buffer longer sends other tensors to DRAM (8 836 µJ against 8 246), and the network runs one
// step after another in its own order. (Measured 2026-12-07, analytical.)
TEST(ConcurrentBranches, WhetherStepsRunBesideIsTheObjectivesChoice) {
  const HardwareConfig hw = test::small_heterogeneous();
  const auto space = make_space("ofa-resnet50");
  const Network net = space->build(space->largest());
  const EnergyTable table = default_energy_table();
  MapperCache cache;
  const NetworkMapping fast = estimate_network(net, hw, &cache, Execution::Fused,
                                               ScheduleObjective(CyclesOf::Cold, {}, CoreAllocation::Latency, table));
  const NetworkMapping frugal = estimate_network(
      net, hw, &cache, Execution::Fused, ScheduleObjective(CyclesOf::Cold, {}, CoreAllocation::EnergyDelay, table));
  EXPECT_TRUE(fast.branches_beside);
  EXPECT_FALSE(fast.issue_order.empty());
  EXPECT_GT(std::count_if(fast.layers.begin(), fast.layers.end(), [](const MappedLayer& m) { return m.beside; }), 0);
  EXPECT_FALSE(frugal.branches_beside);
  EXPECT_TRUE(frugal.issue_order.empty());
  EXPECT_EQ(std::count_if(frugal.layers.begin(), frugal.layers.end(), [](const MappedLayer& m) { return m.beside; }), 0);
  EXPECT_LT(fast.analytical_cycles, frugal.analytical_cycles);
}

}  // namespace
}  // namespace cimnet
