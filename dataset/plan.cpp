#include "dataset/plan.hpp"

#include <cmath>
#include <cstdio>

#include "common/error.hpp"
#include "common/text.hpp"

namespace cimnet::dataset {

namespace {

std::unique_ptr<SearchSpace> space_of(const Scenario& s) { return make_space(s.space, s.space_options); }

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", s);
  return buf;
}

}  // namespace

Plan::Plan(const Scenario& scenario, const JobOptions& options, Evaluator evaluator)
    : scenario_(scenario),
      options_(options),
      evaluator_(std::move(evaluator)),
      space_(space_of(scenario)),
      schema_(*space_) {
  if (options_.jobs < 0) throw InputError("--jobs must be at least 1");
  if (options_.jobs == 0) options_.jobs = default_jobs();
  if (options_.timeout_seconds < 0 || !std::isfinite(options_.timeout_seconds)) {
    throw InputError("--timeout-per-sample must be a non-negative number of seconds (0: no limit)");
  }
  if (options_.points_file.empty()) {
    list_ = sample_points(*space_, scenario_.hardware, options_.mode, options_.samples, options_.seed);
  } else {
    list_ = read_points_file(options_.points_file, *space_, scenario_.hardware);
  }
  if (options_.shard.count > list_.points.size()) {
    throw InputError("--shard " + options_.shard.to_string() + ": more shards than the " +
                     std::to_string(list_.points.size()) + " points");
  }
  meta_.scenario = scenario_fingerprint(scenario_.text);
  meta_.space = space_->name();
  meta_.mode = to_string(list_.mode);
  meta_.seed = list_.mode == Mode::Points ? 0 : options_.seed;
  meta_.n = list_.points.size();
  meta_.points = list_.source;
  meta_.shard = options_.shard;
}

std::vector<std::size_t> Plan::slice() const {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < list_.points.size(); ++i) {
    if (options_.shard.contains(i)) out.push_back(i);
  }
  return out;
}

std::string Plan::expected_key(std::size_t index) const {
  return point_key(*space_, scenario_.hardware, list_.points.at(index));
}

std::string Plan::row_key(const std::vector<std::string>& header, const std::vector<std::string>& row) const {
  // Rebuilt from the text as written, so a row from another space version or hardware space shows.
  std::string key;
  const auto names = hw_param_names();
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (header[c] == col::kGenome) key = row[c];
  }
  for (const auto& n : names) {
    for (std::size_t c = 0; c < header.size(); ++c) {
      if (header[c] == n) key += ' ' + row[c];
    }
  }
  return key;
}

void Plan::prepare(std::size_t index) {
  if (!networks_.count(index)) networks_.emplace(index, space_->build(list_.points.at(index).genome));
}

Fields Plan::work(std::size_t index) const {
  const Point& p = list_.points.at(index);
  const HardwareConfig hw = scenario_.hardware.config(p.hw);
  const Network& network = networks_.at(index);
  return evaluator_(EvalPoint{*space_, p.genome, hw, network});
}

std::vector<std::string> Plan::row(const TaskOutcome& outcome) {
  const std::size_t index = outcome.task;
  prepare(index);  // normally done already; cheap either way
  const Network& network = networks_.at(index);
  const Point& p = list_.points.at(index);
  const HardwareConfig hw = scenario_.hardware.config(p.hw);

  std::vector<std::string> r(schema_.size());
  auto set = [&](const std::string& name, std::string value) { r[schema_.index_of(name)] = std::move(value); };
  set(col::kIndex, std::to_string(index));
  set(col::kSpace, space_->name());
  set(col::kGenome, space_->format(p.genome));
  for (std::size_t g = 0; g < space_->gene_count(); ++g) set(space_->gene_name(g), format_number(space_->value(p.genome, g)));
  for (const auto& info : hw_param_infos()) set(info.name, std::to_string(hw.get(info.param)));
  set(col::kMacs, std::to_string(network.total_macs()));
  set(col::kParams, std::to_string(network.total_params()));
  set(col::kStatus, outcome.status);
  set(col::kMessage, outcome.message);
  set(col::kWall, seconds_text(outcome.wall_seconds));
  for (const auto& [name, value] : outcome.fields) {
    // Only measured columns come from the evaluator; a name outside them is a bug in the evaluator,
    // and its row must not pass for a measurement.
    if (!schema_.has(name) || !schema_.columns()[schema_.index_of(name)].measured) {
      for (const auto& c : schema_.columns()) {
        if (c.measured) r[schema_.index_of(c.name)].clear();
      }
      set(col::kStatus, "error");
      set(col::kMessage, "evaluator returned '" + name + "', which is not a measured column");
      break;
    }
    set(name, value);
  }
  networks_.erase(index);
  return r;
}

}  // namespace cimnet::dataset
