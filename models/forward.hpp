#pragma once
// Passing a burst to the next module: the message fields (when its head and last data reach the
// receiver) go in the extension, the annotated delay is the time until the receiver's decision
// phase of the arrival cycle, and the phase is BEGIN_REQ (models/burst.hpp).
#include <cstdint>

#include <tlm>

#include "models/burst.hpp"
#include "models/context.hpp"
#include "models/timing.hpp"

namespace cimnet::model {

// Sets the message fields and returns the delay to annotate.
inline sc_core::sc_time stamp(tlm::tlm_generic_payload& burst, std::int64_t arrival, std::int64_t tail, Phase phase) {
  BurstExt& e = ext_of(burst);
  e.arrival = arrival;
  e.tail = tail;
  return until(arrival, phase);
}

// Down the hierarchy (forward path).
template <typename Socket>
void send_down(ModelContext& ctx, Socket&& socket, tlm::tlm_generic_payload& burst, std::int64_t arrival,
               std::int64_t tail) {
  ++ctx.calls;
  tlm::tlm_phase phase = tlm::BEGIN_REQ;
  sc_core::sc_time delay = stamp(burst, arrival, tail, kHopPhase);
  socket->nb_transport_fw(burst, phase, delay);
}

// Up the hierarchy (backward path of a target socket).
template <typename Socket>
void send_up(ModelContext& ctx, Socket&& socket, tlm::tlm_generic_payload& burst, std::int64_t arrival,
             std::int64_t tail) {
  ++ctx.calls;
  tlm::tlm_phase phase = tlm::BEGIN_REQ;
  sc_core::sc_time delay = stamp(burst, arrival, tail, kHopPhase);
  socket->nb_transport_bw(burst, phase, delay);
}

// Queues a received burst at `hop` (its amount is the burst's bytes). Its bytes count as up (towards
// DRAM) or down by the flow's direction; at a buffer's port, `read` says whether they leave the
// buffer (counted up, like an array's reads) or are written into it (down).
inline void queue_at(Hop& hop, tlm::tlm_generic_payload& burst) {
  BurstExt& e = ext_of(burst);
  hop.post(e.arrival, e.tail, e.bytes, e.key, e.op, e.up, &burst);
}
// The service class of a burst on a link (the DRAM interface, L2, each L1 link; docs/model.md, "The
// links' service rule"): activations first — input streams, moves between memories, partial sums on
// their way to a reduction — since a computation or a buffer waits for them; then weight loads,
// needed by a later computation; last the arrays' write-backs of outputs, needed only by the end of
// the layer.
inline int traffic_class(const BurstExt& e) {
  if (e.dest == End::Weights) return e.background ? 3 : 1;
  if (e.source == End::Weights && e.dest != End::Reduce) return 2;
  return 0;
}
inline void queue_at_link(Hop& hop, tlm::tlm_generic_payload& burst) {
  BurstExt& e = ext_of(burst);
  hop.post(e.arrival, e.tail, e.bytes, e.key, e.op, e.up, &burst, traffic_class(e));
}
// At an array's port: everything in arrival order (class 0) but a later step's prefetched weights,
// which go last as on the links — a computation running on the array reads its operands through the
// same port, and nothing running waits for the prefetch.
inline void queue_at_port(Hop& hop, tlm::tlm_generic_payload& burst) {
  BurstExt& e = ext_of(burst);
  hop.post(e.arrival, e.tail, e.bytes, e.key, e.op, e.up, &burst, e.dest == End::Weights && e.background ? 3 : 0);
}
inline void queue_at_buffer(Hop& hop, tlm::tlm_generic_payload& burst, bool read) {
  BurstExt& e = ext_of(burst);
  hop.post(e.arrival, e.tail, e.bytes, e.key, e.op, read, &burst);
}

// The burst a hop has just served. When that hop was its flow's first, the flow is told that the burst
// has left it (the flow presents its next burst then).
inline tlm::tlm_generic_payload& served_burst(FlowSink& sink, void* item, const Reservation& r) {
  auto& t = *static_cast<tlm::tlm_generic_payload*>(item);
  BurstExt& e = ext_of(t);
  if (e.at_source) {
    e.at_source = false;
    sink.left_source(t, r.busy_end);
  }
  return t;
}

}  // namespace cimnet::model
