#pragma once
// Turns mappings into controller program ops (program/program.hpp), layer after layer, so that a
// whole network becomes one Program.
//
// Shape of a MAC layer (plan from mapping.hpp), per pass:
//   loads      the pass's weight tiles: one unicast op over all its arrays (no replicas), or one
//              multicast op per tile to its replicas; each depends on the layer gate and, per array,
//              on the Frees of older loads it must displace (capacity tracker below)
//   per input tile t (t = 0 .. tiles-1):
//     streams  the input slices of tile t: one unicast op over all arrays when every array needs its
//              own data (k_split = 1), else one multicast op per (replica, group pack, R slice) to the
//              arrays holding the k tiles of that slice; stream t of a slice depends on stream t-1
//              (in order; the input buffer's two halves give the double buffering)
//     compute  one op over every array of the pass: deps = streams of t, the pass's loads, compute t-1
//     output   WriteBack of the outputs (no R split); with an R split, the partial sums reduce into a
//              decoder buffer — at L2 into the global buffer, at L1 into each decoder's L1 buffer,
//              then a Move per decoder up into the global buffer — a Vector op requantises them there
//              and a Move stores the result to DRAM, with a Free for each buffer allocation once read.
//              Tile t's reduce waits for tile t−2's output to have left the buffers, so at most two
//              tiles' results are in them (make_plan checks that they fit).
//   frees      one Free per load after the pass's last compute
// The layer's last free also waits for every output op: it is the layer's gate, the one op the next
// layer's first ops depend on. Weights kept in the arrays (LayerIo::weights, residency.hpp) are never
// freed and never displaced by a later load; a layer whose weights are resident loads nothing. The
// gate of such a layer is its outputs, frees and last compute together. Layers therefore run one after another; within a layer, streams,
// computes and outputs of consecutive tiles overlap, and with half_capacity the next pass's weights
// load during this pass.
//
// A non-MAC layer runs on the vector unit at L2, in chunks of four bursts of input: Move DRAM →
// global buffer, Vector (global buffer → global buffer), Free of the input, Move of the result to
// DRAM, Free of the result. At most `lanes` chunks are in the global buffer at once (chunk i waits for
// chunk i − lanes to have left it), enough to hide DRAM's latency behind the others' transfers.
#include <cstdint>
#include <string>
#include <vector>

#include "hardware/hardware.hpp"
#include "mapping/layer_io.hpp"
#include "mapping/mapping.hpp"
#include "program/program.hpp"
#include "workloads/layer.hpp"

namespace cimnet {

// The ops one layer added: ids first .. end-1, the ops the next layer must wait for, and the ops whose
// allocations hold the layer's output in the global buffer when it stays there (LayerIo::keep_output,
// VectorIo::store = false): whoever reads it last frees them.
struct LayerOps {
  int first = 0;
  int end = 0;
  std::vector<int> done;
  std::vector<int> kept;
  std::vector<int> last_loads;  // a MAC layer's last pass's weight loads (every slice); empty if none
};

// Vector-layer chunking shared with the cost model.
struct VectorChunks {
  std::int64_t count = 0;    // chunks
  std::int64_t lanes = 0;    // arrays used round-robin (concurrent chunks)
  std::int64_t in_bytes = 0, out_bytes = 0, ops = 0;  // totals
  // The global buffer its chunks in flight take at most: `lanes` chunks' input and output.
  std::int64_t in_flight_bytes() const {
    return lanes * ((in_bytes + count - 1) / count + (out_bytes + count - 1) / count);
  }
  // Chunk i's share of `total`: even shares, the remainder one each on the first chunks, so that the
  // shares sum to the total (the program and the estimate's schedule split alike).
  std::int64_t share(std::int64_t total, std::int64_t i) const { return total / count + (i < total % count ? 1 : 0); }
};
VectorChunks vector_chunks(const Layer& layer, const HardwareConfig& hw);

// Weight slices of one pass in flight at once (the loads of slice j wait for slice j − window): enough
// for the slices' time on the DRAM to cover the DRAM → array latency.
std::int64_t load_window(const Plan& plan, std::int64_t groups_in_pass, const HardwareConfig& hw);

class ProgramBuilder {
 public:
  ProgramBuilder(const HardwareConfig& hw, Program& program);

  // `io` (layer_io.hpp): where the input comes from and what the output path does; the default is
  // layer-by-layer (DRAM in, DRAM out).
  LayerOps add_mac_layer(const Plan& plan, const std::string& name, const std::vector<int>& gate,
                         const LayerIo& io = LayerIo{});
  LayerOps add_vector_layer(const Layer& layer, const std::vector<int>& gate, const VectorIo& io = VectorIo{});
  // Programs a resident layer's weights (kept for good: LayerIo::weights) ahead of a program that
  // starts warm (network_program.hpp): its tile onto each of its arrays, one load per array set as
  // its first inference's loads cover them, and nothing else. Returns the loads.
  std::vector<int> add_resident_weights(const Plan& plan, const std::string& name);

 private:
  struct Resident {
    int load = -1;
    std::int64_t bytes = 0;
    int free = -1;
  };
  // Deps a load of `bytes` onto `arrays` needs: the frees of the oldest resident loads that must go.
  void make_room(const std::vector<int>& arrays, std::int64_t bytes, std::vector<int>& deps);
  void note_load(int load, const std::vector<int>& arrays, std::int64_t bytes, bool pinned);
  void note_free(int load, int free_op);
  // The output of one tile with an R split: reduce, requantise on the vector unit, store to DRAM, with
  // the buffer space freed as it is read; returns the op after which the output has left the buffers.
  int add_reduced_output(const Plan& plan, const Plan::Slice& slice, const std::vector<int>& arrays,
                         std::int64_t units, int compute, const std::string& tile);
  // The output of one piece into the global buffer (LayerIo::output_to_gb) and its post-ops; returns
  // the op after which its intermediates have left the buffer. Adds a kept result to `kept`.
  int add_fused_output(const Plan& plan, const LayerIo& io, const Plan::Slice& slice, const std::vector<int>& arrays,
                       std::int64_t units, int compute, const std::string& tile, std::vector<int>& kept);

  const HardwareConfig& hw_;
  Program& program_;
  // Per array, oldest first. A vector, not a deque: an empty std::deque allocates ~600 bytes, which
  // per array was most of the builder's memory on large configurations; the queues hold a few loads.
  std::vector<std::vector<Resident>> resident_;
  std::vector<std::size_t> resident_head_;    // per array: its oldest entry still resident (those before left)
  std::vector<std::int64_t> resident_bytes_;  // per array: its resident_ entries and its kept (unlisted) weights
  std::vector<int> released_;  // per reduced tile output: the free after it has left the buffers
  std::vector<int> staged_frees_;  // the frees of the current pass's staged input copies (so far)
  std::int64_t piece_values_ = 0, piece_all_ = 0;  // output values of the layer's pieces so far, and of all
};

}  // namespace cimnet
