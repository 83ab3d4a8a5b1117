#pragma once
// A small program run burst by burst over the timed model's hops, by the model's own rules
// (models/hop.hpp, models/controller.cpp), without SystemC: the analytical model's exact schedule of a
// layer whose ops it can name one by one (a vector layer's chunks, a digital core's tiles).
//
// An op waits for its dependencies, then runs its stages one after another (a vector op: read its
// input, the vector unit's work, write its result). A stage is
//   - a flow: `amount` bytes in bursts of at most `burst_bytes`, each crossing `hops` in order. A hop
//     serves one request at a time, the earliest arrived first (ties: the op that became ready first,
//     then up flows before down flows and commands, then the op with more bytes, the earlier burst,
//     the earlier op); a burst occupies it for ceil(bytes ⁄ rate) cycles from its start, its head
//     reaches the next hop one latency after its start and its tail one latency after the later of its
//     service's end and its own tail (cut-through); the flow's next burst is presented when the previous
//     one has left the first hop; the stage ends when its last burst's tail has crossed the last hop;
//   - a command: `amount` units of work at one hop (ceil(amount ⁄ rate) cycles once served), ending
//     `after` cycles past its service (a pipeline's drain).
// An op without stages (a Free) completes as soon as it is ready. Ops, hops and bursts are numbered in
// the order they are added, which is the program's order.
#include <cstdint>
#include <functional>
#include <queue>
#include <vector>

namespace cimnet {

struct BurstStage {
  enum class Kind { Flow, Command } kind = Kind::Flow;
  std::vector<std::size_t> hops;  // a flow's path; a command's one hop
  std::int64_t amount = 0;        // bytes of a flow, units of a command
  bool up = false;                // a flow towards DRAM (its tie rank before down flows)
  std::int64_t after = 0;         // a command's cycles from the end of its service to its end
};

class BurstSchedule {
 public:
  explicit BurstSchedule(std::int64_t burst_bytes) : burst_bytes_(burst_bytes) {}

  std::size_t add_hop(std::int64_t rate, std::int64_t latency);
  // `key_bytes`: the op's bytes as the tie rule sees them. Dependencies < 0 are ignored.
  int add_op(std::vector<BurstStage> stages, const std::vector<int>& deps, std::int64_t key_bytes);
  int add_free(const std::vector<int>& deps) { return add_op({}, deps, 0); }

  // Runs the ops (once) and returns the cycle the last of them completes.
  std::int64_t run();
  // After run(): when op `op` completed.
  std::int64_t end_of(int op) const { return ops_[static_cast<std::size_t>(op)].end; }

 private:
  // A request waiting at a hop, in the hop's order of service.
  struct Waiting {
    std::int64_t arrival, ready;
    int down;
    std::int64_t key_bytes, index;
    int op;
    std::size_t burst;
    bool operator>(const Waiting& o) const;
  };
  struct Hop {
    std::int64_t rate = 1, latency = 0;
    std::int64_t free = 0;
    std::int64_t armed = -1;  // the cycle a wake is set for
    std::priority_queue<Waiting, std::vector<Waiting>, std::greater<Waiting>> waiting;
  };
  struct Op {
    std::vector<BurstStage> stages;
    std::vector<int> users;
    int waiting = 0;
    std::int64_t key_bytes = 0;
    std::int64_t ready = 0, end = 0;
    std::size_t stage = 0;
    // The current stage's bursts: bytes not yet presented, the next burst's index, bursts not yet
    // done, the latest done.
    std::int64_t remaining = 0, next_burst = 0, open = 0, done = 0;
  };
  struct Burst {
    int op = 0;
    std::int64_t index = 0, amount = 0, tail = 0;
    std::size_t step = 0;  // hops of its stage crossed so far
  };
  enum class EventKind { Arrive, BurstDone, StageDone, Wake };
  struct Event {
    std::int64_t time;
    EventKind kind;
    std::size_t what;
    bool operator>(const Event& o) const { return time > o.time; }
  };

  void start(int op, std::int64_t now);
  void start_stage(int op, std::int64_t now);
  void present(int op, std::int64_t at);
  void complete(int op, std::int64_t now);
  void serve(std::int64_t now);

  std::int64_t burst_bytes_;
  std::vector<Hop> hops_;
  std::vector<Op> ops_;
  std::vector<Burst> bursts_;
  std::priority_queue<Event, std::vector<Event>, std::greater<Event>> events_;
  std::int64_t end_ = 0;
};

}  // namespace cimnet
