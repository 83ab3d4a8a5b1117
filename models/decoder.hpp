#pragma once
// A decoder of the hierarchy: one class for the L2 decoder and every L1 decoder. It owns
//   - the link to its children (L2_bw or L1_bw bytes per cycle, l2_latency or l1_latency), shared by
//     bursts going down and up;
//   - its buffer (models/buffer.hpp), a module of its own: the global buffer at L2, the L1 buffer at an
//     L1 decoder;
//   - its reduction unit (reduction_bw bytes of partial sums per cycle, accumulated into its buffer);
//   - at L2, the vector unit (vector_lanes element operations per cycle, reading and writing the
//     global buffer).
// A down burst for its children is forwarded to every child that holds one of its targets, occupying
// the link once per burst however many children receive it (multicast).
#include <cstdint>
#include <memory>

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "models/buffer.hpp"
#include "models/burst.hpp"
#include "models/context.hpp"
#include "models/hop.hpp"

namespace cimnet::model {

class Decoder : public sc_core::sc_module, public HopClient {
 public:
  tlm_utils::simple_target_socket<Decoder, 32, BurstProtocol> above;                 // from DRAM or the L2 decoder
  tlm_utils::simple_target_socket<Decoder, 32, BurstProtocol> ctrl;                  // flows that start here
  tlm_utils::multi_passthrough_initiator_socket<Decoder, 32, BurstProtocol> below;  // to each child, in order

  // index: the L1 decoder's number; -1 for the L2 decoder.
  Decoder(const sc_core::sc_module_name& name, ModelContext& ctx, FlowSink& sink, int index);
  void served(Hop& hop, void* item, const Reservation& r) override;

 private:
  tlm::tlm_sync_enum from_above(tlm::tlm_generic_payload& t, tlm::tlm_phase& p, sc_core::sc_time& d);
  tlm::tlm_sync_enum from_controller(tlm::tlm_generic_payload& t, tlm::tlm_phase& p, sc_core::sc_time& d);
  tlm::tlm_sync_enum from_below(int port, tlm::tlm_generic_payload& t, tlm::tlm_phase& p, sc_core::sc_time& d);
  bool is_l2() const { return index_ < 0; }
  bool buffer_is(const BurstExt& e, End end) const;  // the burst's `end` is this decoder's buffer
  bool reduces_here(const BurstExt& e) const;
  void to_children(tlm::tlm_generic_payload& t, std::int64_t arrival, std::int64_t tail);
  void post_internal(Hop& hop, tlm::tlm_generic_payload& t, std::int64_t arrival, std::int64_t tail);

  ModelContext& ctx_;
  FlowSink& sink_;
  int index_;
  std::int64_t per_l1_;
  Hop link_;
  Buffer buffer_module_;
  Hop& buffer_;  // its port
  Hop reduction_;
  std::unique_ptr<Hop> vector_;  // L2 only
};

}  // namespace cimnet::model
