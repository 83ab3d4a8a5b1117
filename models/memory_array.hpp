#pragma once
// A memory array: weight cells behind one port (MA_bw bytes per cycle, ma_latency cycles) that serves,
// in order of arrival, weight writes from its L1 decoder, partial-sum and output reads going up, and
// operand reads from its compute core; beside it the input buffer that streamed inputs land in
// without using the port (its space is the controller's to manage).
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "models/burst.hpp"
#include "models/context.hpp"
#include "models/hop.hpp"

namespace cimnet::model {

class MemoryArray : public sc_core::sc_module, public HopClient {
 public:
  tlm_utils::simple_target_socket<MemoryArray, 32, BurstProtocol> above;     // from its L1 decoder
  tlm_utils::simple_target_socket<MemoryArray, 32, BurstProtocol> ctrl;      // up flows that start here
  tlm_utils::simple_target_socket<MemoryArray, 32, BurstProtocol> operands;  // reads of its compute core

  MemoryArray(const sc_core::sc_module_name& name, ModelContext& ctx, FlowSink& sink, int id);
  void served(Hop& hop, void* item, const Reservation& r) override;

 private:
  tlm::tlm_sync_enum from_above(tlm::tlm_generic_payload& t, tlm::tlm_phase& p, sc_core::sc_time& d);
  tlm::tlm_sync_enum to_port(tlm::tlm_generic_payload& t, tlm::tlm_phase& p, sc_core::sc_time& d);

  ModelContext& ctx_;
  FlowSink& sink_;
  Hop port_;
};

}  // namespace cimnet::model
