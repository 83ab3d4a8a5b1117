#include "models/compute_core.hpp"

#include <algorithm>

#include "models/forward.hpp"

namespace cimnet::model {

ComputeCore::ComputeCore(const sc_core::sc_module_name& name, ModelContext& ctx, FlowSink& sink, BurstPool& pool,
                         int id)
    : sc_core::sc_module(name),
      ctrl("ctrl"),
      to_array("to_array"),
      ctx_(ctx),
      sink_(sink),
      pool_(pool),
      id_(id),
      core_(ctx, "core[" + std::to_string(id) + "]", "core", ctx.hw().get(HwParam::MA_comp_per_core), 0, *this,
            kCorePhase) {
  ctrl.register_nb_transport_fw(this, &ComputeCore::command);
  to_array.register_nb_transport_bw(this, &ComputeCore::operand_read);
}

tlm::tlm_sync_enum ComputeCore::command(tlm::tlm_generic_payload& t, tlm::tlm_phase&, sc_core::sc_time&) {
  queue_at(core_, t);
  return tlm::TLM_ACCEPTED;
}

void ComputeCore::served(Hop&, void* item, const Reservation& r) {
  current_ = static_cast<tlm::tlm_generic_payload*>(item);
  const BurstExt& c = ext_of(*current_);
  start_ = r.start;
  macs_end_ = r.busy_end;
  left_ = c.operands;
  burst_index_ = 0;
  core_.hold();
  if (left_ > 0) {
    read(start_);
  } else {
    const std::int64_t end = macs_end_ + ctx_.hw().fixed.core_pipeline;
    core_.release(end, c.op);
    sink_.arrived(*current_, end);
  }
}

void ComputeCore::read(std::int64_t at) {
  const BurstExt& c = ext_of(*current_);
  tlm::tlm_generic_payload* t = pool_.acquire();
  BurstExt& e = ext_of(*t);
  e = BurstExt{};
  e.flow = -1;
  e.op = c.op;
  e.source = End::Weights;
  e.dest = End::Core;
  e.array = id_;
  e.up = true;
  e.bytes = std::min(left_, ctx_.hw().fixed.burst_bytes);
  e.key = c.key;
  e.key.burst = burst_index_++;
  t->set_data_length(static_cast<unsigned int>(e.bytes));
  send_down(ctx_, to_array, *t, at, at);
}

tlm::tlm_sync_enum ComputeCore::operand_read(tlm::tlm_generic_payload& t, tlm::tlm_phase&, sc_core::sc_time&) {
  const BurstExt& e = ext_of(t);
  const std::int64_t read_end = e.arrival;  // the port is done with this read
  left_ -= e.bytes;
  t.release();
  if (left_ > 0) {
    read(read_end);
  } else {
    const BurstExt& c = ext_of(*current_);
    const std::int64_t end = std::max(macs_end_, read_end) + ctx_.hw().fixed.core_pipeline;
    core_.release(end, c.op);
    sink_.arrived(*current_, end);
  }
  return tlm::TLM_ACCEPTED;
}

}  // namespace cimnet::model
