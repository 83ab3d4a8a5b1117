#pragma once
// A fast, deterministic stand-in for the real evaluation in the co-search's tests (a roofline formula
// of MACs, weights and the hardware), a formula accuracy source and the formula as an "analytical
// estimate": the tests using them are about the loop's logic, not about SystemC.
#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "search/loop/search.hpp"

namespace cimnet::loop {

// cycles = max(compute, DRAM weight traffic) + a hardware-dependent overhead; deterministic.
inline double formula_cycles(const Network& network, const HardwareConfig& hw) {
  const double compute = static_cast<double>(network.total_macs()) / static_cast<double>(hw.peak_macs_per_cycle());
  const double dram = static_cast<double>(network.total_weight_bytes()) / static_cast<double>(hw.get(HwParam::DRAM_bw));
  return std::max(compute, dram) +
         50.0 * static_cast<double>(network.layers.size()) * (1.0 + 64.0 / static_cast<double>(hw.get(HwParam::L1_bw)));
}

class FormulaEvaluator : public BatchEvaluator {
 public:
  explicit FormulaEvaluator(const CoSpace& space) : space_(space) {}
  bool evaluate(const std::vector<Candidate>& batch, const std::vector<const Network*>& networks,
                const std::function<void(const evaluation::TaskOutcome&)>& done) override {
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const double cycles = formula_cycles(*networks[i], space_.hardware().config(batch[i].hw));
      evaluation::TaskOutcome o;
      o.task = i;
      o.status = "ok";
      o.fields["cycles"] = std::to_string(static_cast<long long>(cycles));
      o.fields["analytical_cycles"] = std::to_string(static_cast<long long>(cycles));
      ++evaluated;
      done(o);
    }
    return true;
  }
  std::size_t evaluated = 0;

 private:
  const CoSpace& space_;
};

inline AccuracyFunction fake_accuracy(const SearchSpace& space) {
  AccuracyFunction f;
  f.top1 = [&space](const std::vector<Genome>& gs) {
    std::vector<double> out;
    for (const auto& g : gs) out.push_back(60.0 + 3.0 * std::log(static_cast<double>(space.build(g).total_macs()) / 1e7));
    return out;
  };
  f.label = "test formula";
  return f;
}

// The formula's cycles of candidates, for LINAS's re-rank (SearchOptions::analytical); counts its calls.
inline std::function<std::vector<double>(const std::vector<Candidate>&)> formula_estimate(const CoSpace& space,
                                                                                         std::size_t* estimated) {
  return [&space, estimated](const std::vector<Candidate>& cs) {
    std::vector<double> out;
    for (const auto& c : cs) out.push_back(formula_cycles(space.space().build(c.arch), space.hardware().config(c.hw)));
    if (estimated) *estimated += cs.size();
    return out;
  };
}

}  // namespace cimnet::loop
