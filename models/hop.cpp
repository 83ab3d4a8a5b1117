// sc_spawn (one process per hop, several hops per module) needs SystemC's dynamic processes.
#define SC_INCLUDE_DYNAMIC_PROCESSES
#include "models/hop.hpp"

#include <algorithm>
#include <functional>
#include <limits>
#include <stdexcept>

namespace cimnet::model {

Hop::Hop(ModelContext& ctx, const std::string& name, const std::string& kind, std::int64_t rate,
         std::int64_t latency, HopClient& client, Phase phase)
    : ctx_(ctx), res_(ctx.add_resource(name, kind, rate, latency)), client_(client), phase_(phase) {
  sc_core::sc_spawn_options options;
  options.spawn_method();
  options.dont_initialize();
  options.set_sensitivity(&wake_);
  sc_core::sc_spawn([this] { serve(); }, sc_core::sc_gen_unique_name(("hop_" + std::to_string(res_.id)).c_str()),
                    &options);
}

void Hop::post(std::int64_t arrival, std::int64_t tail, std::int64_t amount, const TieKey& key, int op, bool up,
               void* item, int priority) {
  if (sc_core::sc_time_stamp().value() >= static_cast<sc_core::sc_time::value_type>(picoseconds(arrival, phase_))) {
    throw std::logic_error("model: a request reaches " + res_.name() + " at cycle " + std::to_string(arrival) +
                           " after its decision time (a latency or phase rule is broken)");
  }
  if (priority < 0 || priority >= kPriorities) throw std::logic_error("model: no priority class " + std::to_string(priority));
  auto& heap = heaps_[priority];
  heap.push_back(Waiting{arrival, key, tail, amount, op, up, item});
  std::push_heap(heap.begin(), heap.end(), std::greater<>());
  arm(std::max(heap.front().arrival, free_));
}

void Hop::queue_by_op(int priority) {
  if (priority < 0 || priority >= kPriorities) throw std::logic_error("model: no priority class " + std::to_string(priority));
  by_op_[priority] = true;
}

void Hop::rearm() {
  for (int c = 0; c < kPriorities; ++c) {
    if (!arrived_[c].empty()) arm(std::max(current_cycle(), free_));
    if (!heaps_[c].empty()) arm(std::max(heaps_[c].front().arrival, free_));
  }
}

void Hop::arm(std::int64_t cycle) {
  if (cycle == std::numeric_limits<std::int64_t>::max()) return;  // held: release() arms
  if (armed_ >= 0 && armed_ <= cycle) return;  // an earlier wake is set: it re-arms for the rest
  armed_ = cycle;
  wake_.notify(until(cycle, phase_));
}

void Hop::serve() {
  const std::int64_t now = current_cycle();
  armed_ = -1;
  // Classes queued by op take in what has arrived.
  for (int c = 0; c < kPriorities; ++c) {
    if (!by_op_[c]) continue;
    auto& heap = heaps_[c];
    while (!heap.empty() && heap.front().arrival <= now) {
      std::pop_heap(heap.begin(), heap.end(), std::greater<>());
      arrived_[c].push_back(heap.back());
      heap.pop_back();
      std::push_heap(arrived_[c].begin(), arrived_[c].end(), LaterOp());
    }
  }
  // The first class with a request that has arrived.
  int from = -1;
  if (free_ <= now) {
    for (int c = 0; c < kPriorities && from < 0; ++c) {
      if (by_op_[c] ? !arrived_[c].empty() : !heaps_[c].empty() && heaps_[c].front().arrival <= now) from = c;
    }
  }
  if (from < 0) {
    rearm();
    return;
  }
  Waiting w{};
  if (by_op_[from]) {
    auto& q = arrived_[from];
    std::pop_heap(q.begin(), q.end(), LaterOp());
    w = q.back();
    q.pop_back();
  } else {
    auto& heap = heaps_[from];
    std::pop_heap(heap.begin(), heap.end(), std::greater<>());
    w = heap.back();
    heap.pop_back();
  }
  Reservation r;
  r.start = now;
  r.busy_end = now + ceil_div(w.amount, res_.rate());
  r.tail = std::max(r.busy_end, w.tail);
  r.wait = now - w.arrival;
  free_ = served_end_ = r.busy_end;
  res_.count(w.amount, r.busy_end - r.start, w.up);
  ctx_.record(res_, w.op, r, w.amount);
  client_.served(*this, w.item, r);  // may post here again, or hold() the hop
  rearm();
}

void Hop::hold() { free_ = std::numeric_limits<std::int64_t>::max(); }

void Hop::release(std::int64_t end, int) {
  // Busy until `end` in the results and the trace; the op's account keeps the service alone (a core
  // waiting for operands is bound by the port, not by itself).
  if (end > served_end_) {
    res_.add_busy(end - served_end_);
    ctx_.extend_last_trace(res_, end);
  }
  free_ = std::max(end, served_end_);
  rearm();
}

}  // namespace cimnet::model
