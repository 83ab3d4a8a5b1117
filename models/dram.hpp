#pragma once
// The DRAM and its interface link (DRAM_bw bytes per cycle, dram_latency cycles). Target of the
// controller's data socket; forwards every flow that reaches below it to the L2 decoder. Reads
// (down flows) and writes (up flows) share the one interface.
#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "models/context.hpp"

namespace cimnet::model {

class Dram : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<Dram> in;
  tlm_utils::simple_initiator_socket<Dram> out;

  Dram(const sc_core::sc_module_name& name, ModelContext& ctx);

 private:
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);

  ModelContext& ctx_;
  Resource& link_;
};

}  // namespace cimnet::model
