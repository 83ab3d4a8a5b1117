#include "search/loop/evaluation_log.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <tuple>

#include "common/error.hpp"
#include "common/text.hpp"
#include "common/yaml_reader.hpp"
#include "common/csv_line.hpp"
#include "evaluation/stop_signal.hpp"
#include "common/csv.hpp"

namespace cimnet::loop {

namespace {

// Then, last and only when searched, the candidates' choices (CoSpace::searched_choices: execution,
// allocation): files of a fixed policy and objective stay as they were.
const std::vector<std::string> kExtraColumns = {"accuracy", "area", "method", "seed", "iteration"};
const char* const kMagic = "# cimnet search v1 ";

std::string number(double v, int digits = 6) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, v);
  return buf;
}

// At most `limit` bytes of `text`, quoted, on one line: printable ASCII as is, every other byte (line
// ends, control characters, bytes of binary garbage or of UTF-8) as \xHH. A file that is not what it
// should be is named and excerpted, never echoed.
std::string excerpt(const std::string& text, std::size_t limit = 40) {
  std::string out = "'";
  for (std::size_t i = 0; i < text.size() && i < limit; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  out += text.size() > limit ? "'..." : "'";
  return out;
}

double to_double(const std::string& s, const std::string& where) {
  try {
    std::size_t used = 0;
    const double v = std::stod(s, &used);
    if (used != s.size()) throw std::invalid_argument(s);
    return v;
  } catch (const std::exception&) {
    throw InputError(where + ": expected a number, got " + excerpt(s));
  }
}

std::string line_of(const std::string& text, std::size_t begin) {
  const std::size_t end = text.find('\n', begin);
  return text.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
}

}  // namespace

