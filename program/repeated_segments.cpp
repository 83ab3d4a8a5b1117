#include "program/repeated_segments.hpp"

#include <algorithm>
#include <unordered_map>

#include "program/capacity_groups.hpp"

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
         a.order == b.order && a.prefetch == b.prefetch;
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

// Where the positions' allocations and streams are held (by `stream` and `allocation`), cuts where
// neither is (or, for timing cuts, no stream) at a two-sided barrier.
Cuts cuts_where(const std::vector<char>& barrier, const Holds& stream, const Holds& allocation, SegmentCuts rule) {
  Cuts out;
  out.at = barrier;
  int streams = 0, allocations = 0;
  for (std::size_t p = 0; p < barrier.size(); ++p) {
    streams += stream.held[p];
    allocations += allocation.held[p];
    const bool cut = barrier[p] && streams == 0 && (rule == SegmentCuts::Timing || allocations == 0);
    out.at[p] = cut ? 1 : 0;
    if (cut && allocations > 0) out.holds_across = true;
  }
  return out;
}

// The cuts per position of `order` (any topological order), by the general route.
Cuts cuts_of(const Program& program, const std::vector<int>& order, SegmentCuts rule) {
  const std::size_t n = program.ops.size();
  std::vector<int> position(n, 0);
  for (std::size_t k = 0; k < n; ++k) position[static_cast<std::size_t>(order[k])] = static_cast<int>(k);
  const std::vector<char> barrier = two_sided_barriers(program, order, followed_by_descendants(program, order, position));
  Holds h(n), streams(n);
  std::vector<int> freed_at(n, static_cast<int>(n));
  std::vector<int> last_user(n, -1);
  for (std::size_t i = 0; i < n; ++i) {
    const Op& op = program.ops[i];
    if (op.kind == OpKind::Free) {
      int& f = freed_at[static_cast<std::size_t>(op.frees)];
      f = std::min(f, position[i]);
      h.hold(position[static_cast<std::size_t>(op.frees)], position[i]);
    }
    for (int d : op.deps) last_user[static_cast<std::size_t>(d)] = std::max(last_user[static_cast<std::size_t>(d)], position[i]);
  }
  for (std::size_t i = 0; i < n; ++i) {
    const Op& op = program.ops[i];
    if (allocates(op)) h.hold(position[i], freed_at[i]);
    if (op.kind == OpKind::StreamInput) streams.hold(position[i], last_user[i]);
  }
  return cuts_where(barrier, streams, h, rule);
}

// The same when every op follows its dependencies in id order (the mapper's programs): one pass over
// the dependencies (a 7B decode step's 341 k ops are memory-bound: each pass over them costs tens of
// milliseconds), the barriers from per-op summaries. Empty when some dependency is not earlier.
Cuts cuts_in_id_order(const Program& program, SegmentCuts rule) {
  const std::size_t n = program.ops.size();
  std::vector<int> latest_dep(n, -1), first_user(n, static_cast<int>(n)), last_user(n, -1);
  std::vector<int> freed_at(n, static_cast<int>(n));
  Holds h(n), streams(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Op& op = program.ops[i];
    const int at = static_cast<int>(i);
    for (int d : op.deps) {
      if (d < 0 || d >= at) return {};  // not in id order: the general route
      const auto k = static_cast<std::size_t>(d);
      latest_dep[i] = std::max(latest_dep[i], d);
      first_user[k] = std::min(first_user[k], at);
      last_user[k] = std::max(last_user[k], at);
    }
    if (op.kind == OpKind::Free) {
      freed_at[static_cast<std::size_t>(op.frees)] = std::min(freed_at[static_cast<std::size_t>(op.frees)], at);
      h.hold(op.frees, at);
    }
  }
  // A two-sided barrier at k: every later op has a dependency at k or later (so descends from k), and
  // k is the only op up to k without a user up to k (so every earlier op reaches k).
  std::vector<char> barrier(n, 0);
  std::vector<int> users_by(n + 1, 0);  // how many ops have their first user at each position
  for (std::size_t i = 0; i < n; ++i) {
    if (first_user[i] < static_cast<int>(n)) ++users_by[static_cast<std::size_t>(first_user[i])];
  }
  std::vector<char> followed(n, 0);
  int earliest_latest = static_cast<int>(n);  // min over later ops of their latest dependency
  for (std::size_t k = n; k-- > 0;) {
    followed[k] = earliest_latest >= static_cast<int>(k) ? 1 : 0;
    earliest_latest = std::min(earliest_latest, latest_dep[k]);
  }
  std::int64_t used = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const Op& op = program.ops[k];
    if (allocates(op)) h.hold(static_cast<int>(k), freed_at[k]);
    if (op.kind == OpKind::StreamInput) streams.hold(static_cast<int>(k), last_user[k]);
  }
  for (std::size_t k = 0; k < n; ++k) {
    used += users_by[k];
    const std::int64_t without_user = static_cast<std::int64_t>(k) + 1 - used;
    barrier[k] = without_user == 1 && followed[k] ? 1 : 0;
  }
  return cuts_where(barrier, streams, h, rule);
}

}  // namespace

RepeatedSegments find_repeated_segments(const Program& program, SegmentCuts rule) {
  const std::size_t n = program.ops.size();
  for (const Op& op : program.ops) {
    if (op.kind == OpKind::Free && (op.frees < 0 || static_cast<std::size_t>(op.frees) >= n)) return {};
  }
  // The mapper emits every op after its dependencies: then op order is a topological order (and any
  // topological order has the same barriers and segments), so Kahn's walk is needed only otherwise.
  std::vector<int> order;
  Cuts found = cuts_in_id_order(program, rule);
  if (found.at.size() == n) {
    order.resize(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<int>(i);
  } else {
    order = topological_order(program);
    found = cuts_of(program, order, rule);
  }
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
    const int freed = segment_of[static_cast<std::size_t>(op.frees)];
    if (freed > segment_of[i] || (freed < segment_of[i] && rule == SegmentCuts::Clean)) return {};
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
      if ((x.kind == OpKind::Free) && local(x.frees, a) != local(y.frees, b)) return false;
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
      std::vector<int> deps;
      for (int d : op.deps) {
        const int l = local(d, si);
        const int mapped = l >= 0 ? base[s] + l : previous_closing;
        if (mapped >= 0 && std::find(deps.begin(), deps.end(), mapped) == deps.end()) deps.push_back(mapped);
      }
      op.deps = std::move(deps);
      if (op.kind == OpKind::Free) {
        // A free of an earlier segment's op (timing cuts): the timed model does not count memories
        // then, and this one names an op of the same kind and places.
        const int l = local(op.frees, si);
        op.frees = l >= 0 ? base[s] + l : stands_for(op.frees);
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

}  // namespace cimnet
