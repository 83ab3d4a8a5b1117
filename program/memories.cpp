#include "program/memories.hpp"

namespace cimnet {

Memories::Memories(const HardwareConfig& hw)
    : arrays(hw.total_arrays()),
      per_l1(hw.get(HwParam::MA_num_child)),
      l1s(hw.l1_decoders()),
      array_bytes(hw.get(HwParam::MA_mem_size)),
      gb_bytes(hw.fixed.gb_bytes),
      l1_bytes(hw.fixed.l1_buffer_bytes) {}

std::int64_t Memories::capacity(std::size_t m) const {
  if (is_array(m)) return array_bytes;
  return m == global_buffer() ? gb_bytes : l1_bytes;
}

std::string Memories::name(std::size_t m) const {
  if (is_array(m)) return "array " + std::to_string(m) + " (MA_mem_size " + std::to_string(array_bytes) + ")";
  if (m == global_buffer()) return "the global buffer (gb_bytes " + std::to_string(gb_bytes) + ")";
  return "the buffer of L1 decoder " + std::to_string(m - global_buffer() - 1) + " (l1_buffer_bytes " +
         std::to_string(l1_bytes) + ")";
}

std::string Memories::short_name(std::size_t m) const {
  if (is_array(m)) return "ma[" + std::to_string(m) + "]";
  if (m == global_buffer()) return "gb";
  return "l1[" + std::to_string(m - global_buffer() - 1) + "].buf";
}

std::vector<Allocation> allocations_of(const Op& op, const Memories& mem) {
  std::vector<Allocation> out;
  switch (op.kind) {
    case OpKind::LoadWeights:
      for (int a : op.arrays) out.push_back({static_cast<std::size_t>(a), op.bytes});
      break;
    case OpKind::Reduce:
      out.push_back({op.reduce_at == ReduceLevel::L2 ? mem.global_buffer() : mem.l1_buffer(op.arrays.front() / mem.per_l1),
                     op.bytes_out});
      break;
    case OpKind::Vector:
      out.push_back({mem.global_buffer(), op.bytes_out});
      break;
    case OpKind::WriteBack:
      if (op.dest == Place::GlobalBuffer) {
        out.push_back({mem.global_buffer(), op.bytes * static_cast<std::int64_t>(op.arrays.size())});
      }
      break;
    case OpKind::Move:
      if (op.dest == Place::GlobalBuffer) out.push_back({mem.global_buffer(), op.bytes});
      if (op.dest == Place::L1Buffer) out.push_back({mem.l1_buffer(op.l1), op.bytes});
      break;
    default:
      break;
  }
  return out;
}

}  // namespace cimnet
