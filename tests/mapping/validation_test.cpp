// validate() answers its free-order and capacity checks with a block-wise ancestor computation
// (memory linear in the ops). This checks it against the rules restated directly — ancestors by a
// plain walk of the dependencies from every op, the chain-cover bound of program_validation.cpp
// computed from them per group of allocations between two-sided barriers (found by brute force) — on random programs that allocate in arrays (weights), the global buffer and
// the L1 buffers, with blocks of one word so that every program takes many blocks; and on the
// programs of whole networks.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "common/random.hpp"
#include "mapping/network_mapper.hpp"
#include "program/peak_allocation.hpp"
#include "program/program.hpp"
#include "workloads/search_space.hpp"

namespace cimnet {
namespace {

// The hardware of the random programs: 2 L1 decoders × 2 arrays.
constexpr int kArrays = 4, kPerL1 = 2, kL1s = 2;

// Memory m: arrays 0..3 (weights), 4 the global buffer, 5 + i the buffer of L1 decoder i (the order in
// which validate() checks them).
struct Alloc {
  int memory;
  std::int64_t bytes;
};

std::vector<Alloc> allocations(const Op& op) {
  switch (op.kind) {
    case OpKind::LoadWeights: {
      std::vector<Alloc> out;
      for (int a : op.arrays) out.push_back({a, op.bytes});
      return out;
    }
    case OpKind::Reduce:
      return {{op.reduce_at == ReduceLevel::L2 ? kArrays : kArrays + 1 + op.arrays.front() / kPerL1, op.bytes_out}};
    case OpKind::Vector: return {{kArrays, op.bytes_out}};
    case OpKind::WriteBack:
      if (op.dest != Place::GlobalBuffer) return {};
      return {{kArrays, op.bytes * static_cast<std::int64_t>(op.arrays.size())}};
    case OpKind::Move:
      if (op.dest == Place::GlobalBuffer) return {{kArrays, op.bytes}};
      if (op.dest == Place::L1Buffer) return {{kArrays + 1 + op.l1, op.bytes}};
      return {};
    default: return {};
  }
}

std::string memory_name(int m, const HardwareConfig& hw) {
  if (m < kArrays) {
    return "array " + std::to_string(m) + " (MA_mem_size " + std::to_string(hw.get(HwParam::MA_mem_size)) + ")";
  }
  if (m == kArrays) return "the global buffer (gb_bytes " + std::to_string(hw.fixed.gb_bytes) + ")";
  return "the buffer of L1 decoder " + std::to_string(m - kArrays - 1) + " (l1_buffer_bytes " +
         std::to_string(hw.fixed.l1_buffer_bytes) + ")";
}

std::int64_t capacity(int m, const HardwareConfig& hw) {
  return m < kArrays ? hw.get(HwParam::MA_mem_size) : m == kArrays ? hw.fixed.gb_bytes : hw.fixed.l1_buffer_bytes;
}

// The definition: "" when valid, else the start of validate()'s message for the first check that
// fails, in validate()'s order. Only the checks on frees and capacity (the others are per op and
// tested in tests/program).
std::string reference_check(const Program& p, const HardwareConfig& hw) {
  const std::size_t n = p.ops.size();
  auto op = [&](int i) -> const Op& { return p.ops[static_cast<std::size_t>(i)]; };
  // One allocation larger than its memory: checked with its op.
  for (std::size_t i = 0; i < n; ++i) {
    for (const Alloc& a : allocations(p.ops[i])) {
      if (a.bytes > capacity(a.memory, hw)) {
        return describe(p, static_cast<int>(i)) + ": allocates " + std::to_string(a.bytes) + " bytes in " +
               memory_name(a.memory, hw);
      }
    }
  }
  // ancestor[y][x]: x is reached from y by following dependencies.
  std::vector<std::vector<char>> ancestor(n, std::vector<char>(n, 0));
  for (std::size_t y = 0; y < n; ++y) {
    std::vector<int> stack(p.ops[y].deps.begin(), p.ops[y].deps.end());
    while (!stack.empty()) {
      const int x = stack.back();
      stack.pop_back();
      if (ancestor[y][static_cast<std::size_t>(x)]) continue;
      ancestor[y][static_cast<std::size_t>(x)] = 1;
      for (int d : op(x).deps) stack.push_back(d);
    }
  }
  auto before = [&](int x, int y) { return ancestor[static_cast<std::size_t>(y)][static_cast<std::size_t>(x)] != 0; };
  std::vector<int> freed_by(n, -1);
  for (std::size_t i = 0; i < n; ++i) {
    const Op& f = p.ops[i];
    if (f.kind != OpKind::Free) continue;
    for (int o : f.frees) {
      if (!before(o, static_cast<int>(i))) return describe(p, static_cast<int>(i)) + " must depend";
    }
    for (int o : f.frees) {
      if (freed_by[static_cast<std::size_t>(o)] == static_cast<int>(i)) {
        return describe(p, static_cast<int>(i)) + " frees " + describe(p, o) + " twice";
      }
      if (freed_by[static_cast<std::size_t>(o)] >= 0) {
        return describe(p, static_cast<int>(i)) + ": " + describe(p, o) + " is already freed";
      }
      freed_by[static_cast<std::size_t>(o)] = static_cast<int>(i);
    }
  }
  // B may be present when A starts unless B runs after A or B's Free is done before A starts.
  auto freed_before = [&](int a, int b) {
    const int f = freed_by[static_cast<std::size_t>(b)];
    return f >= 0 && before(f, a);
  };
  auto may_meet = [&](int a, int b) { return !before(a, b) && !freed_before(a, b); };
  std::vector<int> position(n);
  const std::vector<int> order = topological_order(p);
  for (std::size_t k = 0; k < n; ++k) position[static_cast<std::size_t>(order[k])] = static_cast<int>(k);
  // Two-sided barriers (program/capacity_groups.hpp): every op before one (in topological order) is
  // its ancestor and every op after it descends from it. They cut the positions into segments.
  std::vector<int> segment_of(n, 0);
  {
    int segment = 0;
    for (std::size_t k = 0; k < n; ++k) {
      const int v = order[k];
      segment_of[static_cast<std::size_t>(v)] = segment;
      bool barrier = true;
      for (std::size_t j = 0; j < n && barrier; ++j) {
        if (j < k) barrier = before(order[j], v);
        if (j > k) barrier = before(v, order[j]);
      }
      if (barrier) ++segment;
    }
  }
  for (int m = 0; m < kArrays + 1 + kL1s; ++m) {
    std::vector<int> ops;  // allocating in m, in op order
    std::vector<std::int64_t> bytes(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      for (const Alloc& a : allocations(p.ops[i])) {
        if (a.memory == m) {
          ops.push_back(static_cast<int>(i));
          bytes[i] = a.bytes;
        }
      }
    }
    auto seg = [&](int i) { return segment_of[static_cast<std::size_t>(i)]; };
    auto freed_in = [&](int a) {  // the segment of a's Free; past every segment when never freed
      const int f = freed_by[static_cast<std::size_t>(a)];
      return f >= 0 ? seg(f) : static_cast<int>(n) + 1;
    };
    std::vector<int> segments;
    for (int a : ops) segments.push_back(seg(a));
    std::sort(segments.begin(), segments.end());
    segments.erase(std::unique(segments.begin(), segments.end()), segments.end());
    // The group of each segment with allocations of its own: those carried into it (made earlier, freed
    // there; in op order), then its own in topological order; and the bytes live throughout it.
    struct Group {
      std::vector<int> members;
      std::int64_t spanning = 0;
      int opening = -1;
    };
    std::vector<Group> groups;
    for (int s : segments) {
      Group g;
      for (int a : ops) {
        if (seg(a) < s && freed_in(a) == s) g.members.push_back(a);
        if (seg(a) < s && freed_in(a) > s) g.spanning += bytes[static_cast<std::size_t>(a)];
      }
      const std::size_t carried = g.members.size();
      for (int a : ops) {
        if (seg(a) == s) g.members.push_back(a);
      }
      std::sort(g.members.begin() + static_cast<std::ptrdiff_t>(carried), g.members.end(), [&](int a, int b) {
        return position[static_cast<std::size_t>(a)] < position[static_cast<std::size_t>(b)];
      });
      for (std::size_t k = 0; k < n; ++k) {
        if (segment_of[static_cast<std::size_t>(order[k])] == s - 1) g.opening = order[k];  // the last op before s
      }
      groups.push_back(std::move(g));
    }
    auto group_peak = [&](std::size_t gi) {
      const Group& g = groups[gi];
      const int s = segments[gi];
      std::vector<LiveAllocation> lives;
      for (int b : g.members) {
        const int f = freed_by[static_cast<std::size_t>(b)];
        if (seg(b) < s) lives.push_back({g.opening, f, bytes[static_cast<std::size_t>(b)]});
        else lives.push_back({b, f >= 0 && seg(f) == s ? f : -1, bytes[static_cast<std::size_t>(b)]});
      }
      return g.spanning + peak_allocation(p, position, lives);
    };
    for (std::size_t gi = 0; gi < groups.size(); ++gi) {
      const Group& g = groups[gi];
      const int s = segments[gi];
      if (g.members.size() == 1 && g.spanning == 0) continue;
      // The greedy chains: in the group's order, each member joins the first chain whose last member is
      // freed before it starts, else starts a chain.
      std::vector<std::vector<int>> chains;
      std::vector<int> chain_of(n, -1);
      for (int a : g.members) {
        std::size_t c = 0;
        while (c < chains.size() && !freed_before(a, chains[c].back())) ++c;
        if (c == chains.size()) chains.emplace_back();
        chains[c].push_back(a);
        chain_of[static_cast<std::size_t>(a)] = static_cast<int>(c);
      }
      // At each own member's start: itself, the spanning bytes and, per other chain, its largest member
      // that may be there.
      for (int a : g.members) {
        if (seg(a) != s) continue;
        std::int64_t bound = bytes[static_cast<std::size_t>(a)] + g.spanning;
        for (std::size_t c = 0; c < chains.size(); ++c) {
          if (static_cast<int>(c) == chain_of[static_cast<std::size_t>(a)]) continue;
          std::int64_t largest = 0;
          for (int b : chains[c]) {
            if (may_meet(a, b)) largest = std::max(largest, bytes[static_cast<std::size_t>(b)]);
          }
          bound += largest;
        }
        if (bound <= capacity(m, hw)) continue;
        // The bound cannot prove the group fits: the exact peak decides (checked against every schedule
        // in tests/program/capacity_exhaustive_test.cpp); an overflow names the memory's largest.
        const std::int64_t peak = group_peak(gi);
        if (peak <= capacity(m, hw)) break;
        std::int64_t worst = peak;
        for (std::size_t h = 0; h < groups.size(); ++h) worst = std::max(worst, group_peak(h));
        const std::string head = "capacity overflow in " + memory_name(m, hw) +
                                 ": in some order the dependencies allow, " + std::to_string(worst) +
                                 " bytes are allocated there at once";
        if (worst > peak || g.members.size() == 1) return head + " (";
        return head + "; when " + describe(p, a) + " runs";
      }
    }
  }
  return "";
}

std::string checked(const Program& p, const HardwareConfig& hw, std::size_t words) {
  try {
    detail::validate(p, hw, words);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// Adds a random op that allocates: weights in some arrays, or space in the global buffer or an L1
// buffer (every kind that does).
int add_allocation(Program& p, std::vector<int> deps, Rng& rng) {
  const std::int64_t bytes = 100 + static_cast<std::int64_t>(rng.uniform_int(400));
  std::vector<int> arrays;
  for (int a = 0; a < kArrays; ++a) {
    if (rng.uniform_int(2) || (a == kArrays - 1 && arrays.empty())) arrays.push_back(a);
  }
  const int l1 = static_cast<int>(rng.uniform_int(kL1s));
  switch (rng.uniform_int(7)) {
    case 0:
    case 1: return p.load(arrays, bytes, deps);
    case 2: return p.move(Place::Dram, Place::GlobalBuffer, bytes, deps);
    case 3: return p.vector(64, 64, bytes, deps);
    case 4: {
      const int id = p.write_back({arrays.front()}, bytes, deps);
      p.ops.back().dest = Place::GlobalBuffer;
      return id;
    }
    case 5: return p.move(Place::GlobalBuffer, Place::L1Buffer, bytes, deps, "", l1);
    default:
      if (rng.uniform_int(2)) return p.reduce(arrays, 64, ReduceLevel::L2, bytes, deps);
      return p.reduce({l1 * kPerL1, l1 * kPerL1 + 1}, 64, ReduceLevel::L1, bytes, deps);
  }
}

// A random program of allocations, frees and computes (long: 400–600 ops with no bad frees). With
// `barriers`, about every 40th op is a two-sided barrier (program/capacity_groups.hpp) — a compute that
// depends on every op without a user so far, on which every later op depends, directly or not — so
// that allocations are carried across segments and live throughout some.
Program random_program(Rng& rng, bool long_program, bool barriers) {
  Program p;
  std::vector<int> unfreed;
  std::vector<char> used;
  int last_barrier = -1;
  const int ops = long_program ? 400 + static_cast<int>(rng.uniform_int(200)) : 20 + static_cast<int>(rng.uniform_int(180));
  for (int i = 0; i < ops; ++i) {
    used.resize(static_cast<std::size_t>(i) + 1, 0);
    if (barriers && i > 0 && rng.uniform_int(40) == 0) {
      std::vector<int> sinks;
      for (int d = 0; d < i; ++d) {
        if (!used[static_cast<std::size_t>(d)]) sinks.push_back(d);
      }
      for (int d : sinks) used[static_cast<std::size_t>(d)] = 1;
      last_barrier = p.compute({0}, 10, 10, sinks);
      continue;
    }
    // Dependencies on a few earlier ops (acyclic by construction).
    std::vector<int> deps;
    const int nd = i == 0 ? 0 : static_cast<int>(rng.uniform_int(3));
    for (int k = 0; k < nd; ++k) {
      const int d = static_cast<int>(rng.uniform_int(static_cast<std::size_t>(i)));
      if (std::find(deps.begin(), deps.end(), d) == deps.end()) deps.push_back(d);
    }
    // Mostly a chain, so that allocations are often ordered after earlier frees.
    if (i > 0 && rng.uniform_int(3) != 0 && std::find(deps.begin(), deps.end(), i - 1) == deps.end()) {
      deps.push_back(i - 1);
    }
    if (last_barrier >= 0 && std::none_of(deps.begin(), deps.end(), [&](int d) { return d >= last_barrier; })) {
      deps.push_back(last_barrier);
    }
    const auto kind = rng.uniform_int(4);
    if (kind == 0 || unfreed.empty()) {
      unfreed.push_back(add_allocation(p, deps, rng));
    } else if (kind == 1) {
      // Free an unfreed allocation, or a few at once (one Free for several), usually after them
      // (sometimes not: the "must depend" check), and rarely one already freed or one named twice (the
      // "already freed" and "twice" checks).
      const std::size_t count = rng.uniform_int(4) == 0 ? 2 + rng.uniform_int(2) : 1;
      std::vector<int> freed;
      for (std::size_t c = 0; c < count && !unfreed.empty(); ++c) {
        const std::size_t k = rng.uniform_int(unfreed.size());
        const int l = unfreed[k];
        if (long_program || rng.uniform_int(60) != 0) deps.push_back(l);
        freed.push_back(l);
        if (long_program || rng.uniform_int(100) != 0) unfreed.erase(unfreed.begin() + static_cast<std::ptrdiff_t>(k));
      }
      if (!long_program && rng.uniform_int(150) == 0) freed.push_back(freed.front());
      std::sort(deps.begin(), deps.end());
      deps.erase(std::unique(deps.begin(), deps.end()), deps.end());
      p.free(freed, deps);
    } else {
      p.compute({static_cast<int>(rng.uniform_int(kArrays))}, 10, 10, deps);
    }
    for (int d : deps) used[static_cast<std::size_t>(d)] = 1;
  }
  return p;
}

void expect_blockwise_check_equals_the_definition(bool barriers) {
  HardwareConfig hw = HardwareSpace::defaults().reference_config();
  hw.set(HwParam::L1_num_child, kL1s);
  hw.set(HwParam::MA_num_child, kPerL1);
  Rng rng(99);
  int valid = 0, bad_free = 0, long_gb_checked = 0;
  std::vector<int> overflows(3, 0);  // in arrays, the global buffer, an L1 buffer
  for (int trial = 0; trial < 400; ++trial) {
    // Every fourth program long enough that the global buffer holds more than 64 allocations (rows of
    // several words in validate()'s bitmaps), with room to match and no bad frees, so that its check
    // gets that far.
    const bool long_program = trial % 4 == 3;
    const std::int64_t room = long_program ? 6 : 1;
    hw.set(HwParam::MA_mem_size, static_cast<std::int64_t>(500 + rng.uniform_int(4000)) * room);
    hw.fixed.gb_bytes = static_cast<std::int64_t>(500 + rng.uniform_int(8000)) * room;
    hw.fixed.l1_buffer_bytes = static_cast<std::int64_t>(500 + rng.uniform_int(1500)) * room;
    const Program p = random_program(rng, long_program, barriers);
    const std::string want = reference_check(p, hw);
    for (std::size_t words : {std::size_t{1}, std::size_t{0}}) {
      const std::string got = checked(p, hw, words);
      if (want.empty()) {
        EXPECT_EQ(got, "") << "trial " << trial;
      } else {
        EXPECT_EQ(got.rfind(want, 0), 0U) << "trial " << trial << ": want '" << want << "...', got '" << got << "'";
      }
    }
    std::size_t in_gb = 0;
    for (const Op& op : p.ops) {
      for (const Alloc& a : allocations(op)) in_gb += a.memory == kArrays ? 1 : 0;
    }
    const bool gb_checked = want.empty() || want.find("capacity overflow in the global buffer") == 0 ||
                            want.find("capacity overflow in the buffer of L1") == 0;
    if (in_gb > 64 && gb_checked) ++long_gb_checked;
    if (want.empty()) {
      ++valid;
    } else if (want.find("capacity overflow in array") == 0) {
      ++overflows[0];
    } else if (want.find("capacity overflow in the global buffer") == 0) {
      ++overflows[1];
    } else if (want.find("capacity overflow in the buffer of L1") == 0) {
      ++overflows[2];
    } else {
      ++bad_free;
    }
  }
  std::printf("[validation] random programs%s: %d valid, %d overflowing arrays, %d the global buffer, %d an L1 buffer, "
              "%d with a bad free; %d checked a global buffer of more than 64 allocations\n", barriers ? " with barriers" : "", valid, overflows[0],
              overflows[1], overflows[2], bad_free, long_gb_checked);
  // Every outcome occurs often enough to mean something.
  EXPECT_GT(valid, 40);
  for (int o : overflows) EXPECT_GT(o, 20);
  EXPECT_GT(bad_free, 10);
  EXPECT_GT(long_gb_checked, 20);
}

TEST(Validation, BlockwiseCapacityCheckEqualsTheDefinition) { expect_blockwise_check_equals_the_definition(false); }

TEST(Validation, BlockwiseCapacityCheckEqualsTheDefinitionAcrossBarriers) {
  expect_blockwise_check_equals_the_definition(true);
}

// Whole-network programs validate with one-word blocks exactly as with the default blocks.
TEST(Validation, NetworkProgramsValidateWithSmallBlocks) {
  const HardwareSpace hs = HardwareSpace::defaults();
  for (const char* name : {"ofa-mbv3", "ofa-resnet50"}) {
    const auto space = make_space(name);
    const HardwareConfig hw = hs.config(hs.smallest());
    const NetworkMapping nm = map_network(space->build(space->smallest()), hw);
    EXPECT_EQ(checked(nm.program, hw, 1), "") << name;
  }
}

}  // namespace
}  // namespace cimnet
