#pragma once
// A hop: one timed resource that serves requests in the order they reach it in simulated time.
//
// A request is a burst's head reaching the hop at cycle `arrival` (its last data at `tail`), or a
// command reaching a core or the vector unit. The hop is a SystemC process woken by its own event at
// `phase` of a cycle (models/timing.hpp): at cycle c it serves, among the requests that have arrived
// by c, the one with the smallest (arrival, tie key), provided it is free:
//
//   start    = c  (= max(arrival, when the hop became free))
//   busy_end = start + ceil(amount / rate)          the hop is free again
//   tail     = max(busy_end, tail of the request)   cut-through: no faster than the data arrives
//
// and hands the result to its owner (HopClient), which forwards the burst (the next hop's arrival is
// start + latency, its tail tail + latency) or completes it. One request at a time: occupancy is at
// least one cycle.
//
// A request may be posted with a priority class (0, the default, first): among the requests that have
// arrived by c, the hop serves the lowest class, each class in (arrival, tie key) order; it never
// idles while a request waits, and never interrupts a service. The links use classes (DRAM, L2, L1;
// docs/model.md, "The links' service rule", forward.hpp's traffic_class): activations, then weight
// loads, then the arrays' write-backs, then prefetched weight loads (Op::prefetch); an array's port
// posts prefetched weight loads in class 3 and everything else in class 0 (forward.hpp's
// queue_at_port); other hops post everything in class 0.
//
// Ties (two requests reaching the hop in the same cycle) go by TieKey, which says nothing of op
// numbering: the op that became ready first, then up flows before down flows, then the lower array,
// the larger burst, the earlier burst of its flow; requests equal in all of these belong to ops that
// are interchangeable, and go in program order (within one op, by its part: a forwarding reduce's
// decoders in order).
#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include <systemc>

#include "models/context.hpp"
#include "models/resource.hpp"
#include "models/timing.hpp"

namespace cimnet::model {

struct TieKey {
  std::int64_t ready = 0;   // cycle the op's dependencies had completed
  int order = 0;            // the op's service rank among ops ready together (Op::order)
  int down = 0;             // 0 for up flows (towards DRAM), 1 for down flows and commands
  int array = 0;            // the array at the flow's array end (lowest of a multicast); 0 when none
  std::int64_t bytes = 0;   // the op's bytes per array (larger first)
  std::int64_t burst = 0;   // index of the burst within its flow
  int op = 0;               // program order, among requests equal in everything else
  int part = 0;             // within one op, the part of it a flow is (a forwarding reduce: the decoder's rank)
  bool operator<(const TieKey& o) const {
    return std::tie(ready, order, down, array, o.bytes, burst, op, part) <
           std::tie(o.ready, o.order, o.down, o.array, bytes, o.burst, o.op, o.part);
  }
};

class Hop;

// The owner of a hop: told when each request has been served.
class HopClient {
 public:
  virtual ~HopClient() = default;
  virtual void served(Hop& hop, void* item, const Reservation& r) = 0;
};

class Hop {
 public:
  // Registers the resource with the context and spawns the hop's process (call during elaboration).
  Hop(ModelContext& ctx, const std::string& name, const std::string& kind, std::int64_t rate, std::int64_t latency,
      HopClient& client, Phase phase = kHopPhase);
  Hop(const Hop&) = delete;
  Hop& operator=(const Hop&) = delete;

  // A request for op `op` reaches the hop at cycle `arrival` (at or after the current cycle, posted
  // before the hop's phase of that cycle), its last data at `tail`; `amount` is bytes, MACs or
  // element operations. `item` is handed back to the client when served.
  void post(std::int64_t arrival, std::int64_t tail, std::int64_t amount, const TieKey& key, int op, bool up,
            void* item, int priority = 0);
  static constexpr int kPriorities = 4;
  // Class `priority` becomes a queue of ops: among its requests that have arrived, the hop serves the
  // op that became ready first (then the lower Op::order), and only among requests of equal (ready,
  // order) by arrival and tie key. The bursts of one op then go out before those of an op ready
  // later, instead of taking turns with them (call during elaboration).
  void queue_by_op(int priority);

  const Resource& resource() const { return res_; }
  Resource& resource() { return res_; }
  std::int64_t latency() const { return res_.latency(); }
  // For a client whose service ends later than ceil(amount / rate) and is known only later (a core
  // waiting for its operand reads, then its pipeline): called from served(), keeps the hop busy until
  // release() names the end.
  void hold();
  void release(std::int64_t end, int op);

 private:
  struct Waiting {
    std::int64_t arrival;
    TieKey key;
    std::int64_t tail;
    std::int64_t amount;
    int op;
    bool up;
    void* item;
    bool operator>(const Waiting& o) const {
      return arrival != o.arrival ? arrival > o.arrival : o.key < key;
    }
  };
  void serve();
  void arm(std::int64_t cycle);
  void rearm();  // for the earliest request waiting in either class

  ModelContext& ctx_;
  Resource& res_;
  HopClient& client_;
  Phase phase_;
  std::vector<Waiting> heaps_[kPriorities];  // per priority class, a min-heap by (arrival, key)
  // Classes queued by op: their arrived requests, a min-heap by (ready, order, arrival, key).
  bool by_op_[kPriorities] = {};
  std::vector<Waiting> arrived_[kPriorities];
  struct LaterOp {
    bool operator()(const Waiting& a, const Waiting& b) const {
      if (a.key.ready != b.key.ready) return a.key.ready > b.key.ready;
      if (a.key.order != b.key.order) return a.key.order > b.key.order;
      return a > b;
    }
  };
  sc_core::sc_event wake_;
  std::int64_t free_ = 0;      // first cycle the hop is free
  std::int64_t armed_ = -1;    // cycle the wake is set for (-1: none)
  std::int64_t served_end_ = 0;  // busy_end of the last service (hold/release)
};

}  // namespace cimnet::model
