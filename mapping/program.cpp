#include "mapping/program.hpp"

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
    case OpKind::FreeWeights: return "free";
  }
  return "?";
}

int Program::add(Op op) {
  ops.push_back(std::move(op));
  return static_cast<int>(ops.size()) - 1;
}

int Program::load(std::vector<int> arrays, std::int64_t bytes, std::vector<int> deps, bool multicast,
                  std::string name) {
  Op op;
  op.kind = OpKind::LoadWeights;
  op.arrays = std::move(arrays);
  op.bytes = bytes;
  op.deps = std::move(deps);
  op.multicast = multicast;
  op.name = std::move(name);
  return add(std::move(op));
}

int Program::stream(std::vector<int> arrays, std::int64_t bytes, std::vector<int> deps, bool multicast,
                    std::string name) {
  Op op;
  op.kind = OpKind::StreamInput;
  op.arrays = std::move(arrays);
  op.bytes = bytes;
  op.deps = std::move(deps);
  op.multicast = multicast;
  op.name = std::move(name);
  return add(std::move(op));
}

int Program::compute(std::vector<int> arrays, std::int64_t macs, std::int64_t operand_bytes, std::vector<int> deps,
                     std::string name) {
  Op op;
  op.kind = OpKind::Compute;
  op.arrays = std::move(arrays);
  op.macs = macs;
  op.bytes = operand_bytes;
  op.deps = std::move(deps);
  op.name = std::move(name);
  return add(std::move(op));
}

int Program::reduce(std::vector<int> arrays, std::int64_t bytes, ReduceLevel at, std::vector<int> deps,
                    std::string name) {
  Op op;
  op.kind = OpKind::Reduce;
  op.arrays = std::move(arrays);
  op.bytes = bytes;
  op.reduce_at = at;
  op.deps = std::move(deps);
  op.name = std::move(name);
  return add(std::move(op));
}

int Program::vector(std::vector<int> arrays, std::int64_t bytes_in, std::int64_t vector_ops, std::int64_t bytes_out,
                    std::vector<int> deps, std::string name) {
  Op op;
  op.kind = OpKind::Vector;
  op.arrays = std::move(arrays);
  op.bytes = bytes_in;
  op.vector_ops = vector_ops;
  op.bytes_out = bytes_out;
  op.deps = std::move(deps);
  op.name = std::move(name);
  return add(std::move(op));
}

int Program::write_back(std::vector<int> arrays, std::int64_t bytes, std::vector<int> deps, std::string name) {
  Op op;
  op.kind = OpKind::WriteBack;
  op.arrays = std::move(arrays);
  op.bytes = bytes;
  op.deps = std::move(deps);
  op.name = std::move(name);
  return add(std::move(op));
}

