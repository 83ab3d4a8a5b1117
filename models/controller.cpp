#include "models/controller.hpp"

#include <algorithm>
#include <functional>
#include <stdexcept>

#include "models/forward.hpp"
#include "models/timing.hpp"

namespace cimnet::model {

namespace {

End end_of(Place p) {
  switch (p) {
    case Place::Dram: return End::Dram;
    case Place::GlobalBuffer: return End::GlobalBuffer;
    case Place::L1Buffer: return End::L1Buffer;
    case Place::DigitalBuffer: return End::DigitalBuffer;
  }
  return End::Dram;
}

// Distance from DRAM: a flow goes up when its destination is nearer DRAM than its source.
int level_of(End e, int l1) {
  switch (e) {
    case End::Dram: return 0;
    case End::GlobalBuffer:
    case End::Vector: return 1;
    case End::L1Buffer:
    case End::DigitalBuffer:
    case End::Digital: return 2;
    case End::Reduce: return l1 < 0 ? 1 : 2;
    case End::Weights:
    case End::InputBuffer:
    case End::Core: return 3;
  }
  return 0;
}

}  // namespace

Controller::Controller(const sc_core::sc_module_name& name, ModelContext& ctx, const Program& program, BurstPool& pool)
    : sc_core::sc_module(name),
      ctrl("ctrl"),
      ctx_(ctx),
      program_(program),
      memories_(ctx.hw()),
      pool_(pool),
      per_l1_(ctx.hw().get(HwParam::MA_num_child)),
      records_(program.ops.size()),
      state_(program.ops.size()),
      buffer_free_(static_cast<std::size_t>(ctx.hw().total_arrays()), ctx.hw().fixed.input_buffer_bytes) {
  const int l1s = static_cast<int>(ctx.hw().l1_decoders());
  ports_.first_array = ports_.first_l1 + l1s;
  ctx.set_memories(memories_.count(), memories_.global_buffer());
  ports_.first_core = ports_.first_array + static_cast<int>(ctx.hw().total_arrays());
  ports_.first_digital = ports_.first_core + static_cast<int>(ctx.hw().total_arrays());
  for (std::size_t i = 0; i < program.ops.size(); ++i) {
    const Op& o = program.ops[i];
    if (o.kind == OpKind::Reduce && o.forward_to_gb) {
      for (int l1 : reduce_decoders(o, per_l1_)) state_[i].decoders.push_back(DecoderPart{l1});
    }
    for (int d : program.ops[i].deps) {
      ++state_[i].deps_left;
      state_[static_cast<std::size_t>(d)].dependents.push_back(static_cast<int>(i));
    }
    if (state_[i].deps_left == 0) {
      records_[i].ready = 0;
      ready_.push_back(static_cast<int>(i));
    }
  }
  ctrl.register_nb_transport_bw(this, &Controller::unexpected);
  SC_METHOD(act);  // runs once at time 0 (the ops ready at the start), then whenever woken
  sensitive << wake_;
}

tlm::tlm_sync_enum Controller::unexpected(int, tlm::tlm_generic_payload&, tlm::tlm_phase&, sc_core::sc_time&) {
  throw std::logic_error("model: nothing answers the controller on the control path");
}

std::string Controller::error() const {
  if (completed_ == program_.ops.size()) return {};
  std::string stuck;
  int shown = 0;
  for (std::size_t i = 0; i < program_.ops.size() && shown < 5; ++i) {
    if (!state_[i].done) stuck += (shown++ ? ", " : "") + describe(program_, static_cast<int>(i));
  }
  return "deadlock: " + std::to_string(program_.ops.size() - completed_) +
         " ops never completed (streams waiting for input-buffer space held by ops that depend on them): " + stuck;
}

TieKey Controller::key_of(int op, bool up, int array) const {
  const Op& o = program_.ops[static_cast<std::size_t>(op)];
  TieKey k;
  k.ready = records_[static_cast<std::size_t>(op)].ready;
  k.order = o.order;
  k.down = up ? 0 : 1;
  k.array = array;
  k.bytes = o.bytes;
  k.op = op;
  return k;
}

int Controller::port_of(End source, int l1, int array, int digital) const {
  switch (source) {
    case End::DigitalBuffer: return ports_.first_digital + digital;
    case End::Dram: return ports_.dram;
    case End::GlobalBuffer:
    case End::Vector: return ports_.l2;
    case End::L1Buffer: return ports_.first_l1 + l1;
    default: return ports_.first_array + array;
  }
}

void Controller::act() {
  const std::int64_t now = current_cycle();
  armed_ = -1;
  while (!events_.empty() && events_.front().cycle <= now) {
    std::pop_heap(events_.begin(), events_.end(), std::greater<>());
    const int op = events_.back().op;
    const int part = events_.back().part;
    events_.pop_back();
    if (part >= 0) {
      start_forward(op, part, now);
      continue;
    }
    ++state_[static_cast<std::size_t>(op)].phase;
    if (!start_phase(op, now)) complete(op, now);
  }
  issue_ready(now);
  if (!events_.empty()) {
    armed_ = events_.front().cycle;
    wake_.notify(until(armed_, kControllerPhase));
  }
}

void Controller::schedule_phase_end(int op, std::int64_t cycle, int part) {
  events_.push_back(Event{cycle, op, part});
  std::push_heap(events_.begin(), events_.end(), std::greater<>());
  if (armed_ < 0 || cycle < armed_) {
    armed_ = cycle;
    wake_.notify(until(cycle, kControllerPhase));
  }
}

void Controller::issue_ready(std::int64_t now) {
  // In tie-key order (never program order alone): who gets input-buffer space first when two streams
  // become ready in one cycle is decided by what they are, not by how the program numbers them.
  for (bool progress = true; progress && !ready_.empty();) {
    progress = false;
    std::vector<TieKey> keys;
    keys.reserve(ready_.size());
    for (int op : ready_) {
      const Op& o = program_.ops[static_cast<std::size_t>(op)];
      const bool up = o.kind == OpKind::WriteBack || o.kind == OpKind::Reduce;
      keys.push_back(key_of(op, up, o.arrays.empty() ? 0 : *std::min_element(o.arrays.begin(), o.arrays.end())));
    }
    std::vector<std::size_t> order(ready_.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return keys[a] < keys[b]; });
    std::vector<int> waiting;
    const std::vector<int> batch = ready_;
    ready_.clear();
    for (std::size_t i : order) {
      if (try_issue(batch[i], now)) {
        progress = true;
      } else {
        waiting.push_back(batch[i]);
      }
    }
    // Ops that became ready during this pass (after zero-time ops) are in ready_ now.
    ready_.insert(ready_.end(), waiting.begin(), waiting.end());
  }
}

