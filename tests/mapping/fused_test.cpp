// The fused execution policy (mapping/placement.hpp, layer_io.hpp): post-ops in a MAC layer's output
// path, activations kept in the global buffer, and what that does to the DRAM traffic, exactly.
#include <gtest/gtest.h>

#include <map>

#include "mapping/network_mapper.hpp"
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
  // Fused: the same reads but the ReLU's, and nothing written but the ReLU's output.
  EXPECT_EQ(simulated(fu.result).down, simulated(lbl.result).down - relu.down);
  EXPECT_EQ(simulated(fu.result).up, net.layers[1].output_bytes());
  EXPECT_EQ(simulated(fu.result).up, simulated(lbl.result).up - conv.up);
  // The estimate counts the same bytes.
  EXPECT_EQ(fu.mapping.analytical_dram_bytes, f_all.down + f_all.up);
  EXPECT_LE(gb_peak(fu.result), hw.fixed.gb_bytes);
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

}  // namespace
}  // namespace cimnet
