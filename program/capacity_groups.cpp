#include "program/capacity_groups.hpp"

#include <algorithm>
#include <utility>

namespace cimnet {

std::vector<char> followed_by_descendants(const Program& program, const std::vector<int>& order,
                                          const std::vector<int>& position) {
  // Every op after position k descends from the op at k exactly when each of them has a dependency at k
  // or later (by induction on position).
  const std::size_t n = order.size();
  std::vector<char> followed(n, 0);
  int latest_dep_from_here_on = static_cast<int>(n);  // min over later ops of their latest dependency
  for (std::size_t k = n; k-- > 0;) {
    followed[k] = latest_dep_from_here_on >= static_cast<int>(k) ? 1 : 0;
    int latest = -1;
    for (int d : program.ops[static_cast<std::size_t>(order[k])].deps) {
      latest = std::max(latest, position[static_cast<std::size_t>(d)]);
    }
    latest_dep_from_here_on = std::min(latest_dep_from_here_on, latest);
  }
  return followed;
}

std::vector<char> two_sided_barriers(const Program& program, const std::vector<int>& order,
                                     const std::vector<char>& followed) {
  // Every op before position k is an ancestor of the op at k exactly when, once the ops up to k are
  // taken, k is the only one without a user among them: each earlier op then has a user no later than k,
  // which (by induction from k downwards) reaches k.
  std::vector<char> barrier(order.size(), 0);
  std::vector<char> used(program.ops.size(), 0);
  std::size_t without_user = 0;
  for (std::size_t k = 0; k < order.size(); ++k) {
    for (int d : program.ops[static_cast<std::size_t>(order[k])].deps) {
      if (!used[static_cast<std::size_t>(d)]) {
        used[static_cast<std::size_t>(d)] = 1;
        --without_user;
      }
    }
    ++without_user;
    barrier[k] = without_user == 1 && followed[k] ? 1 : 0;
  }
  return barrier;
}

CapacityGroups::CapacityGroups(const std::vector<int>& order, const std::vector<int>& position,
                               const std::vector<char>& barrier,
                               const std::vector<std::vector<LiveAllocation>>& allocations,
                               const std::vector<char>& skip)
    : position_(position), segment_of_position_(order.size(), 0), places_(allocations.size()) {
  std::vector<int> opening = {-1};  // per segment, the barrier op before it
  int segment = 0;
  for (std::size_t p = 0; p < order.size(); ++p) {
    segment_of_position_[p] = segment;
    if (barrier[p]) {
      ++segment;
      opening.push_back(order[p]);
    }
  }
  segments_ = segment + 1;
  const int never = segments_;  // the segment of a Free that does not exist

  for (std::size_t m = 0; m < allocations.size(); ++m) {
    const auto& on = allocations[m];
    places_[m].assign(on.size(), Place{});
    if (skip[m] || on.empty()) continue;
    std::vector<int> made(on.size()), freed(on.size());
    for (std::size_t k = 0; k < on.size(); ++k) {
      made[k] = segment_of(on[k].op);
      freed[k] = on[k].free_op >= 0 ? segment_of(on[k].free_op) : never;
    }
    std::vector<std::size_t> by_segment(on.size());
    for (std::size_t k = 0; k < on.size(); ++k) by_segment[k] = k;
    std::sort(by_segment.begin(), by_segment.end(), [&](std::size_t a, std::size_t b) {
      if (made[a] != made[b]) return made[a] < made[b];
      return position[static_cast<std::size_t>(on[a].op)] < position[static_cast<std::size_t>(on[b].op)];
    });
    // One group per segment with allocations of its own, in segment order.
    const std::size_t first_group = groups_.size();
    std::vector<std::vector<std::size_t>> own;
    for (std::size_t k : by_segment) {
      if (groups_.size() == first_group || groups_.back().segment != made[k]) {
        CapacityGroup g;
        g.memory = m;
        g.segment = made[k];
        g.opening_barrier = opening[static_cast<std::size_t>(made[k])];
        groups_.push_back(std::move(g));
        own.emplace_back();
      }
      own.back().push_back(k);
    }
    auto group_at = [&](int s) {  // the memory's group of segment s, or kNone
      const auto begin = groups_.begin() + static_cast<std::ptrdiff_t>(first_group);
      const auto it = std::lower_bound(begin, groups_.end(), s,
                                       [](const CapacityGroup& g, int seg) { return g.segment < seg; });
      return it != groups_.end() && it->segment == s ? static_cast<std::size_t>(it - groups_.begin()) : kNone;
    };
    for (std::size_t k = 0; k < on.size(); ++k) {
      if (freed[k] == made[k] || freed[k] == never) continue;
      const std::size_t g = group_at(freed[k]);
      if (g == kNone) continue;
      places_[m][k].carried_group = g;
      places_[m][k].carried_index = groups_[g].members.size();
      groups_[g].members.push_back(k);
    }
    for (std::size_t i = 0; i < own.size(); ++i) {
      CapacityGroup& g = groups_[first_group + i];
      g.carried = g.members.size();
      for (std::size_t k : own[i]) {
        places_[m][k].home_group = first_group + i;
        places_[m][k].home_index = g.members.size();
        g.members.push_back(k);
      }
    }
    // Spanning bytes: allocation k is live throughout segments made[k] + 1 .. freed[k] − 1.
    std::vector<std::pair<int, std::int64_t>> changes;
    for (std::size_t k = 0; k < on.size(); ++k) {
      if (freed[k] <= made[k] + 1) continue;
      changes.push_back({made[k] + 1, on[k].bytes});
      if (freed[k] != never) changes.push_back({freed[k], -on[k].bytes});
    }
    std::sort(changes.begin(), changes.end());
    std::int64_t live = 0;
    std::size_t c = 0;
    for (std::size_t g = first_group; g < groups_.size(); ++g) {
      for (; c < changes.size() && changes[c].first <= groups_[g].segment; ++c) live += changes[c].second;
      groups_[g].spanning_bytes = live;
    }
  }
}

}  // namespace cimnet
