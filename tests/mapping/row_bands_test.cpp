// Depth-first tiling of a stack (mapping/row_bands.hpp): bands, halos and the rows held on chip in
// closed form, and on every stack of the three spaces' largest networks the work of the layers is done
// exactly once and every band reads only rows that exist by then.
#include <gtest/gtest.h>

#include "common/error.hpp"
#include "mapping/row_bands.hpp"
#include "workloads/search_space.hpp"

namespace cimnet {
namespace {

// Three 3×3 "same" convs of 16 channels on 56 × 56.
Network three_convs() {
  NetworkBuilder b("three-convs", Tensor{-1, 1, 16, 56, 56});
  Tensor x = b.conv("a", b.input(), 16, 3);
  x = b.conv("b", x, 16, 3);
  b.conv("c", x, 16, 3);
  return b.finish();
}

TEST(RowBands, ThreeSameConvsKeepTheirBandAndTwoHaloRows) {
  const Network net = three_convs();
  const StackTiling s = tile_stack(net, 0, 2, 7);
  ASSERT_EQ(s.bands.size(), 3u);
  EXPECT_EQ(s.leaves, (std::vector<bool>{false, false, true}));
  const std::int64_t row = 16 * 56;  // bytes of one output row
  for (std::int64_t t = 0; t < 7; ++t) {
    // The last conv is paced: 8 rows a step. Each conv above it runs one row ahead of its reader (the
    // 3×3 window reaches one row down), until the last step finishes every tensor.
    const std::int64_t end = 8 * (t + 1);
    EXPECT_EQ(s.band(2, t).out, (Rows{8 * t, end}));
    EXPECT_EQ(s.band(1, t).out, (Rows{t == 0 ? 0 : 8 * t + 1, t == 6 ? 56 : end + 1}));
    EXPECT_EQ(s.band(0, t).out, (Rows{t == 0 ? 0 : 8 * t + 2, t == 6 ? 56 : end + 2}));
    // The last conv reads its band and one row either side (none above the first row).
    EXPECT_EQ(s.band(2, t).in[0], (Rows{t == 0 ? 0 : 8 * t - 1, t == 6 ? 56 : end + 1}));
    EXPECT_EQ(s.band(2, t).after[0], t);
    EXPECT_EQ(s.band(0, t).after[0], -1);  // the network input exists before the stack
  }
  // Held while a middle step runs: of each intermediate tensor, the band being made and the one before
  // it, whose last rows the reader's window still needs; the band being written out.
  for (std::int64_t t = 2; t < 6; ++t) {
    EXPECT_EQ(s.held_bytes[0][static_cast<std::size_t>(t)], 16 * row);
    EXPECT_EQ(s.held_bytes[1][static_cast<std::size_t>(t)], 16 * row);
    EXPECT_EQ(s.held_bytes[2][static_cast<std::size_t>(t)], 8 * row);
    EXPECT_EQ(s.step_bytes[static_cast<std::size_t>(t)], 40 * row);
    EXPECT_EQ(s.band(0, t - 1).read_until, t);
    EXPECT_EQ(s.band(2, t).read_until, t);  // it leaves the stack
  }
  // Step 0: bands a 0..9, b 0..8 and c 0..7. Step 1: a's bands 0..9 and 10..17 (b reads rows 8..17),
  // b's 0..8 and 9..16, c's 8..15. Last step: a's 42..49 and 50..55, b's 41..48 and 49..55, c's 48..55.
  EXPECT_EQ(s.step_bytes[0], (10 + 9 + 8) * row);
  EXPECT_EQ(s.step_bytes[1], (18 + 17 + 8) * row);
  EXPECT_EQ(s.step_bytes[6], (14 + 15 + 8) * row);
  EXPECT_EQ(s.peak_bytes(), 43 * row);
}

TEST(RowBands, OneStepHoldsEveryTensorWhole) {
  const Network net = three_convs();
  const StackTiling s = tile_stack(net, 0, 2, 1);
  std::int64_t whole = 0;
  for (const Layer& l : net.layers) whole += l.output_bytes();
  EXPECT_EQ(s.peak_bytes(), whole);
}

TEST(RowBands, AStrideTwoConvReadsTwiceTheRowsOfItsBand) {
  NetworkBuilder b("down", Tensor{-1, 1, 8, 56, 56});
  Tensor x = b.conv("pw", b.input(), 8, 1);
  x = b.conv("dw", x, 8, 3, 2, 8);  // 3×3 stride 2, padding 1: 56 → 28 rows
  b.conv("down1x1", x, 8, 1, 2);   // 1×1 stride 2, padding 0: 28 → 14 rows; odd rows are never read
  const Network net = b.finish();
  const StackTiling s = tile_stack(net, 0, 2, 7);
  for (std::int64_t t = 0; t < 7; ++t) {
    EXPECT_EQ(s.band(2, t).out, (Rows{2 * t, 2 * t + 2}));
    // down1x1 reads rows 4t and 4t + 2 of dw's output, so dw computes up to row 4t + 2 ...
    EXPECT_EQ(s.band(2, t).in[0], (Rows{4 * t, 4 * t + 3}));
    EXPECT_EQ(s.band(1, t).out.end, t == 6 ? 28 : 4 * t + 3);
    // ... and dw's band up to row 4t + 2 reads input rows up to 2·(4t + 2) − 1 + 3.
    if (t < 6) {
      EXPECT_EQ(s.band(0, t).out.end, 8 * t + 6);
    }
  }
  // Every row of every layer is computed exactly once, the unread last rows included.
  for (int i = 0; i < 3; ++i) {
    std::int64_t rows = 0;
    for (std::int64_t t = 0; t < 7; ++t) rows += s.band(i, t).out.count();
    EXPECT_EQ(rows, net.layers[static_cast<std::size_t>(i)].out_h);
  }
}

TEST(RowBands, AWholeOperandMakesItsProducerFinishFirst) {
  NetworkBuilder b("se", Tensor{-1, 1, 32, 28, 28});
  Tensor x = b.conv("conv", b.input(), 32, 3);
  Tensor pooled = b.global_pool("pool", x);
  Tensor s = b.conv("fc", pooled, 32, 1);
  b.scale_channels("scale", x, s);
  const Network net = b.finish();
  const StackTiling st = tile_stack(net, 0, 3, 4);
  // The scale's first band needs the whole squeeze, which needs the whole conv output at step 0.
  EXPECT_EQ(st.band(0, 0).out, (Rows{0, 28}));
  EXPECT_EQ(st.band(1, 0).in[0], (Rows{0, 28}));
  EXPECT_EQ(st.band(3, 0).in[1], (Rows{0, 1}));
  EXPECT_EQ(st.band(3, 0).after[1], 0);
  for (std::int64_t t = 1; t < 4; ++t) EXPECT_TRUE(st.band(0, t).out.empty());
  EXPECT_EQ(st.band(3, 3).out, (Rows{21, 28}));
}

TEST(RowBands, BadStacksAreRefused) {
  const Network net = three_convs();
  EXPECT_THROW(tile_stack(net, 0, 2, 0), InputError);
  EXPECT_THROW(tile_stack(net, 2, 1, 4), InputError);
  EXPECT_THROW(tile_stack(net, 0, 3, 4), InputError);
}

TEST(RowBands, SharedTilingsAreTheStacksOwn) {
  const Network net = three_convs();
  StackTilings tilings(net, 0, 2);
  for (std::int64_t tiles : {4, 1, 4, 7}) {  // 4 twice: the second is the one made first
    const StackTiling& shared = tilings.in(tiles);
    const StackTiling own = tile_stack(net, 0, 2, tiles);
    ASSERT_EQ(shared.tiles, tiles);
    for (int i = 0; i <= 2; ++i) {
      for (std::int64_t t = 0; t < tiles; ++t) {
        EXPECT_EQ(shared.band(i, t).out, own.band(i, t).out);
        EXPECT_EQ(shared.band(i, t).in, own.band(i, t).in);
        EXPECT_EQ(shared.band(i, t).read_until, own.band(i, t).read_until);
      }
    }
    EXPECT_EQ(shared.step_bytes, own.step_bytes);
  }
  EXPECT_EQ(&tilings.in(4), &tilings.in(4));
}

// Every window of every stack of two to six layers of the largest networks, in 1, 4 and 16 steps: the
// bands partition each layer's rows, and every band reads rows its producer has made by the step named.
TEST(RowBands, EveryStackOfTheLargestNetworksDoesItsWorkOnceInOrder) {
  for (const char* name : {"ofa-mbv3", "ofa-resnet50", "vit-b16"}) {
    const auto space = make_space(name);
    const Network net = space->build(space->largest());
    const int n = static_cast<int>(net.layers.size());
    for (int first = 0; first < n; first += 3) {
      for (int size : {2, 6}) {
        const int last = std::min(n - 1, first + size - 1);
        for (std::int64_t tiles : {1, 4, 16}) {
          const StackTiling s = tile_stack(net, first, last, tiles);
          for (int i = first; i <= last; ++i) {
            std::int64_t next = 0;
            for (std::int64_t t = 0; t < tiles; ++t) {
              const StackTiling::Band& band = s.band(i, t);
              ASSERT_EQ(band.out.begin, next) << name << " layer " << i;
              next = band.out.end;
              for (std::size_t o = 0; o < band.in.size(); ++o) {
                const int p = net.layers[static_cast<std::size_t>(i)].inputs[o];
                if (p < first || band.out.empty()) continue;
                ASSERT_LE(band.after[o], t);
                ASSERT_GE(s.band(p, band.after[o]).out.end, band.in[o].end) << name << " layer " << i;
              }
            }
            ASSERT_EQ(next, net.layers[static_cast<std::size_t>(i)].out_h) << name << " layer " << i;
          }
        }
      }
    }
  }
}

}  // namespace
}  // namespace cimnet
