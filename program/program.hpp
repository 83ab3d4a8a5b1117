#pragma once
// The program the controller of the timed CiM model runs: a list of operations with a dependency
// graph. Plain C++ data with no SystemC types, so that the mapper can build it without SystemC.
//
// Arrays are numbered globally: array id = l1_index * MA_num_child + index under its L1 decoder.
// Sizes are bytes; MAC counts are per array. Timing semantics of each kind: docs/model.md.
//
// Where data lives (`Place`): DRAM off chip; the global buffer at the L2 decoder; the buffer of each
// L1 decoder; an array's weight cells (written and read through its port); an array's input buffer.
// The on-chip buffers and the weight cells have capacities, and an op that writes into one of them
// allocates space there from its start until a Free of that op completes: validate() rejects any
// program that could overflow one of them in some order its dependencies allow. Input buffers are
// managed by the controller at run time instead (a stream waits for room; its space is released when
// the ops that depend on it have completed), which gives double buffering with two half-size tiles.
#include <cstdint>
#include <string>
#include <vector>

#include "hardware/hardware.hpp"

namespace cimnet {

enum class OpKind {
  LoadWeights,  // `source` (DRAM or the global buffer) → each of `arrays` through its port; allocates
                // `bytes` of MA_mem_size in each array
  StreamInput,  // `source` (DRAM, the global buffer or L1 buffer `l1`) → the input buffer of each of
                // `arrays` (not the array port), `bytes` each
  Compute,      // on each of `arrays`: `macs` MACs reading `bytes` operand bytes through the array port
  Reduce,       // each of `arrays` sends `bytes` of partial sums to the reduction unit at `reduce_at`
                // (its L1 decoder, or L2), which accumulates them into its decoder's buffer: the
                // result, `bytes_out`, is allocated there; with `forward_to_gb` (at L1) see below
  Vector,       // the vector unit at L2 reads `bytes` from the global buffer, performs `vector_ops`
                // element operations and writes `bytes_out` into the global buffer (allocated)
  WriteBack,    // each of `arrays` sends `bytes` through its port up to `dest` (DRAM or the global
                // buffer, where bytes × arrays are allocated)
  Move,         // `bytes` from `source` to `dest` (DRAM, the global buffer, L1 buffer `l1`, or buffer
                // `digital_buffer` of digital core `digital`); into a buffer it allocates
  Free,         // releases what the ops `frees` allocated (weights, buffer space); takes no time
  DigitalCompute,  // on digital core `digital` (HardwareConfig::digital_cores): `macs` MACs in `steps`
                   // steps of its PE grid, from operands in its weight and input buffers, into its
                   // output buffer, where `bytes_out` (≥ 0: 0 when accumulating onto a tile already
                   // there) are allocated
};
const char* to_string(OpKind kind);

// Where a Reduce accumulates: the reduction unit of an L1 decoder (all sources under it) or of L2.
enum class ReduceLevel { L1, L2 };

// Where data is read from or written to by LoadWeights, StreamInput, WriteBack and Move.
enum class Place { Dram, GlobalBuffer, L1Buffer, DigitalBuffer };
const char* to_string(Place place);

// The local buffers of a digital core (hardware/digital_core.hpp): a Move fills any of them from DRAM or
// the global buffer; only the output buffer is read back out (results, or partial sums that spill).
enum class DigitalBuffer { Weights, Inputs, Outputs };
const char* to_string(DigitalBuffer buffer);

struct Op {
  OpKind kind = OpKind::Compute;
  std::string name;               // label for traces and errors; may be empty
  std::vector<int> deps;          // ids (indices into Program::ops) that must complete first
  std::vector<int> arrays;        // destinations (load, stream) or sources (compute, reduce, write-back)
  bool multicast = true;          // load/stream: one transfer multicast to all `arrays` (parent links paid once)
  std::int64_t bytes = 0;         // per array; see OpKind
  std::int64_t macs = 0;          // Compute: MACs per array
  std::int64_t vector_ops = 0;    // Vector: element operations
  std::int64_t bytes_out = 0;     // Reduce, Vector: bytes of the result in the buffer
  ReduceLevel reduce_at = ReduceLevel::L2;
  Place source = Place::Dram;     // LoadWeights, StreamInput, Move
  Place dest = Place::Dram;       // WriteBack, Move
  int l1 = -1;                    // the L1 decoder whose buffer a source or dest L1Buffer names
  int digital = -1;               // DigitalCompute, and a Move to or from a DigitalBuffer: the digital core
  DigitalBuffer digital_buffer = DigitalBuffer::Inputs;  // that Move's buffer of the core
  std::int64_t steps = 0;         // DigitalCompute: cycles of the PE grid (one MAC per PE per step at most,
                                  // each step the core's step_cycles long)
  // Free: ids of the ops whose allocations it releases (one or more, each freed by no other Free). One
  // Free for several allocations released at the same point: a fused piece's partial sums in the eight
  // L1 buffers leave with one Free, not eight (a 7B decode step: 314 k frees of 652 k ops before).
  std::vector<int> frees;
  // Reduce at L1, forwarding: its arrays may be under several L1 decoders; each decoder's reduction unit
  // accumulates its own arrays' partial sums into its buffer (`bytes_out` there), and once that
  // reduction ends the result moves on up into the global buffer, timed as a Move of `bytes_out` from
  // that buffer issued then (and ranked at the hops as that Move). The op ends when every result is in
  // the global buffer; its buffers hold them until its Free. One op where a piece of a layer's outputs
  // had, per decoder, a reduce and a Move.
  bool forward_to_gb = false;
  // LoadWeights: its rank among loads that become ready in the same cycle — the DRAM serves loads as a
  // queue, by ready cycle then order (docs/model.md, "The links' service rule"); a pass's weight
  // slices carry their index. Not op numbering: two loads of equal ready and order take turns.
  int order = 0;
  // LoadWeights issued ahead of its layer (cross-layer prefetch, mapping/network_mapper.hpp): the
  // links and the DRAM serve it after every other class, so it takes only time nobody else wants.
  bool prefetch = false;
};

// True when op `op` allocates space that a Free must release: weights, or bytes written into a buffer.
bool allocates(const Op& op);

// The L1 decoders a reduce's arrays are under (`per_l1` arrays each), in increasing order.
std::vector<int> reduce_decoders(const Op& op, std::int64_t per_l1);

struct Program {
  std::vector<Op> ops;

