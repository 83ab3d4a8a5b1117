// The fused execution policy (mapping/placement.hpp, layer_io.hpp): post-ops in a MAC layer's output
// path, activations kept in the global buffer, and what that does to the DRAM traffic, exactly.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "mapping/network_mapper.hpp"
#include "mapping/placement.hpp"
#include "sim_support.hpp"
#include "workloads/search_space.hpp"

namespace cimnet {
namespace {

using test::simulate_network;

struct DramBytes {
  std::int64_t down = 0, up = 0;
};

// What ops first .. end-1 move across the DRAM interface, from the program's semantics: a load or a
// stream from DRAM crosses it once per flow (once for a multicast, once per array otherwise), a
// write-back to DRAM once per array, a move once.
DramBytes dram_bytes_of(const Program& p, int first, int end) {
  DramBytes d;
  for (int id = first; id < end; ++id) {
    const Op& op = p.ops[static_cast<std::size_t>(id)];
    const std::int64_t flows = op.multicast ? 1 : static_cast<std::int64_t>(op.arrays.size());
    switch (op.kind) {
      case OpKind::LoadWeights:
      case OpKind::StreamInput:
        if (op.source == Place::Dram) d.down += op.bytes * flows;
        break;
      case OpKind::WriteBack:
        if (op.dest == Place::Dram) d.up += op.bytes * static_cast<std::int64_t>(op.arrays.size());
        break;
      case OpKind::Move:
        if (op.source == Place::Dram) d.down += op.bytes;
        if (op.dest == Place::Dram) d.up += op.bytes;
        break;
      default:
        break;
    }
  }
  return d;
}
DramBytes dram_bytes_of(const NetworkMapping& m, int layer) {
  const MappedLayer& l = m.layers[static_cast<std::size_t>(layer)];
  return dram_bytes_of(m.program, l.first_op, l.end_op);
}
DramBytes simulated(const SimResult& r) {
  return {r.bytes.at("dram.down"), r.bytes.count("dram.up") ? r.bytes.at("dram.up") : 0};
}
std::int64_t gb_peak(const SimResult& r) {
  for (const auto& m : r.memories) {
    if (m.name == "gb") return m.peak_bytes;
  }
  return -1;
}

Network conv_relu() {
  NetworkBuilder b("conv-relu", Tensor{-1, 1, 64, 28, 28});
  Tensor x = b.conv("conv", b.input(), 64, 3);
  b.activation("relu", x, ActivationOp::ReLU);
  return b.finish();
}

// The closed form: a conv followed by its ReLU under `fused` moves no byte of the intermediate
// tensor over DRAM. Layer-by-layer writes the conv's output and the ReLU reads it back; fused runs
// the ReLU on the vector unit as the conv's pieces land in the global buffer, so the DRAM carries
// exactly the layer-by-layer traffic less those two transfers.
TEST(Fused, ConvThenReluMovesNoByteOfTheIntermediateOverDram) {
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  const Network net = conv_relu();
  const auto lbl = simulate_network(net, hw, Execution::LayerByLayer);
  const auto fu = simulate_network(net, hw, Execution::Fused);
  ASSERT_TRUE(lbl.result.ok() && fu.result.ok());
  EXPECT_EQ(fu.mapping.layers[1].fused_into, 0);
  EXPECT_EQ(fu.mapping.layers[1].sim_cycles, 0);  // its cycles are the conv's step's
  // The model's counters are the program's transfers, under both policies.
  const DramBytes l_all = dram_bytes_of(lbl.mapping.program, 0, static_cast<int>(lbl.mapping.program.ops.size()));
  const DramBytes f_all = dram_bytes_of(fu.mapping.program, 0, static_cast<int>(fu.mapping.program.ops.size()));
  EXPECT_EQ(simulated(lbl.result).down, l_all.down);
  EXPECT_EQ(simulated(lbl.result).up, l_all.up);
  EXPECT_EQ(simulated(fu.result).down, f_all.down);
  EXPECT_EQ(simulated(fu.result).up, f_all.up);
  // Layer-by-layer: the conv writes its output (every byte of it, padding included), the ReLU reads it
  // and writes its own.
  const DramBytes conv = dram_bytes_of(lbl.mapping, 0), relu = dram_bytes_of(lbl.mapping, 1);
  EXPECT_EQ(relu.down, net.layers[1].input_bytes());
  EXPECT_EQ(relu.up, net.layers[1].output_bytes());
  EXPECT_GE(conv.up, net.layers[0].output_bytes());
  // Fused, the first inference: the same reads but the ReLU's, and nothing written but the ReLU's
  // output. (The conv's weights stay resident, so the run holds a second inference: below.)
  ASSERT_TRUE(fu.mapping.two_inferences);
  const DramBytes f_cold = dram_bytes_of(fu.mapping.program, 0, fu.mapping.steady_first_op);
  EXPECT_EQ(f_cold.down, simulated(lbl.result).down - relu.down);
  EXPECT_EQ(f_cold.up, net.layers[1].output_bytes());
  EXPECT_EQ(f_cold.up, simulated(lbl.result).up - conv.up);
  // The estimate counts the same bytes.
  EXPECT_EQ(fu.mapping.analytical_dram_bytes, f_cold.down + f_cold.up);
  // Once warm, weights and activations all on chip: the DRAM carries the network's input and output,
  // nothing else (the closed form), by the program, the model's counters and the estimate.
  const DramBytes f_warm = dram_bytes_of(fu.mapping.program, fu.mapping.steady_first_op,
                                         static_cast<int>(fu.mapping.program.ops.size()));
  EXPECT_EQ(f_warm.down, net.layers[0].input_bytes());
  EXPECT_EQ(f_warm.up, net.layers[1].output_bytes());
  EXPECT_EQ(simulated(fu.result).down, f_cold.down + f_warm.down);
  EXPECT_EQ(simulated(fu.result).up, f_cold.up + f_warm.up);
  EXPECT_EQ(fu.mapping.analytical_steady_dram_bytes, f_warm.down + f_warm.up);
  EXPECT_LE(gb_peak(fu.result), hw.fixed.gb_bytes);
}

// input → c1 → r1 → c2 → r2 → c3 → add(c3, r1) → r3: r1's output is read two steps later by the
// residual add, r2's by c3.
Network residual_block() {
  NetworkBuilder b("residual", Tensor{-1, 1, 64, 28, 28});
  Tensor r1 = b.activation("r1", b.conv("c1", b.input(), 64, 1), ActivationOp::ReLU);
  Tensor r2 = b.activation("r2", b.conv("c2", r1, 64, 3), ActivationOp::ReLU);
  Tensor sum = b.add("add", b.conv("c3", r2, 64, 1), r1);
  b.activation("r3", sum, ActivationOp::ReLU);
  return b.finish();
}

// An activation that fits stays in the global buffer and its readers stream it from there: the DRAM
// carries the layer-by-layer traffic less every write and read of r1's and r2's outputs (and of the
// conv outputs the post-ops consume).
TEST(Fused, ActivationsThatFitStayOnChipAndAreStreamedFromThere) {
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  const Network net = residual_block();
  const auto lbl = simulate_network(net, hw, Execution::LayerByLayer);
  const auto fu = simulate_network(net, hw, Execution::Fused);
  ASSERT_TRUE(lbl.result.ok() && fu.result.ok());
  const auto& L = fu.mapping.layers;
  // Steps: [c1 r1] [c2 r2] [c3 add r3]; r1's and r2's outputs stay.
  EXPECT_EQ(L[1].fused_into, 0);
  EXPECT_EQ(L[3].fused_into, 2);
  EXPECT_EQ(L[5].fused_into, 4);
  EXPECT_EQ(L[6].fused_into, 4);
  EXPECT_TRUE(L[1].output_on_chip && L[3].output_on_chip);
  EXPECT_TRUE(L[2].input_on_chip && L[4].input_on_chip);
  EXPECT_FALSE(L[6].output_on_chip);  // the network's output
  for (int id = L[2].first_op; id < L[4].end_op; ++id) {
    const Op& op = fu.mapping.program.ops[static_cast<std::size_t>(id)];
    if (op.kind == OpKind::StreamInput) {
      EXPECT_EQ(op.source, Place::GlobalBuffer) << op.name;
    }
  }
  // DRAM: the network's input streamed by c1, the weights, and r3's output; nothing else.
  std::int64_t loads = 0;
  for (const Op& op : fu.mapping.program.ops) {  // all in the first inference
    if (op.kind == OpKind::LoadWeights) loads += op.bytes * (op.multicast ? 1 : static_cast<std::int64_t>(op.arrays.size()));
  }
  const DramBytes c1 = dram_bytes_of(lbl.mapping, 0);
  std::int64_t c1_loads = 0;
  for (int id = lbl.mapping.layers[0].first_op; id < lbl.mapping.layers[0].end_op; ++id) {
    const Op& op = lbl.mapping.program.ops[static_cast<std::size_t>(id)];
    if (op.kind == OpKind::LoadWeights) c1_loads += op.bytes * (op.multicast ? 1 : static_cast<std::int64_t>(op.arrays.size()));
  }
  // The first inference (every weight loaded), then once warm (every weight resident: the DRAM carries
  // the network's input and output only).
  ASSERT_TRUE(fu.mapping.two_inferences);
  const int warm = fu.mapping.steady_first_op, all = static_cast<int>(fu.mapping.program.ops.size());
  const DramBytes cold = dram_bytes_of(fu.mapping.program, 0, warm), steady = dram_bytes_of(fu.mapping.program, warm, all);
  EXPECT_EQ(cold.down, (c1.down - c1_loads) + loads);
  EXPECT_EQ(cold.up, net.layers[6].output_bytes());
  EXPECT_EQ(steady.down, net.layers[0].input_bytes());
  EXPECT_EQ(steady.up, net.layers[6].output_bytes());
  EXPECT_EQ(simulated(fu.result).down, cold.down + steady.down);
  EXPECT_EQ(simulated(fu.result).up, cold.up + steady.up);
  EXPECT_EQ(fu.mapping.analytical_dram_bytes, cold.down + cold.up);
  EXPECT_EQ(fu.mapping.analytical_steady_dram_bytes, steady.down + steady.up);
  EXPECT_LE(gb_peak(fu.result), hw.fixed.gb_bytes);
}

// The closed form: a live activation larger than the free capacity spills and is never
// overcommitted. Over a range of global-buffer sizes (each a different set of plans and decisions):
// at every step, the kept tensors live there and the step's own working set fit the buffer (nothing
// overcommits); every tensor that spilled would not have fitted beside them at some step of its life;
// at least one spilled although it fits an empty buffer (larger than the free capacity only); every
// program validates, and the SystemC model never holds more than the buffer has.
TEST(Fused, LiveActivationLargerThanTheFreeCapacitySpillsAndNothingOvercommits) {
  const Network net = residual_block();
  const std::int64_t act = net.layers[1].output_bytes();  // r1, r2: 64 × 28 × 28 bytes each
  int spilled_though_fits_empty = 0, kept_somewhere = 0;
  for (std::int64_t gb : {act / 2, act, act + act / 2, 2 * act - 1024, 2 * act + act / 2, 3 * act, 4 * act}) {
    HardwareConfig hw = HardwareSpace::defaults().reference_config();
    hw.fixed.gb_bytes = gb;
    const auto s = simulate_network(net, hw, Execution::Fused);
    ASSERT_TRUE(s.result.ok()) << "gb_bytes " << gb << ": " << s.result.message;
    EXPECT_LE(gb_peak(s.result), gb) << "gb_bytes " << gb;
    std::vector<Plan> plans;
    for (const auto& l : s.mapping.layers) plans.push_back(l.plan);
    const auto place = place_network(net, hw, plans, Execution::Fused);
    const std::size_t n = net.layers.size();
    auto head = [&](std::size_t j) { return place[j].fused_into >= 0 ? static_cast<std::size_t>(place[j].fused_into) : j; };
    // Life of each step's output: from its head to the head of its last reader's step.
    std::vector<std::size_t> until(n, 0);
    std::vector<bool> read(n, false);
    for (std::size_t j = 0; j < n; ++j) {
      for (int q : net.layers[j].inputs) {
        if (q < 0) continue;
        const std::size_t h = head(static_cast<std::size_t>(q));
        if (head(j) == h) continue;  // inside a step
        read[h] = true;
        until[h] = std::max(until[h], head(j));
      }
    }
    std::vector<std::int64_t> used(n, 0);
    for (std::size_t h = 0; h < n; ++h) {
      if (head(h) != h || !place[h].kept) continue;
      ++kept_somewhere;
      for (std::size_t u = h; u <= until[h]; ++u) used[u] += place[h].output_gb_bytes;
    }
    for (std::size_t u = 0; u < n; ++u) {
      if (head(u) == u) {
        EXPECT_LE(used[u] + place[u].working_bytes, gb) << "gb_bytes " << gb << " step " << u;
      }
    }
    for (std::size_t h = 0; h < n; ++h) {
      if (head(h) != h || place[h].kept || !read[h]) continue;
      bool misses = false;
      for (std::size_t u = h; u <= until[h]; ++u) {
        if (head(u) == u) misses = misses || used[u] + place[h].output_gb_bytes + place[u].working_bytes > gb;
      }
      EXPECT_TRUE(misses) << "gb_bytes " << gb << ": " << net.layers[h].name << " spilled although it fitted";
      if (place[h].output_gb_bytes + place[h].working_bytes <= gb) ++spilled_though_fits_empty;
    }
  }
  EXPECT_GT(spilled_though_fits_empty, 0);
  EXPECT_GT(kept_somewhere, 0);
}

// The decisions are the estimate's alone: estimate_network makes the same ones as map_network, and
// again on a second call (deterministic); layer-by-layer is the default and what it always was.
TEST(Fused, EstimateMakesTheSameDecisionsAsTheProgram) {
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  for (const char* name : {"ofa-mbv3", "ofa-resnet50", "vit-b16"}) {
    const auto space = make_space(name);
    const Network net = space->build(space->smallest());
    const NetworkMapping a = map_network(net, hw, nullptr, Execution::Fused);
    const NetworkMapping b = estimate_network(net, hw, nullptr, Execution::Fused);
    EXPECT_EQ(a.analytical_cycles, b.analytical_cycles) << name;
    EXPECT_EQ(a.analytical_dram_bytes, b.analytical_dram_bytes) << name;
    ASSERT_EQ(a.layers.size(), b.layers.size());
    for (std::size_t i = 0; i < a.layers.size(); ++i) {
      EXPECT_EQ(a.layers[i].fused_into, b.layers[i].fused_into) << name << " " << i;
      EXPECT_EQ(a.layers[i].output_on_chip, b.layers[i].output_on_chip) << name << " " << i;
    }
    EXPECT_EQ(map_network(net, hw).analytical_cycles, map_network(net, hw, nullptr, Execution::LayerByLayer).analytical_cycles);
    EXPECT_EQ(map_network(net, hw, nullptr, Execution::Fused).program.ops.size(), a.program.ops.size());
  }
}

// Issue 14, Part A's bar under `fused` ("per layer as in Part A"): on the largest sub-network of each
// space on the reference design every step's estimate, cold and warm, is within 10 % of SystemC
// (bench/fused_bench lists the steps; docs/mapping.md). MobileNetV3 had 6 of 204 steps outside it
// (`stage1.block{2,3,4}.expand`, -17.5 %) until every plan was scored with its own traffic and the first
// pieces of a throttled step waited for the streams run ahead and for each other's vector work.
void every_step_within_ten_percent(const char* space_name) {
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  const auto space = make_space(space_name);
  const Network net = space->build(space->largest());
  const test::Simulated s = test::simulate_network(net, hw, Execution::Fused);
  ASSERT_TRUE(s.result.ok());
  int checked = 0;
  double worst = 0;
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const MappedLayer& ml = s.mapping.layers[i];
    if (ml.fused_into >= 0) continue;
    for (int warm = 0; warm < (s.mapping.two_inferences ? 2 : 1); ++warm) {
      const double est = static_cast<double>(warm ? ml.steady_cost.cycles : ml.cost.cycles);
      const double sim = static_cast<double>(warm ? ml.sim_steady_cycles : ml.sim_cycles);
      if (sim <= 0) continue;
      EXPECT_LE(std::abs(est - sim), 0.10 * sim) << net.layers[i].name << (warm ? " warm" : " cold")
                                                << ": estimated " << est << ", simulated " << sim;
      worst = std::max(worst, std::abs(est - sim) / sim);
      ++checked;
    }
  }
  std::printf("[fused steps] %s: %d steps, worst error %.1f %%\n", space_name, checked, 100 * worst);
  EXPECT_GT(checked, 100);
}

TEST(Fused, EveryStepOfTheLargestMobileNetV3IsWithinTenPercent) { every_step_within_ten_percent("ofa-mbv3"); }
TEST(Fused, EveryStepOfTheLargestResNet50IsWithinTenPercent) { every_step_within_ten_percent("ofa-resnet50"); }
TEST(Fused, EveryStepOfTheLargestVitB16IsWithinTenPercent) { every_step_within_ten_percent("vit-b16"); }

// Squeeze-excite steps run with everything on chip — the pool reads a kept activation, the reduce and
// expand convs stream its result from the global buffer and keep theirs, their weights resident or
// prefetched under the step before — and are short, so what the estimate misses is the global
// buffer's port and the floors' latencies (docs/mapping.md, "Cost model terms"): on the largest
// MobileNetV3 on the reference design each such step is within 10 % of SystemC, cold and warm. (The
// pools were 10–14 % fast and the expand convs 16–18 %; the cold reduce convs, their loads done
// before them, up to nine times slow.) The short reduce convs of stage 2 (58 cycles) are held to 10
// cycles: their decoders' results cross L2 one after another, which the estimate counts as one flow.
TEST(Fused, SqueezeExciteStepsOnChipAreEstimatedWithinTenPercent) {
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  const auto space = make_space("ofa-mbv3");
  const Network net = space->build(space->largest());
  const test::Simulated s = test::simulate_network(net, hw, Execution::Fused);
  ASSERT_TRUE(s.result.ok());
  int checked = 0;
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const MappedLayer& ml = s.mapping.layers[i];
    if (ml.fused_into >= 0 || net.layers[i].name.find(".se.") == std::string::npos) continue;
    for (int warm = 0; warm < (s.mapping.two_inferences ? 2 : 1); ++warm) {
      const double est = static_cast<double>(warm ? ml.steady_cost.cycles : ml.cost.cycles);
      const double sim = static_cast<double>(warm ? ml.sim_steady_cycles : ml.sim_cycles);
      ASSERT_GT(sim, 0) << net.layers[i].name;
      EXPECT_LE(std::abs(est - sim), std::max(0.10 * sim, 10.0)) << net.layers[i].name << (warm ? " warm" : " cold")
                                                                << ": estimated " << est << ", simulated " << sim;
      ++checked;
    }
  }
  EXPECT_GE(checked, 3 * 2 * 11);  // pool, reduce and expand of 11 blocks, cold and warm at least
}

}  // namespace
}  // namespace cimnet

namespace cimnet {
namespace {

// The program's ops are reserved for the steps left at the mean size of the inference's steps so far
// (network_program.cpp): under `fused` with resident weights the warm inference follows the cold one,
// and a mean taken over both once made a 7B decode step ask for hundreds of gigabytes.
TEST(Fused, TheProgramReservesNearItsSize) {
  const auto space = make_space("ofa-mbv3");
  const NetworkMapping m =
      map_network(space->build(space->largest()), HardwareSpace::defaults().reference_config(), nullptr, Execution::Fused);
  ASSERT_GT(m.resident_bytes, 0);  // two inferences in the program
  EXPECT_LE(m.program.ops.capacity(), 2 * m.program.ops.size());
}

}  // namespace
}  // namespace cimnet
