#include "dataset/plan.hpp"

#include <cmath>
#include <cstdio>

#include <iostream>

#include "common/clock.hpp"
#include "common/error.hpp"
#include "common/text.hpp"
#include "accuracy/accuracy_config.hpp"
#include "accuracy/data_dir.hpp"
#include "accuracy/proxy_source.hpp"
#include "dataset/dataset_file.hpp"
#include "dataset/job.hpp"

namespace cimnet::dataset {

namespace {

std::unique_ptr<SearchSpace> space_of(const Scenario& s) { return make_space(s.space, s.space_options); }

// The scenario's accuracy source; null for `auto` on a space that has no model and no proxy (then the
// file has no accuracy column). Any other problem is an InputError, before any work.
// `auto` is the default, not a choice: when it cannot serve the space (a shipped model trained for
// other resolutions, a missing data directory) the file has no accuracy column and `note` says why.
std::unique_ptr<AccuracySource> accuracy_of(const Scenario& s, const SearchSpace& space, std::string& note) {
  AccuracyConfig config;
  config.kind = s.accuracy.source;
  config.path = s.accuracy.path;
  config.command = s.accuracy.command;
  config.timeout = s.accuracy.timeout;
  if (config.kind != "auto") return make_accuracy_source(space, config);
  if (shipped_accuracy_model(space.name()).empty() && !has_proxy(space.name())) return nullptr;
  try {
    return make_accuracy_source(space, config);
  } catch (const InputError& e) {
    note = std::string("no accuracy column: the default accuracy source (auto) cannot serve this space: ") + e.what() +
           "; set the scenario's accuracy: section to choose one";
    return nullptr;
  }
}

std::string accuracy_label(const AccuracySource* source) { return source ? source->label() : std::string(); }

std::string accuracy_number(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);  // reads back bit-identical
  return buf;
}

// Reports the building of a large point list on stderr: a line every few seconds once it has taken
// more than a second, and a last line when it ends (nothing for a list built within a second).
ListProgress list_progress(bool enabled) {
  if (!enabled) return {};
  const double start = monotonic_seconds();
  return [start, last = start, shown = false](std::size_t done, std::size_t total) mutable {
    const double now = monotonic_seconds();
    const bool end = done == total;
    if (end ? !shown : now - last < (shown ? 5.0 : 1.0)) return;
    shown = true;
    last = now;
    char line[160];
    std::snprintf(line, sizeof line, "dataset: building the point list: %zu of %zu points (%.0f %%, %.0f s)%s", done,
                  total, 100.0 * static_cast<double>(done) / static_cast<double>(total), now - start,
                  end ? ", done" : "");
    std::cerr << line << '\n';
  };
}

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", s);
  return buf;
}

}  // namespace

Plan::Plan(const Scenario& scenario, const JobOptions& options, evaluation::Evaluator evaluator)
    : scenario_(scenario),
      options_(options),
      evaluator_(std::move(evaluator)),
      space_(space_of(scenario)),
      accuracy_(accuracy_of(scenario, *space_, accuracy_note_)),
      schema_(*space_, scenario.hardware, accuracy_label(accuracy_.get())) {
  if (options_.jobs < 0) throw InputError("--jobs must be at least 1");
  if (options_.jobs == 0) options_.jobs = evaluation::default_jobs();
  if (options_.timeout_seconds < 0 || !std::isfinite(options_.timeout_seconds)) {
    throw InputError("--timeout-per-sample must be a non-negative number of seconds (0: no limit)");
  }
  if (options_.points_file.empty()) {
    list_ = sample_points(*space_, scenario_.hardware, options_.mode, options_.samples, options_.seed,
                          list_progress(options_.progress && mpi_world_rank_from_environment() == 0));
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
  meta_.execution = to_string(options_.execution);
  meta_.cycles_of = to_string(options_.cycles_of);
  meta_.latency_bound = to_string(options_.latency_bound);
  meta_.allocation = to_string(options_.allocation);
  if (options_.resume) {
    // Resuming a file written by an earlier version (before the energy columns, or before the cold and
    // steady ones too): its layout, whatever else is checked when the output is opened. Every process
    // of the run reads the same file here.
    const std::vector<std::string> found = read_dataset_header(options_.out);
    for (const evaluation::Schema& before : schema_.earlier_layouts()) {
      if (found == before.names()) {
        schema_ = before;
        break;
      }
    }
  }
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
  const auto names = scenario_.hardware.gene_names();
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (header[c] == evaluation::col::kGenome) key = row[c];
  }
  for (const auto& n : names) {
    for (std::size_t c = 0; c < header.size(); ++c) {
      if (header[c] == n) key += ' ' + row[c];
    }
  }
  return key;
}

