#pragma once
// State shared by every module of one elaborated model: the registry of timed resources, per-op
// accounting for stall attribution, the trace recorder and the transport-call counter. Plain C++.
#include <cstdint>
#include <algorithm>
#include <deque>
#include <string>
#include <unordered_map>
#include <vector>

#include "hardware/hardware.hpp"
#include "models/resource.hpp"

namespace cimnet::model {

struct TraceEvent {
  int track;            // resource id, or -1 - lane for the controller's op lanes
  int op;               // op id, -1 for none
  std::int64_t start;   // cycles (kernel time + local offset)
  std::int64_t duration;
  std::int64_t bytes;
};

class ModelContext {
 public:
  ModelContext(const HardwareConfig& hw, bool trace)
      : hw_(hw), trace_(trace), scratch_(static_cast<std::size_t>(hw.fixed.burst_bytes)) {}

  // Resources live in a deque so that pointers handed to modules stay valid.
  Resource& add_resource(const std::string& name, const std::string& kind, std::int64_t rate, std::int64_t latency);
  const std::deque<Resource>& resources() const { return resources_; }

  // Every reservation made on behalf of op `op` goes through here (stall attribution and trace).
  void record(const Resource& r, int op, const Reservation& res, std::int64_t amount, std::int64_t trace_end = -1);
  // Extra cycles charged to a resource for an op without a reservation (e.g. core pipeline fill).
  void charge(const Resource& r, int op, std::int64_t cycles);
  // The last reservation recorded ends at `end` in the trace (a core held for its operands and its
  // pipeline: one slice from its start to its end).
  void extend_last_trace(const Resource& r, std::int64_t end) {
    if (!trace_) return;
    for (auto it = events_.rbegin(); it != events_.rend(); ++it) {
      if (it->track == r.id) {
        it->duration = std::max(it->duration, end - it->start);
        return;
      }
    }
  }
  void set_op_count(std::size_t n) { bounds_.assign(n, Bound{}); }
  // The resources' counters (busy cycles, bytes down and up, transactions) and the transport calls,
  // recorded when each of these ops completes (SimOptions::counter_checkpoints).
  struct Checkpoint {
    int op = 0;
    std::int64_t calls = 0;
    std::vector<std::int64_t> counters;  // four per resource, in registration order
  };
  void set_checkpoints(const std::vector<int>& ops);
  const std::vector<Checkpoint>& checkpoints() const { return checkpoints_; }
  // The op has completed: its per-resource account is reduced to its bound and freed, so the accounts
  // held at once are those of the running ops (memory: the ops in flight × the resources each uses,
  // not the whole program × its arrays). A reservation for a finished op is an internal error.
  void finish_op(int op);
  // The resource that bounded op `op`: largest busy + queueing cycles (ties: the later-registered one,
  // i.e. the one nearer the arrays). Returns -1 when the op reserved nothing.
  int bound_of(int op, std::int64_t* cycles) const;
  // Most (op, resource) accounts held at once during the run (a structural fact the tests check).
  std::size_t accounts_peak() const { return accounts_peak_; }

  void trace_op(int lane, int op, std::int64_t start, std::int64_t end);
  bool tracing() const { return trace_; }
  const std::vector<TraceEvent>& trace_events() const { return events_; }

  // Occupancy of the memories with a capacity (program/memories.hpp numbering), by the program's
  // allocations: from an op's start until the Free of it completes. Exceeding a capacity is an
  // internal error (validate() proves it cannot happen). The trace gets a counter per buffer. The peak
  // is over whole cycles (what is held once every allocation and release of a cycle has happened,
  // program/memory_occupancy.hpp's rule), not event by event: the controller's order of issue inside a
  // cycle is not the hardware's, and a peak by cycles is what a replay of equal segments can rebuild
  // from the ops' timings (models/segment_replay.hpp).
  struct MemoryUse {
    std::int64_t now = 0;
    std::int64_t peak = 0;    // the most held at the end of any cycle before `cycle`
    std::int64_t cycle = -1;  // the cycle of the latest allocation or release
    std::int64_t peak_bytes() const { return std::max(peak, now); }
  };
  void set_memories(std::size_t count, std::size_t first_buffer) {
    memories_.assign(count, MemoryUse{});
    first_buffer_ = first_buffer;
  }
  // Off: allocations and releases are not counted (SimOptions::count_memories), every peak 0.
  void count_memories(bool on) { count_memories_ = on; }
  void allocate(std::size_t memory, std::int64_t bytes, std::int64_t capacity, std::int64_t cycle);
  void release(std::size_t memory, std::int64_t bytes, std::int64_t cycle);
  const std::vector<MemoryUse>& memories() const { return memories_; }
  struct OccupancyEvent {
    std::size_t memory;
    std::int64_t cycle, bytes;
  };
  const std::vector<OccupancyEvent>& occupancy_events() const { return occupancy_; }

  const HardwareConfig& hw() const { return hw_; }
  // One burst of scratch bytes for every payload's data pointer: the model times data, it never
  // reads or writes it, so one buffer serves all modules (one per core cost 4 KiB per array).
  unsigned char* scratch() { return scratch_.data(); }
  std::int64_t calls = 0;  // nb_transport calls through any socket

 private:
  HardwareConfig hw_;
  bool trace_;
  std::deque<Resource> resources_;
  struct Bound {
    int resource = -1;  // -1: nothing reserved (yet)
    std::int64_t cycles = 0;
    bool finished = false;
  };
  std::vector<Bound> bounds_;                                               // per op
  std::vector<char> checkpoint_at_;                                         // per op
  std::vector<Checkpoint> checkpoints_;
  std::unordered_map<int, std::unordered_map<int, std::int64_t>> running_;  // op -> resource -> cycles
  std::size_t accounts_held_ = 0, accounts_peak_ = 0;
  bool count_memories_ = true;
  void account(int op, int resource, std::int64_t cycles);
  std::vector<TraceEvent> events_;
  std::vector<unsigned char> scratch_;
  std::vector<MemoryUse> memories_;
  std::size_t first_buffer_ = 0;
  std::vector<OccupancyEvent> occupancy_;
};

}  // namespace cimnet::model
