#include "search/loop/accuracy_function.hpp"

#include <stdexcept>
#include <unordered_set>

namespace cimnet::loop {

std::vector<double> AccuracyCache::get(const std::vector<Candidate>& candidates) {
  std::vector<Genome> missing;
  std::vector<std::string> missing_keys;
  std::unordered_set<std::string> asked;
  for (const auto& c : candidates) {
    const std::string k = space_.space().format(c.arch);
    if (!cache_.count(k) && asked.insert(k).second) {
      missing.push_back(c.arch);
      missing_keys.push_back(k);
    }
  }
  if (!missing.empty()) {
    const auto values = f_.top1(missing);
    if (values.size() != missing.size()) throw std::logic_error("accuracy source returned a wrong count");
    for (std::size_t i = 0; i < values.size(); ++i) cache_[missing_keys[i]] = values[i];
  }
  std::vector<double> out;
  out.reserve(candidates.size());
  for (const auto& c : candidates) out.push_back(cache_.at(space_.space().format(c.arch)));
  return out;
}

}  // namespace cimnet::loop