EvaluationLog::EvaluationLog(const std::string& path, const CoSpace& space, const RunSettings& settings, bool resume)
    : path_(path), space_(space), schema_(space.space(), space.hardware()) {
  const std::string first_line = std::string(kMagic) + settings.line();
  std::vector<std::string> extra = kExtraColumns;
  for (const std::string& c : space.choice_columns()) extra.push_back(c);
  std::vector<std::string> names = schema_.names();
  names.insert(names.end(), extra.begin(), extra.end());
  const std::string header = format_csv_line(names);
  if (resume && std::filesystem::exists(path)) {
    const std::string text = read_text_file(path, "evaluations file");
    const std::string first = line_of(text, 0);
    if (first != first_line) {
      if (first.rfind(kMagic, 0) != 0) {
        throw InputError(path + ": is not an evaluations file of this version of cimnet search (its first line is " +
                         excerpt(first) + "); choose another --out");
      }
      const std::string difference = settings.difference(RunSettings::parse(first.substr(std::strlen(kMagic))));
      throw InputError(path + ": belongs to a search with other settings: " +
                       (difference.empty() ? "its first line is " + excerpt(first, 80) : difference) +
                       "; resume with the same settings or choose another --out");
    }
    const std::size_t header_begin = first.size() + 1;
    const std::string found = line_of(text, std::min(header_begin, text.size())) + "\n";
    // A file written by an earlier version (before the energy columns, or before the cold and steady
    // ones too) keeps its layout (those cells are not written).
    bool earlier = false;
    for (const evaluation::Schema& before : schema_.earlier_layouts()) {
      std::vector<std::string> before_names = before.names();
      before_names.insert(before_names.end(), extra.begin(), extra.end());
      if (found != header && found == format_csv_line(before_names)) {
        schema_ = before;
        earlier = true;
        break;
      }
    }
    if (!earlier && found != header) {
      const auto theirs = split(found.substr(0, found.size() - 1), ',');
      std::size_t i = 0;
      while (i < theirs.size() && i < names.size() && theirs[i] == names[i]) ++i;
      const std::string what =
          i < theirs.size() && i < names.size()
              ? "column " + std::to_string(i + 1) + " is " + excerpt(theirs[i]) + " where this version writes '" + names[i] + "'"
              : "it has " + std::to_string(theirs.size()) + " columns, this version writes " + std::to_string(names.size());
      throw InputError(path + ":2: the header differs from this version's (" + what + "); start a new --out");
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
  // The eight parameters' columns, then the component genes' (the scenario's, whose fingerprint the
  // first line holds: a file of another scenario was refused before this).
  const std::vector<std::string> hw_names = space_.hardware().gene_names();
  std::vector<std::size_t> hw_columns;
  for (const auto& n : hw_names) hw_columns.push_back(t.column(n));
  const std::vector<CoSpace::SearchedChoice> searched = space_.searched_choices();
  std::vector<std::size_t> choice_columns;
  for (const CoSpace::SearchedChoice& choice : searched) choice_columns.push_back(t.column(choice.column));
  // Files of the layout before energy (which resume in it) have no energy columns.
  const bool has_energy = t.has_column(evaluation::col::kEnergy);
  const std::size_t energy = has_energy ? t.column(evaluation::col::kEnergy) : 0;
  const std::size_t analytical_energy = has_energy ? t.column(evaluation::col::kAnalyticalEnergy) : 0;
  // (method, seed, point) -> the line that recorded it: each point once per method and seed.
  std::map<std::tuple<std::string, long long, std::string>, std::size_t> first_line;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const auto& row = t.rows[r];
    Record rec;
    std::vector<std::int64_t> values;
    for (std::size_t i = 0; i < hw_columns.size(); ++i) {
      values.push_back(static_cast<std::int64_t>(to_double(row[hw_columns[i]], t.where(r, hw_columns[i]))));
    }
    HwGenome hw;
    Genome arch;
    try {
      hw = space_.hardware().genome_of_values(values);
    } catch (const InputError& e) {
      // Numbers only (read above): safe to quote.
      throw InputError(path_ + ":" + std::to_string(t.row_lines[r]) + ": " + e.what() + "; start a new --out");
    }
    try {
      arch = space_.space().parse(row[genome]);
    } catch (const InputError&) {
      throw InputError(t.where(r, genome) + ": not a sub-network of " + space_.space().name() + ": " +
                       excerpt(row[genome]) + "; start a new --out");
    }
    std::vector<std::string> choices;
    for (std::size_t i = 0; i < choice_columns.size(); ++i) {
      const std::string& value = row[choice_columns[i]];
      const std::vector<std::string>& allowed = searched[i].allowed;
      if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
        throw InputError(t.where(r, choice_columns[i]) + ": not a searched " + searched[i].meaning + " (" +
                         join(allowed, ", ") + "): " + excerpt(value) + "; start a new --out");
      }
      choices.push_back(value);
    }
    rec.point = space_.make(arch, hw, choices);
    rec.m.status = row[status];
    if (rec.m.ok()) {
      rec.m.cycles = to_double(row[cycles], t.where(r, cycles));
      rec.m.analytical_cycles = row[analytical].empty() ? 0 : to_double(row[analytical], t.where(r, analytical));
      if (has_energy) {
        rec.m.energy_pj = row[energy].empty() ? 0 : to_double(row[energy], t.where(r, energy));
        rec.m.analytical_energy_pj =
            row[analytical_energy].empty() ? 0 : to_double(row[analytical_energy], t.where(r, analytical_energy));
      }
    }
    rec.m.accuracy = to_double(row[accuracy], t.where(r, accuracy));
    rec.method = row[method];
    rec.seed = static_cast<long long>(to_double(row[seed], t.where(r, seed)));
    rec.iteration = static_cast<int>(to_double(row[iteration], t.where(r, iteration)));
    const auto [it, fresh] = first_line.emplace(std::make_tuple(rec.method, rec.seed, rec.point.key), t.row_lines[r]);
    if (!fresh) {
      std::string hardware;
      for (std::size_t i = 0; i < hw_columns.size(); ++i) {
        hardware += (i ? "," : "") + hw_names[i] + "=" + row[hw_columns[i]];
      }
      if (!choices.empty()) hardware += " under " + join(choices, ", ");
      throw InputError(path_ + ":" + std::to_string(t.row_lines[r]) + ": point " + space_.space().format(rec.point.arch) +
                       " on " + hardware + " appears twice for method " + excerpt(rec.method) + " seed " +
                       std::to_string(rec.seed) + " (first at line " + std::to_string(it->second) +
                       "); a search records each point once per method and seed: not a file to resume");
    }
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
  const std::vector<std::string> hw_names = space_.hardware().gene_names();
  const std::vector<std::int64_t> hw_values = space_.hardware().gene_values(hw);
  for (std::size_t i = 0; i < hw_names.size(); ++i) set(hw_names[i], std::to_string(hw_values[i]));
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
  for (std::string& v : space_.choice_values(rec.point)) r.push_back(std::move(v));
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
    return evaluator_(evaluation::EvalPoint{space_.space(), batch[i].arch, hw, *networks[i], batch[i].execution,
                                              space_.cycles_of(), LatencyBound{}, batch[i].allocation});
  };
  hooks.done = done;
  hooks.should_stop = [] { return evaluation::StopSignal::requested(); };
  evaluation::PoolOptions options;
  options.jobs = jobs_;
  options.timeout_seconds = timeout_;
  return evaluation::run_pool(tasks, options, hooks);
}

}  // namespace cimnet::loop
