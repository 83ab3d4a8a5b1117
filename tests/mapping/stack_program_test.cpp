// A depth-first stack as a spatial pipeline (mapping/stack_program.hpp): its analytical schedule in
// closed form, its program valid and simulated with the layers overlapping, and a stack whose bands do
// not fit the global buffer refused with the stack and the capacity named.
#include <gtest/gtest.h>

#include <string>

#include "common/error.hpp"
#include "mapping/layer_io.hpp"
#include "mapping/mac_band.hpp"
#include "mapping/mapper.hpp"
#include "mapping/stack_program.hpp"
#include "models/simulate.hpp"
#include "tests/support/small_networks.hpp"

namespace cimnet {
namespace {

using test::two_pointwise;

// Each MAC layer on `decoders` decoders of its own, in order, with the resident plan of its band of
// step 1 (a typical band) on them.
StackLayout layout_of(const Network& net, const StackTiling& s, const HardwareConfig& hw, std::int64_t decoders) {
  StackLayout layout;
  const std::size_t size = static_cast<std::size_t>(s.last - s.first + 1);
  layout.first_decoder.assign(size, 0);
  layout.decoders.assign(size, 0);
  layout.plans.resize(size);
  std::int64_t next = 0;
  for (int i = s.first; i <= s.last; ++i) {
    const std::size_t k = static_cast<std::size_t>(i - s.first);
    if (!net.layers[static_cast<std::size_t>(i)].is_mac_layer()) continue;
    layout.first_decoder[k] = next;
    layout.decoders[k] = decoders;
    next += decoders;
    const Layer band = band_layer(net, i, s.band(i, 1));
    const LayerMapping m = map_layer_resident(band, stage_hardware(hw, decoders));
    EXPECT_FALSE(m.best.empty()) << band.name;
    if (!m.best.empty()) layout.plans[k] = m.best.front().plan;
  }
  return layout;
}

TEST(StackProgram, TwoStagesFillThenRunAtTheSlowerStage) {
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  const Network net = two_pointwise();
  const std::int64_t tiles = 8;
  const StackTiling s = tile_stack(net, 0, 3, tiles);
  const StackLayout layout = layout_of(net, s, hw, hw.l1_decoders() / 2);
  const StackRun run = run_stack(net, s, layout, hw, StackWeights::Resident);
  // Seven rows a band for both convs (the ReLUs read row by row), every band alike within its layer.
  for (std::int64_t t = 0; t < tiles; ++t) {
    EXPECT_EQ(s.band(0, t).out, (Rows{7 * t, 7 * t + 7}));
    EXPECT_EQ(run.band_cycles[0][static_cast<std::size_t>(t)], run.band_cycles[0][0]);
    EXPECT_EQ(run.band_cycles[2][static_cast<std::size_t>(t)], run.band_cycles[2][0]);
    EXPECT_EQ(run.band_cycles[1][static_cast<std::size_t>(t)], 0);  // the ReLUs run in the convs' output paths
  }
  const std::int64_t a = run.band_cycles[0][0], b = run.band_cycles[2][0];
  // Latency = fill + tiles × the slower stage; over a stream of inputs, one output per tiles × stage —
  // the pipeline's own shape, without what the stages' bands share (DRAM, the L2 link, the buffer's port).
  std::vector<TileNode> alone = run.nodes;
  for (TileNode& n : alone) n.shared = {};
  const TileSchedule pipeline = schedule_tiles(alone, 3);
  EXPECT_EQ(pipeline.makespan, std::min(a, b) + tiles * std::max(a, b));
  EXPECT_EQ(pipeline.period(), tiles * std::max(a, b));
  // What they share can only lengthen it.
  EXPECT_GE(run.schedule.makespan, pipeline.makespan);
  EXPECT_GE(run.cycles, run.schedule.makespan);
}

TEST(StackProgram, SimulatedLayersOverlapAndAgreeWithTheSchedule) {
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  const Network net = two_pointwise();
  const StackTiling s = tile_stack(net, 0, 3, 8);
  const StackLayout layout = layout_of(net, s, hw, hw.l1_decoders() / 2);
  Program program;
  const StackRun run = run_stack(net, s, layout, hw, StackWeights::Load, &program);
  ASSERT_NO_THROW(validate(program, hw));
  SimOptions options;
  options.timeout_seconds = 300;
  const SimResult sim = simulate(program, hw, options);
  ASSERT_TRUE(sim.ok()) << sim.message;
  std::vector<std::int64_t> start(program.ops.size()), end(program.ops.size());
  for (const auto& o : sim.ops) {
    start[static_cast<std::size_t>(o.id)] = o.start;
    end[static_cast<std::size_t>(o.id)] = o.end;
  }
  auto band_end = [&](int k, int t) {
    std::int64_t e = 0;
    for (int op = run.first_op[static_cast<std::size_t>(k)][static_cast<std::size_t>(t)];
         op < run.end_op[static_cast<std::size_t>(k)][static_cast<std::size_t>(t)]; ++op) {
      e = std::max(e, end[static_cast<std::size_t>(op)]);
    }
    return e;
  };
  auto band_start = [&](int k, int t) {
    return start[static_cast<std::size_t>(run.first_op[static_cast<std::size_t>(k)][static_cast<std::size_t>(t)])];
  };
  // The second conv finishes its first band before the first conv starts its last one.
  EXPECT_LT(band_end(2, 0), band_start(0, 7));
  const double error = static_cast<double>(run.cycles - sim.total_cycles) / static_cast<double>(sim.total_cycles);
  RecordProperty("analytical", std::to_string(run.cycles));
  RecordProperty("simulated", std::to_string(sim.total_cycles));
  std::printf("two-stage stack: analytical %lld, simulated %lld (%+.1f %%)\n", static_cast<long long>(run.cycles),
              static_cast<long long>(sim.total_cycles), 100 * error);
  EXPECT_LE(std::abs(error), 0.20);
}

// A band's plan and estimate are kept per question (mac_band.hpp): the answer, asked once or again, is
// the fresh computation's, under the band's own name and decoders; another io is another question.
TEST(StackProgram, AKeptBandIsTheFreshComputation) {
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  const Network net = two_pointwise();
  const StackTiling s = tile_stack(net, 0, 3, 8);
  const std::int64_t decoders = hw.l1_decoders() / 2;
  const StackLayout layout = layout_of(net, s, hw, decoders);
  const HardwareConfig stage = stage_hardware(hw, decoders);
  const Layer band = band_layer(net, 2, s.band(2, 3));
  for (const bool kept_on_chip : {true, false}) {
    LayerIo io;
    io.weights = kept_on_chip ? Weights::Resident : Weights::Kept;
    io.input_in_gb = kept_on_chip;
    io.output_to_gb = io.keep_output = kept_on_chip;
    const Plan fresh = band_plan(layout.plans[2], band, stage, 5);
    const Cost cost = estimate(fresh, stage, band.macs(), nullptr, nullptr, io);
    for (int ask = 0; ask < 2; ++ask) {
      const MacBand work = mac_band(layout.plans[2], band, stage, io);
      EXPECT_EQ(work.cost.cycles, cost.cycles);
      EXPECT_EQ(work.cost.busy.dram, cost.busy.dram);
      EXPECT_EQ(work.cost.dram_bytes, cost.dram_bytes);
      EXPECT_EQ(work.working, io.output_to_gb ? fused_working_set(fresh, io) : fresh.staged_bytes);
      const Plan plan = mac_band_plan(work, band, stage, 5);
      EXPECT_TRUE(plan.mapping == fresh.mapping);
      EXPECT_EQ(plan.decoder_base, 5);
      EXPECT_EQ(plan.view.layer, band.name);
      EXPECT_EQ(plan.staged_bytes, fresh.staged_bytes);
    }
  }
  // The estimate alone and the one that builds the program agree.
  Program program;
  const StackRun alone = run_stack(net, s, layout, hw, StackWeights::Load);
  const StackRun built = run_stack(net, s, layout, hw, StackWeights::Load, &program);
  EXPECT_EQ(alone.cycles, built.cycles);
  EXPECT_EQ(alone.gb_bytes, built.gb_bytes);
  EXPECT_TRUE(alone.first_op.empty());
  EXPECT_EQ(built.first_op.size(), 4u);
}

TEST(StackProgram, BandsBeyondTheGlobalBufferAreRefusedNamingTheStack) {
  HardwareConfig hw = HardwareSpace::defaults().reference_config();
  const Network net = two_pointwise();
  const StackTiling s = tile_stack(net, 0, 3, 2);
  const StackLayout layout = layout_of(net, s, hw, hw.l1_decoders() / 2);
  hw.fixed.gb_bytes = 64 * 1024;
  try {
    run_stack(net, s, layout, hw, StackWeights::Resident);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("stack a .. b relu in 2 tiles"), std::string::npos) << what;
    EXPECT_NE(what.find("65536 (gb_bytes)"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace cimnet
