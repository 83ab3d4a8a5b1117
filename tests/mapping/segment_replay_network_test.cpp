// Whole mapped networks simulated with their equal segments timed once (SimOptions::
// replay_repeated_segments, models/segment_replay.hpp) give exactly the result of the program simulated
// op by op: a language model's decode step (12 equal blocks) layer by layer and fused, OFA-ResNet-50 layer by layer, OFA-
// MobileNetV3 fused and pipelined, and the DIANA-like ResNet-18 with its digital core.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "config/scenario.hpp"
#include "mapping/network_mapper.hpp"
#include "models/simulate.hpp"
#include "program/repeated_segments.hpp"
#include "tests/models/same_result.hpp"
#include "tests/support/test_support.hpp"
#include "workloads/llm.hpp"
#include "workloads/network_file.hpp"
#include "workloads/search_space.hpp"

namespace cimnet {
namespace {

// Simulates the network's program whole and with the replay; returns the replayed result.
SimResult expect_replay_exact(const Network& net, const HardwareConfig& hw, Execution execution) {
  const NetworkMapping m = map_network(net, hw, nullptr, execution);
  SimOptions whole_options;
  whole_options.timeout_seconds = 300;
  whole_options.replay_repeated_segments = false;
  SimOptions replay_options = whole_options;
  replay_options.replay_repeated_segments = true;
  replay_options.replay_max_distinct_share = 1.0;  // whenever a segment repeats
  const SimResult whole = simulate(m.program, hw, whole_options);
  const SimResult replayed = simulate(m.program, hw, replay_options);
  EXPECT_TRUE(whole.ok()) << whole.message;
  EXPECT_TRUE(replayed.ok()) << replayed.message;
  if (!whole.ok() || !replayed.ok()) return replayed;
  test::expect_same_result(whole, replayed);
  std::printf("[replay] %s, %s: %zu ops, %lld segments, %lld timed; %lld cycles\n", net.name.c_str(),
              to_string(execution), m.program.ops.size(), static_cast<long long>(replayed.segments),
              static_cast<long long>(replayed.segments_timed), static_cast<long long>(replayed.total_cycles));
  return replayed;
}

HardwareConfig reference() { return HardwareSpace::defaults().reference_config(); }

Network largest(const std::string& space_name) {
  const auto space = make_space(space_name);
  return space->build(space->largest());
}

TEST(SegmentReplayNetwork, ALanguageModelsDecodeStepTimesOneBlock) {
  const SimResult r = expect_replay_exact(llm_decode(llm_preset("gpt2"), 63), reference(), Execution::LayerByLayer);
  // Twelve equal blocks: far fewer segments timed than run.
  EXPECT_GT(r.segments, 12 * r.segments_timed / 2);
}

// Fused, the decode step keeps weights, the KV cache and activations across its blocks: no clean cut
// repeats, and the timing cuts (allocations held across them) do, with the memories' peaks taken from
// the whole program.
TEST(SegmentReplayNetwork, AFusedDecodeStepRepeatsBetweenTimingCuts) {
  const Network net = llm_decode(llm_preset("gpt2"), 63);
  const NetworkMapping m = map_network(net, reference(), nullptr, Execution::Fused);
  EXPECT_FALSE(find_repeated_segments(m.program, SegmentCuts::Clean).repeats());
  const RepeatedSegments timing = find_repeated_segments(m.program, SegmentCuts::Timing);
  EXPECT_TRUE(timing.repeats());
  EXPECT_TRUE(timing.holds_across);
  const SimResult r = expect_replay_exact(net, reference(), Execution::Fused);
  EXPECT_GT(r.segments, 4 * r.segments_timed);
}

TEST(SegmentReplayNetwork, OfaResNet50LayerByLayer) {
  expect_replay_exact(largest("ofa-resnet50"), reference(), Execution::LayerByLayer);
}

TEST(SegmentReplayNetwork, OfaMobileNetV3FusedAndPipelined) {
  const Network net = largest("ofa-mbv3");
  expect_replay_exact(net, reference(), Execution::Fused);
  expect_replay_exact(net, reference(), Execution::Pipelined);
}

// Digital cores beside the arrays: the DIANA-like ResNet-18, and a decode step on the heterogeneous
// reference design (its digital core takes the attention products).
TEST(SegmentReplayNetwork, DesignsWithDigitalCores) {
  const Scenario diana = load_scenario((test::source_dir() / "scenarios/experiments/diana-like.yaml").string());
  const Network resnet18 = load_network_file((test::source_dir() / "examples/networks/resnet18.yaml").string());
  expect_replay_exact(resnet18, diana.hardware.reference_config(), Execution::LayerByLayer);
  expect_replay_exact(resnet18, diana.hardware.reference_config(), Execution::Fused);
  const Scenario hetero =
      load_scenario((test::source_dir() / "scenarios/experiments/ofa-mbv3-heterogeneous.yaml").string());
  const SimResult r =
      expect_replay_exact(llm_decode(llm_preset("gpt2"), 63), hetero.hardware.reference_config(), Execution::LayerByLayer);
  EXPECT_LT(r.segments_timed, r.segments);
}

}  // namespace
}  // namespace cimnet
