// A program that starts warm (ScheduleObjective::warm_only, network_program.hpp): the resident weights
// programmed, then the warm inference alone. It must be the second inference of the two-inference
// program op for op and cycle for cycle: once the first inference has ended the chip is idle with the
// resident weights in its arrays, and the model has no absolute clock.
#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "mapping/network_mapper.hpp"
#include "models/simulate.hpp"
#include "workloads/llm.hpp"
#include "workloads/search_space.hpp"

namespace cimnet {
namespace {

HardwareConfig reference() { return HardwareSpace::defaults().reference_config(); }

ScheduleObjective steady(bool warm_only) {
  ScheduleObjective o(CyclesOf::Steady);
  o.warm_only = warm_only;
  return o;
}

SimResult simulated(NetworkMapping& m, const HardwareConfig& hw) {
  SimOptions options;
  options.timeout_seconds = 300;
  const SimResult r = simulate(m.program, hw, options);
  EXPECT_TRUE(r.ok()) << r.message;
  std::vector<std::int64_t> start, end;
  for (const OpTiming& o : r.ops) {
    start.push_back(o.start);
    end.push_back(o.end);
  }
  attribute(m, start, end);
  return r;
}

// Maps `net` both ways, simulates both programs and compares the warm inferences.
void expect_warm_inference_unchanged(const Network& net, const HardwareConfig& hw) {
  NetworkMapping both = map_network(net, hw, nullptr, Execution::Fused, steady(false));
  NetworkMapping warm = map_network(net, hw, nullptr, Execution::Fused, steady(true));
  ASSERT_TRUE(both.two_inferences) << net.name << ": nothing resident, nothing to compare";
  ASSERT_TRUE(warm.starts_warm);
  EXPECT_FALSE(both.starts_warm);
  // The estimates are the same (the first inference is estimated either way).
  EXPECT_EQ(warm.analytical_cycles, both.analytical_cycles);
  EXPECT_EQ(warm.analytical_steady_cycles, both.analytical_steady_cycles);
  EXPECT_EQ(warm.analytical_steady_dram_bytes, both.analytical_steady_dram_bytes);

  // Before the warm inference: the resident weights' loads, every resident byte once.
  std::int64_t programmed = 0;
  for (int id = 0; id < warm.steady_first_op; ++id) {
    const Op& op = warm.program.ops[static_cast<std::size_t>(id)];
    ASSERT_EQ(op.kind, OpKind::LoadWeights) << describe(warm.program, id);
    programmed += op.bytes * static_cast<std::int64_t>(op.arrays.size());
  }
  EXPECT_EQ(programmed, warm.resident_bytes);
  const std::size_t warm_ops = both.program.ops.size() - static_cast<std::size_t>(both.steady_first_op);
  ASSERT_EQ(warm.program.ops.size() - static_cast<std::size_t>(warm.steady_first_op), warm_ops);

  const SimResult rb = simulated(both, hw);
  const SimResult rw = simulated(warm, hw);
  if (!rb.ok() || !rw.ok()) return;
  EXPECT_EQ(warm.sim_steady_cycles, both.sim_steady_cycles);
  EXPECT_EQ(warm.sim_cold_cycles, -1);
  // Every op of the warm inference at the same cycles from where it starts: the first inference's end,
  // or the last programmed weight's.
  std::int64_t both_from = 0, warm_from = 0;
  for (int id = 0; id < both.steady_first_op; ++id) both_from = std::max(both_from, rb.ops[static_cast<std::size_t>(id)].end);
  for (int id = 0; id < warm.steady_first_op; ++id) warm_from = std::max(warm_from, rw.ops[static_cast<std::size_t>(id)].end);
  std::size_t differ = 0;
  for (std::size_t k = 0; k < warm_ops; ++k) {
    const OpTiming& b = rb.ops[static_cast<std::size_t>(both.steady_first_op) + k];
    const OpTiming& w = rw.ops[static_cast<std::size_t>(warm.steady_first_op) + k];
    if (b.name != w.name || b.start - both_from != w.start - warm_from || b.end - both_from != w.end - warm_from) {
      if (++differ <= 3) ADD_FAILURE() << net.name << ": warm op " << k << " '" << b.name << "' differs";
    }
  }
  EXPECT_EQ(differ, 0U);
  for (std::size_t i = 0; i < both.layers.size(); ++i) {
    EXPECT_EQ(warm.layers[i].sim_steady_cycles, both.layers[i].sim_steady_cycles) << net.layers[i].name;
    EXPECT_EQ(warm.layers[i].sim_cycles, -1) << net.layers[i].name;
  }
  // The memories' peaks once warm: the two-inference run's are at least the warm inference's.
  ASSERT_EQ(rw.memories.size(), rb.memories.size());
  for (std::size_t m = 0; m < rw.memories.size(); ++m) EXPECT_LE(rw.memories[m].peak_bytes, rb.memories[m].peak_bytes);
}

Network largest(const std::string& space_name) {
  const auto space = make_space(space_name);
  return space->build(space->largest());
}

TEST(WarmStart, ALanguageModelsDecodeStepRunsAsAfterAFirstInference) {
  expect_warm_inference_unchanged(llm_decode(llm_preset("gpt2"), 63), reference());
}

TEST(WarmStart, OfaMobileNetV3RunsAsAfterAFirstInference) {
  expect_warm_inference_unchanged(largest("ofa-mbv3"), reference());
}

TEST(WarmStart, NothingResidentLeavesTheProgramAsItWas) {
  // Layer by layer nothing stays between inferences (pipelined keeps its stacks' weights with a program
  // of two inferences of its own: warm_only is fused's).
  const Network net = largest("ofa-mbv3");
  const NetworkMapping a = map_network(net, reference(), nullptr, Execution::LayerByLayer, steady(false));
  const NetworkMapping b = map_network(net, reference(), nullptr, Execution::LayerByLayer, steady(true));
  EXPECT_FALSE(b.starts_warm);
  EXPECT_FALSE(b.two_inferences);
  EXPECT_EQ(a.program.ops.size(), b.program.ops.size());
}

TEST(WarmStart, OnlySteadyCyclesMayStartWarm) {
  ScheduleObjective cold(CyclesOf::Cold);
  cold.warm_only = true;
  EXPECT_THROW(map_network(largest("ofa-mbv3"), reference(), nullptr, Execution::Fused, cold), std::invalid_argument);
}

}  // namespace
}  // namespace cimnet
