// LINAS, the predictor-guided loop (docs/search.md): iteration 0 evaluates `initial` uniform samples;
// each later iteration fits the predictors on every real evaluation so far, runs the inner NSGA-II on
// them with a seed of its own (inner_search.hpp, linas_recipe) and picks the batch from every feasible
// point the inner search saw, not yet evaluated: the predicted fronts in order of rank, each by
// decreasing crowding distance. With `rerank` > 0, a shortlist of rerank × batch is re-ranked by the
// mapper's analytical estimate (cycles, and energy when an objective needs it) before the batch is taken (an estimate the other methods do not
// get: its count and time are logged per iteration and summed per method and seed).
#include <algorithm>

#include "common/clock.hpp"
#include "evaluation/stop_signal.hpp"
#include "search/loop/inner_search.hpp"
#include "search/loop/method.hpp"
#include "search/moo/pareto.hpp"
#include "search/moo/sorting.hpp"

namespace cimnet::loop {

namespace {

class Linas : public Method {
 public:
  Linas(const MethodSpec& spec, MethodContext& context)
      : spec_(spec), context_(context), recipe_(linas_recipe(context.space())) {}

  void run(long long seed) override {
    const std::string& name = spec_.name;
    const long long budget = context_.options().budget;
    // Iteration 0: the initial uniform sample (canonical, feasible, no duplicates).
    {
      const double t0 = monotonic_seconds();
      context_.evaluate(context_.uniform_sample(method_seed(spec_.method, seed),
                                                static_cast<std::size_t>(std::min(spec_.settings.initial, budget))),
                        name, seed, 0);
      IterationLog l = MethodContext::blank(name, seed, 0);
      l.eval_seconds = monotonic_seconds() - t0;
      context_.log_iteration(l);
    }
    for (int it = 1; context_.remaining(name, seed) > 0; ++it) {
      Plan p;
      if (!context_.folder().stored_plan(name, seed, it, p)) {
        p = make_plan(seed, it);
        context_.folder().store_plan(name, seed, it, p);
      }
      if (p.points.empty()) break;  // the space is exhausted
      const double t0 = monotonic_seconds();
      context_.evaluate(p.points, name, seed, it);
      IterationLog l = MethodContext::blank(name, seed, it);
      l.eval_seconds = monotonic_seconds() - t0;
      l.fit_seconds = p.fit_s;
      l.inner_seconds = p.inner_s;
      l.inner_generations_per_second = p.gens_per_s;
      l.rerank_seconds = p.rerank_s;
      l.analytical_estimates = p.analytical_estimates;
      l.model_cycles = p.model;
      context_.batch_quality(name, seed, p, recipe_.predicts_accuracy(context_.accuracy_function()), l);
      context_.log_iteration(l);
    }
  }

