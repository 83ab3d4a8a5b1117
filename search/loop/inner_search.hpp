#pragma once
// The inner search of the predictor-guided methods, linas and dynast, written once: fit predictors on
// a method's real evaluations before an iteration, then run NSGA-II on the predictors (area budget as
// a constraint) and report what it saw. Each method then picks its batch from that (linas: ranked
// peeling of every point seen, with the analytical re-rank; dynast: the final population).
//
// What differs between the two methods is a recipe:
//   encoding        linas: masked one-hot + hardware + roofline features, log target, CV on Kendall τ;
//                   dynast: DyNAS-T's plain one-hot, untransformed target, CV on MAPE, its grids;
//                   both with the execution policy gene when it is searched
//   accuracy        linas: the accuracy source itself when cheap, else a predictor (log MACs feature);
//                   dynast: always a predictor fitted on the real evaluations
//   variation       linas: categorical (CategoricalVariation, archive: no genome proposed twice);
//                   dynast: SBX + polynomial mutation on rounded floats, pymoo's duplicate handling
//   seed policy     linas: a new seed every iteration; dynast: one seed for every loop
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "predict/encoding.hpp"
#include "predict/model_selection.hpp"
#include "search/loop/method_context.hpp"

namespace cimnet::loop {

struct InnerRecipe {
  enum class Accuracy { source_when_cheap, always_predicted };
  enum class Variation { categorical, rounded_real };
  enum class Seeds { new_every_iteration, same_every_iteration };

  std::string method;      // the seed stream (seeds.hpp): linas or dynast
  std::string provenance;  // of the fitted predictors
  EncodingSpec cycles_encoding;
  bool roofline_features = false;  // append RooflineFeatures to the cycles encoding
  // With a searched policy: append the policy gene to the cycles encoding, as the columns
  // "execution=fused" and "execution=pipelined" (1 for the candidate's policy; both 0 layer by layer) —
  // the gene's one-hot without its redundant first column.
  bool execution_feature = false;
  // With a searched allocation objective: likewise, after those, "allocation=energy" and
  // "allocation=energy-delay" (both 0 for latency).
  bool allocation_feature = false;
  SelectionOptions cycles_selection;
  Accuracy accuracy = Accuracy::source_when_cheap;
  EncodingSpec accuracy_encoding;
  SelectionOptions accuracy_selection;
  Variation variation = Variation::categorical;
  bool archive = true;              // Nsga2Options::use_archive
  bool refill_with_samples = true;  // Nsga2Options::refill_with_samples
  Seeds seeds = Seeds::new_every_iteration;

  // True when the accuracy of the inner search comes from a predictor (scored on each batch).
  bool predicts_accuracy(const AccuracyFunction& f) const { return accuracy == Accuracy::always_predicted || !f.cheap; }
  std::uint64_t inner_seed(long long seed, int iteration) const;
};

InnerRecipe linas_recipe(const CoSpace& space);
InnerRecipe dynast_recipe(const CoSpace& space);

// A point the inner search saw, with the predictors' values.
struct PredictedPoint {
  Candidate c;
  double cycles, accuracy;
  double energy_pj;  // NaN when no objective needs energy
  // Predicted cycles and energy at least 1 (a log-target predictor never says 0, a linear one may go
  // below).
  ObjectiveValues values() const { return {accuracy, std::max(cycles, 1.0), std::max(energy_pj, 1.0), c.area}; }
};

struct InnerResult {
  std::vector<PredictedPoint> seen;              // every feasible point, once, in order of first sight
  std::vector<PredictedPoint> final_population;  // its feasible members, once each
  std::string model;                             // the selected cycles model
  double fit_s = 0, inner_s = 0, gens_per_s = 0;
  std::uint64_t seed = 0;
};

// Fits on the real evaluations of `method` (the variant's name) and seed before `iteration`, then
// runs population × generations of the recipe's NSGA-II. Throws Interrupted when stopped.
InnerResult inner_search(MethodContext& context, const InnerRecipe& recipe, const std::string& method, long long seed,
                         int iteration, long long population, long long generations);

}  // namespace cimnet::loop
