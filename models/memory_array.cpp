#include "models/memory_array.hpp"

#include "models/payload.hpp"

namespace cimnet::model {

MemoryArray::MemoryArray(const sc_core::sc_module_name& name, ModelContext& ctx, int id)
    : sc_core::sc_module(name),
      in("in"),
      operands("operands"),
      ctx_(ctx),
      port_(ctx.add_resource("ma[" + std::to_string(id) + "].port", "port", ctx.hw().get(HwParam::MA_bw),
                             ctx.hw().fixed.ma_latency)) {
  in.register_b_transport(this, &MemoryArray::b_transport);
  operands.register_b_transport(this, &MemoryArray::read_operands);
}

void MemoryArray::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  ++ctx_.calls;
  FlowExt* f = trans.get_extension<FlowExt>();
  if (!f) {
    trans.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
    return;
  }
  const std::int64_t now = now_cycles();
  const std::int64_t len = trans.get_data_length();
  const std::int64_t head = now + to_cycles(delay);
  if (!f->up) {
    if (f->port) {  // weights written through the port
      const Reservation r = port_.reserve(head, f->tail, len, false);
      ctx_.record(port_, f->op, r, len);
      f->done = r.tail + port_.latency();
    } else {  // streamed input: lands in the input buffer, the port stays free
      f->done = f->tail;
    }
    delay = cycles(f->done - now);
  } else {  // the source of an up flow: read through the port from the request's time
    const Reservation r = port_.reserve(head, head, len, true);
    ctx_.record(port_, f->op, r, len);
    if (f->next_issue < 0) f->next_issue = r.busy_end;
    f->head = r.start + port_.latency();
    f->tail = r.tail + port_.latency();
    delay = cycles(f->tail - now);
  }
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

void MemoryArray::read_operands(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  ++ctx_.calls;
  const std::int64_t now = now_cycles();
  const std::int64_t len = trans.get_data_length();
  const std::int64_t head = now + to_cycles(delay);
  // The port's access latency is part of the core pipeline (core_pipeline), not added here.
  const Reservation r = port_.reserve(head, head, len, true);
  const ComputeCmdExt* c = trans.get_extension<ComputeCmdExt>();
  ctx_.record(port_, c ? c->op : -1, r, len);
  delay = cycles(r.busy_end - now);
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace cimnet::model
