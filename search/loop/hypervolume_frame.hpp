#pragma once
// The frame every method and seed of a run is measured in: the reference point (the reference
// sub-network on the reference hardware, measured once as method `reference`), the normalisation of
// the objectives and the hypervolume's reference point.
//
//   objectives (minimised): −(acc − low)/(high − low), cycles / reference cycles[, area]
//   hypervolume reference point: (0, 1[, 1.1 × (the area budget, else the largest design's area)])
//
// low/high: the lowest and highest accuracy among the smallest, the largest and the reference
// sub-network (normally the smallest's and the largest's); an accuracy source that orders them
// otherwise cannot make the range vanish, and when all three agree the range is one point.
#include <vector>

#include "search/loop/co_space.hpp"
#include "search/loop/evaluation_log.hpp"
#include "search/moo/types.hpp"

namespace cimnet::loop {

class HypervolumeFrame {
 public:
  HypervolumeFrame() = default;
  // `reference`: the measured reference point (status ok); the accuracies of the space's smallest and
  // largest sub-networks.
  HypervolumeFrame(const CoSpace& space, bool area_objective, const Record& reference, double accuracy_smallest,
                   double accuracy_largest);

  const Record& reference() const { return reference_; }
  double accuracy_low() const { return low_; }
  double accuracy_high() const { return high_; }
  // True when the three accuracies agree and the range was widened to one point.
  bool flat_accuracy() const { return flat_; }

  moo::Objectives objectives(double accuracy, double cycles, double area) const;
  moo::Objectives hypervolume_reference() const;
  // Of the successful evaluations within the area budget.
  double hypervolume(const std::vector<const Record*>& records) const;

 private:
  const CoSpace* space_ = nullptr;
  bool area_objective_ = false;
  Record reference_;
  double low_ = 0, high_ = 1;
  bool flat_ = false;
  double max_area_ = 1;
};

}  // namespace cimnet::loop
