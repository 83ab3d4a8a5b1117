#include "program/program.hpp"

#include <algorithm>
#include <functional>
#include <utility>

#include "common/error.hpp"
#include "common/text.hpp"

namespace cimnet {

const char* to_string(OpKind kind) {
  switch (kind) {
    case OpKind::LoadWeights: return "load";
    case OpKind::StreamInput: return "stream";
    case OpKind::Compute: return "compute";
    case OpKind::Reduce: return "reduce";
    case OpKind::Vector: return "vector";
    case OpKind::WriteBack: return "write_back";
    case OpKind::Move: return "move";
    case OpKind::Free: return "free";
    case OpKind::DigitalCompute: return "digital_compute";
  }
  return "?";
}

const char* to_string(Place place) {
  switch (place) {
    case Place::Dram: return "DRAM";
    case Place::GlobalBuffer: return "the global buffer";
    case Place::L1Buffer: return "an L1 buffer";
    case Place::DigitalBuffer: return "a digital core's buffer";
  }
  return "?";
}

const char* to_string(DigitalBuffer buffer) {
  switch (buffer) {
    case DigitalBuffer::Weights: return "weight";
    case DigitalBuffer::Inputs: return "input";
    case DigitalBuffer::Outputs: return "output";
  }
  return "?";
}

std::vector<int> reduce_decoders(const Op& op, std::int64_t per_l1) {
  std::vector<int> l1s;
  for (int a : op.arrays) l1s.push_back(static_cast<int>(a / per_l1));
  std::sort(l1s.begin(), l1s.end());
  l1s.erase(std::unique(l1s.begin(), l1s.end()), l1s.end());
  return l1s;
}

bool allocates(const Op& op) {
  switch (op.kind) {
    case OpKind::LoadWeights:
    case OpKind::Reduce:
    case OpKind::Vector:
      return true;
    case OpKind::WriteBack:
    case OpKind::Move:
      return op.dest != Place::Dram;
    case OpKind::DigitalCompute:
      return op.bytes_out > 0;
    default:
      return false;
  }
}

int Program::add(Op op) {
  ops.push_back(std::move(op));
  return static_cast<int>(ops.size()) - 1;
}

namespace {

// The one builder behind Program's shorthands: what every op has; each shorthand then sets the
// fields its kind reads.
Op op_of(OpKind kind, std::vector<int> arrays, std::vector<int> deps, std::string name) {
  Op op;
  op.kind = kind;
  op.arrays = std::move(arrays);
  op.deps = std::move(deps);
  op.name = std::move(name);
  return op;
}

}  // namespace

int Program::load(std::vector<int> arrays, std::int64_t bytes, std::vector<int> deps, bool multicast,
                  std::string name) {
  Op op = op_of(OpKind::LoadWeights, std::move(arrays), std::move(deps), std::move(name));
  op.bytes = bytes;
  op.multicast = multicast;
  return add(std::move(op));
}

int Program::stream(std::vector<int> arrays, std::int64_t bytes, std::vector<int> deps, bool multicast,
                    std::string name) {
  Op op = op_of(OpKind::StreamInput, std::move(arrays), std::move(deps), std::move(name));
  op.bytes = bytes;
  op.multicast = multicast;
  return add(std::move(op));
}

int Program::compute(std::vector<int> arrays, std::int64_t macs, std::int64_t operand_bytes, std::vector<int> deps,
                     std::string name) {
  Op op = op_of(OpKind::Compute, std::move(arrays), std::move(deps), std::move(name));
  op.macs = macs;
  op.bytes = operand_bytes;
  return add(std::move(op));
}

int Program::reduce(std::vector<int> arrays, std::int64_t bytes, ReduceLevel at, std::int64_t bytes_out,
                    std::vector<int> deps, std::string name) {
  Op op = op_of(OpKind::Reduce, std::move(arrays), std::move(deps), std::move(name));
  op.bytes = bytes;
  op.reduce_at = at;
  op.bytes_out = bytes_out;
  return add(std::move(op));
}

int Program::vector(std::int64_t bytes_in, std::int64_t vector_ops, std::int64_t bytes_out, std::vector<int> deps,
                    std::string name) {
  Op op = op_of(OpKind::Vector, {}, std::move(deps), std::move(name));
  op.bytes = bytes_in;
  op.vector_ops = vector_ops;
  op.bytes_out = bytes_out;
  return add(std::move(op));
}

int Program::write_back(std::vector<int> arrays, std::int64_t bytes, std::vector<int> deps, std::string name) {
  Op op = op_of(OpKind::WriteBack, std::move(arrays), std::move(deps), std::move(name));
  op.bytes = bytes;
  return add(std::move(op));
}

int Program::move(Place source, Place dest, std::int64_t bytes, std::vector<int> deps, std::string name, int l1) {
  Op op = op_of(OpKind::Move, {}, std::move(deps), std::move(name));
  op.source = source;
  op.dest = dest;
  op.bytes = bytes;
  op.l1 = l1;
  return add(std::move(op));
}

int Program::free(int freed, std::vector<int> deps, std::string name) {
  return free(std::vector<int>{freed}, std::move(deps), std::move(name));
}

int Program::free(std::vector<int> freed, std::vector<int> deps, std::string name) {
  Op op = op_of(OpKind::Free, {}, std::move(deps), std::move(name));
  op.frees = std::move(freed);
  return add(std::move(op));
}

int Program::digital_load(int core, DigitalBuffer buffer, Place source, std::int64_t bytes, std::vector<int> deps,
                          std::string name) {
  Op op = op_of(OpKind::Move, {}, std::move(deps), std::move(name));
  op.source = source;
  op.dest = Place::DigitalBuffer;
  op.digital = core;
  op.digital_buffer = buffer;
  op.bytes = bytes;
  return add(std::move(op));
}

int Program::digital_compute(int core, std::int64_t macs, std::int64_t steps, std::int64_t bytes_out,
                             std::vector<int> deps, std::string name) {
  Op op = op_of(OpKind::DigitalCompute, {}, std::move(deps), std::move(name));
  op.digital = core;
  op.macs = macs;
  op.steps = steps;
  op.bytes_out = bytes_out;
  return add(std::move(op));
}

int Program::digital_store(int core, Place dest, std::int64_t bytes, std::vector<int> deps, std::string name) {
  Op op = op_of(OpKind::Move, {}, std::move(deps), std::move(name));
  op.source = Place::DigitalBuffer;
  op.dest = dest;
  op.digital = core;
  op.digital_buffer = DigitalBuffer::Outputs;
  op.bytes = bytes;
  return add(std::move(op));
}

std::string describe(const Program& program, int id) {
  std::string s = "op " + std::to_string(id);
  if (id >= 0 && id < static_cast<int>(program.ops.size())) {
    const Op& op = program.ops[static_cast<std::size_t>(id)];
    s += std::string(" (") + to_string(op.kind);
    if (!op.name.empty()) s += " '" + op.name + "'";
    s += ")";
  }
  return s;
}

namespace {

// Names one cycle among the ops that Kahn's algorithm could not order.
std::string describe_cycle(const Program& program, const std::vector<int>& indegree_left) {
  const int n = static_cast<int>(program.ops.size());
  std::vector<int> state(static_cast<std::size_t>(n), 0);  // 0 new, 1 on stack, 2 done
  std::vector<int> stack;
  std::vector<int> cycle;
  std::function<bool(int)> dfs = [&](int v) {
    state[static_cast<std::size_t>(v)] = 1;
    stack.push_back(v);
    for (int d : program.ops[static_cast<std::size_t>(v)].deps) {
      if (state[static_cast<std::size_t>(d)] == 1) {
        auto it = std::find(stack.begin(), stack.end(), d);
        cycle.assign(it, stack.end());
        return true;
      }
      if (state[static_cast<std::size_t>(d)] == 0 && dfs(d)) return true;
    }
    stack.pop_back();
    state[static_cast<std::size_t>(v)] = 2;
    return false;
  };
  for (int v = 0; v < n && cycle.empty(); ++v) {
    if (indegree_left[static_cast<std::size_t>(v)] > 0 && state[static_cast<std::size_t>(v)] == 0) dfs(v);
  }
  std::vector<std::string> parts;
  // The stack follows "depends on" edges; print in the same direction and close the loop.
  for (int v : cycle) parts.push_back(describe(program, v));
  if (!cycle.empty()) parts.push_back(describe(program, cycle.front()));
  return join(parts, " depends on ");
}

}  // namespace

std::vector<int> topological_order(const Program& program) {
  const std::size_t n = program.ops.size();
  std::vector<int> indegree(n, 0);
  std::vector<std::vector<int>> dependents(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (int d : program.ops[i].deps) {
      if (d < 0 || static_cast<std::size_t>(d) >= n) {
        throw InputError(describe(program, static_cast<int>(i)) + " depends on op " + std::to_string(d) +
                         ", which does not exist (the program has " + std::to_string(n) + " ops)");
      }
      if (static_cast<std::size_t>(d) == i) {
        throw InputError("dependency cycle: " + describe(program, d) + " depends on itself");
      }
      ++indegree[i];
      dependents[static_cast<std::size_t>(d)].push_back(static_cast<int>(i));
    }
  }
  std::vector<int> order;
  order.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (indegree[i] == 0) order.push_back(static_cast<int>(i));
  }
  for (std::size_t k = 0; k < order.size(); ++k) {
    for (int s : dependents[static_cast<std::size_t>(order[k])]) {
      if (--indegree[static_cast<std::size_t>(s)] == 0) order.push_back(s);
    }
  }
  if (order.size() != n) throw InputError("dependency cycle: " + describe_cycle(program, indegree));
  return order;
}

}  // namespace cimnet
