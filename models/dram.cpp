#include "models/dram.hpp"

#include "models/forward.hpp"

namespace cimnet::model {

Dram::Dram(const sc_core::sc_module_name& name, ModelContext& ctx, FlowSink& sink)
    : sc_core::sc_module(name),
      ctrl("ctrl"),
      below("below"),
      ctx_(ctx),
      sink_(sink),
      link_(ctx, "dram", "link", ctx.hw().get(HwParam::DRAM_bw), ctx.hw().fixed.dram_latency, *this) {
  ctrl.register_nb_transport_fw(this, &Dram::from_controller);
  below.register_nb_transport_bw(this, &Dram::from_below);
  // Weight loads are a queue of transfers: the one whose op became ready first (then the lower
  // Op::order: a pass's weight slices in order) goes out before the next, so a slice arrives whole
  // while the next one follows at once (docs/model.md, "The links' service rule").
  link_.queue_by_op(1);
  link_.queue_by_op(3);  // prefetched loads likewise, after everything else
}


tlm::tlm_sync_enum Dram::from_controller(tlm::tlm_generic_payload& t, tlm::tlm_phase&, sc_core::sc_time&) {
  queue_at_link(link_, t);
  return tlm::TLM_ACCEPTED;
}

tlm::tlm_sync_enum Dram::from_below(tlm::tlm_generic_payload& t, tlm::tlm_phase&, sc_core::sc_time&) {
  queue_at_link(link_, t);
  return tlm::TLM_ACCEPTED;
}

void Dram::served(Hop& hop, void* item, const Reservation& r) {
  auto& t = served_burst(sink_, item, r);
  const BurstExt& e = ext_of(t);
  const std::int64_t lat = hop.latency();
  if (e.dest == End::Dram) {
    sink_.arrived(t, r.tail + lat);  // written
  } else {
    send_down(ctx_, below, t, r.start + lat, r.tail + lat);
  }
}

}  // namespace cimnet::model
