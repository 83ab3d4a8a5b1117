#pragma once
// A timed resource shared by the modules: a link (bandwidth in bytes per cycle and a latency), an
// array port, a reduction unit, the vector unit. Plain C++: the SystemC modules own them and reserve
// them from b_transport.
//
// Semantics (docs/model.md): a burst of `amount` whose first data reaches the resource at `head` and
// whose last data reaches it at `tail` starts at max(head, next_free), occupies the resource for
// ceil(amount / rate) cycles (next_free moves by that much: requests are served in the order they are
// reserved), and its last data leaves at max(start + occupancy, tail): a resource cannot pass data on
// faster than it receives it (cut-through), but does not stay occupied while waiting for it.
#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>

namespace cimnet::model {

struct Reservation {
  std::int64_t start = 0;     // occupancy begins
  std::int64_t busy_end = 0;  // occupancy ends (the resource is free again)
  std::int64_t tail = 0;      // last data out (>= busy_end)
  std::int64_t wait = 0;      // start - head: queueing behind earlier reservations
};

inline std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

class Resource {
 public:
  Resource(std::string name, std::string kind, std::int64_t rate, std::int64_t latency)
      : name_(std::move(name)), kind_(std::move(kind)), rate_(rate), latency_(latency) {}

  Reservation reserve(std::int64_t head, std::int64_t tail, std::int64_t amount, bool up) {
    Reservation r;
    const std::int64_t occupancy = ceil_div(amount, rate_);
    r.start = std::max(head, next_free_);
    r.busy_end = r.start + occupancy;
    r.tail = std::max(r.busy_end, tail);
    r.wait = r.start - head;
    next_free_ = r.busy_end;
    busy_ += occupancy;
    (up ? bytes_up_ : bytes_down_) += amount;
    ++transactions_;
    return r;
  }

  // Keeps the resource busy until `end` (e.g. a core waiting for operands, then draining its pipeline).
  void hold_until(std::int64_t end) {
    if (end > next_free_) {
      busy_ += end - next_free_;
      next_free_ = end;
    }
  }

  const std::string& name() const { return name_; }
  const std::string& kind() const { return kind_; }
  std::int64_t rate() const { return rate_; }
  std::int64_t latency() const { return latency_; }
  std::int64_t busy() const { return busy_; }
  std::int64_t bytes_down() const { return bytes_down_; }
  std::int64_t bytes_up() const { return bytes_up_; }
  std::int64_t transactions() const { return transactions_; }
  int id = -1;  // index in ModelContext::resources

 private:
  std::string name_;
  std::string kind_;
  std::int64_t rate_;
  std::int64_t latency_;
  std::int64_t next_free_ = 0;
  std::int64_t busy_ = 0;
  std::int64_t bytes_down_ = 0;
  std::int64_t bytes_up_ = 0;
  std::int64_t transactions_ = 0;
};

}  // namespace cimnet::model
