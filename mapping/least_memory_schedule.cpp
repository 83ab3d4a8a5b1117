#include "mapping/least_memory_schedule.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include "common/error.hpp"

namespace cimnet {

PipelineChoice fastest_within_claim(const std::vector<Segment>& singles, const StackOptions& options,
                                    std::int64_t cap) {
  constexpr std::int64_t kNone = std::numeric_limits<std::int64_t>::max();
  const std::size_t n = singles.size();
  std::vector<std::int64_t> best(n + 1, kNone);
  std::vector<const Segment*> last_of(n + 1, nullptr);
  best[0] = 0;
  for (std::size_t j = 1; j <= n; ++j) {
    auto offer = [&](const Segment& s) {
      const std::int64_t before = best[static_cast<std::size_t>(s.first)];
      if (s.gb_bytes > cap || before == kNone) return;
      if (before + s.cycles < best[j]) {
        best[j] = before + s.cycles;
        last_of[j] = &s;
      }
    };
    offer(singles[j - 1]);
    if (j < options.size()) {
      for (const Segment& s : options[j]) offer(s);
    }
  }
  PipelineChoice out;
  if (best[n] == kNone) {
    out.cycles = -1;
    return out;
  }
  for (std::size_t j = n; j > 0; j = static_cast<std::size_t>(last_of[j]->first)) out.segments.push_back(*last_of[j]);
  std::reverse(out.segments.begin(), out.segments.end());
  out.cycles = best[n];
  return out;
}

std::int64_t claimed_gb_bytes(const PipelineChoice& choice) {
  std::int64_t most = 0;
  for (const Segment& s : choice.segments) most = std::max(most, s.gb_bytes);
  return most;
}

PipelineChoice least_memory_schedule(const std::vector<Segment>& singles, const StackOptions& options,
                                     std::int64_t latency_bound) {
  std::vector<std::int64_t> claims;
  for (const Segment& s : singles) claims.push_back(s.gb_bytes);
  for (const auto& at : options) {
    for (const Segment& s : at) claims.push_back(s.gb_bytes);
  }
  std::sort(claims.begin(), claims.end());
  claims.erase(std::unique(claims.begin(), claims.end()), claims.end());
  const PipelineChoice fastest = fastest_within_claim(singles, options, claims.empty() ? 0 : claims.back());
  if (fastest.cycles > latency_bound) {
    throw InputError("no segmentation meets the latency bound of " + std::to_string(latency_bound) +
                     " cycles: the fastest takes " + std::to_string(fastest.cycles) + " (give at least that, or a factor "
                     "of it such as 1.2x)");
  }
  // The least claim whose fastest segmentation meets the bound: [lo, hi] brackets its index.
  std::size_t lo = 0, hi = claims.size() - 1;
  PipelineChoice met = fastest;
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    PipelineChoice c = fastest_within_claim(singles, options, claims[mid]);
    if (c.cycles >= 0 && c.cycles <= latency_bound) {
      hi = mid;
      met = std::move(c);
    } else {
      lo = mid + 1;
    }
  }
  if (claimed_gb_bytes(met) > claims[lo]) met = fastest_within_claim(singles, options, claims[lo]);
  return met;
}

}  // namespace cimnet