  // Builders returning the new op's id (convenience for tests and the mapper). Sources and
  // destinations default to DRAM; set the returned op's fields for the others (or use add()).
  int load(std::vector<int> arrays, std::int64_t bytes, std::vector<int> deps = {}, bool multicast = true,
           std::string name = "");
  int stream(std::vector<int> arrays, std::int64_t bytes, std::vector<int> deps = {}, bool multicast = true,
             std::string name = "");
  int compute(std::vector<int> arrays, std::int64_t macs, std::int64_t operand_bytes, std::vector<int> deps = {},
              std::string name = "");
  int reduce(std::vector<int> arrays, std::int64_t bytes, ReduceLevel at, std::int64_t bytes_out,
             std::vector<int> deps = {}, std::string name = "");
  int vector(std::int64_t bytes_in, std::int64_t vector_ops, std::int64_t bytes_out, std::vector<int> deps = {},
             std::string name = "");
  int write_back(std::vector<int> arrays, std::int64_t bytes, std::vector<int> deps = {}, std::string name = "");
  int move(Place source, Place dest, std::int64_t bytes, std::vector<int> deps = {}, std::string name = "",
           int l1 = -1);
  int free(int op, std::vector<int> deps = {}, std::string name = "");
  int free(std::vector<int> ops, std::vector<int> deps, std::string name = "");
  // Digital cores: a tile into one of a core's buffers, the grid's work, a tile out of its output buffer.
  int digital_load(int core, DigitalBuffer buffer, Place source, std::int64_t bytes, std::vector<int> deps = {},
                   std::string name = "");
  int digital_compute(int core, std::int64_t macs, std::int64_t steps, std::int64_t bytes_out,
                      std::vector<int> deps = {}, std::string name = "");
  int digital_store(int core, Place dest, std::int64_t bytes, std::vector<int> deps = {}, std::string name = "");
  int add(Op op);
};

// "op 3 (load 'w0')" for error messages.
std::string describe(const Program& program, int id);

// Throws InputError for: an empty program; an unusable hardware configuration (zero bandwidth, ...);
// an op addressing a missing array or no array; zero sizes or MAC counts where an op needs them; a
// place an op cannot read or write (a Move from a place to itself, a load from an L1 buffer, ...); a
// stream larger than an array's input buffer; a stream from an L1 buffer to arrays under another L1
// decoder; a reduce at L1 whose sources span L1 decoders without forwarding its results; a dependency
// on a missing op or a dependency cycle; a Free that frees no op, an op that allocates nothing, an op
// freed twice (by it or by another Free), or an op it does not follow; and an overflow of an array's
// MA_mem_size, the global buffer or an L1 buffer in some order the dependencies allow (an allocation
// counts against its place from its op's start until a Free of it that is ordered before the later
// allocation).
void validate(const Program& program, const HardwareConfig& hardware);

namespace detail {
// validate() with blocks of at most `max_block_words` · 64 allocation/free targets (0: its own
// choice), so that tests can exercise the multi-block path of the capacity check on small programs, and
// with the quick capacity bound only for the memories (fewest allocations first) whose two pair bitmaps
// (2 · allocations² bits each) fit in `max_pair_bits` in all (0: its own choice, 2^35 bits = 4 GiB);
// the others go straight to the exact peak, whose memory is linear in the program (a 7B language
// model's decode step has memories of tens of thousands of allocations).
// `capacities` (one per memory, memories.hpp numbering), when given, replace the memories' own in the
// check over time (not in the per-op check that one allocation fits its memory): what a program may
// use beside bytes held throughout it (program/segment_validation.hpp).
void validate(const Program& program, const HardwareConfig& hardware, std::size_t max_block_words,
              std::size_t max_pair_bits = 0, const std::vector<std::int64_t>* capacities = nullptr);
}  // namespace detail

// A topological order of the ops (InputError naming a cycle when there is none).
std::vector<int> topological_order(const Program& program);

}  // namespace cimnet
