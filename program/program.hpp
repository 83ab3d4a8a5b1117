#pragma once
// The program the controller of the timed CiM model runs: a list of operations with a dependency
// graph. Plain C++ data with no SystemC types, so that the mapper can build it without SystemC.
//
// Arrays are numbered globally: array id = l1_index * MA_num_child + index under its L1 decoder.
// Sizes are bytes; MAC counts are per array. Timing semantics of each kind: docs/model.md.
#include <cstdint>
#include <string>
#include <vector>

#include "hardware/hardware.hpp"

namespace cimnet {

enum class OpKind {
  LoadWeights,  // DRAM → L2 → L1 → array port, `bytes` into each of `arrays`; occupies MA_mem_size
  StreamInput,  // DRAM → L2 → L1 → input buffer of each of `arrays`, `bytes` each (not the array port)
  Compute,      // on each of `arrays`: `macs` MACs reading `bytes` operand bytes from the array
  Reduce,       // each of `arrays` sends `bytes` of partial sums up to the reduction unit at `reduce_at`
  Vector,       // vector unit at L2: `bytes` in from each of `arrays` (none: already at L2),
                // `vector_ops` element operations, `bytes_out` written to DRAM
  WriteBack,    // each of `arrays` sends `bytes` up to DRAM
  FreeWeights,  // releases the array capacity taken by LoadWeights op `frees` (takes no time)
};
const char* to_string(OpKind kind);

// Where a Reduce accumulates: the reduction unit of an L1 decoder (all sources under it) or of L2.
enum class ReduceLevel { L1, L2 };

struct Op {
  OpKind kind = OpKind::Compute;
  std::string name;               // label for traces and errors; may be empty
  std::vector<int> deps;          // ids (indices into Program::ops) that must complete first
  std::vector<int> arrays;        // destinations (load, stream) or sources (compute, reduce, vector, write-back)
  bool multicast = true;          // load/stream: one transfer multicast to all `arrays` (parent links paid once)
  std::int64_t bytes = 0;         // per array; see OpKind
  std::int64_t macs = 0;          // Compute: MACs per array
  std::int64_t vector_ops = 0;    // Vector: element operations
  std::int64_t bytes_out = 0;     // Vector: bytes written to DRAM
  ReduceLevel reduce_at = ReduceLevel::L2;
  int frees = -1;                 // FreeWeights: id of the LoadWeights op it releases
};

struct Program {
  std::vector<Op> ops;

  // Builders returning the new op's id (convenience for tests and the mapper).
  int load(std::vector<int> arrays, std::int64_t bytes, std::vector<int> deps = {}, bool multicast = true,
           std::string name = "");
  int stream(std::vector<int> arrays, std::int64_t bytes, std::vector<int> deps = {}, bool multicast = true,
             std::string name = "");
  int compute(std::vector<int> arrays, std::int64_t macs, std::int64_t operand_bytes, std::vector<int> deps = {},
              std::string name = "");
  int reduce(std::vector<int> arrays, std::int64_t bytes, ReduceLevel at, std::vector<int> deps = {},
             std::string name = "");
  int vector(std::vector<int> arrays, std::int64_t bytes_in, std::int64_t vector_ops, std::int64_t bytes_out,
             std::vector<int> deps = {}, std::string name = "");
  int write_back(std::vector<int> arrays, std::int64_t bytes, std::vector<int> deps = {}, std::string name = "");
  int free_weights(int load_op, std::vector<int> deps = {}, std::string name = "");
  int add(Op op);
};

// "op 3 (load 'w0')" for error messages.
std::string describe(const Program& program, int id);

// Throws InputError for: an empty program; an unusable hardware configuration (zero bandwidth, ...);
// an op addressing a missing array or no array; zero sizes or MAC counts where an op needs them; a
// stream larger than an array's input buffer; a reduce at L1 whose sources span L1 decoders; a
// dependency on a missing op or a dependency cycle; a FreeWeights that does not follow its load; and
// weights that could overflow an array's MA_mem_size in some order the dependencies allow (a load
// counts against capacity until a FreeWeights of it that is ordered before the later load).
void validate(const Program& program, const HardwareConfig& hardware);

namespace detail {
// validate() with blocks of at most `max_block_words` · 64 load/free targets (0: its own choice), so
// that tests can exercise the multi-block path of the capacity check on small programs.
void validate(const Program& program, const HardwareConfig& hardware, std::size_t max_block_words);
}  // namespace detail

// A topological order of the ops (InputError naming a cycle when there is none).
std::vector<int> topological_order(const Program& program);

}  // namespace cimnet
