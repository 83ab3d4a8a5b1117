#include "program/peak_allocation.hpp"

#include <algorithm>
#include <limits>
#include <queue>

namespace cimnet {

namespace {

// Dinic's maximum flow with 64-bit capacities.
class MaxFlow {
 public:
  explicit MaxFlow(int nodes) : first_(static_cast<std::size_t>(nodes), -1), level_(first_.size()), next_(first_.size()) {}
  void add(int from, int to, std::int64_t capacity) {
    edges_.push_back({to, first_[static_cast<std::size_t>(from)], capacity});
    first_[static_cast<std::size_t>(from)] = static_cast<int>(edges_.size()) - 1;
    edges_.push_back({from, first_[static_cast<std::size_t>(to)], 0});
    first_[static_cast<std::size_t>(to)] = static_cast<int>(edges_.size()) - 1;
  }
  std::int64_t run(int source, int sink) {
    std::int64_t total = 0;
    while (levels(source, sink)) {
      next_ = first_;
      while (const std::int64_t f = push(source, sink, std::numeric_limits<std::int64_t>::max())) total += f;
    }
    return total;
  }

 private:
  struct Edge {
    int to, next;
    std::int64_t capacity;
  };
  bool levels(int source, int sink) {
    std::fill(level_.begin(), level_.end(), -1);
    std::queue<int> q;
    level_[static_cast<std::size_t>(source)] = 0;
    q.push(source);
    while (!q.empty()) {
      const int v = q.front();
      q.pop();
      for (int e = first_[static_cast<std::size_t>(v)]; e >= 0; e = edges_[static_cast<std::size_t>(e)].next) {
        const Edge& ed = edges_[static_cast<std::size_t>(e)];
        if (ed.capacity > 0 && level_[static_cast<std::size_t>(ed.to)] < 0) {
          level_[static_cast<std::size_t>(ed.to)] = level_[static_cast<std::size_t>(v)] + 1;
          q.push(ed.to);
        }
      }
    }
    return level_[static_cast<std::size_t>(sink)] >= 0;
  }
  // One augmenting path of the level graph (iterative, so deep programs cannot overflow the stack).
  std::int64_t push(int source, int sink, std::int64_t limit) {
    std::vector<int> path;  // edges
    int v = source;
    while (v != sink) {
      int& e = next_[static_cast<std::size_t>(v)];
      while (e >= 0) {
        const Edge& ed = edges_[static_cast<std::size_t>(e)];
        if (ed.capacity > 0 && level_[static_cast<std::size_t>(ed.to)] == level_[static_cast<std::size_t>(v)] + 1) break;
        e = ed.next;
      }
      if (e < 0) {  // dead end: retreat
        if (path.empty()) return 0;
        level_[static_cast<std::size_t>(v)] = -1;
        const int back = path.back();
        path.pop_back();
        v = edges_[static_cast<std::size_t>(back ^ 1)].to;
        continue;
      }
      path.push_back(e);
      v = edges_[static_cast<std::size_t>(e)].to;
    }
    std::int64_t f = limit;
    for (int e : path) f = std::min(f, edges_[static_cast<std::size_t>(e)].capacity);
    for (int e : path) {
      edges_[static_cast<std::size_t>(e)].capacity -= f;
      edges_[static_cast<std::size_t>(e ^ 1)].capacity += f;
    }
    return f;
  }

  std::vector<int> first_, level_, next_;
  std::vector<Edge> edges_;
};

}  // namespace

std::int64_t peak_allocation(const Program& program, const std::vector<int>& position,
                             const std::vector<LiveAllocation>& allocations, const std::vector<int>* order) {
  if (allocations.empty()) return 0;
  // The window of topological positions that holds every allocation and every Free of them.
  int lo = std::numeric_limits<int>::max(), hi = -1;
  std::int64_t total = 0;
  for (const auto& a : allocations) {
    lo = std::min(lo, position[static_cast<std::size_t>(a.op)]);
    hi = std::max(hi, position[static_cast<std::size_t>(a.free_op >= 0 ? a.free_op : a.op)]);
    total += a.bytes;
  }
  const int width = hi - lo + 1;
  const int source = width, sink = width + 1;  // the residual problem runs from the sink side: see below
  MaxFlow flow(width + 2);
  auto node = [&](int op) { return position[static_cast<std::size_t>(op)] - lo; };
  auto inside = [&](int op) {
    const int p = position[static_cast<std::size_t>(op)];
    return p >= lo && p <= hi;
  };
  constexpr std::int64_t kInf = std::numeric_limits<std::int64_t>::max() / 4;
  // The dependencies inside the window carry released bytes forward, without limit.
  auto carry = [&](std::size_t v) {
    for (int d : program.ops[v].deps) {
      if (inside(d)) flow.add(node(d), node(static_cast<int>(v)), kInf);
    }
  };
  if (order != nullptr) {
    for (int p = lo; p <= hi; ++p) carry(static_cast<std::size_t>((*order)[static_cast<std::size_t>(p)]));
  } else {
    for (std::size_t v = 0; v < program.ops.size(); ++v) {
      if (inside(static_cast<int>(v))) carry(v);
    }
  }
  // Start from the flow that gives every allocation its own bytes (source → op → its Free → sink),
  // then take back as much as can be handed from a Free to a later allocation: in the residual
  // graph, a Free can give back its allocation's bytes (sink side → Free), they travel along the
  // dependencies (and through the lives of allocations, which may carry any amount more), and an
  // allocation can take up to its own size (op → source side).
  for (const auto& a : allocations) {
    if (a.free_op >= 0) {
      flow.add(sink, node(a.free_op), a.bytes);
      flow.add(node(a.op), node(a.free_op), kInf);
    }
    flow.add(node(a.op), source, a.bytes);
  }
  return total - flow.run(sink, source);
}

std::int64_t worst_case_bytes(const Program& program, const Memories& memories, std::size_t memory) {
  std::vector<int> freed_by(program.ops.size(), -1);
  for (std::size_t i = 0; i < program.ops.size(); ++i) {
    const Op& op = program.ops[i];
    if (op.kind != OpKind::Free) continue;
    for (int f : op.frees) {
      if (f >= 0) freed_by[static_cast<std::size_t>(f)] = static_cast<int>(i);
    }
  }
  std::vector<LiveAllocation> lives;
  for (std::size_t i = 0; i < program.ops.size(); ++i) {
    for (const Allocation& a : allocations_of(program.ops[i], memories)) {
      if (a.memory == memory) lives.push_back({static_cast<int>(i), freed_by[i], a.bytes});
    }
  }
  if (lives.empty()) return 0;
  if (lives.size() == 1) return lives.front().bytes;
  const std::vector<int> order = topological_order(program);
  std::vector<int> position(program.ops.size());
  for (std::size_t k = 0; k < order.size(); ++k) position[static_cast<std::size_t>(order[k])] = static_cast<int>(k);
  return peak_allocation(program, position, lives);
}

}  // namespace cimnet
