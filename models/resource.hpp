#pragma once
// What the results report of one timed resource (a link, an array port, a buffer port, a reduction
// or vector unit, a compute core): its name, kind, rate and latency, and what it served. The serving
// itself is models/hop.hpp; plain C++ here so that the trace and VCD writers need no SystemC.
#include <cstdint>
#include <string>
#include <utility>

namespace cimnet::model {

inline std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

// One service: a request whose first data reached the resource at `arrival` (its head) started at
// `start`, occupied the resource until `busy_end` and had its last data out at `tail`.
struct Reservation {
  std::int64_t start = 0;     // occupancy begins
  std::int64_t busy_end = 0;  // occupancy ends (the resource is free again)
  std::int64_t tail = 0;      // last data out (>= busy_end)
  std::int64_t wait = 0;      // start - arrival: queueing behind earlier requests
};

class Resource {
 public:
  Resource(std::string name, std::string kind, std::int64_t rate, std::int64_t latency)
      : name_(std::move(name)), kind_(std::move(kind)), rate_(rate), latency_(latency) {}

  // Counts one service of `amount` (bytes, MACs or element operations) lasting `occupancy` cycles.
  void count(std::int64_t amount, std::int64_t occupancy, bool up) {
    busy_ += occupancy;
    (up ? bytes_up_ : bytes_down_) += amount;
    ++transactions_;
  }
  // Extra busy cycles without a transfer (a core waiting for operands, then draining its pipeline).
  void add_busy(std::int64_t cycles) { busy_ += cycles; }

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
  std::int64_t busy_ = 0;
  std::int64_t bytes_down_ = 0;
  std::int64_t bytes_up_ = 0;
  std::int64_t transactions_ = 0;
};

}  // namespace cimnet::model
