#include "mapping/digital_schedule.hpp"

#include <algorithm>
#include <queue>
#include <vector>

#include "mapping/digital_tiles.hpp"
#include "mapping/gemm_view.hpp"

namespace cimnet {

namespace {

std::int64_t ceil_div(std::int64_t a, std::int64_t b) { return (a + b - 1) / b; }

// One op of the layer's program as the schedule sees it.
struct Node {
  enum class Kind { Load, Store, Compute, Free } kind = Kind::Free;
  std::int64_t amount = 0;  // bytes of a move, steps of a computation
  std::vector<int> users;   // the nodes that wait for this one
  int waiting = 0;          // dependencies not yet done
  std::int64_t ready = 0;
};

// The layer's ops and their dependencies, added in the program's order (node index = op order).
struct Graph {
  std::vector<Node> nodes;
  int add(Node::Kind kind, std::int64_t amount, const std::vector<int>& deps) {
    const int id = static_cast<int>(nodes.size());
    Node n;
    n.kind = kind;
    n.amount = amount;
    for (int d : deps) {
      if (d < 0) continue;
      nodes[static_cast<std::size_t>(d)].users.push_back(id);
      ++n.waiting;
    }
    nodes.push_back(std::move(n));
    return id;
  }
};

// One of the core's buffers, by digital_program.cpp's rules: an allocation waits for the Free of the
// allocation `depth` before it (two; one for weights written into the grid); a Free follows the
// allocation's last users.
struct Slots {
  std::size_t depth = 2;
  int current = -1;
  std::vector<int> frees;
  int space() const { return frees.size() < depth ? -1 : frees[frees.size() - depth]; }
  void release(Graph& g, std::vector<int> users) {
    if (current < 0) return;
    users.push_back(current);
    frees.push_back(g.add(Node::Kind::Free, 0, users));
    current = -1;
  }
};

// The graph of the layer's program (digital_program.cpp builds the same ops in the same order).
Graph layer_graph(const Layer& layer, const DigitalCore& core, const DigitalTiling& tiling) {
  Graph g;
  Slots weights, inputs, outputs;
  weights.depth = static_cast<std::size_t>(core.weight_slots);
  int last_compute = -1;
  std::vector<int> spilled;  // per output tile: the move out of its partial sums
  std::vector<int> weight_users, input_users, output_users;
  walk_digital_tiles(layer, core, tiling, [&](const DigitalTile& t) {
    if (t.new_weights) {
      weights.release(g, weight_users);
      weight_users.clear();
      weights.current = g.add(Node::Kind::Load, t.weight_bytes, {weights.space()});
    }
    if (t.new_inputs) {
      inputs.release(g, input_users);
      input_users.clear();
      inputs.current = g.add(Node::Kind::Load, t.input_bytes, {inputs.space()});
    }
    std::vector<int> deps = {weights.current, inputs.current, last_compute};
    const std::int64_t psum_bytes = bits_to_bytes(t.output_elements, core.accumulator_bits);
    bool allocates = false;
    if (t.new_outputs) {
      if (t.outputs_return) {
        outputs.current = g.add(Node::Kind::Load, psum_bytes,
                                {outputs.space(), spilled[static_cast<std::size_t>(t.output_tile)]});
        deps.push_back(outputs.current);
      } else {
        allocates = true;
        deps.push_back(outputs.space());
      }
    }
    const int c = g.add(Node::Kind::Compute, t.steps, deps);
    if (allocates) outputs.current = c;
    weight_users.push_back(c);
    input_users.push_back(c);
    output_users.push_back(c);
    last_compute = c;
    if (t.outputs_leave) {
      const std::int64_t bytes =
          t.outputs_final ? bits_to_bytes(t.output_elements, layer.output_bits) : psum_bytes;
      const int out = g.add(Node::Kind::Store, bytes, output_users);
      output_users.clear();
      if (!t.outputs_final) {
        if (spilled.size() <= static_cast<std::size_t>(t.output_tile)) {
          spilled.resize(static_cast<std::size_t>(t.output_tile) + 1, -1);
        }
        spilled[static_cast<std::size_t>(t.output_tile)] = out;
      }
      outputs.release(g, {out});
    }
  });
  weights.release(g, weight_users);
  inputs.release(g, input_users);
  return g;
}

// The graph run over the path: each move a flow of bursts crossing the hops, each hop serving the
// earliest-arrived burst when free (ties: the op ready first, up before down, the larger op, the
// earlier burst, program order — models/hop.hpp's rule), cut-through (a burst's head reaches the next
// hop one latency after its service starts, its tail one latency after the later of its service's end
// and its own tail's arrival); a flow's next burst leaves when the previous has left the first hop.
class Run {
 public:
  Run(Graph& g, const DigitalCore& core, const DigitalPath& path) : g_(g), core_(core), path_(path) {
    if (path_.hops.empty()) {  // a path given only by its narrowest rate and latencies
      path_.hops = {DigitalHop{path.bytes_per_cycle, path.latency_down}};
    }
    hops_.resize(path_.hops.size());
    flows_.resize(g_.nodes.size());
  }

