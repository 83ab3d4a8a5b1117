#pragma once
// A memory array: weight storage behind one port (MA_bw bytes per cycle, ma_latency cycles) that
// serves weight writes from its L1 decoder, partial-sum and output reads going up, and operand reads
// from its compute core; beside it the input buffer that streamed inputs land in without using the port.
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "models/context.hpp"

namespace cimnet::model {

class MemoryArray : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<MemoryArray> in;        // from its L1 decoder
  tlm_utils::simple_target_socket<MemoryArray> operands;  // from its compute core

  MemoryArray(const sc_core::sc_module_name& name, ModelContext& ctx, int id);

 private:
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  void read_operands(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);

  ModelContext& ctx_;
  Resource& port_;
};

}  // namespace cimnet::model
