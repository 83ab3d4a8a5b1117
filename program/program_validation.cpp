// validate(): what a program must satisfy before it is simulated (program.hpp lists the rules).
//
// The capacity check covers every memory with a capacity alike: the weight cells of each array
// (MA_mem_size), the global buffer (gb_bytes) and each L1 buffer (l1_buffer_bytes). An allocation
// counts against its memory from its op's start until a Free of it completes; when allocation A
// starts, another allocation B of the same memory may be present unless B is ordered after A or B's
// free is ordered before A.
//
// Which of those may be present *together* matters for pipelines (chunk i of a layer reuses the space
// of chunk i − 8): summing every B that may be present would reject them all. So the allocations of
// a memory are covered by chains — sequences in which each member's free is ordered before the next
// member starts, so at most one member of a chain is present at any time — and the bound at A's start
// is A plus, for every other chain, its largest member that may be present. Any chain cover gives a
// sound bound (never less than the most any schedule has allocated: tests/program/
// capacity_exhaustive_test.cpp walks every schedule of small random programs); the greedy cover used
// here (each allocation, in topological order, extends the first chain whose last member's Free is
// ordered before it) makes it exact for the mapper's pipelines, whose chains are exactly its reused slots.
// In general a chain cover only bounds the exact peak — the heaviest antichain of the "freed before"
// order — from above, so where the bound exceeds a memory's capacity the exact peak decides
// (peak_allocation.hpp: a minimum flow through the dependency graph). validate() therefore rejects a
// program exactly when some schedule its dependencies allow overflows a memory; the exhaustive test
// checks both directions on small random programs.
//
// All of this runs per group of allocations (capacity_groups.hpp): the program's two-sided barriers
// separate every schedule in time, so a memory's allocations are compared only with those of their own
// segment and those carried into it, and the allocations live throughout a segment add a constant.
#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "common/text.hpp"
#include "program/capacity_groups.hpp"
#include "program/memories.hpp"
#include "program/op_checks.hpp"
#include "program/peak_allocation.hpp"
#include "program/program.hpp"

