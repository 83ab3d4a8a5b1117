// DyNAS-T's LINAS as published: a baseline with its flaws kept (docs/search.md), so that "fewer real
// evaluations than DyNAS-T's LINAS" is a measurement.
//
// `population` uniform points; then `budget / population` loops of: measure the whole population —
// points measured in earlier loops are measured again, as DyNAS-T does (they spend budget but are not
// re-simulated, the model being deterministic); fit one predictor per objective on DyNAS-T's plain
// one-hot (no masking, no physics features), selected by CV MAPE; run NSGA-II with DyNAS-T's operators
// (SBX and rarely-applied polynomial mutation on rounded floats) and the SAME seed in every loop
// (inner_search.hpp, dynast_recipe); the next population is the inner search's final population. The
// area budget is a constraint of the inner search (DyNAS-T has none; without it the comparison would
// not be at equal area).
#include <algorithm>

#include "common/clock.hpp"
#include "search/loop/inner_search.hpp"
#include "search/loop/method.hpp"

namespace cimnet::loop {

namespace {

class DynasT : public Method {
 public:
  DynasT(const MethodSpec& spec, MethodContext& context)
      : spec_(spec), context_(context), recipe_(dynast_recipe(context.space())) {}

  void run(long long seed) override {
    const std::string& name = spec_.name;
    const long long budget = context_.options().budget;
    const std::size_t size = static_cast<std::size_t>(std::min(spec_.settings.population, budget));
    const long long loops = std::max(1LL, budget / static_cast<long long>(size));
    for (int it = 0; it < loops; ++it) {
      Plan p;
      if (it == 0) {
        p.points = context_.uniform_sample(method_seed(spec_.method, seed), size);
      } else if (!context_.folder().stored_plan(name, seed, it, p)) {
        p = make_plan(seed, it);
        context_.folder().store_plan(name, seed, it, p);
      }
      if (p.points.empty()) break;
      const double t0 = monotonic_seconds();
      context_.evaluate(p.points, name, seed, it);
      IterationLog l = MethodContext::blank(name, seed, it);
      l.eval_seconds = monotonic_seconds() - t0;
      l.fit_seconds = p.fit_s;
      l.inner_seconds = p.inner_s;
      l.inner_generations_per_second = p.gens_per_s;
      l.model_cycles = p.model;
      if (it > 0) context_.batch_quality(name, seed, p, true, l);
      context_.log_iteration(l);
    }
  }

 private:
  Plan make_plan(long long seed, int it) {
    const InnerResult inner =
        inner_search(context_, recipe_, spec_.name, seed, it, spec_.settings.population, spec_.settings.generations);
    Plan plan;
    plan.model = inner.model;
    plan.fit_s = inner.fit_s;
    plan.inner_s = inner.inner_s;
    plan.gens_per_s = inner.gens_per_s;
    plan.inner_seed = inner.seed;
    // The next population: the inner search's final one (DyNAS-T would measure members that differ
    // only in inactive genes twice; they are one network).
    for (const auto& p : inner.final_population) {
      plan.points.push_back(p.c);
      plan.predicted_cycles.push_back(p.cycles);
      plan.predicted_accuracy.push_back(p.accuracy);
      if (needs_energy(context_.options().objectives)) plan.predicted_energy.push_back(p.energy_pj);
    }
    return plan;
  }

  MethodSpec spec_;
  MethodContext& context_;
  InnerRecipe recipe_;
};

}  // namespace

std::unique_ptr<Method> make_dynast(const MethodSpec& spec, MethodContext& context) {
  return std::make_unique<DynasT>(spec, context);
}

}  // namespace cimnet::loop
