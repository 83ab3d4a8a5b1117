#include "models/memory_array.hpp"

#include "models/forward.hpp"

namespace cimnet::model {

MemoryArray::MemoryArray(const sc_core::sc_module_name& name, ModelContext& ctx, FlowSink& sink, int id)
    : sc_core::sc_module(name),
      above("above"),
      ctrl("ctrl"),
      operands("operands"),
      ctx_(ctx),
      sink_(sink),
      port_(ctx, "ma[" + std::to_string(id) + "].port", "port", ctx.hw().get(HwParam::MA_bw),
            ctx.hw().fixed.ma_latency, *this) {
  above.register_nb_transport_fw(this, &MemoryArray::from_above);
  ctrl.register_nb_transport_fw(this, &MemoryArray::to_port);
  operands.register_nb_transport_fw(this, &MemoryArray::to_port);
}

tlm::tlm_sync_enum MemoryArray::from_above(tlm::tlm_generic_payload& t, tlm::tlm_phase&, sc_core::sc_time&) {
  const BurstExt& e = ext_of(t);
  if (e.dest == End::InputBuffer) {
    sink_.arrived(t, e.tail);  // in the input buffer when its last byte is; the port stays free
  } else {
    queue_at_port(port_, t);
  }
  return tlm::TLM_ACCEPTED;
}

tlm::tlm_sync_enum MemoryArray::to_port(tlm::tlm_generic_payload& t, tlm::tlm_phase&, sc_core::sc_time&) {
  queue_at(port_, t);
  return tlm::TLM_ACCEPTED;
}

void MemoryArray::served(Hop& hop, void* item, const Reservation& r) {
  auto& t = served_burst(sink_, item, r);  // operand reads never start at the port: nothing told
  const BurstExt& e = ext_of(t);
  const std::int64_t lat = hop.latency();
  if (e.dest == End::Core) {
    // An operand read: the core learns when the port is done with it (the port's access latency is
    // part of the core's pipeline, docs/model.md).
    ++ctx_.calls;
    tlm::tlm_phase phase = tlm::BEGIN_RESP;
    sc_core::sc_time delay = stamp(t, r.busy_end, r.busy_end, kCorePhase);
    operands->nb_transport_bw(t, phase, delay);
    return;
  }
  if (e.dest == End::Weights) {
    sink_.arrived(t, r.tail + lat);
  } else {
    send_up(ctx_, above, t, r.start + lat, r.tail + lat);
  }
}

}  // namespace cimnet::model
