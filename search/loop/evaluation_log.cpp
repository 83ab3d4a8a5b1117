#include "search/loop/evaluation_log.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>

#include "common/error.hpp"
#include "common/text.hpp"
#include "common/yaml_reader.hpp"
#include "common/csv_line.hpp"
#include "evaluation/stop_signal.hpp"
#include "common/csv.hpp"

namespace cimnet::loop {

namespace {

const std::vector<std::string> kExtraColumns = {"accuracy", "area", "method", "seed", "iteration"};
const char* const kMagic = "# cimnet search v1 ";

std::string number(double v, int digits = 6) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}

double to_double(const std::string& s, const std::string& where) {
  try {
    std::size_t used = 0;
    const double v = std::stod(s, &used);
    if (used != s.size()) throw std::invalid_argument(s);
    return v;
  } catch (const std::exception&) {
    throw InputError(where + ": expected a number, got '" + s + "'");
  }
}

}  // namespace

EvaluationLog::EvaluationLog(const std::string& path, const CoSpace& space, const RunSettings& settings, bool resume)
    : path_(path), space_(space), schema_(space.space()) {
  const std::string first_line = std::string(kMagic) + settings.line();
  std::vector<std::string> names = schema_.names();
  names.insert(names.end(), kExtraColumns.begin(), kExtraColumns.end());
  const std::string header = format_csv_line(names);
  if (resume && std::filesystem::exists(path)) {
    const std::string text = read_text_file(path, "evaluations file");
    if (text.rfind(first_line + "\n", 0) != 0) {
      const std::string first = text.substr(0, text.find('\n'));
      throw InputError(path + ": belongs to another search (" + first + "); this one is '" + first_line + "'");
    }
    // A torn last line (a kill in the middle of a write) is dropped; its point is evaluated again.
    std::size_t valid = text.size();
    if (!text.empty() && text.back() != '\n') {
      valid = text.rfind('\n') + 1;
      std::fprintf(stderr, "search: %s: dropping a torn last line\n", path.c_str());
    }
    read_existing(text.substr(0, valid));
    writer_.emplace(RowWriter::append(path, valid));
  } else {
    writer_.emplace(RowWriter::create(path, first_line + "\n" + header));
  }
}

void EvaluationLog::read_existing(const std::string& text) {
  const CsvTable t = parse_csv(text, path_, CsvComments::leading);
  const auto c = [&](const char* name) { return t.column(name); };
  const std::size_t genome = c("genome"), status = c("status"), cycles = c("cycles"), analytical = c("analytical_cycles"),
                    accuracy = c("accuracy"), method = c("method"), seed = c("seed"), iteration = c("iteration");
  std::vector<std::size_t> hw_columns;
  for (const auto& n : hw_param_names()) hw_columns.push_back(t.column(n));
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const auto& row = t.rows[r];
    Record rec;
    HardwareConfig config = space_.hardware().reference_config();
    for (std::size_t i = 0; i < kHwParamCount; ++i) {
      config.values[i] = static_cast<std::int64_t>(to_double(row[hw_columns[i]], t.where(r, hw_columns[i])));
    }
    rec.point = space_.make(space_.space().parse(row[genome]), space_.hardware().genome_of(config));
    rec.m.status = row[status];
    if (rec.m.ok()) {
      rec.m.cycles = to_double(row[cycles], t.where(r, cycles));
      rec.m.analytical_cycles = row[analytical].empty() ? 0 : to_double(row[analytical], t.where(r, analytical));
    }
    rec.m.accuracy = to_double(row[accuracy], t.where(r, accuracy));
    rec.method = row[method];
    rec.seed = static_cast<long long>(to_double(row[seed], t.where(r, seed)));
    rec.iteration = static_cast<int>(to_double(row[iteration], t.where(r, iteration)));
    records_.push_back(std::move(rec));
  }
}

void EvaluationLog::append(const Record& rec, const evaluation::TaskOutcome& o, const Network& network) {
  const HardwareConfig hw = space_.hardware().config(rec.point.hw);
  std::vector<std::string> r(schema_.size());
  auto set = [&](const std::string& name, std::string value) { r[schema_.index_of(name)] = std::move(value); };
  set(evaluation::col::kIndex, std::to_string(records_.size()));
  set(evaluation::col::kSpace, space_.space().name());
  set(evaluation::col::kGenome, space_.space().format(rec.point.arch));
  for (std::size_t g = 0; g < space_.space().gene_count(); ++g) {
    set(space_.space().gene_name(g), format_number(space_.space().value(rec.point.arch, g)));
  }
  for (const auto& info : hw_param_infos()) set(info.name, std::to_string(hw.get(info.param)));
  set(evaluation::col::kMacs, std::to_string(network.total_macs()));
  set(evaluation::col::kParams, std::to_string(network.total_params()));
  set(evaluation::col::kStatus, rec.m.status);
  set(evaluation::col::kMessage, o.message);
  for (const auto& [name, value] : o.fields) {
    if (schema_.has(name) && schema_.columns()[schema_.index_of(name)].measured) set(name, value);
  }
  set(evaluation::col::kWall, number(o.wall_seconds, 4));
  // 17 digits: the value read back on --resume is bit-identical, so a resumed run plans identically.
  r.push_back(number(rec.m.accuracy, 17));
  r.push_back(number(rec.point.area, 6));
  r.push_back(rec.method);
  r.push_back(std::to_string(rec.seed));
  r.push_back(std::to_string(rec.iteration));
  writer_->write(format_csv_line(r));
  records_.push_back(rec);
}

void EvaluationLog::close() {
  if (writer_) writer_->close();
}

PoolEvaluator::PoolEvaluator(const CoSpace& space, evaluation::Evaluator evaluator, int jobs, double timeout_seconds)
    : space_(space), evaluator_(std::move(evaluator)), jobs_(jobs), timeout_(timeout_seconds) {}

bool PoolEvaluator::evaluate(const std::vector<Candidate>& batch, const std::vector<const Network*>& networks,
                             const std::function<void(const evaluation::TaskOutcome&)>& done) {
  std::vector<std::size_t> tasks;
  for (std::size_t i = 0; i < batch.size(); ++i) tasks.push_back(i);
  evaluation::PoolHooks hooks;
  hooks.work = [&](std::size_t i) {
    const HardwareConfig hw = space_.hardware().config(batch[i].hw);
    return evaluator_(evaluation::EvalPoint{space_.space(), batch[i].arch, hw, *networks[i]});
  };
  hooks.done = done;
  hooks.should_stop = [] { return evaluation::StopSignal::requested(); };
  evaluation::PoolOptions options;
  options.jobs = jobs_;
  options.timeout_seconds = timeout_;
  return evaluation::run_pool(tasks, options, hooks);
}

}  // namespace cimnet::loop
