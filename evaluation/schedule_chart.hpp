#pragma once
// The data of the report's Gantt chart (issue 15; docs/report.md, "Schedule"): what each L1 decoder's
// arrays and the vector unit computed over the SystemC run, bar by bar, each bar a span of one layer's
// computation (its Compute ops on the decoder's arrays, or its Vector ops), so that layers running side
// by side under `pipelined` show as overlapping bars on different decoders.
//
// Bars of one layer on one row merge when they touch or overlap; when a row would still hold more than
// `max_bars`, bars of one layer closer than end_cycle ÷ max_bars merge too (the chart's resolution: a
// pixel of a 2 000-pixel-wide figure), and the row says so (`merge_gap`).
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "hardware/hardware.hpp"
#include "mapping/network_mapper.hpp"
#include "models/simulate.hpp"

namespace cimnet::evaluation {

struct ScheduleBar {
  std::int64_t start = 0, end = 0;
  int layer = -1;  // index in the network (-1: no one layer's)
};

struct ScheduleRow {
  std::string name;  // "L1 decoder 3", "vector unit"
  std::vector<ScheduleBar> bars;  // by start
  std::int64_t merge_gap = 0;     // bars of one layer this close merged (0: only touching ones)
};

struct ScheduleChart {
  std::int64_t end_cycle = 0;
  std::vector<ScheduleRow> rows;  // the L1 decoders in order, then the vector unit
};

ScheduleChart schedule_chart(const NetworkMapping& mapping, const SimResult& result, const HardwareConfig& hardware,
                             std::size_t max_bars = 2000);

// {"end_cycle", "rows": [{"name", "merge_gap", "bars": [[start, end, layer], ...]}]}
nlohmann::json schedule_json(const ScheduleChart& chart);

}  // namespace cimnet::evaluation