bool Controller::try_issue(int op, std::int64_t now) {
  const Op& o = program_.ops[static_cast<std::size_t>(op)];
  OpState& s = state_[static_cast<std::size_t>(op)];
  if (o.kind == OpKind::StreamInput) {
    for (int a : o.arrays) {
      if (buffer_free_[static_cast<std::size_t>(a)] < o.bytes) return false;
    }
    for (int a : o.arrays) buffer_free_[static_cast<std::size_t>(a)] -= o.bytes;
    s.holds_buffer = true;
    s.consumers_left = static_cast<int>(s.dependents.size());
  }
  records_[static_cast<std::size_t>(op)].start = now;
  for (const auto& a : allocations_of(o, memories_)) ctx_.allocate(a.memory, a.bytes, memories_.capacity(a.memory), now);
  s.phase = 0;
  if (!start_phase(op, now)) complete(op, now);
  return true;
}

void Controller::add_flow(int op, std::int64_t now, End source, End dest, int l1, int array,
                          const std::vector<int>* targets, std::int64_t bytes, int digital, int part, bool forward) {
  Flow f{op, source, dest, l1, array, digital, targets, false, 0, bytes, 0, 1, part, forward, now};
  const int dest_l1 = dest == End::L1Buffer || dest == End::Reduce ? l1 : -1;
  const int source_l1 = source == End::L1Buffer ? l1 : -1;
  f.up = level_of(dest, dest_l1) < level_of(source, source_l1);
  f.port = port_of(source, l1, array, digital);
  f.copies = f.targets ? static_cast<int>(f.targets->size()) : 1;
  int index;
  if (!free_flows_.empty()) {
    index = free_flows_.back();
    free_flows_.pop_back();
    flows_[static_cast<std::size_t>(index)] = std::move(f);
  } else {
    flows_.push_back(std::move(f));
    index = static_cast<int>(flows_.size()) - 1;
  }
  OpState& s = state_[static_cast<std::size_t>(op)];
  ++s.flows_open;
  if (part >= 0 && !forward) ++s.decoders[static_cast<std::size_t>(part)].flows_open;
  present(index, now);
}