 private:
  Plan make_plan(long long seed, int it) {
    const std::string& name = spec_.name;
    const InnerResult inner =
        inner_search(context_, recipe_, name, seed, it, spec_.settings.population, spec_.settings.generations);
    Plan plan;
    plan.model = inner.model;
    plan.fit_s = inner.fit_s;
    plan.inner_s = inner.inner_s;
    plan.gens_per_s = inner.gens_per_s;
    plan.inner_seed = inner.seed;
    const std::vector<PredictedPoint>& pool = inner.seen;

    // Batch selection over every feasible point the inner search saw, not yet evaluated.
    const auto known = context_.by_key(name, seed);
    std::vector<std::size_t> left;
    for (std::size_t i = 0; i < pool.size(); ++i) {
      if (!known.count(pool[i].c.key)) left.push_back(i);
    }
    const std::size_t want = std::min(static_cast<std::size_t>(spec_.settings.batch), context_.remaining(name, seed));
    const auto& analytical = context_.options().analytical;
    const bool rerank = analytical && spec_.settings.rerank > 0;
    // With re-ranking, a shortlist of rerank × batch candidates by predicted rank, then the batch by the
    // analytical estimate: the predictors explore, the mapper's physics filters their optimism.
    const std::size_t shortlist = rerank ? want * static_cast<std::size_t>(spec_.settings.rerank) : want;
    // Each candidate's values: the predictors', then for the shortlist the analytical estimate's
    // cycles (and energy, when an objective needs it) in their place.
    std::vector<ObjectiveValues> values(pool.size());
    for (std::size_t i = 0; i < pool.size(); ++i) values[i] = pool[i].values();
    const bool energy = needs_energy(context_.options().objectives);
    // The reference point is already measured (method `reference`): never spend budget on it again.
    // Peeling one more and dropping it leaves every batch without it exactly as it was.
    const std::string& reference_key = context_.reference().point.key;
    const auto without_reference = [&](std::vector<std::size_t> v) {
      v.erase(std::remove_if(v.begin(), v.end(), [&](std::size_t i) { return pool[i].c.key == reference_key; }),
              v.end());
      if (v.size() > want) v.resize(want);
      return v;
    };
    std::vector<std::size_t> chosen = peel(left, values, rerank ? shortlist : want + 1);
    if (rerank && chosen.size() > want) {
      const double t0 = monotonic_seconds();
      std::vector<Candidate> cs;
      for (std::size_t i : chosen) cs.push_back(pool[i].c);
      // One candidate at a time, so that SIGINT/SIGTERM stops the search within one estimate (tens
      // of ms) rather than after the whole shortlist: under mpirun a rank that does not stop soon is
      // killed without writing its state.
      for (std::size_t k = 0; k < chosen.size(); ++k) {
        if (evaluation::StopSignal::requested()) throw Interrupted{};
        const AnalyticalEstimate e = analytical({cs[k]}).at(0);
        values[chosen[k]].cycles = std::max(e.cycles, 1.0);
        if (energy) values[chosen[k]].energy_pj = std::max(e.energy_pj, 1.0);
      }
      chosen = peel(chosen, values, want + 1);
      plan.rerank_s = monotonic_seconds() - t0;
      plan.analytical_estimates = cs.size();
    }
    chosen = without_reference(chosen);
    for (std::size_t i : chosen) {
      plan.points.push_back(pool[i].c);
      plan.predicted_cycles.push_back(pool[i].cycles);
      plan.predicted_accuracy.push_back(pool[i].accuracy);
      if (energy) plan.predicted_energy.push_back(pool[i].energy_pj);
    }
    return plan;
  }

  // Up to `want` of the points `left` (indices into values) in order of non-dominated rank under the
  // chosen objectives, each front by decreasing crowding distance (extremes first).
  std::vector<std::size_t> peel(std::vector<std::size_t> left, const std::vector<ObjectiveValues>& values,
                                std::size_t want) const {
    const HypervolumeFrame& frame = context_.frame();
    std::vector<std::size_t> out;
    while (out.size() < want && !left.empty()) {
      std::vector<moo::Objectives> pts;
      for (std::size_t i : left) pts.push_back(frame.objectives(values[i]));
      const auto front = moo::non_dominated_indices(pts, moo::Duplicates::keep_all);
      std::vector<moo::Objectives> fp;
      for (std::size_t f : front) fp.push_back(pts[f]);
      const auto crowd = moo::crowding_distance(fp);
      std::vector<std::size_t> order(front.size());
      for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
      std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return crowd[a] > crowd[b]; });
      for (std::size_t o : order) {
        if (out.size() >= want) break;
        out.push_back(left[front[o]]);
      }
      std::vector<bool> drop(left.size(), false);
      for (std::size_t f : front) drop[f] = true;
      std::vector<std::size_t> next;
      for (std::size_t i = 0; i < left.size(); ++i) {
        if (!drop[i]) next.push_back(left[i]);
      }
      left.swap(next);
    }
    return out;
  }

  MethodSpec spec_;
  MethodContext& context_;
  InnerRecipe recipe_;
};

}  // namespace

std::unique_ptr<Method> make_linas(const MethodSpec& spec, MethodContext& context) {
  return std::make_unique<Linas>(spec, context);
}

}  // namespace cimnet::loop
