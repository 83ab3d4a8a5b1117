#include "models/trace.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "program/memories.hpp"

namespace cimnet::model {

void write_trace(const std::string& path, const ModelContext& ctx, const Program& program, int op_lanes,
                 const std::vector<std::int64_t>& op_start, const std::vector<std::int64_t>& op_end,
                 const std::vector<double>& op_energy_pj, double static_power_mw) {
  const double us_per_cycle = 1e-3 / ctx.hw().fixed.clock_ghz;
  constexpr int kOpLaneTid = 1000000;  // controller lanes after every resource track
  nlohmann::json events = nlohmann::json::array();
  events.push_back({{"name", "process_name"}, {"ph", "M"}, {"pid", 1}, {"args", {{"name", "cimnet CiM model"}}}});
  for (const auto& r : ctx.resources()) {
    events.push_back({{"name", "thread_name"}, {"ph", "M"}, {"pid", 1}, {"tid", r.id}, {"args", {{"name", r.name()}}}});
    events.push_back({{"name", "thread_sort_index"}, {"ph", "M"}, {"pid", 1}, {"tid", r.id}, {"args", {{"sort_index", r.id + 100}}}});
  }
  for (int lane = 0; lane < op_lanes; ++lane) {
    events.push_back({{"name", "thread_name"}, {"ph", "M"}, {"pid", 1}, {"tid", kOpLaneTid + lane},
                      {"args", {{"name", "controller ops " + std::to_string(lane)}}}});
    events.push_back({{"name", "thread_sort_index"}, {"ph", "M"}, {"pid", 1}, {"tid", kOpLaneTid + lane},
                      {"args", {{"sort_index", lane}}}});
  }
  for (const TraceEvent& e : ctx.trace_events()) {
    std::string name = e.op >= 0 ? describe(program, e.op) : std::string("operands");
    const std::string cat = e.op >= 0 ? to_string(program.ops[static_cast<std::size_t>(e.op)].kind) : "other";
    const int tid = e.track >= 0 ? e.track : kOpLaneTid + (-1 - e.track);
    nlohmann::json ev = {{"name", name}, {"cat", cat}, {"ph", "X"}, {"pid", 1}, {"tid", tid},
                         {"ts", static_cast<double>(e.start) * us_per_cycle},
                         {"dur", static_cast<double>(e.duration) * us_per_cycle},
                         {"args", {{"op", e.op}, {"start_cycle", e.start}, {"cycles", e.duration}}}};
    if (e.bytes > 0) ev["args"]["bytes"] = e.bytes;
    events.push_back(std::move(ev));
  }
  // Occupancy of each buffer as a counter track (program allocations: bytes held over time).
  const Memories memories(ctx.hw());
  for (const auto& o : ctx.occupancy_events()) {
    events.push_back({{"name", memories.short_name(o.memory) + " occupancy"}, {"ph", "C"}, {"pid", 1},
                      {"ts", static_cast<double>(o.cycle) * us_per_cycle}, {"args", {{"bytes", o.bytes}}}});
  }
  // Power: each op's energy over its span (at least a cycle), as pJ per cycle × GHz = mW, summed at every
  // change point.
  if (!op_energy_pj.empty()) {
    std::map<std::int64_t, double> change;  // cycle → change of pJ per cycle
    for (std::size_t i = 0; i < op_energy_pj.size() && i < op_start.size(); ++i) {
      if (op_energy_pj[i] <= 0) continue;
      const std::int64_t span = std::max<std::int64_t>(op_end[i] - op_start[i], 1);
      const double per_cycle = op_energy_pj[i] / static_cast<double>(span);
      change[op_start[i]] += per_cycle;
      change[op_start[i] + span] -= per_cycle;
    }
    change.emplace(0, 0.0);
    double level = 0;
    for (const auto& [cycle, delta] : change) {
      level += delta;
      const double mw = std::max(0.0, level) * ctx.hw().fixed.clock_ghz + static_power_mw;
      events.push_back({{"name", "power (mW)"}, {"ph", "C"}, {"pid", 1},
                        {"ts", static_cast<double>(cycle) * us_per_cycle}, {"args", {{"mW", mw}}}});
    }
  }
  std::ofstream out(path);
  if (!out) throw std::runtime_error("cannot write trace file '" + path + "'");
  out << nlohmann::json{{"traceEvents", events}, {"displayTimeUnit", "ns"}}.dump();
  if (!out) throw std::runtime_error("cannot write trace file '" + path + "'");
}

}  // namespace cimnet::model
