#pragma once
// TLM-2.0 generic-payload extensions and time conversions shared by the modules.
//
// One SystemC nanosecond is one clock cycle of the model: cycles stay exact integers and clock_ghz
// only converts cycles to seconds in reports.
#include <cstdint>
#include <vector>

#include <systemc>
#include <tlm>

namespace cimnet::model {

// Levels of the hierarchy. The link owned by level i connects it to level i + 1 (DRAM interface,
// L2 decoder -> L1 decoders, L1 decoder -> its arrays); the array port is inside level 3.
enum Level : int { kDram = 0, kL2 = 1, kL1 = 2, kArray = 3 };

inline std::int64_t now_cycles() { return static_cast<std::int64_t>(sc_core::sc_time_stamp().value() / 1000); }
inline std::int64_t to_cycles(const sc_core::sc_time& t) { return static_cast<std::int64_t>(t.value() / 1000); }
inline sc_core::sc_time cycles(std::int64_t c) {
  return sc_core::sc_time::from_value(static_cast<sc_core::sc_time::value_type>(c) * 1000);
}

// A burst of a data flow. Down flows (DRAM towards arrays) are reserved link by link as the call goes
// down; up flows (arrays towards DRAM or a decoder) travel down as a request that costs nothing and are
// reserved link by link as the call returns, starting at their source. A flow uses the link of level i
// iff top <= i < bottom, and the array port iff bottom == kArray && port.
//
// Timing travels with the payload: the b_transport delay is the head time (first data available) on
// the way in and the completion time on the way out; `tail` is the absolute cycle the last data is
// available at the next resource.
struct FlowExt : tlm::tlm_extension<FlowExt> {
  bool up = false;
  int top = kDram;
  int bottom = kArray;
  bool port = true;                          // through the array port (weights, operands, psums) or into the input buffer
  bool reduce = false;                       // up flow ending in the reduction unit of decoder `top`
  const std::vector<int>* targets = nullptr;  // down multicast set (array ids, sorted); null: the address alone
  int op = -1;
  std::int64_t head = 0;        // up flows on return: absolute cycle the first data reaches the next resource
  std::int64_t tail = 0;        // absolute cycle the last data reaches the next resource
  std::int64_t done = 0;        // absolute cycle the burst completed (latest destination)
  std::int64_t next_issue = -1;  // cycle the source may present its next burst (its first resource is free)

  bool uses_link(int level) const { return top <= level && level < bottom; }

  tlm::tlm_extension_base* clone() const override { return new FlowExt(*this); }
  void copy_from(const tlm::tlm_extension_base& other) override { *this = static_cast<const FlowExt&>(other); }
};

// A compute command for one array's core: `macs` MACs reading `operand_bytes` from the array.
struct ComputeCmdExt : tlm::tlm_extension<ComputeCmdExt> {
  std::int64_t macs = 0;
  std::int64_t operand_bytes = 0;
  int op = -1;
  tlm::tlm_extension_base* clone() const override { return new ComputeCmdExt(*this); }
  void copy_from(const tlm::tlm_extension_base& other) override {
    *this = static_cast<const ComputeCmdExt&>(other);
  }
};

// A vector-unit command for the L2 decoder: `ops` element operations on data already in its buffer.
struct VectorCmdExt : tlm::tlm_extension<VectorCmdExt> {
  std::int64_t ops = 0;
  int op = -1;
  tlm::tlm_extension_base* clone() const override { return new VectorCmdExt(*this); }
  void copy_from(const tlm::tlm_extension_base& other) override { *this = static_cast<const VectorCmdExt&>(other); }
};

}  // namespace cimnet::model
