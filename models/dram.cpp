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
  // while the next one follows at once (docs/model.md, "The DRAM's service rule").
  link_.queue_by_op(1);
}

namespace {
// The DRAM's priority classes (docs/model.md, "The DRAM's service rule"): activations (a stream into
// the arrays' input buffers, a move between DRAM and a buffer) feed the next computation or drain a
// buffer that one waits for; weights (a load) are needed by a later one; an array's write-back is
// needed by nothing but the end of the layer.
int priority_of(const BurstExt& e) {
  if (e.source == End::Weights) return 2;
  if (e.dest == End::Weights) return 1;
  return 0;
}
}  // namespace

tlm::tlm_sync_enum Dram::from_controller(tlm::tlm_generic_payload& t, tlm::tlm_phase&, sc_core::sc_time&) {
  const BurstExt& e = ext_of(t);
  link_.post(e.arrival, e.tail, e.bytes, e.key, e.op, e.up, &t, priority_of(e));
  return tlm::TLM_ACCEPTED;
}

tlm::tlm_sync_enum Dram::from_below(tlm::tlm_generic_payload& t, tlm::tlm_phase&, sc_core::sc_time&) {
  const BurstExt& e = ext_of(t);
  link_.post(e.arrival, e.tail, e.bytes, e.key, e.op, e.up, &t, priority_of(e));
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
