// NSGA-II on real evaluations (the baseline that gets no predictor): population = `initial`,
// offspring = `batch` per generation, every told objective a real measurement. Infeasible genomes
// (area over budget) are told as violations without a real evaluation: the area is known exactly, so
// spending the budget on them would only handicap the baseline. Failed evaluations are violations too.
#include <algorithm>
#include <unordered_set>

#include "common/clock.hpp"
#include "search/loop/method.hpp"
#include "search/moo/categorical_variation.hpp"
#include "search/moo/nsga2.hpp"

namespace cimnet::loop {

namespace {

class Nsga2OnRealEvaluations : public Method {
 public:
  Nsga2OnRealEvaluations(const MethodSpec& spec, MethodContext& context) : spec_(spec), context_(context) {}

  void run(long long seed) override {
    const CoSpace& space = context_.space();
    const HypervolumeFrame& frame = context_.frame();
    const std::string& name = spec_.name;
    moo::Nsga2Options no;
    no.population_size = static_cast<std::size_t>(spec_.settings.initial);
    no.offspring_size = static_cast<std::size_t>(spec_.settings.batch);
    no.seed = method_seed(spec_.method, seed);
    moo::Nsga2<moo::CategoricalVariation> opt(moo::CategoricalVariation(space.cardinalities()), no);
    // The reference point counts as known: told with its measurement, never evaluated again.
    const auto known_now = [&] {
      auto known = context_.by_key(name, seed);
      known.emplace(context_.reference().point.key, &context_.reference());
      return known;
    };
    for (int gen = 0; context_.remaining(name, seed) > 0; ++gen) {
      const auto genomes = opt.ask();
      if (genomes.empty()) break;
      std::vector<Candidate> cands;
      std::vector<Candidate> plan;
      std::unordered_set<std::string> planned;
      std::size_t room = context_.remaining(name, seed);
      auto known = known_now();
      std::vector<bool> told(genomes.size(), false);
      for (std::size_t i = 0; i < genomes.size(); ++i) {
        cands.push_back(space.decode(genomes[i]));
        const auto& c = cands.back();
        if (!space.feasible(c) || known.count(c.key) || planned.count(c.key)) {
          told[i] = true;
          continue;
        }
        if (room == 0) continue;  // over budget: dropped, never told
        planned.insert(c.key);
        plan.push_back(c);
        told[i] = true;
        --room;
      }
      const double t0 = monotonic_seconds();
      context_.evaluate(plan, name, seed, gen);
      known = known_now();
      std::vector<std::vector<int>> tg;
      std::vector<moo::Objectives> to;
      std::vector<std::vector<double>> tc;
      for (std::size_t i = 0; i < genomes.size(); ++i) {
        if (!told[i]) continue;
        const auto& c = cands[i];
        const double excess = space.area_budget() > 0 ? c.area - space.area_budget() : 0.0;
        const auto it = known.find(c.key);
        if (it == known.end()) {  // infeasible: never evaluated
          tg.push_back(genomes[i]);
          to.push_back(frame.objectives(frame.worst(c.area)));
          tc.push_back({std::max(excess, 1e-9), 0.0});
          continue;
        }
        const Record& r = *it->second;
        tg.push_back(genomes[i]);
        if (r.m.ok()) {
          to.push_back(frame.objectives(values_of(r)));
          tc.push_back({excess, 0.0});
        } else {  // a failed evaluation (does not fit, crashed): a violation, so it never breeds
          to.push_back(frame.objectives(frame.worst(c.area)));
          tc.push_back({excess, 1.0});
        }
      }
      if (!tg.empty()) opt.tell(tg, to, tc);
      IterationLog l = MethodContext::blank(name, seed, gen);
      l.eval_seconds = monotonic_seconds() - t0;
      context_.log_iteration(l);
    }
  }

 private:
  MethodSpec spec_;
  MethodContext& context_;
};

}  // namespace

std::unique_ptr<Method> make_nsga2(const MethodSpec& spec, MethodContext& context) {
  return std::make_unique<Nsga2OnRealEvaluations>(spec, context);
}

}  // namespace cimnet::loop
