#include "predict/encoding.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>

#include "common/error.hpp"
#include "common/text.hpp"

namespace cimnet {

namespace {
constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
}

Encoder::Encoder(const SearchSpace& space, EncodingSpec spec, const HardwareSpace* hardware_space)
    : space_(space), spec_(std::move(spec)), hardware_(hardware_space) {
  if (spec_.hardware && hardware_ == nullptr) {
    throw InputError("predictor encoding: hardware features requested but no hardware space given");
  }
  gene_offset_.assign(space_.gene_count(), kNone);
  for (std::size_t g = 0; g < space_.gene_count(); ++g) {
    const GeneGroup& group = space_.group_of(g);
    if (group.choices.size() < 2) continue;
    gene_offset_[g] = names_.size();
    for (double v : group.choices) names_.push_back(space_.gene_name(g) + "=" + format_number(v));
  }
  if (spec_.hardware) {
    const std::vector<std::string> hw_names = hardware_->gene_names();
    hw_offset_.assign(hw_names.size(), kNone);
    for (std::size_t p = 0; p < hw_names.size(); ++p) {
      if (hardware_->gene_choices(p).size() < 2) continue;
      hw_offset_[p] = names_.size();
      for (auto v : hardware_->gene_choices(p)) names_.push_back(hw_names[p] + "=" + std::to_string(v));
    }
  }
  if (spec_.log_macs) names_.push_back("log_macs");
  for (const auto& e : spec_.extra) {
    if (e.empty()) throw InputError("predictor encoding: empty name of an extra feature");
    names_.push_back(e);
  }
}

void Encoder::encode_into(const Genome& genome, const HwGenome* hw, const double* extra,
                          Eigen::Ref<Eigen::RowVectorXd> row) const {
  row.setZero();
  const std::vector<bool> active = space_.active_genes(genome);  // also checks the genome
  for (std::size_t g = 0; g < genome.size(); ++g) {
    if (gene_offset_[g] == kNone || (spec_.mask_inactive && !active[g])) continue;
    row[static_cast<Eigen::Index>(gene_offset_[g] + static_cast<std::size_t>(genome[g]))] = 1.0;
  }
  std::size_t column = names_.size() - spec_.extra.size() - (spec_.log_macs ? 1 : 0);
  if (spec_.hardware) {
    if (hw == nullptr) throw std::invalid_argument("Encoder::encode: hardware genome missing");
    if (hw->size() != hw_offset_.size()) {
      throw std::invalid_argument("Encoder::encode: hardware genome of " + std::to_string(hw->size()) +
                                  " genes in a space of " + std::to_string(hw_offset_.size()));
    }
    for (std::size_t p = 0; p < hw_offset_.size(); ++p) {
      const int choice = (*hw)[p];
      if (choice < 0 || choice >= static_cast<int>(hardware_->gene_choices(p).size())) {
        throw InputError("hardware genome: " + hardware_->gene_names()[p] + " choice " + std::to_string(choice) +
                         " out of range");
      }
      if (hw_offset_[p] == kNone) continue;
      row[static_cast<Eigen::Index>(hw_offset_[p] + static_cast<std::size_t>(choice))] = 1.0;
    }
  }
  if (spec_.log_macs) {
    const auto macs = space_.build(genome).total_macs();
    row[static_cast<Eigen::Index>(column++)] = std::log(static_cast<double>(std::max<std::int64_t>(macs, 1)));
  }
  for (std::size_t e = 0; e < spec_.extra.size(); ++e) row[static_cast<Eigen::Index>(column++)] = extra[e];
}

Eigen::RowVectorXd Encoder::encode(const Genome& genome, const HwGenome* hw, const std::vector<double>& extra) const {
  if (extra.size() != spec_.extra.size()) {
    throw std::invalid_argument("Encoder::encode: " + std::to_string(extra.size()) + " extra values for " +
                                std::to_string(spec_.extra.size()) + " extra features");
  }
  Eigen::RowVectorXd row(static_cast<Eigen::Index>(feature_count()));
  encode_into(genome, hw, extra.data(), row);
  return row;
}

Eigen::MatrixXd Encoder::encode(const std::vector<Genome>& genomes, const std::vector<HwGenome>& hw,
                                const Eigen::MatrixXd& extra) const {
  const auto n = static_cast<Eigen::Index>(genomes.size());
  if (spec_.hardware && hw.size() != genomes.size()) {
    throw std::invalid_argument("Encoder::encode: " + std::to_string(hw.size()) + " hardware genomes for " +
                                std::to_string(genomes.size()) + " genomes");
  }
  if (!spec_.extra.empty() && (extra.rows() != n || extra.cols() != static_cast<Eigen::Index>(spec_.extra.size()))) {
    throw std::invalid_argument("Encoder::encode: extra matrix is " + std::to_string(extra.rows()) + "x" +
                                std::to_string(extra.cols()) + ", expected " + std::to_string(n) + "x" +
                                std::to_string(spec_.extra.size()));
  }
  Eigen::MatrixXd out(n, static_cast<Eigen::Index>(feature_count()));
  std::vector<double> values(spec_.extra.size());
  Eigen::RowVectorXd row(out.cols());
  for (Eigen::Index i = 0; i < n; ++i) {
    for (std::size_t e = 0; e < values.size(); ++e) values[e] = extra(i, static_cast<Eigen::Index>(e));
    encode_into(genomes[static_cast<std::size_t>(i)], spec_.hardware ? &hw[static_cast<std::size_t>(i)] : nullptr,
                values.data(), row);
    out.row(i) = row;
  }
  return out;
}

}  // namespace cimnet
