#pragma once
// A memory decoder: one class for the L2 decoder and every L1 decoder. It owns the link to its
// children (L2_bw or L1_bw bytes per cycle, l2_latency or l1_latency cycles), a reduction unit
// (reduction_bw bytes of partial sums per cycle) and, at L2, the vector unit (vector_lanes element
// operations per cycle). It routes by its address map and multicasts a burst to every child that holds
// one of the FlowExt targets, occupying its own link once per burst however many children receive it.
#include <cstdint>
#include <string>

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "models/address_map.hpp"
#include "models/context.hpp"

namespace cimnet::model {

class Decoder : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<Decoder> in;
  tlm_utils::multi_passthrough_initiator_socket<Decoder> out;

  // level: kL2 or kL1; index: which L1 decoder (0 for L2); map: child routing; [own_lo, own_hi): registers.
  Decoder(const sc_core::sc_module_name& name, ModelContext& ctx, int level, int index, AddressMap map,
          std::uint64_t own_lo, std::uint64_t own_hi);

 private:
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  void down(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  void up(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  int route(std::uint64_t address, tlm::tlm_generic_payload& trans) const;

  ModelContext& ctx_;
  int level_;
  AddressMap map_;
  std::uint64_t own_lo_, own_hi_;
  Resource& link_;
  Resource& reduction_;
  Resource* vector_ = nullptr;  // L2 only
};

}  // namespace cimnet::model
