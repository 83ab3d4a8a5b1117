#pragma once
// Depth-first tiling of a stack of consecutive layers (issue 15; docs/mapping.md, "Depth-first
// stacks"): the stack runs in `tiles` steps, and in step t every layer of the stack computes one band of
// its output rows, so that a band flows through the whole stack before the next one starts and the
// tensors between the stack's layers need only the rows still to be read, not whole tensors.
//
// The rows are those of each layer's output (out_h: image rows, or tokens for a transformer). Bands are
// computed backwards from the layers whose output leaves the stack (read after it, or the network's
// output): these are paced evenly, ⌈(t+1)·out_h ⁄ tiles⌉ rows by the end of step t; every other layer
// computes, by step t, exactly the rows its consumers' bands of step t read (the kernel's halo
// included), and every layer finishes its rows in the last step, so the stack does the same work as
// running its layers one after another (not one MAC more or less).
//
// Overlapping rows are computed once and kept ("fully cached" halos): a band stays on chip until the
// last band that reads any of its rows has run (a program frees a band's buffer as a whole), and a band
// reads its whole input window, halo rows included.
//
// How a layer reads each operand, by rows (row_window): a conv or pooling window (kernel_h rows,
// stride, padding); row by row (linear, activation, element-wise, softmax, layer norm, the streamed
// operand of a matmul); or whole — every output row reads every input row — for global pooling, the
// per-channel operand of a squeeze-excite scale, the stationary operand of a matmul, and any operand
// whose rows do not line up with its producer's. A whole operand produced inside the stack forces its
// producer to finish before the consumer's first band: such a stack is legal but gains nothing there.
#include <cstdint>
#include <map>
#include <vector>

#include "workloads/network.hpp"

namespace cimnet {

struct Rows {
  std::int64_t begin = 0, end = 0;
  std::int64_t count() const { return end > begin ? end - begin : 0; }
  bool empty() const { return end <= begin; }
  bool operator==(const Rows& o) const { return begin == o.begin && end == o.end; }
};

// The input rows that output rows [begin, end) of a layer read from one operand.
struct RowWindow {
  bool whole = false;
  std::int64_t kernel = 1, stride = 1, padding = 0;
  std::int64_t in_rows = 1;  // rows of the operand
  // Empty for an empty band; clipped to [0, in_rows) (padding rows are not read).
  Rows of(Rows out) const;
};

// How layer `index` of `network` reads its operand `operand` (an index into its `inputs`).
RowWindow row_window(const Network& network, int index, int operand);

struct StackTiling {
  int first = 0, last = 0;  // the stack: layers first .. last of the network
  std::int64_t tiles = 0;

  struct Band {
    Rows out;              // output rows computed in this step (empty: none)
    std::vector<Rows> in;  // per operand: the input rows read (empty when `out` is)
    // Per operand: the producer's step by the end of which those rows exist; -1 when the producer is
    // outside the stack (its whole tensor exists before the stack starts) or the band is empty.
    std::vector<int> after;
    // The last step whose bands read any of these rows inside the stack (its own step when none does:
    // an output that only leaves the stack, or rows nobody reads): the band is held on chip until then.
    std::int64_t read_until = 0;
    std::int64_t bytes = 0;  // of its output rows
  };
  std::vector<std::vector<Band>> bands;  // [layer − first][step]
  // Per layer: its output is read after the stack (or is the network's output).
  std::vector<bool> leaves;
  // Bytes of the stack's own tensors held on chip while step t runs: per layer, its bands of steps
  // u ≤ t ≤ read_until (for an output that leaves the stack, its band of step t is the one being written
  // out).
  std::vector<std::vector<std::int64_t>> held_bytes;  // [layer − first][step]
  std::vector<std::int64_t> step_bytes;               // [step]: the sum over the layers

  const Band& band(int layer, std::int64_t step) const {
    return bands[static_cast<std::size_t>(layer - first)][static_cast<std::size_t>(step)];
  }
  std::int64_t peak_bytes() const;
  // The most a layer's bands hold at once when the layer may run one step ahead of its readers (a
  // pipelined stack, stack_program.hpp): over every step t, its bands u ≤ t read until t − 1 or later.
  std::int64_t most_held_one_step_ahead(int layer) const;
};

// Bytes of `rows` rows of layer `layer`'s output.
std::int64_t output_row_bytes(const Layer& layer, std::int64_t rows);

// The depth-first tiling of layers first .. last of `network` in `tiles` steps. InputError when the
// range is not a stack of the network or tiles < 1; tiles larger than a layer's rows leave that layer
// empty bands.
StackTiling tile_stack(const Network& network, int first, int last, std::int64_t tiles);

// The tilings of one stack, per tile count, each made (tile_stack) when first asked: what every scoring
// of the stack shares (a stream scores it on every decoder count).
class StackTilings {
 public:
  StackTilings(const Network& network, int first, int last) : network_(network), first_(first), last_(last) {}
  int first() const { return first_; }
  int last() const { return last_; }
  const StackTiling& in(std::int64_t tiles);

 private:
  const Network& network_;
  int first_, last_;
  std::map<std::int64_t, StackTiling> made_;
};

}  // namespace cimnet
