#include "models/digital_core_unit.hpp"

#include "models/forward.hpp"

namespace cimnet::model {

namespace {
const DigitalCore& core_of(ModelContext& ctx, int index) {
  return ctx.hw().digital_cores[static_cast<std::size_t>(index)];
}
}  // namespace

DigitalCoreUnit::DigitalCoreUnit(const sc_core::sc_module_name& name, ModelContext& ctx, FlowSink& sink, int index)
    : sc_core::sc_module(name),
      above("above"),
      ctrl("ctrl"),
      ctx_(ctx),
      sink_(sink),
      pipeline_(core_of(ctx, index).pipeline_cycles),
      link_(ctx, core_of(ctx, index).name + ".link", "link", core_of(ctx, index).port_bytes_per_cycle,
            core_of(ctx, index).link_latency, *this),
      // One step per cycle: a command's amount is its steps.
      grid_(ctx, core_of(ctx, index).name + ".grid", "digital", 1, 0, *this) {
  above.register_nb_transport_fw(this, &DigitalCoreUnit::from_above);
  ctrl.register_nb_transport_fw(this, &DigitalCoreUnit::from_controller);
}

tlm::tlm_sync_enum DigitalCoreUnit::from_above(tlm::tlm_generic_payload& t, tlm::tlm_phase&, sc_core::sc_time&) {
  queue_at_link(link_, t);  // into one of its buffers
  return tlm::TLM_ACCEPTED;
}

tlm::tlm_sync_enum DigitalCoreUnit::from_controller(tlm::tlm_generic_payload& t, tlm::tlm_phase&, sc_core::sc_time&) {
  const BurstExt& e = ext_of(t);
  if (e.dest == End::Digital) {
    queue_at(grid_, t);  // a compute command
  } else {
    queue_at_link(link_, t);  // the first hop of a store out of the output buffer
  }
  return tlm::TLM_ACCEPTED;
}

void DigitalCoreUnit::served(Hop& hop, void* item, const Reservation& r) {
  auto& t = served_burst(sink_, item, r);
  if (&hop == &grid_) {
    sink_.arrived(t, r.busy_end + pipeline_);
    return;
  }
  const BurstExt& e = ext_of(t);
  const std::int64_t lat = hop.latency();
  if (e.up) {
    send_up(ctx_, above, t, r.start + lat, r.tail + lat);
  } else {
    sink_.arrived(t, r.tail + lat);  // written into the buffer
  }
}

}  // namespace cimnet::model