  std::int64_t cycles() {
    for (std::size_t i = 0; i < g_.nodes.size(); ++i) {
      if (g_.nodes[i].waiting == 0) start(static_cast<int>(i), 0);
    }
    while (!events_.empty()) {
      const std::int64_t now = events_.top().time;
      while (!events_.empty() && events_.top().time == now) {
        const Event e = events_.top();
        events_.pop();
        handle(e, now);
      }
      serve(now);
    }
    return end_;
  }

 private:
  struct Burst {
    int node = 0;
    std::int64_t index = 0, bytes = 0, tail = 0;
    std::size_t step = 0;  // hops crossed so far
  };
  struct Waiting {
    std::int64_t arrival, ready;
    int down;
    std::int64_t op_bytes, index;
    int node;
    std::size_t burst;
    bool operator>(const Waiting& o) const {
      if (arrival != o.arrival) return arrival > o.arrival;
      if (ready != o.ready) return ready > o.ready;
      if (down != o.down) return down > o.down;
      if (op_bytes != o.op_bytes) return op_bytes < o.op_bytes;
      if (index != o.index) return index > o.index;
      return node > o.node;
    }
  };
  struct HopState {
    std::int64_t free = 0;
    std::int64_t armed = -1;  // the cycle a wake is set for
    std::priority_queue<Waiting, std::vector<Waiting>, std::greater<Waiting>> waiting;
  };
  struct Flow {
    std::int64_t remaining = 0, next = 0, open = 0;
    std::int64_t done = 0;
  };
  enum class EventKind { Arrive, BurstDone, NodeDone, Wake };
  struct Event {
    std::int64_t time;
    EventKind kind;
    std::size_t what;
    bool operator>(const Event& o) const { return time > o.time; }
  };

  bool up(int node) const { return g_.nodes[static_cast<std::size_t>(node)].kind == Node::Kind::Store; }
  std::size_t hop_of(const Burst& b) const {
    return up(b.node) ? path_.hops.size() - 1 - b.step : b.step;
  }

  void start(int id, std::int64_t now) {
    Node& n = g_.nodes[static_cast<std::size_t>(id)];
    n.ready = now;
    switch (n.kind) {
      case Node::Kind::Free:
        complete(id, now);
        return;
      case Node::Kind::Compute:  // the grid runs the tiles in order: its predecessor is a dependency
        events_.push({now + n.amount + core_.pipeline_cycles, EventKind::NodeDone, static_cast<std::size_t>(id)});
        return;
      default:
        if (n.amount <= 0) {
          complete(id, now);
          return;
        }
        flows_[static_cast<std::size_t>(id)] = Flow{n.amount, 0, 0, now};
        present(id, now);
    }
  }

