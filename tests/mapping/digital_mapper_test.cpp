// The digital PE-array core's cost model and mapper (mapping/digital_mapper.hpp): closed forms of a GEMM
// that fits the grid, of misaligned and depthwise layers, of every operand's refetches and spilled
// partial sums; the search against its own cost function; monotonicity in the port and the buffers.
#include <gtest/gtest.h>

#include "mapping/digital_mapper.hpp"
#include "mapping/digital_tiles.hpp"
#include "mapping/digital_schedule.hpp"
#include "workloads/network.hpp"
#include "workloads/search_space.hpp"

namespace cimnet {
namespace {

// One conv layer on an input of `c` channels × h × w (padding as NetworkBuilder's default: same).
Layer conv(std::int64_t c, std::int64_t k, std::int64_t h, std::int64_t w, std::int64_t kernel = 1,
           std::int64_t groups = 1, std::int64_t stride = 1) {
  NetworkBuilder b("one", Tensor{-1, 1, c, h, w});
  b.conv("conv", b.input(), k, kernel, stride, groups);
  return b.finish().layers.front();
}

DigitalCore fast_core() {
  DigitalCore core;
  core.name = "pe16";
  core.port_bytes_per_cycle = 1024;  // loads all but free: the grid bounds the time
  return core;
}

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

TEST(DigitalCore, AGemmThatFitsTheGridTakesMacsOverPesPlusFill) {
  // 1×1 conv, 64 → 32 channels over a 1 × 32 row: K and Q multiples of the 16 × 16 grid.
  const Layer l = conv(64, 32, 1, 32);
  const DigitalCore core = fast_core();
  ASSERT_EQ(l.macs(), 32 * 64 * 32);
  // The whole layer as one tile: load, compute, drain in sequence.
  DigitalTiling whole;
  whole.k = 32, whole.c = 64, whole.q = 32;
  const DigitalCost one = digital_cost(l, core, whole);
  ASSERT_TRUE(one.feasible) << one.why;
  EXPECT_EQ(one.compute_cycles, l.macs() / 256);
  EXPECT_DOUBLE_EQ(one.utilisation, 1.0);
  const std::int64_t w = 32 * 64, in = 64 * 32, out = 32 * 32;
  EXPECT_EQ(one.port_bytes(), w + in + out);
  EXPECT_EQ(one.fill_cycles, core.link_latency + ceil_div(w + in, 1024) + core.pipeline_cycles + core.link_latency +
                                 ceil_div(out, 1024));
  EXPECT_EQ(one.cycles, l.macs() / 256 + one.fill_cycles);
  // The mapper's best is compute-bound too: the same MACs ÷ PEs, and at most that fill.
  const DigitalMapping best = map_layer_digital(l, core);
  ASSERT_TRUE(best.cost.feasible);
  EXPECT_EQ(best.cost.compute_cycles, l.macs() / 256);
  EXPECT_EQ(best.cost.cycles, best.cost.compute_cycles + best.cost.fill_cycles);
  EXPECT_LE(best.cost.cycles, one.cycles);
  EXPECT_DOUBLE_EQ(best.cost.utilisation, 1.0);
}

TEST(DigitalCore, MisalignedDimensionsLeavePesIdle) {
  const DigitalCore core = fast_core();
  // 17 output channels on 16 rows: two steps, the second with one row busy: 17 of 32.
  const DigitalMapping k17 = map_layer_digital(conv(64, 17, 1, 32), core);
  ASSERT_TRUE(k17.cost.feasible);
  EXPECT_EQ(k17.cost.compute_cycles, 2 * 2 * 64);
  EXPECT_DOUBLE_EQ(k17.cost.utilisation, 17.0 / 32.0);
  // A 7 × 7 map: 7 of 16 columns.
  const DigitalMapping q7 = map_layer_digital(conv(64, 32, 7, 7), core);
  ASSERT_TRUE(q7.cost.feasible);
  EXPECT_EQ(q7.cost.compute_cycles, 2 * 7 * 1 * 64);
  EXPECT_DOUBLE_EQ(q7.cost.utilisation, 7.0 / 16.0);
  // A depthwise 3 × 3 conv has one output channel per group: one row of sixteen works.
  const Layer dw = conv(32, 32, 16, 16, 3, 32);
  const DigitalMapping on_k = map_layer_digital(dw, core);
  ASSERT_TRUE(on_k.cost.feasible);
  EXPECT_EQ(on_k.cost.compute_cycles, 32 * 1 * 16 * 1 * 9);
  EXPECT_DOUBLE_EQ(on_k.cost.utilisation, 1.0 / 16.0);
  // Unrolling groups instead of output channels fills the rows.
  DigitalCore by_group = core;
  by_group.row_dims = {LoopDim::G};
  const DigitalMapping on_g = map_layer_digital(dw, by_group);
  EXPECT_EQ(on_g.cost.compute_cycles, 2 * 16 * 1 * 9);
  EXPECT_DOUBLE_EQ(on_g.cost.utilisation, 1.0);
}

// Several dimensions on one axis are flattened over its PEs: an analog-macro-like grid whose 144 rows
// take input channels × kernel taps (16 × 3 × 3) and 64 columns output channels computes a 3 × 3 conv
// one output position per step.
TEST(DigitalCore, AnAxisMayUnrollSeveralDimensionsFlattened) {
  DigitalCore macro = fast_core();
  macro.rows = 144;
  macro.cols = 64;
  macro.row_dims = {LoopDim::C, LoopDim::R, LoopDim::S};
  macro.col_dims = {LoopDim::K};
  const Layer fits = conv(16, 64, 8, 8, 3);
  const DigitalMapping m = map_layer_digital(fits, macro);
  ASSERT_TRUE(m.cost.feasible) << m.cost.why;
  EXPECT_EQ(m.cost.compute_cycles, 8 * 8);
  EXPECT_DOUBLE_EQ(m.cost.utilisation, 1.0);
  // 20 input channels: 180 rows' worth, two steps per position whatever the C tiles (16 + 4, or 20).
  const DigitalMapping more = map_layer_digital(conv(20, 64, 8, 8, 3), macro);
  ASSERT_TRUE(more.cost.feasible);
  EXPECT_EQ(more.cost.compute_cycles, 2 * 8 * 8);
  EXPECT_DOUBLE_EQ(more.cost.utilisation, 180.0 / 288.0);
  // A depthwise conv: one channel per group, 9 of 144 rows and 1 of 64 columns.
  const DigitalMapping dw = map_layer_digital(conv(32, 32, 8, 8, 3, 32), macro);
  ASSERT_TRUE(dw.cost.feasible);
  EXPECT_EQ(dw.cost.compute_cycles, 32 * 8 * 8);
  EXPECT_DOUBLE_EQ(dw.cost.utilisation, 9.0 / (144.0 * 64.0));
  // The tile walk's steps are the closed form's, tile by tile.
  std::int64_t walked = 0;
  walk_digital_tiles(fits, macro, m.tiling, [&](const DigitalTile& t) { walked += t.steps; });
  EXPECT_EQ(walked, m.cost.compute_cycles);
}

// An in-memory macro's step (an analog matrix-vector product's conversions) takes several cycles: the
// same tiles, each step `step_cycles` long, the PEs as well used.
TEST(DigitalCore, AStepOfSeveralCyclesLengthensEveryStep) {
  const Layer l = conv(64, 32, 1, 32);  // fits the 16 × 16 grid: MACs ÷ 256 steps
  DigitalCore slow = fast_core();
  slow.step_cycles = 5;
  DigitalTiling whole;
  whole.k = 32, whole.c = 64, whole.q = 32;
  const DigitalCost one = digital_cost(l, slow, whole);
  ASSERT_TRUE(one.feasible) << one.why;
  EXPECT_EQ(one.compute_cycles, 5 * l.macs() / 256);
  EXPECT_DOUBLE_EQ(one.utilisation, 1.0);
  EXPECT_EQ(one.cycles, 5 * l.macs() / 256 + one.fill_cycles);
  const DigitalMapping best = map_layer_digital(l, slow);
  ASSERT_TRUE(best.cost.feasible);
  EXPECT_EQ(best.cost.compute_cycles, 5 * l.macs() / 256);
  EXPECT_EQ(best.cost.cycles, best.cost.compute_cycles + best.cost.fill_cycles);
}

// Weights written into the grid's own cells (weight_slots = 1): a weight tile may fill the buffer, and
// with the port as fast as the grid, loading the next one no longer hides behind computing this one.
TEST(DigitalCore, OneWeightSlotLetsATileFillTheBufferButStopsTheOverlap) {
  const Layer l = conv(64, 64, 4, 16);  // 4 KiB of weights
  DigitalCore core = fast_core();
  core.weight_buffer_bytes = 4096;
  DigitalTiling whole;
  whole.k = 64, whole.c = 64, whole.p = 4, whole.q = 16;
  const DigitalCost doubled = digital_cost(l, core, whole);
  EXPECT_FALSE(doubled.feasible);
  EXPECT_NE(doubled.why.find("more than half the 4096-byte weights buffer"), std::string::npos) << doubled.why;
  core.weight_slots = 1;
  EXPECT_TRUE(digital_cost(l, core, whole).feasible);
  // Two K tiles of 2 KiB each with a 32 B/cycle port: 64 cycles per weight tile, against 2 · 64 · 4 =
  // 512 steps per tile. Double-buffered, the second tile's weights arrive while the first computes; with
  // one slot they are written after it, and the layer takes at least one weight write longer.
  core.port_bytes_per_cycle = 32;
  DigitalTiling halves = whole;
  halves.k = 32;
  halves.order = {TileLoop::K, TileLoop::C, TileLoop::X};
  DigitalCore two = core;
  two.weight_slots = 2;
  const DigitalPath path = port_path(core);
  const std::int64_t single = digital_schedule_cycles(l, core, halves, path);
  const std::int64_t dual = digital_schedule_cycles(l, two, halves, path);
  EXPECT_GE(single - dual, 2048 / 32 + core.link_latency) << single << " vs " << dual;
}

TEST(DigitalCore, EachOperandIsRefetchedByTheLoopsOutsideItsInnermostOwn) {
  // 1×1 conv 64 → 64 over a 1 × 64 row, in tiles of 16 output channels and 16 columns: 4 × 4 tiles.
  const Layer l = conv(64, 64, 1, 64);
  const DigitalCore core = fast_core();
  DigitalTiling t;
  t.k = 16, t.c = 64, t.q = 16;
  const std::int64_t w = 64 * 64, in = 64 * 64, out = 64 * 64;
  t.order = {TileLoop::K, TileLoop::C, TileLoop::X};  // columns inside: each weight tile loaded once
  DigitalCost c = digital_cost(l, core, t);
  EXPECT_EQ(c.weight_bytes, w);
  EXPECT_EQ(c.input_bytes, 4 * in);  // the whole input again for each of 4 channel tiles
  EXPECT_EQ(c.output_bytes, out);
  t.order = {TileLoop::X, TileLoop::C, TileLoop::K};  // channels inside: the input once, weights 4 times
  c = digital_cost(l, core, t);
  EXPECT_EQ(c.weight_bytes, 4 * w);
  EXPECT_EQ(c.input_bytes, in);
  // Input channels in 4 tiles: partial sums leave and return when the channel loop runs outside.
  t.c = 16;
  t.order = {TileLoop::K, TileLoop::X, TileLoop::C};  // channels innermost: accumulate in place
  EXPECT_EQ(digital_cost(l, core, t).output_bytes, out);
  t.order = {TileLoop::C, TileLoop::K, TileLoop::X};
  c = digital_cost(l, core, t);
  EXPECT_EQ(c.output_bytes, out + 2 * 3 * (64 * 64 * 4));  // 3 writes and 3 reads of 32-bit sums
  EXPECT_EQ(c.weight_bytes, w);                             // every weight tile used once
  EXPECT_EQ(c.input_bytes, 4 * in);                         // each input channel tile for 4 K tiles
}

TEST(DigitalCore, AStridedWindowFetchesItsHaloOncePerTile) {
  // 3×3 conv, stride 1, same padding, 8 × 8 map in tiles of 4 rows: rows 0–4 and 3–7 (the halo twice).
  const Layer l = conv(16, 16, 8, 8, 3);
  DigitalTiling t;
  t.k = 16, t.c = 16, t.p = 4, t.q = 8;
  const DigitalCost c = digital_cost(l, fast_core(), t);
  ASSERT_TRUE(c.feasible) << c.why;
  EXPECT_EQ(c.input_bytes, 16 * (5 + 5) * 8);
}

TEST(DigitalCore, WhatCannotRunSaysWhy) {
  DigitalCore core = fast_core();  // 8-bit PEs
  Layer l = conv(16, 16, 8, 8, 3);
  l.weight_bits = 16;
  const DigitalMapping m = map_layer_digital(l, core);
  EXPECT_FALSE(m.cost.feasible);
  EXPECT_NE(m.cost.why.find("16-bit"), std::string::npos) << m.cost.why;
  EXPECT_NE(m.cost.why.find("'pe16'"), std::string::npos) << m.cost.why;
  // Narrower operands run at the least width at least as wide.
  l.weight_bits = 4;
  EXPECT_TRUE(map_layer_digital(l, core).cost.feasible);
  EXPECT_EQ(core.compute_bits(4), 8);
  core.precisions = {2, 4, 8};
  EXPECT_EQ(core.compute_bits(4), 4);
  EXPECT_EQ(core.compute_bits(3), 4);
  EXPECT_EQ(core.compute_bits(9), 0);
  EXPECT_TRUE(map_layer_digital(l, core).cost.feasible);
  // Nine 4-bit weights of one output and one input channel take 5 bytes, 10 double-buffered.
  core.weight_buffer_bytes = 8;
  const DigitalMapping tiny = map_layer_digital(l, core);
  EXPECT_FALSE(tiny.cost.feasible);
  EXPECT_NE(tiny.cost.why.find("weights take 5 bytes, more than half the 8-byte weights buffer"), std::string::npos) << tiny.cost.why;
}

// An analog macro stores ternary weights in its cells but converts 7-bit inputs: its weights' widths
// differ from its inputs'. An 8-bit first layer cannot run there; a ternary one with 7-bit inputs can.
TEST(DigitalCore, WeightsMayHaveWidthsOfTheirOwn) {
  DigitalCore macro = fast_core();
  macro.name = "aimc";
  macro.precisions = {7};
  macro.weight_precisions = {2};
  Layer first = conv(3, 16, 8, 8, 3);  // 8-bit weights and inputs
  const DigitalMapping m = map_layer_digital(first, macro);
  EXPECT_FALSE(m.cost.feasible);
  EXPECT_EQ(m.cost.why, "layer 'conv' needs 8-bit weights; digital core 'aimc' takes them at 2 bits");
  first.weight_bits = 2;
  EXPECT_EQ(map_layer_digital(first, macro).cost.why,
            "layer 'conv' needs 8-bit inputs; digital core 'aimc' takes them at 7 bits");
  first.input_bits = 7;
  EXPECT_TRUE(map_layer_digital(first, macro).cost.feasible);
  EXPECT_EQ(macro.weight_compute_bits(1), 2);
  EXPECT_EQ(macro.compute_bits(2), 7);
}

// Over every MAC layer of the largest MobileNetV3 (depthwise, pointwise, squeeze-excite linears): the
// best reports its own tiling's closed form and schedule, and a faster port or larger buffers never
// cost cycles.
TEST(DigitalCore, TheBestIsConsistentAndMonotoneInPortAndBuffers) {
  const auto space = make_space("ofa-mbv3");
  const Network net = space->build(space->largest());
  DigitalCore core;
  core.weight_buffer_bytes = core.input_buffer_bytes = core.output_buffer_bytes = 32768;
  DigitalCore wider = core;
  wider.port_bytes_per_cycle *= 2;
  DigitalCore larger = core;
  larger.weight_buffer_bytes = larger.input_buffer_bytes = larger.output_buffer_bytes = 65536;
  int layers = 0;
  for (const Layer& l : net.layers) {
    if (!l.is_mac_layer()) continue;
    ++layers;
    const DigitalMapping m = map_layer_digital(l, core);
    ASSERT_TRUE(m.cost.feasible) << l.name << ": " << m.cost.why;
    const DigitalCost again = digital_cost(l, core, m.tiling);
    EXPECT_EQ(again.closed_form_cycles, m.cost.closed_form_cycles) << l.name;
    EXPECT_EQ(digital_schedule_cycles(l, core, m.tiling, port_path(core)), m.cost.cycles) << l.name;
    EXPECT_EQ(again.port_bytes(), m.cost.port_bytes()) << l.name;
    EXPECT_GE(m.cost.compute_cycles, (l.macs() + core.pes() - 1) / core.pes()) << l.name;
    EXPECT_GE(m.cost.port_bytes(), l.weight_bytes() + l.output_bytes()) << l.name;
    EXPECT_LE(map_layer_digital(l, wider).cost.cycles, m.cost.cycles) << l.name;
    EXPECT_LE(map_layer_digital(l, larger).cost.cycles, m.cost.cycles) << l.name;
  }
  EXPECT_GT(layers, 40);
}

}  // namespace
}  // namespace cimnet
