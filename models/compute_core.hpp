#pragma once
// The compute core in the periphery of one memory array: MA_comp_per_core MACs per cycle, operands
// read from its array through the array port in burst-sized reads, a core_pipeline-cycle pipeline.
// Commands are served one at a time in order of arrival; a command of M MACs over B operand bytes
// that starts at s ends at
//   max(s + ceil(M / MA_comp_per_core), end of its last operand read at the port) + core_pipeline,
// its operand reads presented to the port one after another from s (each when the previous has left
// the port), and the core is busy until then.
#include <cstdint>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "models/burst.hpp"
#include "models/context.hpp"
#include "models/hop.hpp"

namespace cimnet::model {

class ComputeCore : public sc_core::sc_module, public HopClient {
 public:
  tlm_utils::simple_target_socket<ComputeCore, 32, BurstProtocol> ctrl;          // commands
  tlm_utils::simple_initiator_socket<ComputeCore, 32, BurstProtocol> to_array;  // operand reads

  ComputeCore(const sc_core::sc_module_name& name, ModelContext& ctx, FlowSink& sink, BurstPool& pool, int id);
  void served(Hop& hop, void* item, const Reservation& r) override;

 private:
  tlm::tlm_sync_enum command(tlm::tlm_generic_payload& t, tlm::tlm_phase& p, sc_core::sc_time& d);
  tlm::tlm_sync_enum operand_read(tlm::tlm_generic_payload& t, tlm::tlm_phase& p, sc_core::sc_time& d);
  void read(std::int64_t at);

  ModelContext& ctx_;
  FlowSink& sink_;
  BurstPool& pool_;
  int id_;
  Hop core_;
  // The command being served (one at a time).
  tlm::tlm_generic_payload* current_ = nullptr;
  std::int64_t start_ = 0, macs_end_ = 0, left_ = 0, burst_index_ = 0;
};

}  // namespace cimnet::model