std::string Plan::accuracy_text(std::size_t index) {
  if (const auto hit = accuracy_cache_.find(index); hit != accuracy_cache_.end()) {
    std::string text = hit->second;
    accuracy_cache_.erase(hit);
    return text;
  }
  // One batch: this point and the next points of the slice not cached yet (rows finish roughly in
  // list order, so most of the batch is used soon; the cache holds at most one batch ahead).
  std::vector<std::size_t> batch;
  for (std::size_t i = index; i < list_.points.size() && batch.size() < kAccuracyBatch; ++i) {
    if (options_.shard.contains(i) && !accuracy_cache_.count(i)) batch.push_back(i);
  }
  std::vector<Genome> genomes;
  for (std::size_t i : batch) genomes.push_back(list_.points[i].genome);
  std::vector<std::string> texts(batch.size());
  const auto give_up = [&](const AccuracyUnavailable& e) {
    accuracy_failure_ = e.what();
    std::cerr << "warning: dataset: stopped asking the accuracy source for the rest of this run: " << e.what()
              << "; the points left get no accuracy\n";
  };
  if (accuracy_failure_.empty()) {
    try {
      const auto values = accuracy_->top1(genomes);
      for (std::size_t k = 0; k < batch.size(); ++k) texts[k] = accuracy_number(values.at(k));
    } catch (const AccuracyUnavailable& e) {
      give_up(e);  // asking again, point by point, would pay a time-out per point
    } catch (const InputError&) {
      // One point the source cannot answer (a table without it) must not cost the batch: point by point.
      for (std::size_t k = 0; k < batch.size() && accuracy_failure_.empty(); ++k) {
        try {
          texts[k] = accuracy_number(accuracy_->top1(genomes[k]));
        } catch (const AccuracyUnavailable& e) {
          give_up(e);
        } catch (const InputError& e) {
          std::cerr << "warning: dataset: no accuracy for point " << batch[k] << ": " << e.what() << '\n';
        }
      }
    }
  }
  for (std::size_t k = 1; k < batch.size(); ++k) accuracy_cache_[batch[k]] = texts[k];
  return texts.front();
}

void Plan::prepare(std::size_t index) {
  if (!networks_.count(index)) networks_.emplace(index, space_->build(list_.points.at(index).genome));
}

evaluation::Fields Plan::work(std::size_t index) const {
  const Point& p = list_.points.at(index);
  const HardwareConfig hw = scenario_.hardware.config(p.hw);
  const Network& network = networks_.at(index);
  return evaluator_(evaluation::EvalPoint{*space_, p.genome, hw, network, options_.execution, options_.cycles_of,
                                               options_.latency_bound, options_.allocation});
}

std::vector<std::string> Plan::row(const evaluation::TaskOutcome& outcome) {
  const std::size_t index = outcome.task;
  prepare(index);  // normally done already; cheap either way
  const Network& network = networks_.at(index);
  const Point& p = list_.points.at(index);
  const HardwareConfig hw = scenario_.hardware.config(p.hw);

  std::vector<std::string> r(schema_.size());
  auto set = [&](const std::string& name, std::string value) { r[schema_.index_of(name)] = std::move(value); };
  set(evaluation::col::kIndex, std::to_string(index));
  set(evaluation::col::kSpace, space_->name());
  set(evaluation::col::kGenome, space_->format(p.genome));
  for (std::size_t g = 0; g < space_->gene_count(); ++g) set(space_->gene_name(g), format_number(space_->value(p.genome, g)));
  const std::vector<std::string> hw_names = scenario_.hardware.gene_names();
  const std::vector<std::int64_t> hw_values = scenario_.hardware.gene_values(hw);
  for (std::size_t i = 0; i < hw_names.size(); ++i) set(hw_names[i], std::to_string(hw_values[i]));
  set(evaluation::col::kMacs, std::to_string(network.total_macs()));
  set(evaluation::col::kParams, std::to_string(network.total_params()));
  if (accuracy_) set(evaluation::col::kAccuracy, accuracy_text(index));
  set(evaluation::col::kStatus, outcome.status);
  set(evaluation::col::kMessage, outcome.message);
  set(evaluation::col::kWall, seconds_text(outcome.wall_seconds));
  for (const auto& [name, value] : outcome.fields) {
    // A resumed file written before the cold and steady columns has no place for them.
    if (!schema_.has(name) && evaluation::is_cold_steady_column(name)) continue;
    // Only measured columns come from the evaluator; a name outside them is a bug in the evaluator,
    // and its row must not pass for a measurement.
    if (!schema_.has(name) || !schema_.columns()[schema_.index_of(name)].measured) {
      for (const auto& c : schema_.columns()) {
        if (c.measured) r[schema_.index_of(c.name)].clear();
      }
      set(evaluation::col::kStatus, "error");
      set(evaluation::col::kMessage, "evaluator returned '" + name + "', which is not a measured column");
      break;
    }
    set(name, value);
  }
  networks_.erase(index);
  return r;
}

}  // namespace cimnet::dataset
