#include "search/predict/training_data.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <stdexcept>
#include <utility>

#include "common/error.hpp"
#include "common/text.hpp"
#include "search/predict/csv.hpp"

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

TrainingData read_training_data(const std::string& path, const SearchSpace& space, const TrainingColumns& columns,
                                const HardwareSpace* hardware_space) {
  if (columns.hardware && hardware_space == nullptr) {
    throw std::invalid_argument("read_training_data: hardware columns requested without a hardware space");
  }
  if (columns.target.empty()) throw InputError(path + ": no target column given");
  const CsvTable table = read_csv(path);
  const std::size_t network_column = table.column(columns.network);
  const std::size_t target_column = table.column(columns.target);
  std::vector<std::size_t> extra_columns;
  for (const auto& e : columns.extra) extra_columns.push_back(table.column(e));
  std::array<std::size_t, kHwParamCount> hw_columns{};
  if (columns.hardware) {
    for (std::size_t p = 0; p < kHwParamCount; ++p) hw_columns[p] = table.column(hw_param_infos()[p].name);
  }

  TrainingData data;
  const auto n = static_cast<Eigen::Index>(table.rows.size());
  data.extra.resize(n, static_cast<Eigen::Index>(extra_columns.size()));
  data.target.resize(n);
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const auto i = static_cast<Eigen::Index>(r);
    try {
      data.genomes.push_back(space.canonical(space.parse(table.rows[r][network_column])));
    } catch (const InputError& e) {
      throw InputError(table.where(r, network_column) + ": " + e.what());
    }
    if (columns.hardware) {
      HwGenome g{};
      for (std::size_t p = 0; p < kHwParamCount; ++p) {
        const std::string& text = table.rows[r][hw_columns[p]];
        try {
          const std::int64_t v = parse_hw_value(trim(text), hw_param_infos()[p].name);
          const auto& choices = hardware_space->choices[p];
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
      data.extra(i, static_cast<Eigen::Index>(e)) = number_field(table, r, extra_columns[e]);
    }
    data.target[i] = number_field(table, r, target_column);
    data.origin.push_back(path + ":" + std::to_string(table.row_lines[r]));
  }
  return data;
}

void append(TrainingData& data, const TrainingData& more) {
  if (data.size() == 0) {
    data = more;
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
