#pragma once
// The DRAM and its interface (DRAM_bw bytes per cycle, dram_latency cycles): one FIFO pipe that
// reads and writes share, serving bursts in the order they reach it (docs/model.md: what it leaves
// out — banks, row buffers, read/write turnaround).
//
// Flows that start in DRAM come from the controller; flows that end there come up from the L2
// decoder. A read burst goes down to the L2 decoder `dram_latency` cycles after it starts; a written
// burst is complete `dram_latency` cycles after its last byte.
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "models/burst.hpp"
#include "models/context.hpp"
#include "models/hop.hpp"

namespace cimnet::model {

class Dram : public sc_core::sc_module, public HopClient {
 public:
  tlm_utils::simple_target_socket<Dram, 32, BurstProtocol> ctrl;     // from the controller
  tlm_utils::simple_initiator_socket<Dram, 32, BurstProtocol> below;  // to the L2 decoder

  Dram(const sc_core::sc_module_name& name, ModelContext& ctx, FlowSink& sink);
  void served(Hop& hop, void* item, const Reservation& r) override;

 private:
  tlm::tlm_sync_enum from_controller(tlm::tlm_generic_payload& t, tlm::tlm_phase& p, sc_core::sc_time& d);
  tlm::tlm_sync_enum from_below(tlm::tlm_generic_payload& t, tlm::tlm_phase& p, sc_core::sc_time& d);

  ModelContext& ctx_;
  FlowSink& sink_;
  Hop link_;
};

}  // namespace cimnet::model
