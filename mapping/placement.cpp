#include "mapping/placement.hpp"

#include <algorithm>

#include "mapping/program_builder.hpp"
#include "mapping/transfer_time.hpp"

namespace cimnet {

namespace {

bool fusable_kind(const Layer& l) {
  return l.kind == LayerKind::Activation || l.kind == LayerKind::Eltwise || l.kind == LayerKind::Pool;
}

// Bytes of the producer's output that a layer reads (the network input for -1).
std::int64_t tensor_bytes(const Network& net, int producer, const Layer& reader) {
  return producer < 0 ? reader.input_bytes() : net.layers[static_cast<std::size_t>(producer)].output_bytes();
}

PostOp post_op(const Network& net, const Layer& p, int chain_input) {
  PostOp post;
  post.name = p.name;
  post.in_bytes = std::max<std::int64_t>(1, p.input_bytes());
  post.ops = std::max<std::int64_t>(1, p.vector_ops());
  post.out_bytes = std::max<std::int64_t>(1, p.output_bytes());
  post.other_bytes = std::max<std::int64_t>(0, p.input_bytes() - tensor_bytes(net, chain_input, p));
  return post;
}

// A non-MAC step's output in the global buffer (its chunks' shares, at least a byte each) and its
// chunks in flight.
std::int64_t vector_kept(const Layer& l, const HardwareConfig& hw) {
  const VectorChunks c = vector_chunks(l, hw);
  std::int64_t kept = 0;
  for (std::int64_t i = 0; i < c.count; ++i) {
    kept += std::max<std::int64_t>(1, c.out_bytes / c.count + (i < c.out_bytes % c.count ? 1 : 0));
  }
  return kept;
}
std::int64_t vector_working(const Layer& l, const HardwareConfig& hw) { return vector_chunks(l, hw).in_flight_bytes(); }

// Who reads each layer's output, and whether a matmul loads it as its stationary operand.
struct Readers {
  std::vector<std::vector<int>> of;
  std::vector<bool> stationary;
  explicit Readers(const Network& net) : of(net.layers.size()), stationary(net.layers.size(), false) {
    for (std::size_t j = 0; j < net.layers.size(); ++j) {
      const Layer& l = net.layers[j];
      for (std::size_t k = 0; k < l.inputs.size(); ++k) {
        const int p = l.inputs[k];
        if (p < 0) continue;
        of[static_cast<std::size_t>(p)].push_back(static_cast<int>(j));
        if (l.kind == LayerKind::MatMul && k == 1) stationary[static_cast<std::size_t>(p)] = true;
      }
    }
  }
};

// Per layer, the layer after it in `order` (−1 for the last).
std::vector<int> successors(std::size_t n, const std::vector<int>& order) {
  std::vector<int> next(n, -1);
  for (std::size_t k = 0; k + 1 < order.size(); ++k) next[static_cast<std::size_t>(order[k])] = order[k + 1];
  return next;
}

// The post-ops that may follow MAC layer i in its output path (the fusion rule of placement.hpp), the
// layers after it in the order given by `next`.
std::vector<PostOp> chain_after(const Network& net, const Readers& readers, const std::vector<int>& next, std::size_t i) {
  std::vector<PostOp> chain;
  for (int tail = static_cast<int>(i); next[static_cast<std::size_t>(tail)] >= 0;) {
    const int after = next[static_cast<std::size_t>(tail)];
    const Layer& p = net.layers[static_cast<std::size_t>(after)];
    const auto& r = readers.of[static_cast<std::size_t>(tail)];
    const auto uses = std::count(p.inputs.begin(), p.inputs.end(), tail);
    if (!fusable_kind(p) || r.size() != 1 || r.front() != after || uses != 1 ||
        readers.stationary[static_cast<std::size_t>(tail)]) {
      break;
    }
    chain.push_back(post_op(net, p, tail));
    tail = after;
  }
  return chain;
}

std::vector<int> identity_order(std::size_t n) {
  std::vector<int> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<int>(i);
  return order;
}

}  // namespace

std::vector<std::vector<PostOp>> fusable_chains(const Network& net) {
  const Readers readers(net);
  const std::vector<int> next = successors(net.layers.size(), identity_order(net.layers.size()));
  std::vector<std::vector<PostOp>> out(net.layers.size());
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    if (net.layers[i].is_mac_layer()) out[i] = chain_after(net, readers, next, i);
  }
  return out;
}