void Controller::present(int index, std::int64_t arrival) {
  Flow& f = flows_[static_cast<std::size_t>(index)];
  OpState& s = state_[static_cast<std::size_t>(f.op)];
  tlm::tlm_generic_payload* t = pool_.acquire();
  BurstExt& e = ext_of(*t);
  e = BurstExt{};
  e.flow = index;
  e.op = f.op;
  e.source = f.source;
  e.dest = f.dest;
  e.l1 = f.l1;
  e.array = f.array;
  e.digital = f.digital;
  e.targets = f.targets;
  e.up = f.up;
  e.at_source = true;
  e.bytes = std::min(f.remaining, ctx_.hw().fixed.burst_bytes);
  e.key = key_of(f.op, f.up, f.targets ? f.targets->front() : std::max(0, f.array));
  if (f.forward) {
    // A forwarded result ranks as the Move it stands for: ready when its reduction ended, its bytes,
    // and after the decoders before it (as their Moves came before it in the program).
    e.key.ready = f.forward_ready;
    e.key.bytes = program_.ops[static_cast<std::size_t>(f.op)].bytes_out;
    e.key.part = f.part;
  }
  e.key.burst = f.next_burst++;
  e.background = program_.ops[static_cast<std::size_t>(f.op)].prefetch;
  t->set_data_length(static_cast<unsigned int>(e.bytes));
  t->set_command(f.up ? tlm::TLM_READ_COMMAND : tlm::TLM_WRITE_COMMAND);
  f.remaining -= e.bytes;
  s.pending += f.copies;
  if (f.remaining == 0) --s.flows_open;
  if (f.part >= 0 && !f.forward) {
    DecoderPart& d = s.decoders[static_cast<std::size_t>(f.part)];
    d.pending += f.copies;
    if (f.remaining == 0) --d.flows_open;
  }
  ++ctx_.calls;
  tlm::tlm_phase phase = tlm::BEGIN_REQ;
  sc_core::sc_time delay = stamp(*t, arrival, arrival, kHopPhase);
  ctrl[static_cast<std::size_t>(f.port)]->nb_transport_fw(*t, phase, delay);
}

void Controller::command(int op, int port, std::int64_t amount, std::int64_t operands, int array, End end,
                         std::int64_t now, int digital) {
  tlm::tlm_generic_payload* t = pool_.acquire();
  BurstExt& e = ext_of(*t);
  e = BurstExt{};
  e.op = op;
  e.source = e.dest = end;
  e.array = array;
  e.digital = digital;
  e.bytes = amount;
  e.operands = operands;
  e.key = key_of(op, false, std::max(0, array));
  t->set_data_length(0);
  t->set_command(tlm::TLM_IGNORE_COMMAND);
  ++state_[static_cast<std::size_t>(op)].pending;
  ++ctx_.calls;
  tlm::tlm_phase phase = tlm::BEGIN_REQ;
  sc_core::sc_time delay = stamp(*t, now, now, end == End::Core ? kCorePhase : kHopPhase);
  ctrl[static_cast<std::size_t>(port)]->nb_transport_fw(*t, phase, delay);
}

bool Controller::start_phase(int op, std::int64_t now) {
  const Op& o = program_.ops[static_cast<std::size_t>(op)];
  OpState& s = state_[static_cast<std::size_t>(op)];
  s.pending = 0;
  s.flows_open = 0;
  s.phase_end = now;
  const int phase = s.phase;
  switch (o.kind) {
    case OpKind::LoadWeights:
    case OpKind::StreamInput: {
      if (phase > 0) return false;
      const End dest = o.kind == OpKind::LoadWeights ? End::Weights : End::InputBuffer;
      const End source = end_of(o.source);
      if (o.multicast && o.arrays.size() > 1) {
        s.targets = o.arrays;
        std::sort(s.targets.begin(), s.targets.end());
        add_flow(op, now, source, dest, o.l1, s.targets.front(), &s.targets, o.bytes);
      } else {
        for (int a : o.arrays) add_flow(op, now, source, dest, o.l1, a, nullptr, o.bytes);
      }
      return true;
    }
    case OpKind::WriteBack:
    case OpKind::Reduce: {
      if (phase > 0) return false;
      for (int a : o.arrays) {
        const bool reduce = o.kind == OpKind::Reduce;
        const int l1 = reduce && o.reduce_at == ReduceLevel::L1 ? static_cast<int>(a / per_l1_) : -1;
        int part = -1;  // a forwarding reduce: the rank of the array's decoder among its own
        for (std::size_t k = 0; k < s.decoders.size(); ++k) {
          if (s.decoders[k].l1 == l1) part = static_cast<int>(k);
        }
        add_flow(op, now, End::Weights, reduce ? End::Reduce : end_of(o.dest), l1, a, nullptr, o.bytes, -1, part);
      }
      return true;
    }
    case OpKind::Move: {
      if (phase > 0) return false;
      add_flow(op, now, end_of(o.source), end_of(o.dest), o.l1, -1, nullptr, o.bytes, o.digital);
      return true;
    }
    case OpKind::DigitalCompute: {
      if (phase > 0) return false;
      command(op, ports_.first_digital + o.digital, o.steps, 0, -1, End::Digital, now, o.digital);
      return true;
    }
    case OpKind::Compute: {
      if (phase > 0) return false;
      for (int a : o.arrays) command(op, ports_.first_core + a, o.macs, o.bytes, a, End::Core, now);
      return true;
    }
    case OpKind::Vector: {
      if (phase == 0) {
        add_flow(op, now, End::GlobalBuffer, End::Vector, -1, -1, nullptr, o.bytes);  // read the input
      } else if (phase == 1) {
        command(op, ports_.l2, o.vector_ops, 0, -1, End::Vector, now);
      } else if (phase == 2) {
        add_flow(op, now, End::Vector, End::GlobalBuffer, -1, -1, nullptr, o.bytes_out);  // write the result
      } else {
        return false;
      }
      return true;
    }
    case OpKind::Free:
      return false;
  }
  return false;
}

