#include "program/memories.hpp"

namespace cimnet {

Memories::Memories(const HardwareConfig& hw)
    : arrays(hw.total_arrays()),
      per_l1(hw.get(HwParam::MA_num_child)),
      l1s(hw.l1_decoders()),
      array_bytes(hw.get(HwParam::MA_mem_size)),
      gb_bytes(hw.fixed.gb_bytes),
      l1_bytes(hw.fixed.l1_buffer_bytes),
      digital(hw.digital_cores) {}

namespace {

// The digital core and buffer of memory `m` (precondition: Memories::is_digital(m)).
std::pair<const DigitalCore*, DigitalBuffer> digital_of(const Memories& mem, std::size_t m) {
  const std::size_t k = m - static_cast<std::size_t>(mem.arrays + 1 + mem.l1s);
  return {&mem.digital[k / 3], static_cast<DigitalBuffer>(k % 3)};
}

std::int64_t digital_capacity(const DigitalCore& core, DigitalBuffer b) {
  switch (b) {
    case DigitalBuffer::Weights: return core.weight_buffer_bytes;
    case DigitalBuffer::Inputs: return core.input_buffer_bytes;
    case DigitalBuffer::Outputs: return core.output_buffer_bytes;
  }
  return 0;
}

}  // namespace

std::int64_t Memories::capacity(std::size_t m) const {
  if (is_array(m)) return array_bytes;
  if (is_digital(m)) {
    const auto [core, b] = digital_of(*this, m);
    return digital_capacity(*core, b);
  }
  return m == global_buffer() ? gb_bytes : l1_bytes;
}

std::string Memories::name(std::size_t m) const {
  if (is_array(m)) return "array " + std::to_string(m) + " (MA_mem_size " + std::to_string(array_bytes) + ")";
  if (m == global_buffer()) return "the global buffer (gb_bytes " + std::to_string(gb_bytes) + ")";
  if (is_digital(m)) {
    const auto [core, b] = digital_of(*this, m);
    return std::string("the ") + to_string(b) + " buffer of digital core '" + core->name + "' (" + to_string(b) +
           "_buffer_bytes " + std::to_string(digital_capacity(*core, b)) + ")";
  }
  return "the buffer of L1 decoder " + std::to_string(m - global_buffer() - 1) + " (l1_buffer_bytes " +
         std::to_string(l1_bytes) + ")";
}

std::string Memories::short_name(std::size_t m) const {
  if (is_array(m)) return "ma[" + std::to_string(m) + "]";
  if (m == global_buffer()) return "gb";
  if (is_digital(m)) {
    const auto [core, b] = digital_of(*this, m);
    return core->name + "." + std::string(1, to_string(b)[0]) + "buf";
  }
  return "l1[" + std::to_string(m - global_buffer() - 1) + "].buf";
}

std::vector<Allocation> allocations_of(const Op& op, const Memories& mem) {
  std::vector<Allocation> out;
  switch (op.kind) {
    case OpKind::LoadWeights:
      for (int a : op.arrays) out.push_back({static_cast<std::size_t>(a), op.bytes});
      break;
    case OpKind::Reduce:
      if (op.forward_to_gb) {
        // bytes_out in the buffer of each decoder it reduces under, and each of those results again in
        // the global buffer.
        const std::vector<int> l1s = reduce_decoders(op, mem.per_l1);
        for (int l1 : l1s) out.push_back({mem.l1_buffer(l1), op.bytes_out});
        out.push_back({mem.global_buffer(), op.bytes_out * static_cast<std::int64_t>(l1s.size())});
        break;
      }
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
      if (op.dest == Place::DigitalBuffer) out.push_back({mem.digital_buffer(op.digital, op.digital_buffer), op.bytes});
      break;
    case OpKind::DigitalCompute:
      if (op.bytes_out > 0) out.push_back({mem.digital_buffer(op.digital, DigitalBuffer::Outputs), op.bytes_out});
      break;
    default:
      break;
  }
  return out;
}

}  // namespace cimnet