int Program::free_weights(int load_op, std::vector<int> deps, std::string name) {
  Op op;
  op.kind = OpKind::FreeWeights;
  op.frees = load_op;
  op.deps = std::move(deps);
  op.name = std::move(name);
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

// Dense bit set over op ids: ancestors of every op, for the order-independent capacity check.
class Bits {
 public:
  explicit Bits(std::size_t n = 0) : words_((n + 63) / 64, 0) {}
  void set(std::size_t i) { words_[i / 64] |= (std::uint64_t{1} << (i % 64)); }
  bool test(std::size_t i) const { return (words_[i / 64] >> (i % 64)) & 1U; }
  void merge(const Bits& o) {
    for (std::size_t w = 0; w < words_.size(); ++w) words_[w] |= o.words_[w];
  }

 private:
  std::vector<std::uint64_t> words_;
};

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

void validate(const Program& program, const HardwareConfig& hardware) {
  hardware.validate("hardware");
  if (program.ops.empty()) throw InputError("program: no operations (an empty program cannot be simulated)");

  const std::int64_t arrays = hardware.total_arrays();
  const std::int64_t per_l1 = hardware.get(HwParam::MA_num_child);
  const std::int64_t capacity = hardware.get(HwParam::MA_mem_size);
  const std::int64_t buffer = hardware.fixed.input_buffer_bytes;
  const std::string shape = " (this hardware has " + std::to_string(arrays) + " arrays: " +
                            std::to_string(hardware.l1_decoders()) + " L1 decoders x " + std::to_string(per_l1) +
                            " arrays, ids 0.." + std::to_string(arrays - 1) + ")";
  const std::size_t n = program.ops.size();

  for (std::size_t i = 0; i < n; ++i) {
    const Op& op = program.ops[i];
    const std::string who = describe(program, static_cast<int>(i));
    const bool needs_arrays = op.kind != OpKind::Vector && op.kind != OpKind::FreeWeights;
    if (needs_arrays && op.arrays.empty()) throw InputError(who + ": names no array");
    if (op.kind == OpKind::FreeWeights && !op.arrays.empty()) {
      throw InputError(who + ": a free names its load (frees), not arrays");
    }
    std::vector<int> sorted = op.arrays;
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t k = 0; k < sorted.size(); ++k) {
      if (sorted[k] < 0 || sorted[k] >= arrays) {
        throw InputError(who + ": array " + std::to_string(sorted[k]) + " does not exist" + shape);
      }
      if (k && sorted[k] == sorted[k - 1]) {
        throw InputError(who + ": array " + std::to_string(sorted[k]) + " is listed twice");
      }
    }
    auto positive = [&](std::int64_t v, const char* what) {
      if (v <= 0) throw InputError(who + ": " + what + " must be positive, got " + std::to_string(v));
    };
    switch (op.kind) {
      case OpKind::LoadWeights:
        positive(op.bytes, "bytes");
        if (op.bytes > capacity) {
          throw InputError(who + ": loads " + std::to_string(op.bytes) + " bytes into an array of MA_mem_size " +
                           std::to_string(capacity) + " bytes (capacity overflow)");
        }
        break;
      case OpKind::StreamInput:
        positive(op.bytes, "bytes");
        if (op.bytes > buffer) {
          throw InputError(who + ": streams " + std::to_string(op.bytes) + " bytes into an input buffer of " +
                           std::to_string(buffer) + " bytes (input_buffer_bytes); split it into smaller tiles");
        }
        break;
      case OpKind::Compute:
        positive(op.macs, "macs");
        if (op.bytes < 0) throw InputError(who + ": operand bytes must not be negative");
        break;
      case OpKind::Reduce:
        positive(op.bytes, "bytes");
        if (op.reduce_at == ReduceLevel::L1) {
          for (int a : sorted) {
            if (a / per_l1 != sorted.front() / per_l1) {
              throw InputError(who + ": a reduce at L1 needs all its arrays under one L1 decoder, but arrays " +
                               std::to_string(sorted.front()) + " and " + std::to_string(a) +
                               " are under different ones");
            }
          }
        }
        break;
      case OpKind::Vector:
        positive(op.vector_ops, "vector_ops");
        positive(op.bytes_out, "bytes_out");
        if (!op.arrays.empty()) positive(op.bytes, "bytes (input per source array)");
        break;
      case OpKind::WriteBack:
        positive(op.bytes, "bytes");
        break;
      case OpKind::FreeWeights:
        if (op.frees < 0 || static_cast<std::size_t>(op.frees) >= n ||
            program.ops[static_cast<std::size_t>(op.frees)].kind != OpKind::LoadWeights) {
          throw InputError(who + ": frees op " + std::to_string(op.frees) + ", which is not a load");
        }
        break;
    }
  }

  const std::vector<int> order = topological_order(program);

  // Ancestors of every op: what is certainly complete when it starts, whatever the schedule.
  std::vector<Bits> ancestors(n, Bits(n));
  for (int v : order) {
    for (int d : program.ops[static_cast<std::size_t>(v)].deps) {
      ancestors[static_cast<std::size_t>(v)].merge(ancestors[static_cast<std::size_t>(d)]);
      ancestors[static_cast<std::size_t>(v)].set(static_cast<std::size_t>(d));
    }
  }
  std::vector<int> freed_by(n, -1);
  for (std::size_t i = 0; i < n; ++i) {
    const Op& op = program.ops[i];
    if (op.kind != OpKind::FreeWeights) continue;
    const std::string who = describe(program, static_cast<int>(i));
    if (!ancestors[i].test(static_cast<std::size_t>(op.frees))) {
      throw InputError(who + " must depend (directly or not) on the load it frees, " + describe(program, op.frees));
    }
    if (freed_by[static_cast<std::size_t>(op.frees)] >= 0) {
      throw InputError(who + ": " + describe(program, op.frees) + " is already freed by " +
                       describe(program, freed_by[static_cast<std::size_t>(op.frees)]));
    }
    freed_by[static_cast<std::size_t>(op.frees)] = static_cast<int>(i);
  }

  // Capacity over time, for every order the dependencies allow: when load L starts, another load L'
  // of the same array may be resident unless L' is ordered after L, or its free is ordered before L.
  std::vector<std::vector<int>> loads_of(static_cast<std::size_t>(arrays));
  for (std::size_t i = 0; i < n; ++i) {
    if (program.ops[i].kind != OpKind::LoadWeights) continue;
    for (int a : program.ops[i].arrays) loads_of[static_cast<std::size_t>(a)].push_back(static_cast<int>(i));
  }
  for (std::size_t a = 0; a < loads_of.size(); ++a) {
    const auto& loads = loads_of[a];
    for (int l : loads) {
      std::int64_t resident = program.ops[static_cast<std::size_t>(l)].bytes;
      std::vector<int> others;
      for (int o : loads) {
        if (o == l) continue;
        if (ancestors[static_cast<std::size_t>(o)].test(static_cast<std::size_t>(l))) continue;  // after l
        const int f = freed_by[static_cast<std::size_t>(o)];
        if (f >= 0 && ancestors[static_cast<std::size_t>(l)].test(static_cast<std::size_t>(f))) continue;
        resident += program.ops[static_cast<std::size_t>(o)].bytes;
        others.push_back(o);
      }
      if (resident > capacity) {
        std::vector<std::string> names;
        for (std::size_t k = 0; k < others.size() && k < 4; ++k) names.push_back(describe(program, others[k]));
        if (others.size() > 4) names.push_back("...");
        throw InputError("capacity overflow in array " + std::to_string(a) + ": when " + describe(program, l) +
                         " runs, up to " + std::to_string(resident) + " bytes of weights may be resident (MA_mem_size " +
                         std::to_string(capacity) + "); still resident: " + join(names, ", ") +
                         " — free them (FreeWeights) before this load");
      }
    }
  }
}

}  // namespace cimnet