namespace cimnet {

namespace {

enum class Reach : std::uint8_t { None, Some, All };

// A set of indices as the words of a bit set that it touches: bits[w] is word first + w.
struct WordSpan {
  std::size_t first = 0;
  std::vector<std::uint64_t> bits;
  explicit WordSpan(const std::vector<std::size_t>& indices) {
    const auto [lo, hi] = std::minmax_element(indices.begin(), indices.end());
    first = *lo / 64;
    bits.assign(*hi / 64 - first + 1, 0);
    for (std::size_t i : indices) bits[i / 64 - first] |= std::uint64_t{1} << (i % 64);
  }
};

}  // namespace

void validate(const Program& program, const HardwareConfig& hardware) { detail::validate(program, hardware, 0); }

void detail::validate(const Program& program, const HardwareConfig& hardware, std::size_t max_block_words,
                      std::size_t max_pair_bits, const std::vector<std::int64_t>* capacities) {
  if (max_pair_bits == 0) max_pair_bits = std::size_t{1} << 35;
  hardware.validate("hardware");
  if (program.ops.empty()) throw InputError("program: no operations (an empty program cannot be simulated)");
  const Memories mem(hardware);
  const std::size_t n = program.ops.size();
  for (std::size_t i = 0; i < n; ++i) check_op(program, i, hardware, mem);
  if (capacities && capacities->size() != mem.count()) {
    throw std::invalid_argument("validate: " + std::to_string(capacities->size()) + " capacities for " +
                                std::to_string(mem.count()) + " memories");
  }
  const auto capacity_of = [&](std::size_t m) { return capacities ? (*capacities)[m] : mem.capacity(m); };

  const std::vector<int> order = topological_order(program);

  // Every question the remaining checks ask is "is op x an ancestor of op y" (certainly complete when
  // y starts, whatever the schedule), where x allocates or frees:
  //   (a) a free's op is an ancestor of the free;
  //   (b) for allocations l, o of one memory: l is an ancestor of o (o runs after l), or o's free is
  //       an ancestor of l (o is gone before l).
  // A bit set of all ancestors per op takes n² bits (1 GB for a 90 k-op program); instead the
  // targets x are taken in blocks of at most `block` (in topological order), each op gets the bits
  // of the block's targets among its ancestors (memory n · block bits), and every question whose x is
  // in the block is answered before the next block. Same answers, memory linear in n.
  std::vector<int> first_free(n, -1);  // the first free of each allocating op: the one rule (b) uses
  for (std::size_t i = 0; i < n; ++i) {
    const Op& op = program.ops[i];
    if (op.kind != OpKind::Free) continue;
    for (int f : op.frees) {
      if (first_free[static_cast<std::size_t>(f)] < 0) first_free[static_cast<std::size_t>(f)] = static_cast<int>(i);
    }
  }
  std::vector<int> position(n, 0);
  for (std::size_t k = 0; k < n; ++k) position[static_cast<std::size_t>(order[k])] = static_cast<int>(k);

  // Per memory, its allocations in op order.
  std::vector<std::vector<LiveAllocation>> allocs_of(mem.count());
  std::vector<std::vector<std::pair<std::size_t, std::size_t>>> index_of(n);  // op -> (memory, index)
  for (std::size_t i = 0; i < n; ++i) {
    for (const auto& al : allocations_of(program.ops[i], mem)) {
      index_of[i].push_back({al.memory, allocs_of[al.memory].size()});
      allocs_of[al.memory].push_back({static_cast<int>(i), first_free[i], al.bytes});
    }
  }
  // A memory with the same capacity and the same allocations (op by op, byte for byte) as an earlier
  // one has its verdict: the arrays a multicast load fills in step are checked once.
  std::vector<char> same_as_earlier(mem.count(), 0);
  for (std::size_t m = 0; m < mem.count(); ++m) {
    for (std::size_t r = 0; r < m && !same_as_earlier[m]; ++r) {
      if (same_as_earlier[r] || capacity_of(r) != capacity_of(m) || allocs_of[r].size() != allocs_of[m].size()) continue;
      same_as_earlier[m] = std::equal(allocs_of[r].begin(), allocs_of[r].end(), allocs_of[m].begin(),
                                      [](const LiveAllocation& a, const LiveAllocation& b) {
                                        return a.op == b.op && a.bytes == b.bytes;
                                      });
    }
  }
  // The memories' allocations in groups, one per segment between two-sided barriers (capacity_groups.hpp).
  // barrier[k]: every op after position k descends from the op at k. An op of a block's scan (below)
  // that descends from all the block's targets and is a barrier ends the scan: all later ops do too
  // (positions past all_after).
  const std::vector<char> barrier = followed_by_descendants(program, order, position);
  const CapacityGroups grouping(order, position, two_sided_barriers(program, order, barrier), allocs_of,
                                same_as_earlier);
  const std::vector<CapacityGroup>& groups = grouping.groups();
  // For each pair (a, b) of one group whether b is ordered after a ("after") and whether b's free is
  // ordered before a ("freed before"): two bitmaps of |members|² bits per group. Between groups these
  // follow from the barriers.
  struct Bitmap {  // rows of whole words, so that the bound below can scan a row a word at a time
    std::size_t stride = 0;  // words per row
    std::vector<std::uint64_t> words;
    void reset(std::size_t s) {
      stride = (s + 63) / 64;
      words.assign(s * stride, 0);
    }
    void set(std::size_t a, std::size_t b) { words[a * stride + b / 64] |= std::uint64_t{1} << (b % 64); }
    bool get(std::size_t a, std::size_t b) const { return (words[a * stride + b / 64] >> (b % 64)) & 1U; }
    const std::uint64_t* row(std::size_t a) const { return &words[a * stride]; }
    // Row a gains the span's bits, except a's own (the relations below are irreflexive).
    void set_span(std::size_t a, const WordSpan& span) {
      std::uint64_t* r = &words[a * stride];
      for (std::size_t w = 0; w < span.bits.size(); ++w) r[span.first + w] |= span.bits[w];
      if (a / 64 >= span.first && a / 64 < span.first + span.bits.size() &&
          ((span.bits[a / 64 - span.first] >> (a % 64)) & 1U)) {
        r[a / 64] &= ~(std::uint64_t{1} << (a % 64));
      }
    }
  };
  std::vector<Bitmap> after(groups.size()), freed_before(groups.size());
  // Groups small enough for the quick bound's bitmaps, fewest members first; the others are decided
  // exactly (below).
  std::vector<char> bitmapped(groups.size(), 0);
  {
    std::vector<std::size_t> by_size(groups.size());
    for (std::size_t g = 0; g < groups.size(); ++g) by_size[g] = g;
    std::stable_sort(by_size.begin(), by_size.end(), [&](std::size_t a, std::size_t b) {
      return groups[a].members.size() < groups[b].members.size();
    });
    std::size_t budget = max_pair_bits;
    for (std::size_t g : by_size) {
      const std::size_t a = groups[g].members.size();
      if (a < 2) continue;
      if (a > budget / 2 / a) break;
      budget -= 2 * a * a;
      bitmapped[g] = 1;
      after[g].reset(a);
      freed_before[g].reset(a);
    }
  }
  // (a), per free: the first op it frees without following it (-1: it follows every op it frees).
  std::vector<int> free_precedes(n, -1);

  std::vector<int> targets;
  for (int v : order) {
    const Op& op = program.ops[static_cast<std::size_t>(v)];
    if (op.kind == OpKind::Free || allocates(op)) targets.push_back(v);
  }
  // At most about 32 MiB of bits whatever n (at least one word per op), no more than the targets need.
  std::size_t words = std::max<std::size_t>(
      1, std::min((std::size_t{1} << 22) / std::max<std::size_t>(1, n), (targets.size() + 63) / 64));
  if (max_block_words > 0) words = std::min(words, max_block_words);
  const std::size_t block = 64 * words;
  std::vector<std::uint64_t> bits(n * words);
  std::vector<int> bit_of(n, -1);
  // Which of the block's targets an op descends from: none, all (most ops some steps past the block:
  // their rows are neither read nor written) or some (its row of bits says which).
  std::vector<Reach> reach_of(n, Reach::None);
  std::vector<std::size_t> descends_from_all;
  std::size_t all_after = n;
  std::vector<std::vector<int>> frees_of(n);  // (a): the frees of each allocating op
  for (std::size_t i = 0; i < n; ++i) {
    if (program.ops[i].kind != OpKind::Free) continue;
    for (int f : program.ops[i].frees) frees_of[static_cast<std::size_t>(f)].push_back(static_cast<int>(i));
  }
  // Per group, the block's questions of rule (b): (bit of the target, index of the member).
  struct Asks {
    std::vector<std::pair<std::size_t, std::size_t>> after, freed;
  };
  std::vector<Asks> asks(groups.size());
  std::vector<std::size_t> touched;  // the groups with questions in the block
  auto ask = [&](std::size_t g, bool is_after, std::size_t bit, std::size_t index) {
    if (g == CapacityGroups::kNone || !bitmapped[g]) return;
    if (asks[g].after.empty() && asks[g].freed.empty()) touched.push_back(g);
    (is_after ? asks[g].after : asks[g].freed).push_back({bit, index});
  };
  for (std::size_t b0 = 0; b0 < targets.size(); b0 += block) {
    const std::size_t b1 = std::min(targets.size(), b0 + block);
    for (std::size_t t = b0; t < b1; ++t) bit_of[static_cast<std::size_t>(targets[t])] = static_cast<int>(t - b0);
    // Ops before the block's first target (in topological order) have none of its targets as ancestors.
    const std::size_t from = static_cast<std::size_t>(position[static_cast<std::size_t>(targets[b0])]);
    // The block's bits as whole words: a row equal to them has every target of the block as an ancestor.
    const std::size_t in_block = b1 - b0;
    const std::size_t used_words = (in_block + 63) / 64;
    const std::uint64_t last_word = in_block % 64 ? (std::uint64_t{1} << (in_block % 64)) - 1 : ~std::uint64_t{0};
    all_after = n;
    for (std::size_t k = from; k < n; ++k) {
      const auto v = static_cast<std::size_t>(order[k]);
      std::uint64_t* row = &bits[v * words];
      Reach reach = Reach::None;
      for (int d : program.ops[v].deps) {
        const auto du = static_cast<std::size_t>(d);
        if (position[du] < static_cast<int>(from)) continue;
        if (reach_of[du] == Reach::All) {
          reach = Reach::All;
          break;
        }
        if (reach_of[du] == Reach::None && bit_of[du] < 0) continue;
        if (reach == Reach::None) {
          std::fill(row, row + used_words, 0);
          reach = Reach::Some;
        }
        if (reach_of[du] == Reach::Some) {
          const std::uint64_t* drow = &bits[du * words];
          for (std::size_t w = 0; w < used_words; ++w) row[w] |= drow[w];
        }
        if (bit_of[du] >= 0) row[static_cast<std::size_t>(bit_of[du]) / 64] |= std::uint64_t{1} << (bit_of[du] % 64);
      }
      if (reach == Reach::Some) {
        bool all = row[used_words - 1] == last_word;
        for (std::size_t w = 0; all && w + 1 < used_words; ++w) all = row[w] == ~std::uint64_t{0};
        if (all) reach = Reach::All;
      }
      reach_of[v] = reach;
      if (reach == Reach::All && barrier[k]) {  // and so does every later op: no need to look at them
        all_after = k;
        break;
      }
    }
    auto reach = [&](std::size_t y) {
      return static_cast<std::size_t>(position[y]) > all_after ? Reach::All : reach_of[y];
    };
    auto has = [&](std::size_t y, std::size_t bit) {  // the block's target of this bit is an ancestor of y
      if (reach(y) != Reach::Some) return reach(y) == Reach::All;
      return ((bits[y * words + bit / 64] >> (bit % 64)) & 1U) != 0;
    };
    auto ancestor = [&](int x, int y) {  // x (in the block) is an ancestor of y
      const auto yu = static_cast<std::size_t>(y);
      if (position[yu] < static_cast<int>(from)) return false;
      return has(yu, static_cast<std::size_t>(bit_of[static_cast<std::size_t>(x)]));
    };
    // (b), grouped by group so that each allocation's row of bits is read once per group and block
    // (asked target by target, every question read another op's row: a cache miss each, most of the
    // time of validate() on whole networks).
    touched.clear();
    for (std::size_t t = b0; t < b1; ++t) {
      const int x = targets[t];
      const Op& op = program.ops[static_cast<std::size_t>(x)];
      const std::size_t bit = t - b0;
      if (op.kind != OpKind::Free) {
        // First rule: the allocations of x's group that x precedes run after it.
        for (const auto& [m, ix] : index_of[static_cast<std::size_t>(x)]) {
          const auto& at = grouping.place(m, ix);
          ask(at.home_group, true, bit, at.home_index);
        }
      } else {
        // Second rule: x frees o, which is gone before every allocation of the group of x's segment that
        // x precedes (o is a member there, its own or carried in).
        for (int o : op.frees) {
          if (first_free[static_cast<std::size_t>(o)] != x) continue;
          for (const auto& [m, io] : index_of[static_cast<std::size_t>(o)]) {
            const auto& at = grouping.place(m, io);
            if (at.home_group == CapacityGroups::kNone) continue;
            if (groups[at.home_group].segment == grouping.segment_of(x)) {
              ask(at.home_group, false, bit, at.home_index);
            } else {
              ask(at.carried_group, false, bit, at.carried_index);
            }
          }
        }
      }
    }
    for (std::size_t g : touched) {
      const CapacityGroup& group = groups[g];
      const auto& on = allocs_of[group.memory];
      // A member that descends from every target of the block answers all the block's questions yes:
      // those (most of them, past the block) are set a word at a time below. Carried-in members precede
      // the group's segment and descend from none of its targets.
      std::vector<std::size_t>& everything = descends_from_all;
      everything.clear();
      for (std::size_t k = group.carried; k < group.members.size(); ++k) {
        const auto y = static_cast<std::size_t>(on[group.members[k]].op);
        if (position[y] < static_cast<int>(from) || reach(y) == Reach::None) continue;
        if (reach(y) == Reach::All) {
          everything.push_back(k);
          continue;
        }
        const std::uint64_t* row = &bits[y * words];
        for (const auto& [bit, ix] : asks[g].after) {
          if (ix != k && ((row[bit / 64] >> (bit % 64)) & 1U)) after[g].set(ix, k);
        }
        for (const auto& [bit, io] : asks[g].freed) {
          if (io != k && ((row[bit / 64] >> (bit % 64)) & 1U)) freed_before[g].set(k, io);
        }
      }
      if (!everything.empty()) {
        // after[ix][k] for every asked ix and every such k; freed_before[k][io] likewise. Never the
        // diagonal: an allocation is neither after itself nor freed before itself.
        WordSpan ks(everything);
        for (const auto& [bit, ix] : asks[g].after) after[g].set_span(ix, ks);
        std::vector<std::size_t> ios;
        for (const auto& [bit, io] : asks[g].freed) ios.push_back(io);
        if (!ios.empty()) {
          WordSpan asked(ios);
          for (std::size_t k : everything) freed_before[g].set_span(k, asked);
        }
      }
      asks[g].after.clear();
      asks[g].freed.clear();
    }
    // (a): allocating ops in this block against every free of them.
    for (std::size_t t = b0; t < b1; ++t) {
      const auto x = static_cast<std::size_t>(targets[t]);
      for (int f : frees_of[x]) {
        if (free_precedes[static_cast<std::size_t>(f)] < 0 && !ancestor(targets[t], f)) {
          free_precedes[static_cast<std::size_t>(f)] = targets[t];
        }
      }
    }
    for (std::size_t t = b0; t < b1; ++t) bit_of[static_cast<std::size_t>(targets[t])] = -1;
  }

  std::vector<int> freed_by(n, -1);
  for (std::size_t i = 0; i < n; ++i) {
    const Op& op = program.ops[i];
    if (op.kind != OpKind::Free) continue;
    const auto who = [&] { return describe(program, static_cast<int>(i)); };
    if (free_precedes[i] >= 0) {
      throw InputError(who() + " must depend (directly or not) on the op it frees, " +
                       describe(program, free_precedes[i]));
    }
    for (int f : op.frees) {
      const int earlier = freed_by[static_cast<std::size_t>(f)];
      if (earlier == static_cast<int>(i)) throw InputError(who() + " frees " + describe(program, f) + " twice");
      if (earlier >= 0) {
        throw InputError(who() + ": " + describe(program, f) + " is already freed by " + describe(program, earlier));
      }
      freed_by[static_cast<std::size_t>(f)] = static_cast<int>(i);
    }
  }

  // Capacity over time, for every order the dependencies allow: per group, its spanning bytes plus the
  // chain-cover bound above, or the exact peak where that bound cannot prove the group fits.
  auto exact_peak = [&](std::size_t g) {  // the spanning bytes and the group's own peak (capacity_groups.hpp)
    const CapacityGroup& group = groups[g];
    std::vector<LiveAllocation> lives;
    for (std::size_t k = 0; k < group.members.size(); ++k) {
      const LiveAllocation& a = allocs_of[group.memory][group.members[k]];
      if (k < group.carried) {
        lives.push_back({group.opening_barrier, a.free_op, a.bytes});
      } else {
        const bool freed_here = a.free_op >= 0 && grouping.segment_of(a.free_op) == group.segment;
        lives.push_back({a.op, freed_here ? a.free_op : -1, a.bytes});
      }
    }
    return group.spanning_bytes + peak_allocation(program, position, lives, &order);
  };
  // Where a group overflows, the memory's peak is its largest group's (the figure an error names).
  auto worst_group_of = [&](std::size_t memory, std::size_t g, std::int64_t peak) {
    std::pair<std::int64_t, std::size_t> worst{peak, g};
    for (std::size_t h = 0; h < groups.size(); ++h) {
      if (h == g || groups[h].memory != memory) continue;
      const std::int64_t there = exact_peak(h);
      if (there > worst.first) worst = {there, h};  // ties: the group that found the overflow
    }
    return worst;
  };
  auto overflow = [&](std::size_t memory, std::int64_t peak) {
    return InputError("capacity overflow in " + mem.name(memory) + ": in some order the dependencies allow, " +
                      std::to_string(peak) + " bytes are allocated there at once (" +
                      std::to_string(allocs_of[memory].size()) + " allocations; add Frees ordered before the later ones)");
  };
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const CapacityGroup& group = groups[g];
    const std::size_t m = group.memory;
    auto member = [&](std::size_t k) -> const LiveAllocation& { return allocs_of[m][group.members[k]]; };
    // A single allocation alone was checked against the capacity with its op (not against one given).
    if (group.members.size() == 1 && group.spanning_bytes == 0 && member(0).bytes <= capacity_of(m)) continue;
    if (!bitmapped[g]) {  // a single member, or too many for the quick bound's bitmaps: the exact peak decides
      const std::int64_t peak = exact_peak(g);
      if (peak > capacity_of(m)) throw overflow(m, worst_group_of(m, g, peak).first);
      continue;
    }
    // Greedy chains, members in topological order (the carried-in ones first): extend the first chain
    // whose last member's free is ordered before this member.
    const std::size_t size = group.members.size();
    std::vector<std::size_t> chain_of(size), tails;
    for (std::size_t k = 0; k < size; ++k) {
      std::size_t c = 0;
      while (c < tails.size() && !freed_before[g].get(k, tails[c])) ++c;
      if (c == tails.size()) tails.push_back(k); else tails[c] = k;
      chain_of[k] = c;
    }
    std::vector<std::int64_t> best(tails.size());
    std::vector<std::size_t> who(tails.size());
    for (std::size_t k = group.carried; k < size; ++k) {
      std::fill(best.begin(), best.end(), 0);
      // The members that may be present at k's start, a word at a time: in a pipeline most of the others
      // run after k or are freed before it, so few bits survive.
      const std::uint64_t* runs_after = after[g].row(k);
      const std::uint64_t* gone = freed_before[g].row(k);
      for (std::size_t w = 0; w < after[g].stride; ++w) {
        std::uint64_t may = ~(runs_after[w] | gone[w]);
        if (w + 1 == after[g].stride && size % 64 != 0) may &= (std::uint64_t{1} << (size % 64)) - 1;
        for (; may != 0; may &= may - 1) {
          const std::size_t o = w * 64 + static_cast<std::size_t>(__builtin_ctzll(may));
          if (o == k || chain_of[o] == chain_of[k]) continue;
          if (member(o).bytes > best[chain_of[o]]) {
            best[chain_of[o]] = member(o).bytes;
            who[chain_of[o]] = o;
          }
        }
      }
      std::int64_t bound = member(k).bytes + group.spanning_bytes;
      for (std::int64_t b : best) bound += b;
      if (bound <= capacity_of(m)) continue;
      // The bound cannot prove this group fits: decide exactly (peak_allocation.hpp).
      const std::int64_t peak = exact_peak(g);
      if (peak <= capacity_of(m)) break;
      const auto [worst, in] = worst_group_of(m, g, peak);
      if (in != g) throw overflow(m, worst);
      bound = peak;
      std::vector<std::string> names;
      std::size_t others = 0;
      for (std::size_t c = 0; c < best.size(); ++c) {
        if (best[c] > 0 && ++others <= 4) names.push_back(describe(program, member(who[c]).op));
      }
      if (others > 4) names.push_back("...");
      throw InputError("capacity overflow in " + mem.name(m) + ": in some order the dependencies allow, " +
                       std::to_string(bound) + " bytes are allocated there at once; when " + describe(program, member(k).op) +
                       " runs, these may still be allocated: " + join(names, ", ") +
                       " — free them (a Free ordered before this op)");
    }
  }
}

}  // namespace cimnet
