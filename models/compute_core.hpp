#pragma once
// The compute core in the periphery of one memory array: MA_comp_per_core MACs per cycle, operands read
// from its array through the array port in burst-sized reads, a core_pipeline-cycle pipeline.
// A command of M MACs over B operand bytes that starts at s (when the core is free) ends at
//   max(s + ceil(M / MA_comp_per_core), end of its last operand read) + core_pipeline.
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "models/context.hpp"

namespace cimnet::model {

class ComputeCore : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<ComputeCore> cmd;
  tlm_utils::simple_initiator_socket<ComputeCore> to_array;

  ComputeCore(const sc_core::sc_module_name& name, ModelContext& ctx, int id);

 private:
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);

  ModelContext& ctx_;
  int id_;
  Resource& core_;
  tlm::tlm_generic_payload read_;
};

}  // namespace cimnet::model
