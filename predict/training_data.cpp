#include "predict/training_data.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <stdexcept>
#include <utility>

#include "common/error.hpp"
#include "common/text.hpp"
#include "common/csv.hpp"

namespace cimnet {

namespace {

double number_field(const CsvTable& table, std::size_t row, std::size_t column) {
  const std::string& text = table.rows[row][column];
  try {
    const double v = parse_number(trim(text), "value");
    if (!std::isfinite(v)) throw InputError("not finite");
    return v;
  } catch (const InputError&) {
    throw InputError(table.where(row, column) + ": '" + text + "' is not a finite number");
  }
}

}  // namespace

std::string extra_source_column(const std::string& extra, bool* log) {
  const bool is_log = extra.size() > 4 && extra.compare(0, 3, "ln(") == 0 && extra.back() == ')';
  if (log) *log = is_log;
  return is_log ? extra.substr(3, extra.size() - 4) : extra;
}

TrainingData read_training_data(const std::string& path, const SearchSpace& space, const TrainingColumns& columns,
                                const HardwareSpace* hardware_space) {
  if (columns.target.empty()) throw InputError(path + ": no target column given");
  return read_training_table(read_csv(path, CsvComments::leading), space, columns, hardware_space);
}

TrainingData read_training_table(const CsvTable& table, const SearchSpace& space, const TrainingColumns& columns,
                                 const HardwareSpace* hardware_space) {
  if (columns.hardware && hardware_space == nullptr) {
    throw std::invalid_argument("read_training_data: hardware columns requested without a hardware space");
  }
  if (columns.target.empty()) throw InputError(table.source + ": no target column given");
  const std::size_t network_column = table.column(columns.network);
  const std::size_t target_column = table.column(columns.target);
  std::vector<std::size_t> extra_columns;
  std::vector<bool> extra_log;
  for (const auto& e : columns.extra) {
    bool log = false;
    extra_columns.push_back(table.column(extra_source_column(e, &log)));
    extra_log.push_back(log);
  }
  // The hardware space's genes: the eight parameters, then any component genes ("pe.rows").
  const std::vector<std::string> hw_names = columns.hardware ? hardware_space->gene_names() : std::vector<std::string>{};
  std::vector<std::size_t> hw_columns;
  for (const auto& name : hw_names) hw_columns.push_back(table.column(name));
  const bool with_status = !columns.status.empty();
  const std::size_t status_column = with_status ? table.column(columns.status) : 0;
  const bool with_space = !columns.space.empty();
  const std::size_t space_column = with_space ? table.column(columns.space) : 0;

  TrainingData data;
  std::vector<std::size_t> kept;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    if (with_status && trim(table.rows[r][status_column]) != "ok") {
      ++data.skipped;
      continue;
    }
    kept.push_back(r);
  }
  const auto n = static_cast<Eigen::Index>(kept.size());
  data.extra.resize(n, static_cast<Eigen::Index>(extra_columns.size()));
  data.target.resize(n);
  for (std::size_t k = 0; k < kept.size(); ++k) {
    const std::size_t r = kept[k];
    const auto i = static_cast<Eigen::Index>(k);
    if (with_space && trim(table.rows[r][space_column]) != space.name()) {
      throw InputError(table.where(r, space_column) + ": the point is of space '" + table.rows[r][space_column] +
                       "', not '" + space.name() + "'");
    }
    try {
      data.genomes.push_back(space.canonical(space.parse(table.rows[r][network_column])));
    } catch (const InputError& e) {
      throw InputError(table.where(r, network_column) + ": " + e.what());
    }
    if (columns.hardware) {
      HwGenome g(hw_columns.size());
      for (std::size_t p = 0; p < hw_columns.size(); ++p) {
        const std::string& text = table.rows[r][hw_columns[p]];
        try {
          const std::int64_t v = parse_hw_value(trim(text), hw_names[p]);
          const auto& choices = hardware_space->gene_choices(p);
          const auto it = std::find(choices.begin(), choices.end(), v);
          if (it == choices.end()) throw InputError(text + " is not one of the hardware space's choices");
          g[p] = static_cast<int>(it - choices.begin());
        } catch (const InputError& e) {
          throw InputError(table.where(r, hw_columns[p]) + ": " + e.what());
        }
      }
      data.hardware.push_back(g);
    }
    for (std::size_t e = 0; e < extra_columns.size(); ++e) {
      double v = number_field(table, r, extra_columns[e]);
      if (extra_log[e]) {
        if (v <= 0) {
          throw InputError(table.where(r, extra_columns[e]) + ": " + format_number(v) +
                           " has no logarithm (feature '" + columns.extra[e] + "' needs values > 0)");
        }
        v = std::log(v);
      }
      data.extra(i, static_cast<Eigen::Index>(e)) = v;
    }
    data.target[i] = number_field(table, r, target_column);
    data.origin.push_back(table.source + ":" + std::to_string(table.row_lines[r]));
  }
  return data;
}

