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
    case OpKind::FreeWeights: return "free";
  }
  return "?";
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

int Program::reduce(std::vector<int> arrays, std::int64_t bytes, ReduceLevel at, std::vector<int> deps,
                    std::string name) {
  Op op = op_of(OpKind::Reduce, std::move(arrays), std::move(deps), std::move(name));
  op.bytes = bytes;
  op.reduce_at = at;
  return add(std::move(op));
}

int Program::vector(std::vector<int> arrays, std::int64_t bytes_in, std::int64_t vector_ops, std::int64_t bytes_out,
                    std::vector<int> deps, std::string name) {
  Op op = op_of(OpKind::Vector, std::move(arrays), std::move(deps), std::move(name));
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

int Program::free_weights(int load_op, std::vector<int> deps, std::string name) {
  Op op = op_of(OpKind::FreeWeights, {}, std::move(deps), std::move(name));
  op.frees = load_op;
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

void validate(const Program& program, const HardwareConfig& hardware) { detail::validate(program, hardware, 0); }

void detail::validate(const Program& program, const HardwareConfig& hardware, std::size_t max_block_words) {
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

  // Every question the remaining checks ask is "is op x an ancestor of op y" (certainly complete when
  // y starts, whatever the schedule), where x is a load or a free:
  //   (a) a free's load is an ancestor of the free;
  //   (b) for loads l, o of one array: l is an ancestor of o (o runs after l), or o's free is an
  //       ancestor of l (o is gone before l).
  // A bit set of all ancestors per op takes n² bits (1 GB for a 90 k-op program); instead the
  // targets x are taken in blocks of at most `block` (in topological order), each op gets the bits
  // of the block's targets among its ancestors (memory n · block bits), and every question whose x is
  // in the block is answered before the next block. Same answers, memory linear in n.
  std::vector<int> freed_by(n, -1);    // filled by the free checks below
  // The first free of each load: the one rule (b) uses (a second free is an error below).
  std::vector<int> first_free(n, -1);
  for (std::size_t i = 0; i < n; ++i) {
    const Op& op = program.ops[i];
    if (op.kind == OpKind::FreeWeights && first_free[static_cast<std::size_t>(op.frees)] < 0) {
      first_free[static_cast<std::size_t>(op.frees)] = static_cast<int>(i);
    }
  }
  // One slot per (load, array of it): resident[slot] = bytes that may be resident in that array when
  // the load starts. loads_of[a] = (load, its slot for a), in op order.
  struct LoadSlot {
    int load;
    std::size_t slot;
  };
  std::vector<std::vector<LoadSlot>> loads_of(static_cast<std::size_t>(arrays));
  std::size_t slots = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (program.ops[i].kind != OpKind::LoadWeights) continue;
    for (int a : program.ops[i].arrays) loads_of[static_cast<std::size_t>(a)].push_back({static_cast<int>(i), slots++});
  }
  // Start from everything else on the array; subtract the loads each rule (b) proves absent. The two
  // rules never both hold for one pair (o after l, yet o freed before l, would be a cycle).
  std::vector<std::int64_t> resident(slots, 0);
  for (const auto& on : loads_of) {
    std::int64_t all = 0;
    for (const auto& ls : on) all += program.ops[static_cast<std::size_t>(ls.load)].bytes;
    for (const auto& ls : on) resident[ls.slot] = all;
  }
  std::vector<char> free_follows_load(n, 0);  // (a), per free

  // Targets in topological order.
  std::vector<int> position(n, 0);
  for (std::size_t k = 0; k < n; ++k) position[static_cast<std::size_t>(order[k])] = static_cast<int>(k);
  std::vector<int> targets;
  for (int v : order) {
    const OpKind kind = program.ops[static_cast<std::size_t>(v)].kind;
    if (kind == OpKind::LoadWeights || kind == OpKind::FreeWeights) targets.push_back(v);
  }
  // At most about 32 MiB of bits whatever n (at least one word per op), no more than the targets need.
  std::size_t words = std::max<std::size_t>(
      1, std::min((std::size_t{1} << 22) / std::max<std::size_t>(1, n), (targets.size() + 63) / 64));
  if (max_block_words > 0) words = std::min(words, max_block_words);
  const std::size_t block = 64 * words;
  std::vector<std::uint64_t> bits(n * words);
  std::vector<int> bit_of(n, -1);
  for (std::size_t b0 = 0; b0 < targets.size(); b0 += block) {
    const std::size_t b1 = std::min(targets.size(), b0 + block);
    for (std::size_t t = b0; t < b1; ++t) bit_of[static_cast<std::size_t>(targets[t])] = static_cast<int>(t - b0);
    // Ops before the block's first target (in topological order) have none of its targets as ancestors.
    const std::size_t from = static_cast<std::size_t>(position[static_cast<std::size_t>(targets[b0])]);
    for (std::size_t k = from; k < n; ++k) {
      const auto v = static_cast<std::size_t>(order[k]);
      std::uint64_t* row = &bits[v * words];
      std::fill(row, row + words, 0);
      for (int d : program.ops[v].deps) {
        const auto du = static_cast<std::size_t>(d);
        if (position[du] < static_cast<int>(from)) continue;
        const std::uint64_t* drow = &bits[du * words];
        for (std::size_t w = 0; w < words; ++w) row[w] |= drow[w];
        if (bit_of[du] >= 0) row[static_cast<std::size_t>(bit_of[du]) / 64] |= std::uint64_t{1} << (bit_of[du] % 64);
      }
    }
    // x (in the block) is an ancestor of y.
    auto ancestor = [&](int x, int y) {
      const auto yu = static_cast<std::size_t>(y);
      if (position[yu] < static_cast<int>(from)) return false;
      const auto bit = static_cast<std::size_t>(bit_of[static_cast<std::size_t>(x)]);
      return ((bits[yu * words + bit / 64] >> (bit % 64)) & 1U) != 0;
    };
    for (std::size_t t = b0; t < b1; ++t) {
      const int x = targets[t];
      const Op& op = program.ops[static_cast<std::size_t>(x)];
      if (op.kind == OpKind::LoadWeights) {
        // (a) for every free of x; (b) first rule: the loads of x's arrays that run after x.
        for (int a : op.arrays) {
          const auto& on = loads_of[static_cast<std::size_t>(a)];
          std::size_t mine = 0;
          std::int64_t gone = 0;
          for (const auto& ls : on) {
            if (ls.load == x) {
              mine = ls.slot;
            } else if (ancestor(x, ls.load)) {
              gone += program.ops[static_cast<std::size_t>(ls.load)].bytes;
            }
          }
          resident[mine] -= gone;
        }
      } else {
        // x is a free: (a) its load; (b) second rule: x frees load o, which is gone before every load
        // of o's arrays that x precedes.
        const int o = op.frees;
        if (first_free[static_cast<std::size_t>(o)] == x) {
          for (int a : program.ops[static_cast<std::size_t>(o)].arrays) {
            for (const auto& ls : loads_of[static_cast<std::size_t>(a)]) {
              if (ls.load != o && ancestor(x, ls.load)) resident[ls.slot] -= program.ops[static_cast<std::size_t>(o)].bytes;
            }
          }
        }
      }
    }
    // (a): loads in this block against every free of them.
    for (std::size_t i = 0; i < n; ++i) {
      const Op& op = program.ops[i];
      if (op.kind != OpKind::FreeWeights || bit_of[static_cast<std::size_t>(op.frees)] < 0) continue;
      free_follows_load[i] = ancestor(op.frees, static_cast<int>(i)) ? 1 : 0;
    }
    for (std::size_t t = b0; t < b1; ++t) bit_of[static_cast<std::size_t>(targets[t])] = -1;
  }

  for (std::size_t i = 0; i < n; ++i) {
    const Op& op = program.ops[i];
    if (op.kind != OpKind::FreeWeights) continue;
    const std::string who = describe(program, static_cast<int>(i));
    if (!free_follows_load[i]) {
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
  for (std::size_t a = 0; a < loads_of.size(); ++a) {
    for (const auto& ls : loads_of[a]) {
      const int l = ls.load;
      const std::int64_t bytes = resident[ls.slot];
      if (bytes <= capacity) continue;
      // Name the others: the rare failing case recomputes its answers directly (two graph walks).
      std::vector<char> after(n, 0), before(n, 0);
      std::vector<int> stack = {l};
      std::vector<std::vector<int>> dependents(n);
      for (std::size_t i = 0; i < n; ++i) {
        for (int d : program.ops[i].deps) dependents[static_cast<std::size_t>(d)].push_back(static_cast<int>(i));
      }
      while (!stack.empty()) {
        const int v = stack.back();
        stack.pop_back();
        for (int s : dependents[static_cast<std::size_t>(v)]) {
          if (!after[static_cast<std::size_t>(s)]) {
            after[static_cast<std::size_t>(s)] = 1;
            stack.push_back(s);
          }
        }
      }
      stack = {l};
      while (!stack.empty()) {
        const int v = stack.back();
        stack.pop_back();
        for (int d : program.ops[static_cast<std::size_t>(v)].deps) {
          if (!before[static_cast<std::size_t>(d)]) {
            before[static_cast<std::size_t>(d)] = 1;
            stack.push_back(d);
          }
        }
      }
      std::vector<int> others;
      for (const auto& other : loads_of[a]) {
        const int o = other.load;
        if (o == l || after[static_cast<std::size_t>(o)]) continue;
        const int f = freed_by[static_cast<std::size_t>(o)];
        if (f >= 0 && before[static_cast<std::size_t>(f)]) continue;
        others.push_back(o);
      }
      std::vector<std::string> names;
      for (std::size_t k = 0; k < others.size() && k < 4; ++k) names.push_back(describe(program, others[k]));
      if (others.size() > 4) names.push_back("...");
      throw InputError("capacity overflow in array " + std::to_string(a) + ": when " + describe(program, l) +
                       " runs, up to " + std::to_string(bytes) + " bytes of weights may be resident (MA_mem_size " +
                       std::to_string(capacity) + "); still resident: " + join(names, ", ") +
                       " — free them (FreeWeights) before this load");
    }
  }
}

}  // namespace cimnet
