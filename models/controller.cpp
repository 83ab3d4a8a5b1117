#include "models/controller.hpp"

#include <algorithm>

#include "models/address_map.hpp"
#include "models/payload.hpp"

namespace cimnet::model {

Controller::Controller(const sc_core::sc_module_name& name, ModelContext& ctx, const Program& program,
                       std::int64_t quantum)
    : sc_core::sc_module(name),
      data("data"),
      cores("cores"),
      ctx_(ctx),
      program_(program),
      quantum_(quantum),
      records_(program.ops.size()),
      state_(program.ops.size()),
      buffer_free_(static_cast<std::size_t>(ctx.hw().total_arrays()), ctx.hw().fixed.input_buffer_bytes) {
  for (std::size_t i = 0; i < program.ops.size(); ++i) {
    for (int d : program.ops[i].deps) {
      ++state_[i].deps_left;
      state_[static_cast<std::size_t>(d)].dependents.push_back(static_cast<int>(i));
    }
  }
  // The payloads own their extensions (freed with them).
  data_trans_.set_data_ptr(ctx.scratch());
  data_trans_.set_extension(new FlowExt);
  cmd_trans_.set_command(tlm::TLM_IGNORE_COMMAND);
  cmd_trans_.set_data_ptr(ctx.scratch());
  cmd_trans_.set_data_length(0);
  cmd_trans_.set_extension(new ComputeCmdExt);
  vec_trans_.set_command(tlm::TLM_IGNORE_COMMAND);
  vec_trans_.set_data_ptr(ctx.scratch());
  vec_trans_.set_data_length(0);
  vec_trans_.set_address(kL2Base);
  vec_trans_.set_extension(new VectorCmdExt);
  SC_THREAD(run);
}

void Controller::schedule(std::int64_t time, EventKind kind, int index) { queue_.push(Event{time, seq_++, kind, index}); }

void Controller::run() {
  tlm_utils::tlm_quantumkeeper::set_global_quantum(cycles(quantum_));
  qk_.reset();
  for (std::size_t i = 0; i < program_.ops.size(); ++i) {
    if (state_[i].deps_left == 0) {
      records_[i].ready = 0;
      schedule(0, EventKind::Ready, static_cast<int>(i));
    }
  }
  while (!queue_.empty()) {
    const Event ev = queue_.top();
    queue_.pop();
    // Temporal decoupling: run ahead of the kernel by the event's offset, synchronising once a quantum.
    qk_.set(cycles(ev.time - now_cycles()));
    if (qk_.need_sync()) qk_.sync();
    switch (ev.kind) {
      case EventKind::Ready:
        try_issue(ev.index, ev.time);
        break;
      case EventKind::Burst:
        issue_burst(ev.index, ev.time);
        break;
      case EventKind::PhaseEnd: {
        OpState& s = state_[static_cast<std::size_t>(ev.index)];
        ++s.phase;
        if (!start_phase(ev.index, ev.time)) complete(ev.index, ev.time);
        break;
      }
    }
  }
  if (completed_ != program_.ops.size()) {
    std::string stuck;
    int shown = 0;
    for (std::size_t i = 0; i < program_.ops.size() && shown < 5; ++i) {
      if (!state_[i].done) {
        stuck += (shown++ ? ", " : "") + describe(program_, static_cast<int>(i));
      }
    }
    error_ = "deadlock: " + std::to_string(program_.ops.size() - completed_) +
             " ops never completed (streams waiting for input-buffer space held by ops that depend on them): " + stuck;
  }
  // Bring kernel time to the end of the run so that sc_time_stamp() agrees with the result.
  qk_.set(cycles(total_ - now_cycles()));
  qk_.sync();
  // No sc_stop(): with the controller finished nothing is left to run and sc_start() returns.
}

void Controller::try_issue(int op, std::int64_t t) {
  const Op& o = program_.ops[static_cast<std::size_t>(op)];
  OpState& s = state_[static_cast<std::size_t>(op)];
  if (o.kind == OpKind::StreamInput) {
    for (int a : o.arrays) {
      if (buffer_free_[static_cast<std::size_t>(a)] < o.bytes) {
        if (std::find(blocked_.begin(), blocked_.end(), op) == blocked_.end()) blocked_.push_back(op);
        return;
      }
    }
    for (int a : o.arrays) buffer_free_[static_cast<std::size_t>(a)] -= o.bytes;
    s.holds_buffer = true;
    s.consumers_left = static_cast<int>(s.dependents.size());
  }
  records_[static_cast<std::size_t>(op)].start = t;
  s.phase = 0;
  if (!start_phase(op, t)) complete(op, t);
}

void Controller::add_flow(int op, std::int64_t t, bool up, int top, int bottom, bool port, bool reduce,
                          std::vector<int> targets, std::uint64_t address, std::int64_t bytes) {
  Flow flow{op, up, top, bottom, port, reduce, std::move(targets), address, bytes};
  int index;
  if (free_flows_.empty()) {
    index = static_cast<int>(flows_.size());
    flows_.push_back(std::move(flow));
  } else {
    index = free_flows_.back();
    free_flows_.pop_back();
    flows_[static_cast<std::size_t>(index)] = std::move(flow);
  }
  ++state_[static_cast<std::size_t>(op)].pending;
  schedule(t, EventKind::Burst, index);
}

bool Controller::start_phase(int op, std::int64_t t) {
  const Op& o = program_.ops[static_cast<std::size_t>(op)];
  OpState& s = state_[static_cast<std::size_t>(op)];
  s.pending = 0;
  s.phase_end = t;
  const int phase = s.phase;
  switch (o.kind) {
    case OpKind::LoadWeights:
    case OpKind::StreamInput: {
      if (phase > 0) return false;
      const bool port = o.kind == OpKind::LoadWeights;
      const std::uint64_t offset = port ? 0 : kInputBufferOffset;
      if (o.multicast) {
        std::vector<int> targets = o.arrays;
        std::sort(targets.begin(), targets.end());
        const std::uint64_t address = array_base(targets.front()) + offset;
        add_flow(op, t, false, kDram, kArray, port, false, std::move(targets), address, o.bytes);
      } else {
        for (int a : o.arrays) add_flow(op, t, false, kDram, kArray, port, false, {}, array_base(a) + offset, o.bytes);
      }
      return true;
    }
    case OpKind::WriteBack:
    case OpKind::Reduce: {
      if (phase > 0) return false;
      const bool reduce = o.kind == OpKind::Reduce;
      const int top = !reduce ? kDram : (o.reduce_at == ReduceLevel::L1 ? kL1 : kL2);
      for (int a : o.arrays) add_flow(op, t, true, top, kArray, true, reduce, {}, array_base(a), o.bytes);
      return true;
    }
    case OpKind::Compute: {
      if (phase > 0) return false;
      auto* c = cmd_trans_.get_extension<ComputeCmdExt>();
      c->macs = o.macs;
      c->operand_bytes = o.bytes;
      c->op = op;
      for (int a : o.arrays) {
        sc_core::sc_time d = cycles(t - now_cycles());
        cmd_trans_.set_address(array_base(a));
        cores[a]->b_transport(cmd_trans_, d);
        s.phase_end = std::max(s.phase_end, now_cycles() + to_cycles(d));
      }
      schedule(s.phase_end, EventKind::PhaseEnd, op);
      return true;
    }
    case OpKind::Vector: {
      if (phase == 0) {
        if (o.arrays.empty()) {  // input already in the L2 decoder's buffer (e.g. a reduce result)
          s.phase = 1;
          return start_phase(op, t);
        }
        for (int a : o.arrays) add_flow(op, t, true, kL2, kArray, true, false, {}, array_base(a), o.bytes);
        return true;
      }
      if (phase == 1) {
        auto* v = vec_trans_.get_extension<VectorCmdExt>();
        v->ops = o.vector_ops;
        v->op = op;
        sc_core::sc_time d = cycles(t - now_cycles());
        data->b_transport(vec_trans_, d);
        s.phase_end = now_cycles() + to_cycles(d);
        schedule(s.phase_end, EventKind::PhaseEnd, op);
        return true;
      }
      if (phase == 2) {  // the result goes from the L2 decoder to DRAM
        add_flow(op, t, true, kDram, kL2, false, false, {}, kL2Base, o.bytes_out);
        return true;
      }
      return false;
    }
    case OpKind::FreeWeights:
      return false;
  }
  return false;
}

void Controller::issue_burst(int index, std::int64_t t) {
  Flow& fl = flows_[static_cast<std::size_t>(index)];
  const std::int64_t bytes = std::min(fl.remaining, ctx_.hw().fixed.burst_bytes);
  FlowExt* f = data_trans_.get_extension<FlowExt>();
  f->up = fl.up;
  f->top = fl.top;
  f->bottom = fl.bottom;
  f->port = fl.port;
  f->reduce = fl.reduce;
  f->targets = fl.targets.size() > 1 ? &fl.targets : nullptr;
  f->op = fl.op;
  f->head = f->tail = t;
  f->done = t;
  f->next_issue = -1;
  data_trans_.set_command(fl.up ? tlm::TLM_READ_COMMAND : tlm::TLM_WRITE_COMMAND);
  data_trans_.set_address(fl.address);
  data_trans_.set_data_length(static_cast<unsigned int>(bytes));
  data_trans_.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  sc_core::sc_time d = cycles(t - now_cycles());
  data->b_transport(data_trans_, d);
  if (data_trans_.is_response_error()) {
    error_ = describe(program_, fl.op) + ": burst to address " + std::to_string(fl.address) + " failed: " +
             data_trans_.get_response_string();
  }
  OpState& s = state_[static_cast<std::size_t>(fl.op)];
  s.phase_end = std::max(s.phase_end, f->done);
  fl.remaining -= bytes;
  if (fl.remaining > 0) {
    schedule(std::max(t, f->next_issue), EventKind::Burst, index);
    return;
  }
  // No event refers to the flow any more: its slot (and its target list) can serve the next one.
  const int op = fl.op;
  std::vector<int>().swap(fl.targets);
  free_flows_.push_back(index);
  if (--s.pending == 0) schedule(s.phase_end, EventKind::PhaseEnd, op);
}

void Controller::release_buffer(int op, std::int64_t t) {
  OpState& s = state_[static_cast<std::size_t>(op)];
  if (!s.holds_buffer) return;
  s.holds_buffer = false;
  const Op& o = program_.ops[static_cast<std::size_t>(op)];
  for (int a : o.arrays) buffer_free_[static_cast<std::size_t>(a)] += o.bytes;
  std::vector<int> waiting;
  waiting.swap(blocked_);
  for (int w : waiting) try_issue(w, t);
}

void Controller::complete(int op, std::int64_t t) {
  OpState& s = state_[static_cast<std::size_t>(op)];
  OpRecord& rec = records_[static_cast<std::size_t>(op)];
  s.done = true;
  rec.end = t;
  ctx_.finish_op(op);
  ++completed_;
  total_ = std::max(total_, t);
  // Trace lane: the first lane free at the op's start, so overlapping ops never share one.
  std::size_t lane = 0;
  while (lane < lane_end_.size() && lane_end_[lane] > rec.start) ++lane;
  if (lane == lane_end_.size()) lane_end_.push_back(0);
  lane_end_[lane] = std::max(t, rec.start + 1);
  rec.lane = static_cast<int>(lane);
  ctx_.trace_op(static_cast<int>(lane), op, rec.start, t);

  const Op& o = program_.ops[static_cast<std::size_t>(op)];
  if (o.kind == OpKind::StreamInput && s.dependents.empty()) release_buffer(op, t);
  for (int d : o.deps) {
    OpState& ds = state_[static_cast<std::size_t>(d)];
    if (ds.holds_buffer && --ds.consumers_left == 0) release_buffer(d, t);
  }
  for (int n : s.dependents) {
    OpState& ns = state_[static_cast<std::size_t>(n)];
    if (--ns.deps_left == 0) {
      records_[static_cast<std::size_t>(n)].ready = t;
      schedule(t, EventKind::Ready, n);
    }
  }
}

}  // namespace cimnet::model
