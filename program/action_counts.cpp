#include "program/action_counts.hpp"

#include <set>

namespace cimnet {

namespace {

// The L1 decoders `arrays` sit under.
std::int64_t l1_count(const std::vector<int>& arrays, const HardwareConfig& hw) {
  const std::int64_t per = hw.get(HwParam::MA_num_child);
  std::set<std::int64_t> l1s;
  for (int a : arrays) l1s.insert(a / per);
  return static_cast<std::int64_t>(l1s.size());
}

// Bytes from `source` down to `arrays` (b per array): what each level on the way carries.
void down_to_arrays(ActionCounts& c, Place source, const Op& op, const HardwareConfig& hw) {
  const std::int64_t n = static_cast<std::int64_t>(op.arrays.size());
  const std::int64_t b = op.bytes;
  const std::int64_t once = op.multicast ? b : b * n;                          // above the L1 decoders
  const std::int64_t per_l1 = op.multicast ? b * l1_count(op.arrays, hw) : b * n;  // over the L1 links
  switch (source) {
    case Place::Dram:
      c.dram_read_bytes += once;
      c.l2_link_bytes += once;
      c.l1_link_bytes += per_l1;
      break;
    case Place::GlobalBuffer:
      c.gb_read_bytes += once;
      c.l2_link_bytes += once;
      c.l1_link_bytes += per_l1;
      break;
    case Place::L1Buffer:
      c.l1_buffer_read_bytes += per_l1;
      c.l1_link_bytes += per_l1;
      break;
    case Place::DigitalBuffer:  // validate() refuses it: nothing goes from a digital core to the arrays
      break;
  }
}

DigitalActionCounts& digital_of(ActionCounts& c, int core) {
  if (c.digital.size() <= static_cast<std::size_t>(core)) c.digital.resize(static_cast<std::size_t>(core) + 1);
  return c.digital[static_cast<std::size_t>(core)];
}

// `bytes` from one place to another (a Move).
void move(ActionCounts& c, const Op& op) {
  const std::int64_t b = op.bytes;
  if (op.source == Place::DigitalBuffer || op.dest == Place::DigitalBuffer) {
    // A digital core hangs under the L2 decoder: its bytes cross the L2 link and its own.
    DigitalActionCounts& d = digital_of(c, op.digital);
    d.link_bytes += b;
    c.l2_link_bytes += b;
    if (op.dest == Place::DigitalBuffer) {
      d.buffer_write_bytes[static_cast<std::size_t>(op.digital_buffer)] += b;
      (op.source == Place::Dram ? c.dram_read_bytes : c.gb_read_bytes) += b;
    } else {
      d.output_read_bytes += b;
      (op.dest == Place::Dram ? c.dram_write_bytes : c.gb_write_bytes) += b;
    }
    return;
  }
  auto leave = [&](Place p) {
    if (p == Place::Dram) c.dram_read_bytes += b;
    if (p == Place::GlobalBuffer) c.gb_read_bytes += b;
    if (p == Place::L1Buffer) c.l1_buffer_read_bytes += b;
  };
  auto arrive = [&](Place p) {
    if (p == Place::Dram) c.dram_write_bytes += b;
    if (p == Place::GlobalBuffer) c.gb_write_bytes += b;
    if (p == Place::L1Buffer) c.l1_buffer_write_bytes += b;
  };
  leave(op.source);
  arrive(op.dest);
  // An L1 buffer sits beyond the L2 link: a move to or from one crosses it unless both ends are L1s.
  if ((op.source == Place::L1Buffer) != (op.dest == Place::L1Buffer)) c.l2_link_bytes += b;
}

}  // namespace

ActionCounts count_actions(const Op& op, const HardwareConfig& hw) {
  ActionCounts c;
  const std::int64_t n = static_cast<std::int64_t>(op.arrays.size());
  switch (op.kind) {
    case OpKind::LoadWeights:
      down_to_arrays(c, op.source, op, hw);
      c.array_write_bytes += op.bytes * n;
      break;
    case OpKind::StreamInput:
      down_to_arrays(c, op.source, op, hw);
      c.input_buffer_write_bytes += op.bytes * n;
      c.input_buffer_read_bytes += op.bytes * n;
      break;
    case OpKind::Compute:
      c.macs += op.macs * n;
      c.array_read_bytes += op.bytes * n;
      break;
    case OpKind::Reduce:
      c.array_read_bytes += op.bytes * n;
      c.l1_link_bytes += op.bytes * n;
      if (op.reduce_at == ReduceLevel::L2) c.l2_link_bytes += op.bytes * n;
      c.reduce_bytes += op.bytes * n;
      if (!op.forward_to_gb) {
        (op.reduce_at == ReduceLevel::L2 ? c.gb_accumulate_bytes : c.l1_buffer_accumulate_bytes) += op.bytes_out;
        break;
      }
      // Per decoder: its result accumulated into its buffer, then the Move of it up into the global buffer.
      for (std::size_t d = reduce_decoders(op, hw.get(HwParam::MA_num_child)).size(); d > 0; --d) {
        c.l1_buffer_accumulate_bytes += op.bytes_out;
        Op up;
        up.kind = OpKind::Move;
        up.source = Place::L1Buffer;
        up.dest = Place::GlobalBuffer;
        up.bytes = op.bytes_out;
        move(c, up);
      }
      break;
    case OpKind::Vector:
      c.gb_read_bytes += op.bytes;
      c.gb_write_bytes += op.bytes_out;
      c.vector_ops += op.vector_ops;
      break;
    case OpKind::WriteBack:
      c.array_read_bytes += op.bytes * n;
      c.l1_link_bytes += op.bytes * n;
      c.l2_link_bytes += op.bytes * n;
      (op.dest == Place::Dram ? c.dram_write_bytes : c.gb_write_bytes) += op.bytes * n;
      break;
    case OpKind::Move:
      move(c, op);
      break;
    case OpKind::DigitalCompute:
      digital_of(c, op.digital).macs += op.macs;
      break;
    case OpKind::Free:
      break;
  }
  return c;
}

ActionCounts count_actions(const Program& program, const HardwareConfig& hw) {
  ActionCounts total;
  for (const Op& op : program.ops) total += count_actions(op, hw);
  return total;
}

}  // namespace cimnet
