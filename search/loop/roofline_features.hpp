#pragma once
// Cheap physics-informed features of a (sub-network, hardware) pair for LINAS's cycles predictor: no
// mapping, no simulation — the roofline bounds the predictor should not have to rediscover from
// one-hot columns. Cached per sub-network because the inner search revisits sub-networks constantly.
//
//   ln_macs             ln MACs
//   ln_compute_bound    ln(MACs / peak MAC per cycle)
//   ln_dram_bound       ln(weight bytes / DRAM_bw)
//   ln_weight_pressure  ln max(1, weight bytes / array capacity): weights beyond it stream in passes
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "search/loop/co_space.hpp"

namespace cimnet::loop {

class RooflineFeatures {
 public:
  explicit RooflineFeatures(const CoSpace& space) : space_(space) {}
  static std::vector<std::string> names();
  // One row per candidate, one column per name.
  Eigen::MatrixXd matrix(const std::vector<Candidate>& candidates);

 private:
  void row(const Candidate& c, double* out);
  const std::pair<double, double>& network_numbers(const Candidate& c);  // (MACs, weight bytes)

  const CoSpace& space_;
  std::unordered_map<std::string, std::pair<double, double>> cache_;
};

}  // namespace cimnet::loop