  void present(int id, std::int64_t at) {
    Flow& f = flows_[static_cast<std::size_t>(id)];
    const std::int64_t bytes = std::min(f.remaining, path_.burst_bytes);
    f.remaining -= bytes;
    ++f.open;
    bursts_.push_back(Burst{id, f.next++, bytes, at, 0});
    events_.push({at, EventKind::Arrive, bursts_.size() - 1});
  }

  void complete(int id, std::int64_t now) {
    end_ = std::max(end_, now);
    // By index: starting a user adds bursts and events, never nodes.
    const std::size_t users = g_.nodes[static_cast<std::size_t>(id)].users.size();
    for (std::size_t k = 0; k < users; ++k) {
      const int u = g_.nodes[static_cast<std::size_t>(id)].users[k];
      if (--g_.nodes[static_cast<std::size_t>(u)].waiting == 0) start(u, now);
    }
  }

  void handle(const Event& e, std::int64_t now) {
    switch (e.kind) {
      case EventKind::Arrive: {
        const Burst& b = bursts_[e.what];
        const Node& n = g_.nodes[static_cast<std::size_t>(b.node)];
        HopState& hop = hops_[hop_of(b)];
        hop.waiting.push(Waiting{now, n.ready, up(b.node) ? 0 : 1, n.amount, b.index, b.node, e.what});
        if (hop.free > now && hop.armed != hop.free) {  // busy: look again when it frees
          hop.armed = hop.free;
          events_.push({hop.free, EventKind::Wake, 0});
        }
        return;
      }
      case EventKind::BurstDone: {
        Flow& f = flows_[static_cast<std::size_t>(bursts_[e.what].node)];
        f.done = std::max(f.done, now);
        if (--f.open == 0 && f.remaining == 0) complete(bursts_[e.what].node, f.done);
        return;
      }
      case EventKind::NodeDone:
        complete(static_cast<int>(e.what), now);
        return;
      case EventKind::Wake:
        return;
    }
  }

  void serve(std::int64_t now) {
    for (std::size_t h = 0; h < hops_.size(); ++h) {
      HopState& hop = hops_[h];
      if (hop.free > now || hop.waiting.empty()) continue;
      const Waiting w = hop.waiting.top();
      hop.waiting.pop();
      Burst& b = bursts_[w.burst];
      const DigitalHop& spec = path_.hops[h];
      const std::int64_t busy_end = now + ceil_div(b.bytes, spec.bytes_per_cycle);
      const std::int64_t tail = std::max(busy_end, b.tail);
      hop.free = busy_end;
      if (!hop.waiting.empty()) {
        hop.armed = busy_end;
        events_.push({busy_end, EventKind::Wake, 0});
      }
      if (b.step == 0 && flows_[static_cast<std::size_t>(b.node)].remaining > 0) present(b.node, busy_end);
      Burst& moved = bursts_[w.burst];  // present() may have grown the vector
      ++moved.step;
      moved.tail = tail + spec.latency;
      if (moved.step < path_.hops.size()) {
        events_.push({now + spec.latency, EventKind::Arrive, w.burst});
      } else {
        events_.push({moved.tail, EventKind::BurstDone, w.burst});
      }
    }
  }

  Graph& g_;
  const DigitalCore& core_;
  DigitalPath path_;
  std::vector<HopState> hops_;
  std::vector<Burst> bursts_;
  std::vector<Flow> flows_;  // per node (moves only)
  std::priority_queue<Event, std::vector<Event>, std::greater<Event>> events_;
  std::int64_t end_ = 0;
};

}  // namespace

std::int64_t digital_schedule_cycles(const Layer& layer, const DigitalCore& core, const DigitalTiling& tiling,
                                     const DigitalPath& path) {
  Graph g = layer_graph(layer, core, tiling);
  return Run(g, core, path).cycles();
}

}  // namespace cimnet
