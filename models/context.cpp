#include "models/context.hpp"

namespace cimnet::model {

Resource& ModelContext::add_resource(const std::string& name, const std::string& kind, std::int64_t rate,
                                     std::int64_t latency) {
  resources_.emplace_back(name, kind, rate, latency);
  resources_.back().id = static_cast<int>(resources_.size()) - 1;
  return resources_.back();
}

void ModelContext::record(const Resource& r, int op, const Reservation& res, std::int64_t amount,
                          std::int64_t trace_end) {
  if (op >= 0 && static_cast<std::size_t>(op) < accounts_.size()) {
    accounts_[static_cast<std::size_t>(op)][r.id] += res.busy_end - res.start + res.wait;
  }
  if (trace_) {
    const std::int64_t end = trace_end >= 0 ? trace_end : res.busy_end;
    events_.push_back({r.id, op, res.start, end - res.start, amount});
  }
}

void ModelContext::charge(const Resource& r, int op, std::int64_t cycles) {
  if (op >= 0 && static_cast<std::size_t>(op) < accounts_.size()) accounts_[static_cast<std::size_t>(op)][r.id] += cycles;
}

int ModelContext::bound_of(int op, std::int64_t* cycles) const {
  int best = -1;
  std::int64_t best_cycles = -1;
  if (op < 0 || static_cast<std::size_t>(op) >= accounts_.size()) return -1;
  for (const auto& [id, c] : accounts_[static_cast<std::size_t>(op)]) {
    if (c > best_cycles || (c == best_cycles && id > best)) {
      best = id;
      best_cycles = c;
    }
  }
  if (cycles) *cycles = best_cycles < 0 ? 0 : best_cycles;
  return best;
}

void ModelContext::trace_op(int lane, int op, std::int64_t start, std::int64_t end) {
  if (trace_) events_.push_back({-1 - lane, op, start, end - start, 0});
}

}  // namespace cimnet::model
