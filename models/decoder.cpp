#include "models/decoder.hpp"

#include <algorithm>
#include <string>

#include "models/forward.hpp"

namespace cimnet::model {

namespace {

std::string prefix(int index) { return index < 0 ? std::string("l2") : "l1[" + std::to_string(index) + "]"; }

}  // namespace

Decoder::Decoder(const sc_core::sc_module_name& name, ModelContext& ctx, FlowSink& sink, int index)
    : sc_core::sc_module(name),
      above("above"),
      ctrl("ctrl"),
      below("below"),
      ctx_(ctx),
      sink_(sink),
      index_(index),
      per_l1_(ctx.hw().get(HwParam::MA_num_child)),
      link_(ctx, prefix(index), "link", ctx.hw().get(index < 0 ? HwParam::L2_bw : HwParam::L1_bw),
            index < 0 ? ctx.hw().fixed.l2_latency : ctx.hw().fixed.l1_latency, *this),
      buffer_module_(index < 0 ? "gb" : "buffer", ctx, index < 0 ? std::string("gb.port") : prefix(index) + ".buf",
                     index < 0 ? ctx.hw().fixed.gb_bw : ctx.hw().fixed.l1_buffer_bw,
                     index < 0 ? ctx.hw().fixed.gb_latency : ctx.hw().fixed.l1_buffer_latency,
                     index < 0 ? ctx.hw().fixed.gb_bytes : ctx.hw().fixed.l1_buffer_bytes, *this),
      buffer_(buffer_module_.port),
      reduction_(ctx, prefix(index) + ".reduce", "reduction", ctx.hw().fixed.reduction_bw, 0, *this) {
  if (is_l2()) vector_ = std::make_unique<Hop>(ctx, "l2.vector", "vector", ctx.hw().fixed.vector_lanes, 0, *this);
  above.register_nb_transport_fw(this, &Decoder::from_above);
  ctrl.register_nb_transport_fw(this, &Decoder::from_controller);
  below.register_nb_transport_bw(this, &Decoder::from_below);
}

bool Decoder::buffer_is(const BurstExt& e, End end) const {
  return is_l2() ? end == End::GlobalBuffer : end == End::L1Buffer && e.l1 == index_;
}

bool Decoder::reduces_here(const BurstExt& e) const { return e.dest == End::Reduce && e.l1 == index_; }

tlm::tlm_sync_enum Decoder::from_above(tlm::tlm_generic_payload& t, tlm::tlm_phase&, sc_core::sc_time&) {
  const BurstExt& e = ext_of(t);
  if (buffer_is(e, e.dest)) {
    queue_at_buffer(buffer_, t, false);
  } else {
    queue_at_link(link_, t);
  }
  return tlm::TLM_ACCEPTED;
}

tlm::tlm_sync_enum Decoder::from_controller(tlm::tlm_generic_payload& t, tlm::tlm_phase&, sc_core::sc_time&) {
  const BurstExt& e = ext_of(t);
  // A vector command (source and destination the vector unit), or the first hop of a flow that starts
  // in this decoder's buffer.
  if (e.source == End::Vector && e.dest == End::Vector && vector_) {
    queue_at(*vector_, t);
  } else {
    queue_at_buffer(buffer_, t, buffer_is(e, e.source));  // a read, or the vector unit's result written
  }
  return tlm::TLM_ACCEPTED;
}

tlm::tlm_sync_enum Decoder::from_below(int, tlm::tlm_generic_payload& t, tlm::tlm_phase&, sc_core::sc_time&) {
  queue_at_link(link_, t);  // every up burst crosses the link to this decoder's children
  return tlm::TLM_ACCEPTED;
}

void Decoder::post_internal(Hop& hop, tlm::tlm_generic_payload& t, std::int64_t arrival, std::int64_t tail) {
  stamp(t, arrival, tail, kHopPhase);
  if (&hop == &buffer_) {
    queue_at_buffer(hop, t, false);  // only writes reach the buffer from the link
  } else if (&hop == &link_) {
    queue_at_link(hop, t);
  } else {
    queue_at(hop, t);
  }
}

void Decoder::to_children(tlm::tlm_generic_payload& t, std::int64_t arrival, std::int64_t tail) {
  const BurstExt& e = ext_of(t);
  // The child ports to forward to, in order; one payload reference per extra branch.
  int ports[2] = {-1, -1};
  std::vector<int> many;
  if (e.targets && e.targets->size() > 1) {
    const auto& targets = *e.targets;
    auto first = targets.begin(), last = targets.end();
    if (!is_l2()) {  // this decoder's run of the sorted targets
      first = std::lower_bound(targets.begin(), targets.end(), static_cast<int>(index_ * per_l1_));
      last = std::lower_bound(first, targets.end(), static_cast<int>((index_ + 1) * per_l1_));
    }
    for (auto it = first; it != last; ++it) {
      const int port = static_cast<int>(is_l2() ? *it / per_l1_ : *it % per_l1_);
      if (many.empty() || many.back() != port) many.push_back(port);
    }
  } else if (e.dest == End::L1Buffer) {
    ports[0] = e.l1;  // L2 → one L1 decoder's buffer
  } else if (e.dest == End::DigitalBuffer) {
    ports[0] = static_cast<int>(ctx_.hw().l1_decoders()) + e.digital;  // L2 → a digital core, after the L1s
  } else {
    ports[0] = static_cast<int>(is_l2() ? e.array / per_l1_ : e.array % per_l1_);
  }
  const std::vector<int> one = {ports[0]};
  const std::vector<int>& go = many.empty() ? one : many;
  for (std::size_t k = 1; k < go.size(); ++k) t.acquire();
  for (int port : go) send_down(ctx_, below[static_cast<std::size_t>(port)], t, arrival, tail);
}

void Decoder::served(Hop& hop, void* item, const Reservation& r) {
  auto& t = served_burst(sink_, item, r);
  const BurstExt& e = ext_of(t);
  const std::int64_t lat = hop.latency();
  if (&hop == vector_.get() || &hop == &reduction_) {
    sink_.arrived(t, r.tail);  // the vector unit's work, or partial sums accumulated into the buffer
    return;
  }
  if (&hop == &buffer_) {
    if (buffer_is(e, e.dest)) {
      sink_.arrived(t, r.tail + lat);  // written into the buffer
    } else if (e.dest == End::Vector) {
      sink_.arrived(t, r.tail + lat);  // read out to the vector unit beside it
    } else if (e.up) {
      send_up(ctx_, above, t, r.start + lat, r.tail + lat);
    } else {
      post_internal(link_, t, r.start + lat, r.tail + lat);
    }
    return;
  }
  // The link.
  if (!e.up) {
    to_children(t, r.start + lat, r.tail + lat);
  } else if (reduces_here(e)) {
    post_internal(reduction_, t, r.start + lat, r.tail + lat);
  } else if (buffer_is(e, e.dest)) {
    post_internal(buffer_, t, r.start + lat, r.tail + lat);
  } else {
    send_up(ctx_, above, t, r.start + lat, r.tail + lat);
  }
}

}  // namespace cimnet::model
