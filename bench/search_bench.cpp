// The cost of the predictor-guided loop itself (docs/search.md): wall time per LINAS iteration and
// inner NSGA-II generations per second on the predictors, OFA-MobileNetV3 joint, with the settings of
// scenarios/experiments/ofa-mbv3-joint.yaml (initial 50, batch 25, inner 50 x 400, re-rank 8, area
// budget = the reference design).
//
// What is NOT real here: the "real evaluation". To time the loop and not SystemC, the evaluator
// returns the mapper's analytical cycle estimate (mapping only, in this process, one mapper cache) as
// the cycles of each point. The predictors are therefore fitted on analytical targets (within a few %
// of SystemC, docs/mapping.md), not on SystemC ground truth; the accuracy is the space's shipped model
// (`auto`). Fit, inner search and re-rank run exactly as in `cimnet search`.
//
//   search_bench [budget (default 150)] [generations (default 400)] [seed (default 1)]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <unistd.h>

#include "common/error.hpp"
#include "config/scenario.hpp"
#include "mapping/mapper.hpp"
#include "mapping/network_mapper.hpp"
#include "accuracy/accuracy_config.hpp"
#include "search/loop/search.hpp"

namespace {

using clock_type = std::chrono::steady_clock;

// Cycles = the analytical estimate, computed in this process (no fork, no SystemC).
class AnalyticalEvaluator : public cimnet::loop::BatchEvaluator {
 public:
  explicit AnalyticalEvaluator(const cimnet::loop::CoSpace& space) : space_(space) {}
  bool evaluate(const std::vector<cimnet::loop::Candidate>& batch, const std::vector<const cimnet::Network*>& networks,
                const std::function<void(const cimnet::evaluation::TaskOutcome&)>& done) override {
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const auto t0 = clock_type::now();
      cimnet::evaluation::TaskOutcome o;
      o.task = i;
      try {
        const auto est =
            cimnet::estimate_network(*networks[i], space_.hardware().config(batch[i].hw), &cache_);
        o.status = "ok";
        o.fields["cycles"] = std::to_string(est.analytical_cycles);
        o.fields["analytical_cycles"] = std::to_string(est.analytical_cycles);
      } catch (const cimnet::InputError& e) {
        o.status = "error";
        o.message = e.what();
      }
      o.wall_seconds = std::chrono::duration<double>(clock_type::now() - t0).count();
      eval_seconds_ += o.wall_seconds;
      done(o);
    }
    return true;
  }
  double eval_seconds() const { return eval_seconds_; }

 private:
  const cimnet::loop::CoSpace& space_;
  cimnet::MapperCache cache_;
  double eval_seconds_ = 0;
};

long long arg(int argc, char** argv, int i, long long fallback) {
  return argc > i ? std::atoll(argv[i]) : fallback;
}

}  // namespace

int main(int argc, char** argv) {
  const long long budget = arg(argc, argv, 1, 150);
  const long long generations = arg(argc, argv, 2, 400);
  const long long seed = arg(argc, argv, 3, 1);

  const cimnet::Scenario scenario = cimnet::default_scenario();
  cimnet::SpaceOptions options;
  options.resolutions = {224};
  const auto space = cimnet::make_space("ofa-mbv3", options);
  const cimnet::loop::CoSpace co(*space, scenario.hardware, cimnet::loop::Mode::Joint, "max", 1.0);

  auto source = cimnet::make_accuracy_source(*space, cimnet::AccuracyConfig{});
  cimnet::loop::AccuracyFunction accuracy;
  accuracy.top1 = [&source](const std::vector<cimnet::Genome>& gs) { return source->top1(gs); };
  accuracy.cheap = true;
  accuracy.label = source->label();

  const std::string out =
      (std::filesystem::temp_directory_path() / ("cimnet-search-bench-" + std::to_string(::getpid()))).string();
  cimnet::loop::SearchOptions o;
  o.methods = {"linas"};
  o.seeds = {seed};
  o.budget = budget;
  o.initial = 50;
  o.batch = 25;
  o.population = 50;
  o.generations = generations;
  o.out = out;
  o.config.add("bench", "search_bench");
  o.scenario_text = scenario.text;
  o.verbose = false;
  o.rerank = 8;
  cimnet::MapperCache rerank_cache;
  o.analytical = [&](const std::vector<cimnet::loop::Candidate>& cs) {
    std::vector<cimnet::loop::AnalyticalEstimate> r;
    for (const auto& c : cs) {
      try {
        r.push_back({static_cast<double>(
                         cimnet::estimate_network(space->build(c.arch), scenario.hardware.config(c.hw), &rerank_cache)
                             .analytical_cycles),
                     0.0});
      } catch (const cimnet::InputError&) {
        r.push_back({1e18, 0.0});
      }
    }
    return r;
  };

  AnalyticalEvaluator evaluator(co);
  const auto t0 = clock_type::now();
  const auto result = cimnet::loop::run_search(co, evaluator, accuracy, o);
  const double total = std::chrono::duration<double>(clock_type::now() - t0).count();
  std::filesystem::remove_all(out);
  if (result.exit_status != 0) return result.exit_status;

  std::printf("OFA-MobileNetV3 joint, LINAS, budget %lld, initial 50, batch 25, inner 50 x %lld, rerank 8, seed %lld\n",
              budget, generations, seed);
  std::printf("targets: ANALYTICAL cycles (mapper), not SystemC; accuracy: %s\n", accuracy.label.c_str());
  std::printf("%4s %6s %8s %8s %9s %8s %9s %10s\n", "iter", "evals", "fit s", "inner s", "rerank s", "eval s",
              "iter s", "inner gen/s");
  double sum_iter = 0, sum_gps = 0;
  int n = 0;
  for (const auto& it : result.iterations) {
    if (it.iteration == 0) continue;  // the initial sample: no fit, no inner search
    const double iter_s = it.fit_seconds + it.inner_seconds + it.rerank_seconds + it.eval_seconds;
    std::printf("%4d %6zu %8.3f %8.2f %9.3f %8.3f %9.2f %10.1f\n", it.iteration, it.evaluations, it.fit_seconds,
                it.inner_seconds, it.rerank_seconds, it.eval_seconds, iter_s, it.inner_generations_per_second);
    sum_iter += iter_s;
    sum_gps += it.inner_generations_per_second;
    ++n;
  }
  if (n > 0) {
    std::printf("mean over %d iterations: %.2f s per iteration (without real evaluations: the analytical stand-in "
                "took %.2f s in all), %.1f inner generations per second\n",
                n, sum_iter / n, evaluator.eval_seconds(), sum_gps / n);
  }
  std::printf("total wall %.1f s, final hypervolume %.4f\n", total,
              result.methods.empty() ? 0.0 : result.methods.front().hypervolume);
  return 0;
}
