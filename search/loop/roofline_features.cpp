#include "search/loop/roofline_features.hpp"

#include <algorithm>
#include <cmath>

namespace cimnet::loop {

std::vector<std::string> RooflineFeatures::names() {
  return {"ln_macs", "ln_compute_bound", "ln_dram_bound", "ln_weight_pressure"};
}

void RooflineFeatures::row(const Candidate& c, double* out) {
  const auto& net = network_numbers(c);
  const HardwareConfig hw = space_.hardware().config(c.hw);
  const double macs = std::max(1.0, net.first), weights = std::max(1.0, net.second);
  out[0] = std::log(macs);
  out[1] = std::log(macs / static_cast<double>(hw.peak_macs_per_cycle()));
  out[2] = std::log(weights / static_cast<double>(hw.get(HwParam::DRAM_bw)));
  out[3] = std::log(std::max(1.0, weights / static_cast<double>(hw.total_capacity_bytes())));
}

Eigen::MatrixXd RooflineFeatures::matrix(const std::vector<Candidate>& candidates) {
  Eigen::MatrixXd m(static_cast<Eigen::Index>(candidates.size()), 4);
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    double r[4];
    row(candidates[i], r);
    for (int j = 0; j < 4; ++j) m(static_cast<Eigen::Index>(i), j) = r[j];
  }
  return m;
}

const std::pair<double, double>& RooflineFeatures::network_numbers(const Candidate& c) {
  const std::string key = space_.space().format(c.arch);
  auto it = cache_.find(key);
  if (it == cache_.end()) {
    const Network n = space_.space().build(c.arch);
    it = cache_.emplace(key, std::make_pair(static_cast<double>(n.total_macs()),
                                            static_cast<double>(n.total_weight_bytes()))).first;
  }
  return it->second;
}

}  // namespace cimnet::loop
