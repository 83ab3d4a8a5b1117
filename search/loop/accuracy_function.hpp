#pragma once
// The accuracy objective of the co-search: the scenario's accuracy source as a function of
// sub-networks, and its memo (the inner searches ask for the same sub-networks many times).
#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "search/loop/co_space.hpp"

namespace cimnet::loop {

// Top-1 (%) of sub-networks. `cheap`: use it directly inside the inner loop (a model or a table);
// otherwise (an external command) the loop fits an accuracy predictor on the real evaluations.
struct AccuracyFunction {
  std::function<std::vector<double>(const std::vector<Genome>&)> top1;
  bool cheap = true;
  std::string label;
};

// Accuracy per sub-network (the hardware does not change it), memoised; the function is asked once
// per batch for the sub-networks not seen before, in order of first appearance.
class AccuracyCache {
 public:
  AccuracyCache(const CoSpace& space, const AccuracyFunction& f) : space_(space), f_(f) {}
  std::vector<double> get(const std::vector<Candidate>& candidates);

 private:
  const CoSpace& space_;
  const AccuracyFunction& f_;
  std::unordered_map<std::string, double> cache_;
};

}  // namespace cimnet::loop
