#pragma once
// Measured accuracies looked up by canonical sub-network: a DyNAS-T measurement CSV (Sub-network,
// Top-1 Acc (%)) or a cimnet CSV with a genome/arch column and a top1 or accuracy column.
//
// Exact lookup, no interpolation: a table is for experiments on measured points only, so a sub-network
// it lacks is an InputError naming the sub-network and the file rather than a guess. Repeated
// measurements of one network are averaged (they differ by noise, ≤ 0.1 points in DyNAS-T's data).
#include <map>
#include <string>

#include "accuracy/accuracy_source.hpp"

namespace cimnet {

class TableAccuracySource : public AccuracySource {
 public:
  // InputError for an unreadable file, a file without a sub-network or accuracy column, a row of another
  // space, or a sub-network that does not parse in `space` (each naming file, line and column).
  TableAccuracySource(const SearchSpace& space, const std::string& path);

  std::string label() const override;
  std::size_t size() const { return table_.size(); }

 protected:
  std::vector<double> compute(const std::vector<Genome>& canonical) override;

 private:
  std::string path_;
  std::map<Genome, double> table_;
};

}  // namespace cimnet
