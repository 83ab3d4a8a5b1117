#include "models/decoder.hpp"

#include <algorithm>

#include "models/payload.hpp"

namespace cimnet::model {

namespace {

std::string prefix(int level, int index) { return level == kL2 ? std::string("l2") : "l1[" + std::to_string(index) + "]"; }

}  // namespace

Decoder::Decoder(const sc_core::sc_module_name& name, ModelContext& ctx, int level, int index, AddressMap map,
                 std::uint64_t own_lo, std::uint64_t own_hi)
    : sc_core::sc_module(name),
      in("in"),
      out("out"),
      ctx_(ctx),
      level_(level),
      map_(std::move(map)),
      own_lo_(own_lo),
      own_hi_(own_hi),
      link_(ctx.add_resource(prefix(level, index), "link",
                             ctx.hw().get(level == kL2 ? HwParam::L2_bw : HwParam::L1_bw),
                             level == kL2 ? ctx.hw().fixed.l2_latency : ctx.hw().fixed.l1_latency)),
      reduction_(ctx.add_resource(prefix(level, index) + ".reduce", "reduction", ctx.hw().fixed.reduction_bw, 0)) {
  if (level == kL2) vector_ = &ctx.add_resource("l2.vector", "vector", ctx.hw().fixed.vector_lanes, 0);
  in.register_b_transport(this, &Decoder::b_transport);
}

int Decoder::route(std::uint64_t address, tlm::tlm_generic_payload& trans) const {
  const int port = map_.route(address);
  if (port < 0) trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
  return port;
}

void Decoder::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  ++ctx_.calls;
  const std::uint64_t address = trans.get_address();
  if (VectorCmdExt* v = trans.get_extension<VectorCmdExt>()) {
    if (address >= own_lo_ && address < own_hi_ && vector_) {
      const std::int64_t now = now_cycles();
      const std::int64_t head = now + to_cycles(delay);
      const Reservation r = vector_->reserve(head, head, v->ops, false);
      ctx_.record(*vector_, v->op, r, 0);
      delay = cycles(r.tail - now);
      trans.set_response_status(tlm::TLM_OK_RESPONSE);
      return;
    }
    const int port = route(address, trans);
    if (port >= 0) out[port]->b_transport(trans, delay);
    return;
  }
  if (!trans.get_extension<FlowExt>()) {
    trans.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
    return;
  }
  if (trans.get_extension<FlowExt>()->up) {
    up(trans, delay);
  } else {
    down(trans, delay);
  }
}

void Decoder::down(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  FlowExt* f = trans.get_extension<FlowExt>();
  const std::int64_t now = now_cycles();
  const std::int64_t len = trans.get_data_length();
  std::int64_t head = now + to_cycles(delay);
  if (f->uses_link(level_)) {
    // One reservation per burst, however many children the burst is multicast to.
    const Reservation r = link_.reserve(head, f->tail, len, false);
    ctx_.record(link_, f->op, r, len);
    if (f->next_issue < 0) f->next_issue = r.busy_end;
    head = r.start + link_.latency();
    f->tail = r.tail + link_.latency();
  }
  if (f->bottom <= level_) {
    f->done = f->tail;
    delay = cycles(f->done - now);
    return;
  }
  if (f->targets && f->targets->size() > 1) {
    const std::uint64_t offset = f->port ? 0 : kInputBufferOffset;
    const std::int64_t tail = f->tail;
    std::int64_t done = 0;
    int last = -1;
    // The targets are sorted by array, and array addresses grow with the array: the ones below this
    // decoder are one run of the list. Visiting only that run keeps a wide multicast from costing every
    // L1 decoder the whole list per burst (same children, same order, same times).
    const std::vector<int>& targets = *f->targets;
    const auto by_address = [](int a, std::uint64_t address) { return array_base(a) < address; };
    const auto first = std::lower_bound(targets.begin(), targets.end(), map_.lowest(), by_address);
    const auto end = std::lower_bound(first, targets.end(), map_.highest(), by_address);
    for (auto it = first; it != end; ++it) {
      const int a = *it;
      const int port = map_.route(array_base(a));
      if (port < 0 || port == last) continue;  // not below this decoder, or that child already has it
      last = port;
      trans.set_address(array_base(a) + offset);
      f->tail = tail;
      sc_core::sc_time d = cycles(head - now);
      out[port]->b_transport(trans, d);
      done = std::max(done, f->done);
    }
    f->done = done;
  } else {
    const int port = route(trans.get_address(), trans);
    if (port < 0) return;
    sc_core::sc_time d = cycles(head - now);
    out[port]->b_transport(trans, d);
  }
  delay = cycles(f->done - now);
}

void Decoder::up(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay) {
  FlowExt* f = trans.get_extension<FlowExt>();
  const std::int64_t now = now_cycles();
  const std::int64_t len = trans.get_data_length();
  if (f->bottom > level_) {
    const int port = route(trans.get_address(), trans);
    if (port < 0) return;
    out[port]->b_transport(trans, delay);  // the request costs nothing; the data comes back up
  } else {
    // This decoder is the source (e.g. the vector unit's output): its data is ready now.
    f->head = f->tail = now + to_cycles(delay);
  }
  if (f->uses_link(level_)) {
    const Reservation r = link_.reserve(f->head, f->tail, len, true);
    ctx_.record(link_, f->op, r, len);
    if (f->next_issue < 0) f->next_issue = r.busy_end;
    f->head = r.start + link_.latency();
    f->tail = r.tail + link_.latency();
  }
  if (f->top == level_) {
    if (f->reduce) {
      const Reservation r = reduction_.reserve(f->head, f->tail, len, true);
      ctx_.record(reduction_, f->op, r, len);
      f->done = r.tail;
    } else {
      f->done = f->tail;
    }
  }
  delay = cycles(f->done - now);
  trans.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace cimnet::model
