#pragma once
// Features of a (sub-network, hardware) pair for the predictors.
//
// Layout of a feature row, in this order:
//   1. one-hot of every gene of every multi-choice gene group, in gene order; an INACTIVE gene (one
//      that does not change the network, SearchSpace::active_genes) is all zeros, so that two genomes
//      of the same network encode identically and the model sees no noise features;
//   2. with `hardware`: one-hot of each hardware gene that has several choices: the eight parameters,
//      then the space's component genes ("pe.rows=16"; none in the CiMNet template, whose features
//      are therefore those of before such genes existed);
//   3. with `log_macs`: ln of the sub-network's MACs (SearchSpace::build(genome).total_macs());
//   4. the caller-supplied numeric columns named in `extra`, in that order (for instance the mapper's
//      analytical cycle estimate — pass what the model should see, e.g. its log).
// Single-choice genes and parameters carry no information and contribute no column.
#include <Eigen/Core>
#include <cstddef>
#include <string>
#include <vector>

#include "hardware/hardware.hpp"
#include "workloads/search_space.hpp"

namespace cimnet {

// What a predictor's features are; stored in its model file.
struct EncodingSpec {
  bool hardware = false;           // append the hardware one-hot
  bool log_macs = false;           // append ln(MACs)
  std::vector<std::string> extra;  // names of caller-supplied numeric columns
  // Zeros for the genes of inactive blocks (OFA's choice: their values do not change the network).
  // false: DyNAS-T's plain one-hot, where they stay as noise features (kept for the `dynast` baseline).
  bool mask_inactive = true;
};

class Encoder {
 public:
  // `hardware_space` is required when spec.hardware is set (InputError otherwise); both must outlive
  // the encoder.
  Encoder(const SearchSpace& space, EncodingSpec spec, const HardwareSpace* hardware_space = nullptr);

  const SearchSpace& space() const { return space_; }
  const EncodingSpec& spec() const { return spec_; }
  std::size_t feature_count() const { return names_.size(); }
  // "ks3=5", "DRAM_bw=64", "log_macs", then the extra names: they spell out the choices, so comparing
  // the names of a model file with an encoder's detects a changed space.
  const std::vector<std::string>& feature_names() const { return names_; }

  // One row. `hw` is ignored without spec.hardware; `extra` must hold spec.extra.size() values.
  Eigen::RowVectorXd encode(const Genome& genome, const HwGenome* hw = nullptr,
                            const std::vector<double>& extra = {}) const;
  // A batch: one row per genome. `hw` must match genomes in length when spec.hardware is set;
  // `extra` has one row per genome and spec.extra.size() columns (may be empty when none are used).
  Eigen::MatrixXd encode(const std::vector<Genome>& genomes, const std::vector<HwGenome>& hw = {},
                         const Eigen::MatrixXd& extra = {}) const;

 private:
  void encode_into(const Genome& genome, const HwGenome* hw, const double* extra, Eigen::Ref<Eigen::RowVectorXd> row) const;

  const SearchSpace& space_;
  EncodingSpec spec_;
  const HardwareSpace* hardware_;
  std::vector<std::size_t> gene_offset_;  // first column of each gene; npos for single-choice genes
  std::vector<std::size_t> hw_offset_;  // per hardware gene; npos for single-choice ones
  std::vector<std::string> names_;
};

}  // namespace cimnet
