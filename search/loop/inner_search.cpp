#include "search/loop/inner_search.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <unordered_set>

#include "common/clock.hpp"
#include "evaluation/stop_signal.hpp"
#include "predict/predictor.hpp"
#include "search/moo/categorical_variation.hpp"
#include "search/moo/nsga2.hpp"
#include "search/moo/rounded_real_variation.hpp"

namespace cimnet::loop {

namespace {

Eigen::Map<const Eigen::VectorXd> as_vector(const std::vector<double>& x) {
  return Eigen::Map<const Eigen::VectorXd>(x.data(), static_cast<Eigen::Index>(x.size()));
}

// The recipe's predictors, fitted on a training set.
class Surrogates {
 public:
  Surrogates(MethodContext& context, const InnerRecipe& recipe, const TrainingSet& ts)
      : context_(context), recipe_(recipe), cycles_encoder_(context.space().space(), recipe.cycles_encoding, &context.space().hardware()) {
    SelectionOptions cycles_selection = recipe.cycles_selection;
    cycles_selection.folds = static_cast<int>(std::min<std::size_t>(5, ts.points.size()));
    cycles_.emplace(fit_predictor(cycles_encoder_, encode_cycles(ts.points), as_vector(ts.cycles), cycles_selection,
                                  "cycles", recipe.provenance));
    // Energy, when an objective is made of it: the cycles' encoding and selection (energy follows the
    // same bytes and MACs; docs/energy.md, "Predictors").
    if (needs_energy(context.options().objectives)) {
      energy_.emplace(fit_predictor(cycles_encoder_, encode_cycles(ts.points), as_vector(ts.energy_pj), cycles_selection,
                                    "energy_pj", recipe.provenance));
    }
    if (recipe.predicts_accuracy(context.accuracy_function())) {
      accuracy_encoder_.emplace(context.space().space(), recipe.accuracy_encoding, &context.space().hardware());
      SelectionOptions accuracy_selection = recipe.accuracy_selection;
      accuracy_selection.folds = cycles_selection.folds;
      accuracy_.emplace(fit_predictor(*accuracy_encoder_, accuracy_encoder_->encode(archs(ts.points)),
                                      as_vector(ts.accuracy), accuracy_selection, "top1", recipe.provenance));
    }
  }

  std::string model() const { return cycles_->config.describe(); }

  // energy: NaN for each candidate when no objective needs it.
  void predict(const std::vector<Candidate>& cs, std::vector<double>& cycles, std::vector<double>& accuracy,
               std::vector<double>& energy) {
    const Eigen::MatrixXd x = encode_cycles(cs);
    const Eigen::VectorXd c = cycles_->predict(x);
    cycles.assign(c.data(), c.data() + c.size());
    if (energy_) {
      const Eigen::VectorXd e = energy_->predict(x);
      energy.assign(e.data(), e.data() + e.size());
    } else {
      energy.assign(cs.size(), std::nan(""));
    }
    if (accuracy_) {
      const Eigen::VectorXd a = accuracy_->predict(accuracy_encoder_->encode(archs(cs)));
      accuracy.assign(a.data(), a.data() + a.size());
    } else {
      accuracy = context_.accuracy().get(cs);
    }
  }

