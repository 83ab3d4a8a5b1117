#include "models/context.hpp"

#include <algorithm>
#include <stdexcept>

namespace cimnet::model {

Resource& ModelContext::add_resource(const std::string& name, const std::string& kind, std::int64_t rate,
                                     std::int64_t latency) {
  resources_.emplace_back(name, kind, rate, latency);
  resources_.back().id = static_cast<int>(resources_.size()) - 1;
  return resources_.back();
}

void ModelContext::account(int op, int resource, std::int64_t cycles) {
  if (op < 0 || static_cast<std::size_t>(op) >= bounds_.size()) return;
  if (bounds_[static_cast<std::size_t>(op)].finished) {
    throw std::logic_error("model: a reservation for op " + std::to_string(op) + " after it completed");
  }
  const auto [it, inserted] = running_[op].try_emplace(resource, 0);
  it->second += cycles;
  if (inserted) accounts_peak_ = std::max(accounts_peak_, ++accounts_held_);
}

void ModelContext::record(const Resource& r, int op, const Reservation& res, std::int64_t amount,
                          std::int64_t trace_end) {
  account(op, r.id, res.busy_end - res.start + res.wait);
  if (trace_) {
    const std::int64_t end = trace_end >= 0 ? trace_end : res.busy_end;
    events_.push_back({r.id, op, res.start, end - res.start, amount});
  }
}

void ModelContext::charge(const Resource& r, int op, std::int64_t cycles) { account(op, r.id, cycles); }

void ModelContext::set_checkpoints(const std::vector<int>& ops) {
  checkpoint_at_.assign(bounds_.size(), 0);
  for (int op : ops) {
    if (op < 0 || static_cast<std::size_t>(op) >= checkpoint_at_.size()) {
      throw std::logic_error("model: a counter checkpoint names op " + std::to_string(op) + ", which does not exist");
    }
    checkpoint_at_[static_cast<std::size_t>(op)] = 1;
  }
}

void ModelContext::finish_op(int op) {
  if (op < 0 || static_cast<std::size_t>(op) >= bounds_.size()) return;
  if (!checkpoint_at_.empty() && checkpoint_at_[static_cast<std::size_t>(op)]) {
    Checkpoint c;
    c.op = op;
    c.calls = calls;
    c.counters.reserve(resources_.size() * 4);
    for (const Resource& r : resources_) {
      c.counters.insert(c.counters.end(), {r.busy(), r.bytes_down(), r.bytes_up(), r.transactions()});
    }
    checkpoints_.push_back(std::move(c));
  }
  Bound& b = bounds_[static_cast<std::size_t>(op)];
  b.finished = true;
  const auto it = running_.find(op);
  if (it == running_.end()) return;
  std::int64_t best_cycles = -1;
  for (const auto& [id, c] : it->second) {
    if (c > best_cycles || (c == best_cycles && id > b.resource)) {
      b.resource = id;
      best_cycles = c;
    }
  }
  b.cycles = best_cycles < 0 ? 0 : best_cycles;
  accounts_held_ -= it->second.size();
  running_.erase(it);
}

int ModelContext::bound_of(int op, std::int64_t* cycles) const {
  if (op < 0 || static_cast<std::size_t>(op) >= bounds_.size()) return -1;
  const Bound& b = bounds_[static_cast<std::size_t>(op)];
  if (cycles) *cycles = b.cycles;
  return b.resource;
}

void ModelContext::allocate(std::size_t memory, std::int64_t bytes, std::int64_t capacity, std::int64_t cycle) {
  if (!count_memories_) return;
  MemoryUse& m = memories_.at(memory);
  if (cycle != m.cycle) {
    m.peak = std::max(m.peak, m.now);  // what the last cycle with a change ended with
    m.cycle = cycle;
  }
  m.now += bytes;
  if (m.now > capacity) {
    throw std::logic_error("model: memory " + std::to_string(memory) + " holds " + std::to_string(m.now) +
                           " bytes, more than its " + std::to_string(capacity) + " (validate() should have refused)");
  }
  if (trace_ && memory >= first_buffer_) occupancy_.push_back({memory, cycle, m.now});
}

void ModelContext::release(std::size_t memory, std::int64_t bytes, std::int64_t cycle) {
  if (!count_memories_) return;
  MemoryUse& m = memories_.at(memory);
  if (cycle != m.cycle) {
    m.peak = std::max(m.peak, m.now);
    m.cycle = cycle;
  }
  m.now -= bytes;
  if (trace_ && memory >= first_buffer_) occupancy_.push_back({memory, cycle, m.now});
}

void ModelContext::trace_op(int lane, int op, std::int64_t start, std::int64_t end) {
  if (trace_) events_.push_back({-1 - lane, op, start, end - start, 0});
}

}  // namespace cimnet::model
