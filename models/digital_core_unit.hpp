#pragma once
// A digital PE-array core in the timed model (hardware/digital_core.hpp; issue 17): a child of the L2
// decoder beside the L1 decoders, with
//   - its link (port_bytes_per_cycle bytes per cycle, link_latency), shared by bursts going down into
//     its buffers and up out of its output buffer — the same hop rule as every link (models/hop.hpp);
//   - its PE grid, serving DigitalCompute commands one at a time in order of arrival: a command of S
//     steps that starts at s occupies the grid until s + S and its results are in the output buffer at
//     s + S + pipeline_cycles (the grid starts the next command while the last one drains).
// Its buffers' capacities are the program's (validate) and the run's occupancy tracking; reads and
// writes inside the core are not timed separately (the grid is fed at its rate).
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "models/burst.hpp"
#include "models/context.hpp"
#include "models/hop.hpp"

namespace cimnet::model {

class DigitalCoreUnit : public sc_core::sc_module, public HopClient {
 public:
  tlm_utils::simple_target_socket<DigitalCoreUnit, 32, BurstProtocol> above;  // from the L2 decoder
  tlm_utils::simple_target_socket<DigitalCoreUnit, 32, BurstProtocol> ctrl;   // commands, stores' first hop

  // `index`: the core's number in HardwareConfig::digital_cores.
  DigitalCoreUnit(const sc_core::sc_module_name& name, ModelContext& ctx, FlowSink& sink, int index);
  void served(Hop& hop, void* item, const Reservation& r) override;

 private:
  tlm::tlm_sync_enum from_above(tlm::tlm_generic_payload& t, tlm::tlm_phase& p, sc_core::sc_time& d);
  tlm::tlm_sync_enum from_controller(tlm::tlm_generic_payload& t, tlm::tlm_phase& p, sc_core::sc_time& d);

  ModelContext& ctx_;
  FlowSink& sink_;
  std::int64_t pipeline_;
  Hop link_;
  Hop grid_;
};

}  // namespace cimnet::model
