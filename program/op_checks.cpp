#include "program/op_checks.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "common/text.hpp"

namespace cimnet {

void check_op(const Program& program, std::size_t i, const HardwareConfig& hardware, const Memories& mem) {
  const std::size_t n = program.ops.size();
  const Op& op = program.ops[i];
  const std::string who = describe(program, static_cast<int>(i));
  const std::string shape = " (this hardware has " + std::to_string(mem.arrays) + " arrays: " +
                            std::to_string(mem.l1s) + " L1 decoders x " + std::to_string(mem.per_l1) +
                            " arrays, ids 0.." + std::to_string(mem.arrays - 1) + ")";
  const bool needs_arrays = op.kind == OpKind::LoadWeights || op.kind == OpKind::StreamInput ||
                            op.kind == OpKind::Compute || op.kind == OpKind::Reduce || op.kind == OpKind::WriteBack;
  if (needs_arrays && op.arrays.empty()) throw InputError(who + ": names no array");
  if (!needs_arrays && !op.arrays.empty()) {
    const char* why = op.kind == OpKind::Free     ? " (it names the op it frees)"
                      : op.kind == OpKind::Vector ? " (it reads and writes the global buffer)"
                      : op.kind == OpKind::DigitalCompute ? " (it runs on a digital core)"
                                                  : " (it names its source and destination places)";
    throw InputError(who + ": a " + to_string(op.kind) + " names no arrays" + why);
  }
  std::vector<int> sorted = op.arrays;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t k = 0; k < sorted.size(); ++k) {
    if (sorted[k] < 0 || sorted[k] >= mem.arrays) {
      throw InputError(who + ": array " + std::to_string(sorted[k]) + " does not exist" + shape);
    }
    if (k && sorted[k] == sorted[k - 1]) throw InputError(who + ": array " + std::to_string(sorted[k]) + " is listed twice");
  }
  auto positive = [&](std::int64_t v, const char* what) {
    if (v <= 0) throw InputError(who + ": " + what + " must be positive, got " + std::to_string(v));
  };
  auto l1_named = [&]() {
    if (op.l1 < 0 || op.l1 >= mem.l1s) {
      throw InputError(who + ": L1 buffer " + std::to_string(op.l1) + " does not exist (L1 decoders 0.." +
                       std::to_string(mem.l1s - 1) + ")");
    }
  };
  auto place_allowed = [&](Place p, std::initializer_list<Place> allowed, const char* role) {
    for (Place a : allowed) {
      if (p == a) return;
    }
    std::vector<std::string> names;
    for (Place a : allowed) names.push_back(to_string(a));
    throw InputError(who + ": a " + to_string(op.kind) + " cannot have " + to_string(p) + " as its " + role +
                     "; allowed: " + join(names, ", "));
  };
  const auto cores = static_cast<int>(mem.digital.size());
  auto digital_named = [&]() {
    if (op.digital < 0 || op.digital >= cores) {
      throw InputError(who + ": digital core " + std::to_string(op.digital) + " does not exist (this hardware has " +
                       (cores ? "digital cores 0.." + std::to_string(cores - 1) : std::string("none")) + ")");
    }
  };
  const bool touches_digital = op.source == Place::DigitalBuffer || op.dest == Place::DigitalBuffer;
  if (touches_digital && op.kind != OpKind::Move) {
    throw InputError(who + ": only a move reaches a digital core's buffers (a " + to_string(op.kind) + " cannot)");
  }
  if (op.order < 0 || (op.order != 0 && op.kind != OpKind::LoadWeights)) {
    throw InputError(who + ": order " + std::to_string(op.order) +
                     " (a service rank ≥ 0, and only a load of weights may have one other than 0)");
  }
  switch (op.kind) {
    case OpKind::LoadWeights:
      positive(op.bytes, "bytes");
      place_allowed(op.source, {Place::Dram, Place::GlobalBuffer}, "source");
      break;
    case OpKind::StreamInput:
      positive(op.bytes, "bytes");
      place_allowed(op.source, {Place::Dram, Place::GlobalBuffer, Place::L1Buffer}, "source");
      if (op.source == Place::L1Buffer) {
        l1_named();
        for (int a : sorted) {
          if (a / mem.per_l1 != op.l1) {
            throw InputError(who + ": streams from the buffer of L1 decoder " + std::to_string(op.l1) + " to array " +
                             std::to_string(a) + ", which is under L1 decoder " + std::to_string(a / mem.per_l1));
          }
        }
      }
      if (op.bytes > hardware.fixed.input_buffer_bytes) {
        throw InputError(who + ": streams " + std::to_string(op.bytes) + " bytes into an input buffer of " +
                         std::to_string(hardware.fixed.input_buffer_bytes) +
                         " bytes (input_buffer_bytes); split it into smaller tiles");
      }
      break;
    case OpKind::Compute:
      positive(op.macs, "macs");
      if (op.bytes < 0) throw InputError(who + ": operand bytes must not be negative");
      break;
    case OpKind::Reduce:
      positive(op.bytes, "bytes");
      positive(op.bytes_out, "bytes_out (the result kept in the decoder's buffer)");
      if (op.forward_to_gb && op.reduce_at != ReduceLevel::L1) {
        throw InputError(who + ": forward_to_gb is for a reduce at L1 (a reduce at L2 leaves its result in the "
                               "global buffer already)");
      }
      if (op.reduce_at == ReduceLevel::L1 && !op.forward_to_gb) {
        for (int a : sorted) {
          if (a / mem.per_l1 != sorted.front() / mem.per_l1) {
            throw InputError(who + ": a reduce at L1 needs all its arrays under one L1 decoder, but arrays " +
                             std::to_string(sorted.front()) + " and " + std::to_string(a) + " are under different ones");
          }
        }
      }
      break;
    case OpKind::Vector:
      positive(op.bytes, "bytes (input read from the global buffer)");
      positive(op.vector_ops, "vector_ops");
      positive(op.bytes_out, "bytes_out (written into the global buffer)");
      break;
    case OpKind::WriteBack:
      positive(op.bytes, "bytes");
      place_allowed(op.dest, {Place::Dram, Place::GlobalBuffer}, "destination");
      break;
    case OpKind::Move:
      positive(op.bytes, "bytes");
      if (op.source == op.dest && op.source != Place::L1Buffer) {
        throw InputError(who + ": moves from " + to_string(op.source) + " to itself");
      }
      if (op.source == Place::L1Buffer || op.dest == Place::L1Buffer) l1_named();
      if (op.source == Place::L1Buffer && op.dest == Place::L1Buffer) {
        throw InputError(who + ": a move names one L1 buffer (l1); from one L1 buffer to another is two moves "
                               "through the global buffer");
      }
      if (touches_digital) {
        digital_named();
        const Place other = op.source == Place::DigitalBuffer ? op.dest : op.source;
        if (other != Place::Dram && other != Place::GlobalBuffer) {
          throw InputError(who + ": a digital core's buffers exchange data with DRAM or the global buffer only, not " +
                           to_string(other));
        }
        if (op.source == Place::DigitalBuffer && op.digital_buffer != DigitalBuffer::Outputs) {
          throw InputError(who + ": moves out of the " + to_string(op.digital_buffer) + " buffer of digital core '" +
                           mem.digital[static_cast<std::size_t>(op.digital)].name +
                           "'; only its output buffer is read out");
        }
      }
      break;
    case OpKind::DigitalCompute: {
      digital_named();
      positive(op.macs, "macs");
      positive(op.steps, "steps");
      if (op.bytes_out < 0) throw InputError(who + ": bytes_out must not be negative");
      const DigitalCore& core = mem.digital[static_cast<std::size_t>(op.digital)];
      // One MAC per PE per step at most: a count above that is not a schedule of this grid.
      if (op.macs / core.pes() + (op.macs % core.pes() ? 1 : 0) > op.steps) {
        throw InputError(who + ": " + std::to_string(op.macs) + " MACs in " + std::to_string(op.steps) +
                         " steps exceed the " + std::to_string(core.pes()) + " PEs of digital core '" + core.name + "'");
      }
      break;
    }
    case OpKind::Free: {
      if (op.frees.empty()) throw InputError(who + ": frees no op (a free names the ops whose allocations it releases)");
      for (int f : op.frees) {  // one op named twice: validate() says so, with the rest of the frees' checks
        if (f < 0 || static_cast<std::size_t>(f) >= n) {
          throw InputError(who + ": frees op " + std::to_string(f) + ", which does not exist (the program has " +
                           std::to_string(n) + " ops)");
        }
        if (!allocates(program.ops[static_cast<std::size_t>(f)])) {
          throw InputError(who + ": frees " + describe(program, f) +
                           ", which allocates nothing (a load, a reduce, a vector op, or a write-back or move into a "
                           "buffer)");
        }
      }
      break;
    }
  }
  for (const auto& al : allocations_of(op, mem)) {
    if (al.bytes > mem.capacity(al.memory)) {
      throw InputError(who + ": allocates " + std::to_string(al.bytes) + " bytes in " + mem.name(al.memory) +
                       " (capacity overflow)");
    }
  }
}

}  // namespace cimnet
