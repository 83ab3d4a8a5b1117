// Where a decode step's KV cache lives follows the execution policy (issue 18): in DRAM under
// layer-by-layer, read by every step; under `fused`, in the arrays between steps when the residency
// choice takes it (mapping/residency.hpp), as weights stay — loaded by the first step, by none after.
#include <gtest/gtest.h>

#include <cmath>

#include "mapping/network_mapper.hpp"
#include "program/program.hpp"
#include "tests/mapping/sim_support.hpp"
#include "workloads/llm.hpp"

namespace cimnet {
namespace {

// One GPT-2 block (width 768, 12 heads) with a 1 024-word vocabulary, decoding its token at position
// 63: its two cached products read 64 tokens' keys and values, 12 · 64 · 64 bytes each. Its weights
// (8 MB) fit the reference design's 16 MiB of arrays; GPT-2's own 50 257-word head (39 MB) streams
// through a reserve that leaves the other layers little room, which the residency choice weighs.
Network one_block_decode() {
  LlmConfig c = llm_preset("gpt2");
  c.layers = 1;
  c.vocabulary = 1024;
  c.name = "gpt2-1";
  return llm_decode(c, 63);
}

std::vector<std::size_t> cached_products(const Network& net) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    if (net.layers[i].persistent_stationary) out.push_back(i);
  }
  return out;
}

// Loads among layer i's ops in the first inference, or in the one once warm.
int loads(const NetworkMapping& m, std::size_t i, bool warm) {
  int count = 0;
  const MappedLayer& l = m.layers[i];
  for (int op = warm ? l.steady_first_op : l.first_op; op < (warm ? l.steady_end_op : l.end_op); ++op) {
    if (m.program.ops[static_cast<std::size_t>(op)].kind == OpKind::LoadWeights) ++count;
  }
  return count;
}

TEST(KvCache, LayerByLayerReadsItFromDramEveryStep) {
  const Network net = one_block_decode();
  const NetworkMapping m = map_network(net, HardwareSpace::defaults().reference_config());
  const auto cached = cached_products(net);
  ASSERT_EQ(cached.size(), 2u);
  for (std::size_t i : cached) {
    EXPECT_EQ(net.layers[i].weight_bytes(), 12 * 64 * 64);
    EXPECT_FALSE(m.layers[i].resident);
  }
  EXPECT_FALSE(m.two_inferences);
}

TEST(KvCache, FusedKeepsItInTheArraysAndTheSimulationAgrees) {
  const Network net = one_block_decode();
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  const test::Simulated fused = test::simulate_network(net, hw, Execution::Fused, CyclesOf::Steady);
  const test::Simulated lbl = test::simulate_network(net, hw, Execution::LayerByLayer, CyclesOf::Steady);
  ASSERT_TRUE(fused.result.ok());
  ASSERT_TRUE(fused.mapping.two_inferences);
  std::int64_t kv = 0;
  for (std::size_t i : cached_products(net)) {
    SCOPED_TRACE(net.layers[i].name);
    EXPECT_TRUE(fused.mapping.layers[i].resident);  // 48 KiB in all: far within the arrays' 16 MiB
    EXPECT_GT(loads(fused.mapping, i, false), 0);  // the first step loads the cache
    EXPECT_EQ(loads(fused.mapping, i, true), 0);   // once warm, nothing of it moves
    kv += net.layers[i].weight_bytes();
  }
  // Once warm, a step moves at least the cache's bytes less across the DRAM than the first one did.
  EXPECT_LE(fused.mapping.analytical_steady_dram_bytes, fused.mapping.analytical_dram_bytes - kv);
  // The timed model agrees with the estimate, and the step is faster than layer by layer's.
  const double error = static_cast<double>(fused.mapping.analytical_steady_cycles - fused.mapping.sim_steady_cycles) /
                       static_cast<double>(fused.mapping.sim_steady_cycles);
  EXPECT_LT(std::abs(error), 0.02) << fused.mapping.analytical_steady_cycles << " vs " << fused.mapping.sim_steady_cycles;
  EXPECT_LT(fused.mapping.sim_steady_cycles, lbl.mapping.sim_steady_cycles);
}

TEST(KvCache, APrefillHasNoCacheToKeep) {
  LlmConfig c = llm_preset("gpt2");
  c.layers = 1;
  EXPECT_TRUE(cached_products(llm_prefill(c, 16)).empty());
}

}  // namespace
}  // namespace cimnet
