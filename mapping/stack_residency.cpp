#include "mapping/stack_residency.hpp"

#include <algorithm>
#include <numeric>

#include "mapping/mapper.hpp"

namespace cimnet {

void add_plan_bytes(const Plan& plan, std::int64_t per_array, std::vector<std::int64_t>& bytes) {
  const std::int64_t units = plan.groups_in_pass(0) * plan.replicas;
  for (std::int64_t u = 0; u < units; ++u) {
    for (std::int64_t r = 0; r < plan.mapping.r_split; ++r) {
      bytes[static_cast<std::size_t>(plan.array_of(u, r))] += per_array;
    }
  }
}

namespace {

// Per array: what the stacks that stay keep there, and the most any other segment needs there.
struct Fill {
  std::vector<char> stays;
  std::vector<std::int64_t> kept;
  std::int64_t saving = 0, bytes = 0;
};

bool fits(const HardwareConfig& hw, const std::vector<SegmentWeights>& segments, const std::vector<char>& stays,
          std::vector<std::int64_t>* kept_out) {
  const std::size_t arrays = static_cast<std::size_t>(hw.total_arrays());
  std::vector<std::int64_t> kept(arrays, 0), need(arrays, 0);
  for (std::size_t s = 0; s < segments.size(); ++s) {
    for (const Plan& plan : segments[s].plans) {
      if (stays[s]) {
        add_plan_bytes(plan, plan.tile_bytes, kept);
      } else {
        std::vector<std::int64_t> mine(arrays, 0);
        add_plan_bytes(plan, weight_need(plan), mine);
        for (std::size_t a = 0; a < arrays; ++a) need[a] = std::max(need[a], mine[a]);
      }
    }
  }
  const std::int64_t cap = hw.get(HwParam::MA_mem_size);
  for (std::size_t a = 0; a < arrays; ++a) {
    if (kept[a] + need[a] > cap) return false;
  }
  if (kept_out) *kept_out = std::move(kept);
  return true;
}

Fill greedy(const HardwareConfig& hw, const std::vector<SegmentWeights>& segments, const std::vector<std::size_t>& order) {
  Fill fill;
  fill.stays.assign(segments.size(), 0);
  for (std::size_t s : order) {
    fill.stays[s] = 1;
    if (!fits(hw, segments, fill.stays, nullptr)) {
      fill.stays[s] = 0;
      continue;
    }
    fill.saving += segments[s].saving;
  }
  fits(hw, segments, fill.stays, &fill.kept);
  fill.bytes = std::accumulate(fill.kept.begin(), fill.kept.end(), std::int64_t{0});
  return fill;
}

}  // namespace

StackResidency choose_stack_residency(const HardwareConfig& hw, const std::vector<SegmentWeights>& segments) {
  std::vector<std::size_t> candidates;
  std::vector<std::int64_t> bytes(segments.size(), 0);
  for (std::size_t s = 0; s < segments.size(); ++s) {
    if (!segments[s].stack || segments[s].saving <= 0) continue;
    for (const Plan& plan : segments[s].plans) bytes[s] += resident_bytes(plan);
    candidates.push_back(s);
  }
  // Two orders; ties by position, so the choice is deterministic.
  std::vector<std::size_t> per_byte = candidates, most = candidates;
  std::stable_sort(per_byte.begin(), per_byte.end(), [&](std::size_t a, std::size_t b) {
    // saving_a / bytes_a > saving_b / bytes_b (bytes ≥ 1: a stack has a MAC layer); long double holds
    // both products exactly at these magnitudes (cycles and bytes below 2^40)
    return static_cast<long double>(segments[a].saving) * static_cast<long double>(std::max<std::int64_t>(1, bytes[b])) >
           static_cast<long double>(segments[b].saving) * static_cast<long double>(std::max<std::int64_t>(1, bytes[a]));
  });
  std::stable_sort(most.begin(), most.end(),
                   [&](std::size_t a, std::size_t b) { return segments[a].saving > segments[b].saving; });
  Fill a = greedy(hw, segments, per_byte);
  Fill b = greedy(hw, segments, most);
  Fill& best = b.saving > a.saving ? b : a;
  StackResidency out;
  out.stays = best.stays;
  out.saving = best.saving;
  out.resident_bytes = best.bytes;
  out.fullest_array = best.kept.empty() ? 0 : *std::max_element(best.kept.begin(), best.kept.end());
  return out;
}

}  // namespace cimnet
