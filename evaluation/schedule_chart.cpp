#include "evaluation/schedule_chart.hpp"

#include <algorithm>

namespace cimnet::evaluation {

namespace {

// Bars sorted by start: each merged into the previous bar of its layer when no more than `gap` apart
// and no other layer's bar began in between.
std::vector<ScheduleBar> merged(std::vector<ScheduleBar> bars, std::int64_t gap) {
  std::vector<ScheduleBar> out;
  for (const ScheduleBar& b : bars) {
    if (!out.empty() && out.back().layer == b.layer && b.start <= out.back().end + gap) {
      out.back().end = std::max(out.back().end, b.end);
      continue;
    }
    out.push_back(b);
  }
  return out;
}

}  // namespace

ScheduleChart schedule_chart(const NetworkMapping& mapping, const SimResult& result, const HardwareConfig& hardware,
                             std::size_t max_bars) {
  ScheduleChart chart;
  chart.end_cycle = result.total_cycles;
  const std::int64_t decoders = hardware.l1_decoders();
  const std::int64_t per_decoder = hardware.get(HwParam::MA_num_child);
  std::vector<std::vector<ScheduleBar>> rows(static_cast<std::size_t>(decoders) + 1);
  const std::vector<int> layer_of = op_layers(mapping);
  for (const OpTiming& t : result.ops) {
    const auto id = static_cast<std::size_t>(t.id);
    if (id >= mapping.program.ops.size() || t.end <= t.start) continue;
    const Op& op = mapping.program.ops[id];
    const ScheduleBar bar{t.start, t.end, layer_of[id]};
    if (op.kind == OpKind::Vector) {
      rows.back().push_back(bar);
    } else if (op.kind == OpKind::Compute) {
      std::vector<std::int64_t> under;
      for (int a : op.arrays) under.push_back(a / per_decoder);
      std::sort(under.begin(), under.end());
      under.erase(std::unique(under.begin(), under.end()), under.end());
      for (std::int64_t d : under) rows[static_cast<std::size_t>(d)].push_back(bar);
    }
  }
  for (std::size_t r = 0; r < rows.size(); ++r) {
    ScheduleRow row;
    row.name = r + 1 < rows.size() ? "L1 decoder " + std::to_string(r) : "vector unit";
    std::sort(rows[r].begin(), rows[r].end(), [](const ScheduleBar& a, const ScheduleBar& b) {
      return a.start != b.start ? a.start < b.start : a.layer < b.layer;
    });
    row.bars = merged(rows[r], 0);
    if (row.bars.size() > max_bars && max_bars > 0) {
      row.merge_gap = std::max<std::int64_t>(1, chart.end_cycle / static_cast<std::int64_t>(max_bars));
      row.bars = merged(std::move(row.bars), row.merge_gap);
    }
    chart.rows.push_back(std::move(row));
  }
  return chart;
}

nlohmann::json schedule_json(const ScheduleChart& chart) {
  nlohmann::json rows = nlohmann::json::array();
  for (const ScheduleRow& row : chart.rows) {
    nlohmann::json bars = nlohmann::json::array();
    for (const ScheduleBar& b : row.bars) bars.push_back({b.start, b.end, b.layer});
    rows.push_back({{"name", row.name}, {"merge_gap", row.merge_gap}, {"bars", bars}});
  }
  return {{"end_cycle", chart.end_cycle}, {"rows", rows}};
}

}  // namespace cimnet::evaluation
