#pragma once
// A fast, deterministic stand-in for the real evaluation in the co-search's tests (a roofline formula
// of MACs, weights and the hardware), a formula accuracy source and the formula as an "analytical
// estimate": the tests using them are about the loop's logic, not about SystemC.
#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "evaluation/schema.hpp"
#include "search/loop/search.hpp"

namespace cimnet::loop {

// cycles = max(compute, DRAM weight traffic) + a hardware-dependent overhead; deterministic.
inline double formula_cycles(const Network& network, const HardwareConfig& hw) {
  const double compute = static_cast<double>(network.total_macs()) / static_cast<double>(hw.peak_macs_per_cycle());
  const double dram = static_cast<double>(network.total_weight_bytes()) / static_cast<double>(hw.get(HwParam::DRAM_bw));
  return std::max(compute, dram) +
         50.0 * static_cast<double>(network.layers.size()) * (1.0 + 64.0 / static_cast<double>(hw.get(HwParam::L1_bw)));
}

// pJ: DRAM weight bytes at 64 pJ each, MACs at 0.04 pJ, and leakage that grows with the hardware's
// parallelism over the cycles — so a larger design is faster but not always frugal.
inline double formula_energy(const Network& network, const HardwareConfig& hw) {
  const double leakage_per_cycle = 2.0 * static_cast<double>(hw.peak_macs_per_cycle()) / 4096.0;
  return 64.0 * static_cast<double>(network.total_weight_bytes()) + 0.04 * static_cast<double>(network.total_macs()) +
         leakage_per_cycle * formula_cycles(network, hw);
}

class FormulaEvaluator : public BatchEvaluator {
 public:
  explicit FormulaEvaluator(const CoSpace& space) : space_(space) {}
  bool evaluate(const std::vector<Candidate>& batch, const std::vector<const Network*>& networks,
                const std::function<void(const evaluation::TaskOutcome&)>& done) override {
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const HardwareConfig hw = space_.hardware().config(batch[i].hw);
      const double cycles = formula_cycles(*networks[i], hw);
      evaluation::TaskOutcome o;
      o.task = i;
      o.status = "ok";
      o.fields["cycles"] = std::to_string(static_cast<long long>(cycles));
      o.fields["analytical_cycles"] = std::to_string(static_cast<long long>(cycles));
      if (report_energy) {
        const std::string energy = std::to_string(formula_energy(*networks[i], hw));
        o.fields[evaluation::col::kEnergy] = energy;
        o.fields[evaluation::col::kAnalyticalEnergy] = energy;
      }
      ++evaluated;
      done(o);
    }
    return true;
  }
  std::size_t evaluated = 0;
  bool report_energy = true;  // false: an evaluator that measures no energy

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

// The formula's cycles and energy of candidates, for LINAS's re-rank (SearchOptions::analytical); counts
// its calls.
inline std::function<std::vector<AnalyticalEstimate>(const std::vector<Candidate>&)> formula_estimate(
    const CoSpace& space, std::size_t* estimated) {
  return [&space, estimated](const std::vector<Candidate>& cs) {
    std::vector<AnalyticalEstimate> out;
    for (const auto& c : cs) {
      const Network network = space.space().build(c.arch);
      const HardwareConfig hw = space.hardware().config(c.hw);
      out.push_back({formula_cycles(network, hw), formula_energy(network, hw)});
    }
    if (estimated) *estimated += cs.size();
    return out;
  };
}

}  // namespace cimnet::loop
