// NSGA-II generations per second on a cimnet-sized categorical genome (45 sub-network genes, as
// OFA-MobileNetV3, plus 8 hardware genes), population 50, with a cheap analytic bi-objective function:
// it measures the optimizer's own overhead (sorting, selection, variation, duplicate elimination),
// which bounds how many inner generations per second the predictor-guided loop can afford.
//
// Usage: bench_moo [generations=2000] [seed=1]
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "search/moo/categorical_variation.hpp"
#include "search/moo/hypervolume.hpp"
#include "search/moo/nsga2.hpp"

namespace {

using cimnet::moo::CategoricalVariation;
using cimnet::moo::Evaluation;

// A stand-in for (error, cycles): larger choices lower the "error" with diminishing returns and raise
// the "cost" linearly, with gene interactions so the front is not trivially separable.
class CheapProblem : public cimnet::moo::Problem<std::vector<int>> {
 public:
  Evaluation evaluate(const std::vector<int>& g) const override {
    double error = 0.0, cost = 0.0;
    for (std::size_t i = 0; i < g.size(); ++i) {
      const double v = static_cast<double>(g[i]) + 1.0;
      error += 1.0 / (v + 0.1 * static_cast<double>(i % 7));
      cost += v * (1.0 + 0.05 * static_cast<double>(g[(i + 1) % g.size()]));
    }
    return Evaluation{{error, cost}, {}};
  }
};

}  // namespace

int main(int argc, char** argv) {
  const std::size_t generations = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 2000;
  const std::uint64_t seed = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1;
  std::vector<int> cardinalities;
  for (int i = 0; i < 45; ++i) cardinalities.push_back(3);  // kernel / expand / depth choices
  for (int n : {4, 4, 3, 3, 4, 3, 4, 3}) cardinalities.push_back(n);  // hardware parameters
  cimnet::moo::Nsga2Options options;
  options.population_size = 50;
  options.seed = seed;
  cimnet::moo::Nsga2<CategoricalVariation> optimizer(CategoricalVariation(cardinalities), options);
  CheapProblem problem;
  const auto start = std::chrono::steady_clock::now();
  const std::size_t done = optimizer.run(problem, generations);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("bench_moo: 53 categorical genes, population 50, %zu generations, %zu evaluations\n",
              done, optimizer.evaluations());
  std::printf("time %.3f s, %.0f generations/s\n", seconds, static_cast<double>(done) / seconds);
  std::printf("front size %zu\n", optimizer.front().size());
  return 0;
}