 private:
  static std::vector<Genome> archs(const std::vector<Candidate>& cs) {
    std::vector<Genome> out;
    for (const auto& c : cs) out.push_back(c.arch);
    return out;
  }
  Eigen::MatrixXd encode_cycles(const std::vector<Candidate>& cs) {
    std::vector<HwGenome> hws;
    if (cycles_encoder_.spec().hardware) {
      for (const auto& c : cs) hws.push_back(c.hw);
    }
    return cycles_encoder_.encode(archs(cs), hws, extra_columns(cs));
  }
  // The recipe's caller-supplied columns, in the order of its encoding's `extra` names.
  Eigen::MatrixXd extra_columns(const std::vector<Candidate>& cs) {
    if (!recipe_.execution_feature && !recipe_.allocation_feature) {
      return recipe_.roofline_features ? context_.features().matrix(cs) : Eigen::MatrixXd();
    }
    const Eigen::Index n = static_cast<Eigen::Index>(cs.size());
    const Eigen::MatrixXd roofline = recipe_.roofline_features ? context_.features().matrix(cs) : Eigen::MatrixXd(n, 0);
    // Each searched gene's one-hot without its first column (layer-by-layer; latency).
    const std::vector<Execution> policies = searched_executions();
    const std::vector<CoreAllocation> objectives = searched_allocations();
    const Eigen::Index kp = recipe_.execution_feature ? static_cast<Eigen::Index>(policies.size()) - 1 : 0;
    const Eigen::Index ko = recipe_.allocation_feature ? static_cast<Eigen::Index>(objectives.size()) - 1 : 0;
    Eigen::MatrixXd out(n, roofline.cols() + kp + ko);
    out.leftCols(roofline.cols()) = roofline;
    for (Eigen::Index i = 0; i < n; ++i) {
      const Candidate& c = cs[static_cast<std::size_t>(i)];
      for (Eigen::Index j = 0; j < kp; ++j) {
        out(i, roofline.cols() + j) = c.execution == policies[static_cast<std::size_t>(j + 1)] ? 1.0 : 0.0;
      }
      for (Eigen::Index j = 0; j < ko; ++j) {
        out(i, roofline.cols() + kp + j) = c.allocation == objectives[static_cast<std::size_t>(j + 1)] ? 1.0 : 0.0;
      }
    }
    return out;
  }

