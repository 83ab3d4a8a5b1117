#include "models/dram.hpp"

#include "models/payload.hpp"

namespace cimnet::model {

Dram::Dram(const sc_core::sc_module_name& name, ModelContext& ctx)
    : sc_core::sc_module(name),
      in("in"),
      out("out"),
      ctx_(ctx),
      link_(ctx.add_resource("dram", "link", ctx.hw().get(HwParam::DRAM_bw), ctx.hw().fixed.dram_latency)) {
  in.register_b_transport(this, &Dram::b_transport);
}

void Dram::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  ++ctx_.calls;
  FlowExt* f = trans.get_extension<FlowExt>();
  if (!f) {  // a command for a decoder: DRAM only passes it on
    out->b_transport(trans, delay);
    return;
  }
  const std::int64_t now = now_cycles();
  const std::int64_t len = trans.get_data_length();
  const std::int64_t lat = link_.latency();
  if (!f->up) {
    std::int64_t head = now + to_cycles(delay);
    if (f->uses_link(kDram)) {
      const Reservation r = link_.reserve(head, f->tail, len, false);
      ctx_.record(link_, f->op, r, len);
      if (f->next_issue < 0) f->next_issue = r.busy_end;
      head = r.start + lat;
      f->tail = r.tail + lat;
    }
    delay = cycles(head - now);
    out->b_transport(trans, delay);
  } else {
    out->b_transport(trans, delay);  // the request costs nothing; the data comes back up
    if (f->uses_link(kDram)) {
      const Reservation r = link_.reserve(f->head, f->tail, len, true);
      ctx_.record(link_, f->op, r, len);
      if (f->next_issue < 0) f->next_issue = r.busy_end;
      f->head = r.start + lat;
      f->tail = r.tail + lat;
    }
    if (f->top == kDram) f->done = f->tail;
    delay = cycles(f->done - now);
  }
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace cimnet::model
