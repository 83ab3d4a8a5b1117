#include "mapping/burst_schedule.hpp"

#include <algorithm>
#include <stdexcept>

namespace cimnet {

namespace {
std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }
}  // namespace

bool BurstSchedule::Waiting::operator>(const Waiting& o) const {
  if (arrival != o.arrival) return arrival > o.arrival;
  if (ready != o.ready) return ready > o.ready;
  if (down != o.down) return down > o.down;
  if (key_bytes != o.key_bytes) return key_bytes < o.key_bytes;  // more bytes first
  if (index != o.index) return index > o.index;
  return op > o.op;
}

std::size_t BurstSchedule::add_hop(std::int64_t rate, std::int64_t latency) {
  if (rate < 1 || latency < 0) throw std::logic_error("burst schedule: a hop needs a rate >= 1 and a latency >= 0");
  Hop h;
  h.rate = rate;
  h.latency = latency;
  hops_.push_back(std::move(h));
  return hops_.size() - 1;
}

int BurstSchedule::add_op(std::vector<BurstStage> stages, const std::vector<int>& deps, std::int64_t key_bytes) {
  const int id = static_cast<int>(ops_.size());
  Op o;
  for (const BurstStage& s : stages) {
    if (s.hops.empty() || (s.kind == BurstStage::Kind::Command && s.hops.size() != 1)) {
      throw std::logic_error("burst schedule: a flow needs a path, a command one hop");
    }
    for (std::size_t h : s.hops) {
      if (h >= hops_.size()) throw std::logic_error("burst schedule: a stage names an unknown hop");
    }
  }
  o.stages = std::move(stages);
  o.key_bytes = key_bytes;
  for (int d : deps) {
    if (d < 0) continue;
    if (d >= id) throw std::logic_error("burst schedule: an op may only wait for earlier ops");
    ops_[static_cast<std::size_t>(d)].users.push_back(id);
    ++o.waiting;
  }
  ops_.push_back(std::move(o));
  return id;
}

std::int64_t BurstSchedule::run() {
  for (std::size_t i = 0; i < ops_.size(); ++i) {
    if (ops_[i].waiting == 0) start(static_cast<int>(i), 0);
  }
  while (!events_.empty()) {
    const std::int64_t now = events_.top().time;
    while (!events_.empty() && events_.top().time == now) {
      const Event e = events_.top();
      events_.pop();
      switch (e.kind) {
        case EventKind::Arrive: {
          const Burst& b = bursts_[e.what];
          const Op& o = ops_[static_cast<std::size_t>(b.op)];
          const BurstStage& s = o.stages[o.stage];
          Hop& hop = hops_[s.hops[b.step]];
          const int down = s.kind == BurstStage::Kind::Flow && s.up ? 0 : 1;
          hop.waiting.push(Waiting{now, o.ready, down, o.key_bytes, b.index, b.op, e.what});
          if (hop.free > now && hop.armed != hop.free) {  // busy: look again when it frees
            hop.armed = hop.free;
            events_.push({hop.free, EventKind::Wake, 0});
          }
          break;
        }
        case EventKind::BurstDone: {
          Op& o = ops_[static_cast<std::size_t>(bursts_[e.what].op)];
          o.done = std::max(o.done, now);
          if (--o.open == 0 && o.remaining == 0) {
            events_.push({o.done, EventKind::StageDone, static_cast<std::size_t>(bursts_[e.what].op)});
          }
          break;
        }
        case EventKind::StageDone: {
          const int id = static_cast<int>(e.what);
          Op& o = ops_[e.what];
          if (++o.stage == o.stages.size()) {
            complete(id, now);
          } else {
            start_stage(id, now);
          }
          break;
        }
        case EventKind::Wake:
          break;
      }
    }
    serve(now);
  }
  for (const Op& o : ops_) {
    if (o.waiting > 0) throw std::logic_error("burst schedule: an op never became ready (a dependency cycle)");
  }
  return end_;
}

void BurstSchedule::start(int id, std::int64_t now) {
  Op& o = ops_[static_cast<std::size_t>(id)];
  o.ready = now;
  o.stage = 0;
  if (o.stages.empty()) {
    complete(id, now);
    return;
  }
  start_stage(id, now);
}

void BurstSchedule::start_stage(int id, std::int64_t now) {
  Op& o = ops_[static_cast<std::size_t>(id)];
  const BurstStage& s = o.stages[o.stage];
  o.done = now;
  o.next_burst = 0;
  o.open = 0;
  if (s.kind == BurstStage::Kind::Command) {
    o.remaining = 0;
    ++o.open;
    bursts_.push_back(Burst{id, 0, s.amount, now, 0});
    events_.push({now, EventKind::Arrive, bursts_.size() - 1});
    return;
  }
  if (s.amount <= 0) {  // nothing to move: the stage is over at once
    o.remaining = 0;
    events_.push({now, EventKind::StageDone, static_cast<std::size_t>(id)});
    return;
  }
  o.remaining = s.amount;
  present(id, now);
}

void BurstSchedule::present(int id, std::int64_t at) {
  Op& o = ops_[static_cast<std::size_t>(id)];
  const std::int64_t bytes = std::min(o.remaining, burst_bytes_);
  o.remaining -= bytes;
  ++o.open;
  bursts_.push_back(Burst{id, o.next_burst++, bytes, at, 0});
  events_.push({at, EventKind::Arrive, bursts_.size() - 1});
}

void BurstSchedule::complete(int id, std::int64_t now) {
  ops_[static_cast<std::size_t>(id)].end = now;
  end_ = std::max(end_, now);
  // By index: starting a user adds bursts and events, never ops.
  const std::size_t users = ops_[static_cast<std::size_t>(id)].users.size();
  for (std::size_t k = 0; k < users; ++k) {
    const int u = ops_[static_cast<std::size_t>(id)].users[k];
    if (--ops_[static_cast<std::size_t>(u)].waiting == 0) start(u, now);
  }
}

void BurstSchedule::serve(std::int64_t now) {
  for (Hop& hop : hops_) {
    if (hop.free > now || hop.waiting.empty()) continue;
    const Waiting w = hop.waiting.top();
    hop.waiting.pop();
    const std::int64_t amount = bursts_[w.burst].amount;
    const std::int64_t busy_end = now + ceil_div(amount, hop.rate);
    const std::int64_t tail = std::max(busy_end, bursts_[w.burst].tail);
    hop.free = busy_end;
    if (!hop.waiting.empty()) {
      hop.armed = busy_end;
      events_.push({busy_end, EventKind::Wake, 0});
    }
    Op& o = ops_[static_cast<std::size_t>(w.op)];
    const BurstStage& s = o.stages[o.stage];
    if (s.kind == BurstStage::Kind::Command) {
      events_.push({tail + s.after, EventKind::BurstDone, w.burst});
      continue;
    }
    if (bursts_[w.burst].step == 0 && o.remaining > 0) present(w.op, busy_end);
    Burst& b = bursts_[w.burst];  // present() may have grown the vector
    ++b.step;
    b.tail = tail + hop.latency;
    if (b.step < s.hops.size()) {
      events_.push({now + hop.latency, EventKind::Arrive, w.burst});
    } else {
      events_.push({b.tail, EventKind::BurstDone, w.burst});
    }
  }
}

}  // namespace cimnet