  MethodContext& context_;
  const InnerRecipe& recipe_;
  Encoder cycles_encoder_;
  std::optional<Predictor> cycles_;
  std::optional<Predictor> energy_;
  std::optional<Encoder> accuracy_encoder_;
  std::optional<Predictor> accuracy_;
};

template <class Variation>
InnerResult run_nsga2(MethodContext& context, Surrogates& surrogates, const moo::Nsga2Options& options,
                      long long generations) {
  const CoSpace& space = context.space();
  InnerResult result;
  moo::Nsga2<Variation> opt(Variation(space.cardinalities()), options);
  std::unordered_set<std::string> seen_keys;
  const double t0 = monotonic_seconds();
  long long gens = 0;
  for (long long g = 0; g <= generations; ++g) {
    if (evaluation::StopSignal::requested()) throw Interrupted{};  // Ctrl-C during a long inner search
    const auto genomes = opt.ask();
    if (genomes.empty()) break;
    std::vector<Candidate> cs;
    for (const auto& genome : genomes) cs.push_back(space.decode(genome));
    std::vector<double> pc, pa, pe;
    surrogates.predict(cs, pc, pa, pe);
    std::vector<moo::Objectives> objectives;
    std::vector<std::vector<double>> constraints;
    for (std::size_t i = 0; i < cs.size(); ++i) {
      const PredictedPoint p{cs[i], pc[i], pa[i], pe[i]};
      objectives.push_back(context.frame().objectives(p.values()));
      constraints.push_back({space.area_budget() > 0 ? cs[i].area - space.area_budget() : 0.0});
      if (space.feasible(cs[i]) && seen_keys.insert(cs[i].key).second) result.seen.push_back(p);
    }
    opt.tell(genomes, objectives, constraints);
    if (g > 0) ++gens;
  }
  result.inner_s = monotonic_seconds() - t0;
  result.gens_per_s = result.inner_s > 0 ? static_cast<double>(gens) / result.inner_s : 0;
  // The final population, feasible members once each (members that differ only in inactive genes are
  // one network).
  std::unordered_set<std::string> keys;
  std::vector<Candidate> last;
  for (const auto& m : opt.population()) {
    Candidate c = space.decode(m.genome);
    if (space.feasible(c) && keys.insert(c.key).second) last.push_back(std::move(c));
  }
  if (!last.empty()) {
    std::vector<double> pc, pa, pe;
    surrogates.predict(last, pc, pa, pe);
    for (std::size_t i = 0; i < last.size(); ++i) result.final_population.push_back({last[i], pc[i], pa[i], pe[i]});
  }
  return result;
}

}  // namespace

std::uint64_t InnerRecipe::inner_seed(long long seed, int iteration) const {
  return method_seed(method, seed, seeds == Seeds::new_every_iteration ? static_cast<std::uint64_t>(iteration) : 1);
}

namespace {

// The policy and objective genes as predictor columns, when searched (InnerRecipe::execution_feature,
// allocation_feature).
void add_execution_feature(const CoSpace& space, InnerRecipe& r) {
  if (space.execution_searched()) {
    r.execution_feature = true;
    const std::vector<Execution> policies = searched_executions();
    for (std::size_t j = 1; j < policies.size(); ++j) {
      r.cycles_encoding.extra.push_back(std::string("execution=") + to_string(policies[j]));
    }
  }
  if (space.allocation_searched()) {
    r.allocation_feature = true;
    const std::vector<CoreAllocation> objectives = searched_allocations();
    for (std::size_t j = 1; j < objectives.size(); ++j) {
      r.cycles_encoding.extra.push_back(std::string("allocation=") + to_string(objectives[j]));
    }
  }
}

}  // namespace

InnerRecipe linas_recipe(const CoSpace& space) {
  InnerRecipe r;
  r.method = "linas";
  r.provenance = "search";
  r.cycles_encoding.hardware = space.mode() != Mode::Arch;
  r.cycles_encoding.extra = RooflineFeatures::names();
  r.roofline_features = true;
  add_execution_feature(space, r);
  r.cycles_selection.seed = 1;
  r.cycles_selection.transforms = {TargetTransform::log};
  r.accuracy = InnerRecipe::Accuracy::source_when_cheap;
  r.accuracy_encoding.log_macs = true;
  r.accuracy_selection = r.cycles_selection;
  r.accuracy_selection.transforms = {TargetTransform::none};
  r.variation = InnerRecipe::Variation::categorical;
  r.seeds = InnerRecipe::Seeds::new_every_iteration;
  return r;
}

InnerRecipe dynast_recipe(const CoSpace& space) {
  InnerRecipe r;
  r.method = "dynast";
  r.provenance = "search dynast";
  r.cycles_encoding.hardware = space.mode() != Mode::Arch;
  r.cycles_encoding.mask_inactive = false;
  add_execution_feature(space, r);
  // DyNAS-T's grids: ridge alpha 0.1 … 10 (step 0.1); RBF-SVR with gamma 1/features, epsilon 0 and C
  // over 1 … 100 (here 1, 2, 5, 10, 20, 50, 100 of its 100 steps); the better by CV MAPE, plain target.
  SelectionOptions so;
  so.seed = 1;
  so.transforms = {TargetTransform::none};
  so.metric = CvMetric::mape;
  so.ridge_alphas.clear();
  for (int a = 1; a <= 100; ++a) so.ridge_alphas.push_back(0.1 * a);
  so.svr_c = {1, 2, 5, 10, 20, 50, 100};
  so.svr_gamma_factors = {1.0};
  so.svr_epsilons = {0.0};
  r.cycles_selection = so;
  r.accuracy = InnerRecipe::Accuracy::always_predicted;
  r.accuracy_encoding.mask_inactive = false;
  r.accuracy_selection = so;
  // pymoo eliminates duplicates within population and offspring only, and returns a short generation
  // rather than random genomes.
  r.variation = InnerRecipe::Variation::rounded_real;
  r.archive = false;
  r.refill_with_samples = false;
  r.seeds = InnerRecipe::Seeds::same_every_iteration;
  return r;
}

InnerResult inner_search(MethodContext& context, const InnerRecipe& recipe, const std::string& method, long long seed,
                         int iteration, long long population, long long generations) {
  const double t0 = monotonic_seconds();
  const TrainingSet ts = context.training_set(method, seed, iteration);
  Surrogates surrogates(context, recipe, ts);
  const double fit_s = monotonic_seconds() - t0;

  moo::Nsga2Options options;
  options.population_size = static_cast<std::size_t>(population);
  options.seed = recipe.inner_seed(seed, iteration);
  options.use_archive = recipe.archive;
  options.refill_with_samples = recipe.refill_with_samples;
  InnerResult result = recipe.variation == InnerRecipe::Variation::categorical
                           ? run_nsga2<moo::CategoricalVariation>(context, surrogates, options, generations)
                           : run_nsga2<moo::RoundedRealVariation>(context, surrogates, options, generations);
  result.model = surrogates.model();
  result.fit_s = fit_s;
  result.seed = options.seed;
  return result;
}

}  // namespace cimnet::loop
