#include "program/repeated_segments.hpp"

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace cimnet {

namespace {

void mix(std::uint64_t& h, std::int64_t v) {
  h ^= static_cast<std::uint64_t>(v) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
}

}  // namespace

bool same_op_fields(const Op& a, const Op& b) {
  return a.kind == b.kind && a.arrays == b.arrays && a.multicast == b.multicast && a.bytes == b.bytes &&
         a.macs == b.macs && a.vector_ops == b.vector_ops && a.bytes_out == b.bytes_out &&
         a.reduce_at == b.reduce_at && a.source == b.source && a.dest == b.dest && a.l1 == b.l1 &&
         a.digital == b.digital && a.digital_buffer == b.digital_buffer && a.steps == b.steps &&
         a.order == b.order && a.prefetch == b.prefetch && a.forward_to_gb == b.forward_to_gb;
}

namespace {

// Where something the ops up to position p did is still held after p: an allocation freed later (or
// never), an op and a free of it on either side, or a stream whose dependents are not all at or
// before p. `held` is a difference array over positions.
struct Holds {
  std::vector<int> held;
  explicit Holds(std::size_t n) : held(n + 1, 0) {}
  void hold(int from, int to) {
    if (from >= to) return;
    ++held[static_cast<std::size_t>(from)];
    --held[static_cast<std::size_t>(to)];
  }
};

// What the cuts of a rule found: per position, whether a cut is there, and whether some allocation is
// held across one of them (timing cuts only).
struct Cuts {
  std::vector<char> at;
  bool holds_across = false;
};

// What the cuts of both rules are found from: per position of a topological order, whether a two-sided
// barrier is there, and where streams and allocations are held.
struct Summary {
  std::vector<char> barrier;
  Holds streams, allocations;
  explicit Summary(std::size_t n) : barrier(n, 0), streams(n), allocations(n) {}
};

// One pass over the dependencies in `order` (a 7B decode step's 341 k ops are memory-bound: each pass
// over them costs tens of milliseconds), the barriers from per-position summaries: a two-sided barrier
// at k when every later op has a dependency at k or later (so descends from k) and k is the only op up
// to k without a user up to k (so every earlier op reaches k). kIdOrder: `order` is the ids in order
// (the mapper's programs, whose ops follow their dependencies), checked on the way (false when a
// dependency is not earlier); otherwise `position` is each op's place in `order`.
template <bool kIdOrder>
bool summarise(const Program& program, const std::vector<int>& order, const std::vector<int>& position, Summary& out) {
  const std::size_t n = program.ops.size();
  const auto at = [&](int id) {
    if constexpr (kIdOrder) {
      return id;
    } else {
      return position[static_cast<std::size_t>(id)];
    }
  };
  std::vector<int> latest_dep(n, -1), first_user(n, static_cast<int>(n)), last_user(n, -1);
  std::vector<int> freed_at(n, static_cast<int>(n));
  for (std::size_t k = 0; k < n; ++k) {
    const Op& op = program.ops[static_cast<std::size_t>(kIdOrder ? static_cast<int>(k) : order[k])];
    const int p = static_cast<int>(k);
    for (int d : op.deps) {
      const int q = at(d);
      if (kIdOrder && (d < 0 || q >= p)) return false;
      latest_dep[k] = std::max(latest_dep[k], q);
      const auto u = static_cast<std::size_t>(q);
      first_user[u] = std::min(first_user[u], p);
      last_user[u] = std::max(last_user[u], p);
    }
    if (op.kind == OpKind::Free) {
      for (int f : op.frees) {
        const int q = at(f);
        freed_at[static_cast<std::size_t>(q)] = std::min(freed_at[static_cast<std::size_t>(q)], p);
        out.allocations.hold(q, p);
      }
    }
  }
  std::vector<int> users_by(n + 1, 0);  // how many ops have their first user at each position
  for (std::size_t k = 0; k < n; ++k) {
    if (first_user[k] < static_cast<int>(n)) ++users_by[static_cast<std::size_t>(first_user[k])];
  }
  std::vector<char> followed(n, 0);
  int earliest_latest = static_cast<int>(n);  // min over later ops of their latest dependency
  for (std::size_t k = n; k-- > 0;) {
    followed[k] = earliest_latest >= static_cast<int>(k) ? 1 : 0;
    earliest_latest = std::min(earliest_latest, latest_dep[k]);
  }
  std::int64_t used = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const Op& op = program.ops[static_cast<std::size_t>(kIdOrder ? static_cast<int>(k) : order[k])];
    if (allocates(op)) out.allocations.hold(static_cast<int>(k), freed_at[k]);
    if (op.kind == OpKind::StreamInput) out.streams.hold(static_cast<int>(k), last_user[k]);
    used += users_by[k];
    const std::int64_t without_user = static_cast<std::int64_t>(k) + 1 - used;
    out.barrier[k] = without_user == 1 && followed[k] ? 1 : 0;
  }
  return true;
}

// The cuts of a rule: two-sided barriers across which nothing is held (clean) or no stream (timing).
Cuts cuts_where(const Summary& summary, SegmentCuts rule) {
  Cuts out;
  out.at = summary.barrier;
  int streams = 0, allocations = 0;
  for (std::size_t p = 0; p < summary.barrier.size(); ++p) {
    streams += summary.streams.held[p];
    allocations += summary.allocations.held[p];
    const bool cut = summary.barrier[p] && streams == 0 && (rule == SegmentCuts::Timing || allocations == 0);
    out.at[p] = cut ? 1 : 0;
    if (cut && allocations > 0) out.holds_across = true;
  }
  return out;
}

// A topological order of the program and its summary; false when a free names no op (validate()
// reports it).
bool summarise(const Program& program, std::vector<int>& order, Summary& summary) {
  const std::size_t n = program.ops.size();
  for (const Op& op : program.ops) {
    if (op.kind != OpKind::Free) continue;
    if (op.frees.empty()) return false;
    for (int f : op.frees) {
      if (f < 0 || static_cast<std::size_t>(f) >= n) return false;
    }
  }
  // The mapper emits every op after its dependencies: then op order is a topological order (and any
  // topological order has the same barriers and segments), so Kahn's walk is needed only otherwise.
  order.resize(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<int>(i);
  if (summarise<true>(program, order, order, summary)) return true;
  summary = Summary(n);
  order = topological_order(program);
  std::vector<int> position(n, 0);
  for (std::size_t k = 0; k < n; ++k) position[static_cast<std::size_t>(order[k])] = static_cast<int>(k);
  return summarise<false>(program, order, position, summary);
}

RepeatedSegments segments_between(const Program& program, const std::vector<int>& order, const Cuts& found,
                                  SegmentCuts rule) {
  const std::size_t n = program.ops.size();
  const std::vector<char>& cut = found.at;
  RepeatedSegments out;
  out.cuts = rule;
  out.holds_across = found.holds_across;
  std::vector<int> segment_of(n, 0), rank(n, 0);
  {
    RepeatedSegments::Segment current;
    for (std::size_t p = 0; p < n; ++p) {
      const int id = order[p];
      segment_of[static_cast<std::size_t>(id)] = static_cast<int>(out.segments.size());
      current.ops.push_back(id);
      if (cut[p]) {
        current.closing = id;
        out.segments.push_back(std::move(current));
        current = {};
      }
    }
    if (!current.ops.empty()) out.segments.push_back(std::move(current));
  }
  for (auto& s : out.segments) {
    std::sort(s.ops.begin(), s.ops.end());
    for (std::size_t r = 0; r < s.ops.size(); ++r) rank[static_cast<std::size_t>(s.ops[r])] = static_cast<int>(r);
  }
  for (std::size_t i = 0; i < n; ++i) {
    const Op& op = program.ops[i];
    // A free ahead of its op (which validate() refuses, and must see whole). Across a clean cut
    // nothing is held, so a free there is ahead of its op too.
    if (op.kind != OpKind::Free) continue;
    for (int f : op.frees) {
      const int freed = segment_of[static_cast<std::size_t>(f)];
      if (freed > segment_of[i] || (freed < segment_of[i] && rule == SegmentCuts::Clean)) return {};
    }
  }
  // An id as its segment sees it: its rank inside, -1 outside.
  auto local = [&](int id, int s) { return segment_of[static_cast<std::size_t>(id)] == s ? rank[static_cast<std::size_t>(id)] : -1; };
  auto same = [&](int a, int b) {
    const auto& sa = out.segments[static_cast<std::size_t>(a)];
    const auto& sb = out.segments[static_cast<std::size_t>(b)];
    if (sa.ops.size() != sb.ops.size()) return false;
    if ((sa.closing < 0) != (sb.closing < 0)) return false;
    if (sa.closing >= 0 && rank[static_cast<std::size_t>(sa.closing)] != rank[static_cast<std::size_t>(sb.closing)]) return false;
    for (std::size_t r = 0; r < sa.ops.size(); ++r) {
      const Op& x = program.ops[static_cast<std::size_t>(sa.ops[r])];
      const Op& y = program.ops[static_cast<std::size_t>(sb.ops[r])];
      if (!same_op_fields(x, y) || x.deps.size() != y.deps.size()) return false;
      for (std::size_t k = 0; k < x.deps.size(); ++k) {
        if (local(x.deps[k], a) != local(y.deps[k], b)) return false;
      }
      if (x.kind == OpKind::Free) {
        if (x.frees.size() != y.frees.size()) return false;
        for (std::size_t k = 0; k < x.frees.size(); ++k) {
          if (local(x.frees[k], a) != local(y.frees[k], b)) return false;
        }
      }
    }
    return true;
  };

  std::unordered_map<std::uint64_t, std::vector<int>> classes;  // hash -> first segments
  for (std::size_t s = 0; s < out.segments.size(); ++s) {
    auto& seg = out.segments[s];
    const int si = static_cast<int>(s);
    seg.first = si;
    if (out.segments.size() == 1) break;  // nothing to compare it with
    std::uint64_t h = seg.ops.size();
    mix(h, seg.closing < 0 ? -1 : rank[static_cast<std::size_t>(seg.closing)]);
    for (int id : seg.ops) {
      const Op& op = program.ops[static_cast<std::size_t>(id)];
      mix(h, static_cast<std::int64_t>(op.kind));
      mix(h, op.bytes);
      mix(h, op.macs);
      // Sizes only, not the vectors' contents: same() compares those, and one pass over every op's
      // dependencies is tens of milliseconds on a 7B decode step (each vector is its own cache line).
      mix(h, static_cast<std::int64_t>(op.arrays.size()));
      mix(h, static_cast<std::int64_t>(op.deps.size()));
    }
    auto& candidates = classes[h];
    for (int c : candidates) {
      if (same(c, si)) {
        seg.first = c;
        break;
      }
    }
    if (seg.first == si) candidates.push_back(si);
  }
  for (std::size_t s = 0; s < out.segments.size(); ++s) {
    if (out.segments[s].first == static_cast<int>(s)) ++out.distinct_segments;
  }
  if (!out.repeats()) return out;  // the program runs whole: no copy of it (a fused 7B step's is 0.5 s)

  std::vector<int> base(out.segments.size(), 0);  // where a first segment's ops start in `distinct`
  // The op of `distinct` that stands for a program op in an earlier segment than `s` (its class's
  // first segment is earlier still, so already in `distinct`).
  auto stands_for = [&](int id) {
    const auto& owner = out.segments[static_cast<std::size_t>(segment_of[static_cast<std::size_t>(id)])];
    return base[static_cast<std::size_t>(owner.first)] + rank[static_cast<std::size_t>(id)];
  };
  int previous_closing = -1;  // in `distinct`
  for (std::size_t s = 0; s < out.segments.size(); ++s) {
    const auto& seg = out.segments[s];
    const int si = static_cast<int>(s);
    if (seg.first != si) continue;
    base[s] = static_cast<int>(out.distinct.ops.size());
    for (int id : seg.ops) {
      Op op = program.ops[static_cast<std::size_t>(id)];
      // Inside dependencies by rank; those outside (all before the opening cut) become one on the
      // previous distinct segment's closing cut. (Not a search of the list per dependency: a barrier
      // op can have thousands.)
      std::vector<int> deps;
      deps.reserve(op.deps.size());
      bool outside = false;
      for (int d : op.deps) {
        const int l = local(d, si);
        if (l >= 0) {
          deps.push_back(base[s] + l);
        } else {
          outside = true;
        }
      }
      if (outside && previous_closing >= 0) deps.push_back(previous_closing);
      op.deps = std::move(deps);
      if (op.kind == OpKind::Free) {
        // A free of an earlier segment's op (timing cuts): the timed model does not count memories
        // then, and this one names an op of the same kind and places.
        for (int& f : op.frees) {
          const int l = local(f, si);
          f = l >= 0 ? base[s] + l : stands_for(f);
        }
      }
      out.distinct.ops.push_back(std::move(op));
    }
    if (seg.closing >= 0) previous_closing = base[s] + rank[static_cast<std::size_t>(seg.closing)];
  }
  out.distinct_op.assign(n, 0);
  for (const auto& seg : out.segments) {
    for (int id : seg.ops) {
      out.distinct_op[static_cast<std::size_t>(id)] = base[static_cast<std::size_t>(seg.first)] + rank[static_cast<std::size_t>(id)];
    }
  }
  return out;
}

}  // namespace

RepeatedSegments find_repeated_segments(const Program& program, SegmentCuts rule) {
  std::vector<int> order;
  Summary summary(program.ops.size());
  if (!summarise(program, order, summary)) return {};
  return segments_between(program, order, cuts_where(summary, rule), rule);
}

RepeatedSegments find_repeated_segments(const Program& program) {
  std::vector<int> order;
  Summary summary(program.ops.size());
  if (!summarise(program, order, summary)) return {};
  const Cuts clean = cuts_where(summary, SegmentCuts::Clean);
  RepeatedSegments out = segments_between(program, order, clean, SegmentCuts::Clean);
  if (out.repeats()) return out;
  const Cuts timing = cuts_where(summary, SegmentCuts::Timing);
  if (timing.at == clean.at) return out;
  return segments_between(program, order, timing, SegmentCuts::Timing);
}

}  // namespace cimnet