std::vector<LayerPlacement> place_network(const Network& net, const HardwareConfig& hw,
                                          const std::vector<Plan>& plans, Execution execution,
                                          const std::vector<DigitalStep>& digital, const std::vector<int>& order) {
  const std::size_t n = net.layers.size();
  std::vector<LayerPlacement> out(n);
  if (execution == Execution::LayerByLayer) return out;
  const std::int64_t capacity = hw.fixed.gb_bytes;
  const Readers r_of(net);
  const auto& readers = r_of.of;
  const auto& stationary = r_of.stationary;
  const std::vector<int> issue = order.empty() ? identity_order(n) : order;
  const std::vector<int> next = successors(n, issue);
  // Steps: each MAC layer with the post-ops it can take, every other layer on its own.
  std::vector<int> step_of(n, -1), tail_of_step, head_of_step;
  std::vector<std::int64_t> working;  // per step: its own allocations in the global buffer at most
  std::vector<std::int64_t> staged;   // of which: the staged copy of its input (none once the input is kept)
  auto on_digital = [&](std::size_t i) { return i < digital.size() && digital[i].on_digital; };
  for (std::size_t at = 0; at < n;) {
    const auto i = static_cast<std::size_t>(issue[at]);
    const Layer& head = net.layers[i];
    std::size_t length = 1;  // layers in the step
    if (on_digital(i)) {
      working.push_back(0);
      staged.push_back(0);
    } else if (head.is_mac_layer()) {
      const Plan& plan = plans[i];
      std::vector<PostOp> chain = chain_after(net, r_of, next, i);
      // Cut the chain back until two pieces in flight fit beside the staged input (the network mapper
      // looks for plans that need no cut: network_mapper.hpp).
      while (!chain_fits(plan, chain, capacity)) chain.pop_back();
      length += chain.size();
      LayerIo io;
      io.output_to_gb = true;
      io.keep_output = true;  // counted as if kept: the bound holds either way
      io.post = chain;
      out[i].io.post = chain;
      out[i].io.output_to_gb = !chain.empty();
      // Without a chain only a reduced tile's pieces pass through the global buffer.
      working.push_back(!chain.empty() ? fused_working_set(plan, io)
                                       : plan.reduce ? fused_working_set(plan, LayerIo{}) : plan.staged_bytes);
      staged.push_back(plan.staged_bytes);
    } else {
      working.push_back(vector_working(head, hw));
      staged.push_back(0);
    }
    const int s = static_cast<int>(tail_of_step.size());
    for (std::size_t k = at; k < at + length; ++k) {
      const auto j = static_cast<std::size_t>(issue[k]);
      step_of[j] = s;
      if (k > at) out[j].fused_into = static_cast<int>(i);
    }
    tail_of_step.push_back(issue[at + length - 1]);
    head_of_step.push_back(static_cast<int>(i));
    at += length;
  }
  const std::size_t steps = tail_of_step.size();
  // The last step each step may still run under (issue_order.hpp): itself, or, when an order of issue is
  // given, for a digital step whose first reader is not the next step (one beside), the step before that
  // reader, which waits for it.
  std::vector<std::size_t> runs_until(steps);
  for (std::size_t s = 0; s < steps; ++s) {
    runs_until[s] = s;
    const auto head = static_cast<std::size_t>(head_of_step[s]);
    if (order.empty() || !on_digital(head)) continue;
    std::size_t join = steps;
    for (int c : readers[head]) join = std::min(join, static_cast<std::size_t>(step_of[static_cast<std::size_t>(c)]));
    runs_until[s] = std::max(s, join - 1);
    out[head].beside = runs_until[s] > s;
  }
  // Activations on chip: first written, first kept while it fits over its whole life.
  std::vector<std::int64_t> used(steps, 0);
  std::vector<bool> kept(n, false);
  for (std::size_t s = 0; s < steps; ++s) {
    const int tail = tail_of_step[s], head = head_of_step[s];
    const auto& r = readers[static_cast<std::size_t>(tail)];
    if (r.empty() || stationary[static_cast<std::size_t>(tail)]) continue;
    std::size_t last = runs_until[s];
    for (int c : r) last = std::max(last, runs_until[static_cast<std::size_t>(step_of[static_cast<std::size_t>(c)])]);
    LayerPlacement& at = out[static_cast<std::size_t>(head)];
    std::int64_t bytes = 0;
    if (on_digital(static_cast<std::size_t>(head))) {
      bytes = digital[static_cast<std::size_t>(head)].result_bytes;
    } else if (net.layers[static_cast<std::size_t>(head)].is_mac_layer()) {
      LayerIo io = at.io;
      io.output_to_gb = io.keep_output = true;
      largest_piece(plans[static_cast<std::size_t>(head)], io, &bytes);
    } else {
      bytes = vector_kept(net.layers[static_cast<std::size_t>(head)], hw);
    }
    // A MAC step that streams this tensor needs no staged copy of it once it is kept.
    auto streams_it = [&](std::size_t u) {
      const Layer& reader = net.layers[static_cast<std::size_t>(head_of_step[u])];
      return u > s && reader.is_mac_layer() && !reader.inputs.empty() && reader.inputs.front() == tail;
    };
    bool fits = true;
    for (std::size_t u = s; u <= last && fits; ++u) {
      fits = used[u] + bytes + working[u] - (streams_it(u) ? staged[u] : 0) <= capacity;
    }
    at.output_gb_bytes = bytes;
    if (!fits) continue;
    for (std::size_t u = s; u <= last; ++u) {
      used[u] += bytes;
      if (streams_it(u)) {
        working[u] -= staged[u];
        staged[u] = 0;
      }
    }
    kept[static_cast<std::size_t>(tail)] = true;
    at.kept = true;
    out[static_cast<std::size_t>(head_of_step[last])].free_after.push_back(head);
  }
  for (std::size_t s = 0; s < steps; ++s) out[static_cast<std::size_t>(head_of_step[s])].working_bytes = working[s];
  // Where each step reads its inputs and where its output goes.
  auto in_gb = [&](int producer) { return producer >= 0 && kept[static_cast<std::size_t>(producer)]; };
  for (std::size_t s = 0; s < steps; ++s) {
    const int head = head_of_step[s];
    LayerPlacement& at = out[static_cast<std::size_t>(head)];
    const Layer& l = net.layers[static_cast<std::size_t>(head)];
    if (l.is_mac_layer()) {
      at.io.input_in_gb = in_gb(l.inputs.empty() ? -1 : l.inputs.front());
      at.io.keep_output = at.kept;
      at.io.output_to_gb = at.kept || !at.io.post.empty();
      int own = head;  // the chain's layer whose output the next post-op takes
      for (std::size_t k = 0; k < at.io.post.size(); ++k) {
        const int post = next[static_cast<std::size_t>(own)];
        for (int q : net.layers[static_cast<std::size_t>(post)].inputs) {
          if (q != own) at.io.post[k].other_in_gb = at.io.post[k].other_in_gb || in_gb(q);
        }
        own = post;
      }
    } else {
      std::int64_t on_chip = 0;
      for (int q : l.inputs) {
        if (in_gb(q)) on_chip += tensor_bytes(net, q, l);
      }
      if (on_chip > 0) at.vector_io.fetch_bytes = std::max<std::int64_t>(0, l.input_bytes() - on_chip);
      at.vector_io.store = !at.kept;
    }
  }
  return out;
}

}  // namespace cimnet
