#pragma once
// The memories with a capacity and what each op allocates in them: the weight cells of every array
// (MA_mem_size), the global buffer at L2 (gb_bytes), the buffer of every L1 decoder (l1_buffer_bytes)
// and the weight, input and output buffers of every digital core. One numbering for the program's
// validation, which proves no memory overflows, and the timed model, which tracks their occupancy over
// a run: arrays 0 .. A-1, then the global buffer (A), then L1 buffer i (A + 1 + i), then buffer b
// (DigitalBuffer order) of digital core d (A + 1 + L + 3d + b).
#include <cstdint>
#include <string>
#include <vector>

#include "hardware/hardware.hpp"
#include "program/program.hpp"

namespace cimnet {

struct Memories {
  explicit Memories(const HardwareConfig& hw);
  std::int64_t arrays = 0, per_l1 = 0, l1s = 0;
  std::int64_t array_bytes = 0, gb_bytes = 0, l1_bytes = 0;
  std::vector<DigitalCore> digital;  // the hardware's digital cores
  std::size_t count() const { return static_cast<std::size_t>(arrays + 1 + l1s) + 3 * digital.size(); }
  std::size_t global_buffer() const { return static_cast<std::size_t>(arrays); }
  std::size_t l1_buffer(std::int64_t i) const { return static_cast<std::size_t>(arrays + 1 + i); }
  std::size_t digital_buffer(int core, DigitalBuffer b) const {
    return static_cast<std::size_t>(arrays + 1 + l1s + 3 * core + static_cast<int>(b));
  }
  bool is_array(std::size_t m) const { return m < static_cast<std::size_t>(arrays); }
  bool is_digital(std::size_t m) const { return m >= static_cast<std::size_t>(arrays + 1 + l1s); }
  std::int64_t capacity(std::size_t m) const;
  // "array 3 (MA_mem_size 262144)", "the global buffer (gb_bytes 1048576)", ... for messages.
  std::string name(std::size_t m) const;
  // "ma[3]", "gb", "l1[2].buf": the name of its resource in results.
  std::string short_name(std::size_t m) const;
};

struct Allocation {
  std::size_t memory;
  std::int64_t bytes;
};

// Where op `op` allocates (empty when it allocates nothing); program.hpp says what each kind
// allocates. Precondition: the op is valid (validate() checks its fields first).
std::vector<Allocation> allocations_of(const Op& op, const Memories& memories);

}  // namespace cimnet
