#include "models/vcd.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <stdexcept>
#include <utility>
#include <vector>

namespace cimnet::model {
namespace {

using Interval = std::pair<std::int64_t, std::int64_t>;  // [start, end)

// Identifier codes are base-94 strings of printable ASCII, as the VCD standard allows.
std::string id_code(std::size_t n) {
  std::string s;
  do {
    s += static_cast<char>(33 + n % 94);
    n /= 94;
  } while (n > 0);
  return s;
}

// "l1[3]" and "ma[7].port" are not valid VCD scope names (viewers read [] as bit ranges).
std::string scope_name(const std::string& name) {
  std::string s;
  for (char c : name) s += (c == '[' || c == '.') ? '_' : (c == ']' ? '\0' : c);
  s.erase(std::remove(s.begin(), s.end(), '\0'), s.end());
  return s;
}

// Busy intervals of each resource, merged: a core held past its last reservation, or reservations that
// touch, become one interval.
std::vector<std::vector<Interval>> busy_intervals(const ModelContext& ctx) {
  std::vector<std::vector<Interval>> per(ctx.resources().size());
  for (const TraceEvent& e : ctx.trace_events()) {
    if (e.track >= 0 && e.duration > 0) per[static_cast<std::size_t>(e.track)].push_back({e.start, e.start + e.duration});
  }
  for (auto& v : per) {
    std::sort(v.begin(), v.end());
    std::vector<Interval> merged;
    for (const Interval& i : v) {
      if (!merged.empty() && i.first <= merged.back().second) {
        merged.back().second = std::max(merged.back().second, i.second);
      } else {
        merged.push_back(i);
      }
    }
    v = std::move(merged);
  }
  return per;
}

}  // namespace

void write_vcd(const std::string& path, const ModelContext& ctx, std::int64_t total_cycles,
               std::int64_t window_cycles) {
  if (window_cycles <= 0) window_cycles = std::max<std::int64_t>(1, (total_cycles + 499) / 500);
  const auto intervals = busy_intervals(ctx);
  const std::size_t n = ctx.resources().size();

  // Value changes by time: busy edges and per-window utilisation.
  std::map<std::int64_t, std::vector<std::string>> changes;
  for (std::size_t r = 0; r < n; ++r) {
    const std::string busy_id = id_code(2 * r);
    const std::string util_id = id_code(2 * r + 1);
    for (const Interval& i : intervals[r]) {
      changes[i.first].push_back("1" + busy_id);
      changes[i.second].push_back("0" + busy_id);
    }
    std::vector<std::int64_t> busy_in_window(static_cast<std::size_t>((total_cycles + window_cycles - 1) / window_cycles) + 1);
    for (const Interval& i : intervals[r]) {
      for (std::int64_t t = i.first; t < i.second;) {
        const std::int64_t w = t / window_cycles;
        const std::int64_t end = std::min(i.second, (w + 1) * window_cycles);
        busy_in_window[static_cast<std::size_t>(w)] += end - t;
        t = end;
      }
    }
    double last = 0;
    for (std::size_t w = 0; w < busy_in_window.size(); ++w) {
      const double u = static_cast<double>(busy_in_window[w]) / static_cast<double>(window_cycles);
      if (u != last) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "r%.6g ", u);
        changes[static_cast<std::int64_t>(w) * window_cycles].push_back(buf + util_id);
        last = u;
      }
    }
  }

  std::ofstream out(path);
  if (!out) throw std::runtime_error("cannot write VCD file '" + path + "'");
  out << "$version cimnet CiM model $end\n"
      << "$comment one time unit = one clock cycle; utilisation = busy fraction of each " << window_cycles
      << "-cycle window $end\n"
      << "$timescale 1 ns $end\n"
      << "$scope module cimnet $end\n";
  for (std::size_t r = 0; r < n; ++r) {
    out << "$scope module " << scope_name(ctx.resources()[r].name()) << " $end\n"
        << "$var wire 1 " << id_code(2 * r) << " busy $end\n"
        << "$var real 64 " << id_code(2 * r + 1) << " utilisation $end\n"
        << "$upscope $end\n";
  }
  out << "$upscope $end\n$enddefinitions $end\n#0\n$dumpvars\n";
  for (std::size_t r = 0; r < n; ++r) out << "0" << id_code(2 * r) << "\nr0 " << id_code(2 * r + 1) << "\n";
  out << "$end\n";
  for (const auto& [time, values] : changes) {
    out << "#" << time << "\n";
    // A resource whose interval ends where the next begins never has one: merged above, so a time
    // carries at most one edge per signal.
    for (const auto& v : values) out << v << "\n";
  }
  out << "#" << std::max<std::int64_t>(total_cycles, changes.empty() ? 0 : changes.rbegin()->first) << "\n";
  if (!out) throw std::runtime_error("cannot write VCD file '" + path + "'");
}

}  // namespace cimnet::model