void Controller::left_source(tlm::tlm_generic_payload& burst, std::int64_t free_at) {
  const int index = ext_of(burst).flow;
  Flow& f = flows_[static_cast<std::size_t>(index)];
  if (f.remaining > 0) {
    present(index, free_at);
  } else {
    free_flows_.push_back(index);  // no burst of it will come back asking for more
  }
}

void Controller::arrived(tlm::tlm_generic_payload& burst, std::int64_t done) {
  const BurstExt& e = ext_of(burst);
  const int op = e.op;
  const bool reduced = e.dest == End::Reduce;
  const int l1 = e.l1;
  burst.release();
  OpState& s = state_[static_cast<std::size_t>(op)];
  s.phase_end = std::max(s.phase_end, done);
  --s.pending;
  if (!s.decoders.empty()) {
    // A forwarding reduce: each decoder's result moves up once its own reduction has ended; the op
    // ends when every result has arrived in the global buffer.
    if (reduced) {
      for (std::size_t k = 0; k < s.decoders.size(); ++k) {
        DecoderPart& d = s.decoders[k];
        if (d.l1 != l1) continue;
        d.end = std::max(d.end, done);
        if (--d.pending == 0 && d.flows_open == 0) schedule_phase_end(op, d.end, static_cast<int>(k));
      }
      return;
    }
    if (s.forwards_started < s.decoders.size()) return;
  }
  if (s.pending == 0 && s.flows_open == 0) schedule_phase_end(op, s.phase_end);
}

void Controller::start_forward(int op, int part, std::int64_t now) {
  OpState& s = state_[static_cast<std::size_t>(op)];
  ++s.forwards_started;
  add_flow(op, now, End::L1Buffer, End::GlobalBuffer, s.decoders[static_cast<std::size_t>(part)].l1, -1, nullptr,
           program_.ops[static_cast<std::size_t>(op)].bytes_out, -1, part, true);
}

void Controller::release_buffer(int op) {
  OpState& s = state_[static_cast<std::size_t>(op)];
  if (!s.holds_buffer) return;
  s.holds_buffer = false;
  const Op& o = program_.ops[static_cast<std::size_t>(op)];
  for (int a : o.arrays) buffer_free_[static_cast<std::size_t>(a)] += o.bytes;
}

void Controller::complete(int op, std::int64_t now) {
  OpState& s = state_[static_cast<std::size_t>(op)];
  OpRecord& rec = records_[static_cast<std::size_t>(op)];
  s.done = true;
  rec.end = now;
  ++completed_;
  total_ = std::max(total_, now);
  ctx_.finish_op(op);
  // Trace lane: the first lane free at the op's start, so overlapping ops never share one.
  std::size_t lane = 0;
  while (lane < lane_end_.size() && lane_end_[lane] > rec.start) ++lane;
  if (lane == lane_end_.size()) lane_end_.push_back(0);
  lane_end_[lane] = std::max(now, rec.start + 1);
  rec.lane = static_cast<int>(lane);
  ctx_.trace_op(static_cast<int>(lane), op, rec.start, now);

  const Op& o = program_.ops[static_cast<std::size_t>(op)];
  if (o.kind == OpKind::Free) {
    for (int f : o.frees) {
      for (const auto& a : allocations_of(program_.ops[static_cast<std::size_t>(f)], memories_)) {
        ctx_.release(a.memory, a.bytes, now);
      }
    }
  }
  if (o.kind == OpKind::StreamInput && s.dependents.empty()) release_buffer(op);
  for (int d : o.deps) {
    OpState& ds = state_[static_cast<std::size_t>(d)];
    if (ds.holds_buffer && --ds.consumers_left == 0) release_buffer(d);
  }
  for (int n : s.dependents) {
    if (--state_[static_cast<std::size_t>(n)].deps_left == 0) {
      records_[static_cast<std::size_t>(n)].ready = now;
      ready_.push_back(n);
    }
  }
}

}  // namespace cimnet::model
