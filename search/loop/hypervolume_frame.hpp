#pragma once
// The frame every method and seed of a run is measured in: the reference point (the reference
// sub-network on the reference hardware, measured once as method `reference`), the normalisation of
// the objectives and the hypervolume's reference point.
//
//   objectives (minimised), those chosen (objective.hpp) in their canonical order:
//     accuracy −(acc − low)/(high − low)   reference 0
//     cycles   cycles / reference cycles   reference 1
//     energy   energy / reference energy   reference 1
//     edp      the product of the two      reference 1
//     area     area (relative already)     reference 1.1 × (the area budget, else the largest design's)
//   so a point counts in the hypervolume when it beats the reference design in every chosen objective
//   (area apart: a larger design than the reference may still count).
//
// low/high: the lowest and highest accuracy among the smallest, the largest and the reference
// sub-network (normally the smallest's and the largest's); an accuracy source that orders them
// otherwise cannot make the range vanish, and when all three agree the range is one point.
#include <vector>

#include "search/loop/co_space.hpp"
#include "search/loop/evaluation_log.hpp"
#include "search/loop/objective.hpp"
#include "search/moo/types.hpp"

namespace cimnet::loop {

class HypervolumeFrame {
 public:
  HypervolumeFrame() = default;
  // `reference`: the measured reference point (status ok); the accuracies of the space's smallest and
  // largest sub-networks.
  HypervolumeFrame(const CoSpace& space, std::vector<Objective> objectives, const Record& reference,
                   double accuracy_smallest, double accuracy_largest);

  const Record& reference() const { return reference_; }
  double accuracy_low() const { return low_; }
  double accuracy_high() const { return high_; }
  // True when the three accuracies agree and the range was widened to one point.
  bool flat_accuracy() const { return flat_; }

  // The chosen objectives, in canonical order.
  const std::vector<Objective>& chosen() const { return chosen_; }
  moo::Objectives objectives(const ObjectiveValues& v) const;
  // The same, not normalised (−accuracy, cycles, energy, edp, area): what a front is taken on.
  moo::Objectives raw_objectives(const ObjectiveValues& v) const;
  // What a point that failed or was never evaluated is told: the least accuracy, the reference
  // design's cycles and energy, its own area.
  ObjectiveValues worst(double area) const;
  moo::Objectives hypervolume_reference() const;
  // Of the successful evaluations within the area budget.
  double hypervolume(const std::vector<const Record*>& records) const;

 private:
  double component(Objective k, const ObjectiveValues& v, bool normalised) const;

  const CoSpace* space_ = nullptr;
  std::vector<Objective> chosen_;
  Record reference_;
  double low_ = 0, high_ = 1;
  bool flat_ = false;
  double max_area_ = 1;
};

// A record's measured values (energy 0 when its evaluator reported none).
ObjectiveValues values_of(const Record& r);

}  // namespace cimnet::loop