void append(TrainingData& data, const TrainingData& more) {
  if (data.size() == 0) {
    const std::size_t skipped = data.skipped;
    data = more;
    data.skipped += skipped;
    return;
  }
  if (more.extra.cols() != data.extra.cols() || more.hardware.empty() != data.hardware.empty()) {
    throw std::invalid_argument("append: training data with different columns");
  }
  data.genomes.insert(data.genomes.end(), more.genomes.begin(), more.genomes.end());
  data.hardware.insert(data.hardware.end(), more.hardware.begin(), more.hardware.end());
  data.origin.insert(data.origin.end(), more.origin.begin(), more.origin.end());
  Eigen::MatrixXd extra(data.extra.rows() + more.extra.rows(), data.extra.cols());
  extra << data.extra, more.extra;
  data.extra = std::move(extra);
  Eigen::VectorXd target(data.target.size() + more.target.size());
  target << data.target, more.target;
  data.target = std::move(target);
  data.skipped += more.skipped;
}

TrainingData deduplicate(const TrainingData& data) {
  const bool with_hw = !data.hardware.empty();
  std::map<std::pair<Genome, HwGenome>, std::size_t> first;  // key -> index in the output
  std::vector<std::size_t> group_of(data.size());
  std::vector<std::size_t> representative;
  for (std::size_t i = 0; i < data.size(); ++i) {
    const auto key = std::make_pair(data.genomes[i], with_hw ? data.hardware[i] : HwGenome{});
    const auto [it, inserted] = first.emplace(key, representative.size());
    if (inserted) representative.push_back(i);
    group_of[i] = it->second;
  }
  TrainingData out;
  out.skipped = data.skipped;
  const auto m = static_cast<Eigen::Index>(representative.size());
  out.extra = Eigen::MatrixXd::Zero(m, data.extra.cols());
  out.target = Eigen::VectorXd::Zero(m);
  Eigen::VectorXd count = Eigen::VectorXd::Zero(m);
  for (std::size_t i = 0; i < data.size(); ++i) {
    const auto g = static_cast<Eigen::Index>(group_of[i]);
    out.extra.row(g) += data.extra.row(static_cast<Eigen::Index>(i));
    out.target[g] += data.target[static_cast<Eigen::Index>(i)];
    count[g] += 1;
  }
  out.target.array() /= count.array();
  for (Eigen::Index c = 0; c < out.extra.cols(); ++c) out.extra.col(c).array() /= count.array();
  for (std::size_t r : representative) {
    out.genomes.push_back(data.genomes[r]);
    if (with_hw) out.hardware.push_back(data.hardware[r]);
    out.origin.push_back(data.origin[r]);
  }
  return out;
}

Eigen::MatrixXd encode(const Encoder& encoder, const TrainingData& data) {
  if (encoder.spec().hardware && data.hardware.size() != data.size()) {
    throw InputError("training data has no hardware columns but the encoding uses hardware features");
  }
  if (static_cast<std::size_t>(data.extra.cols()) != encoder.spec().extra.size()) {
    throw InputError("training data has " + std::to_string(data.extra.cols()) + " extra columns, the encoding uses " +
                     std::to_string(encoder.spec().extra.size()));
  }
  return encoder.encode(data.genomes, data.hardware, data.extra);
}

}  // namespace cimnet
