#include "search/loop/hypervolume_frame.hpp"

#include <algorithm>

#include "search/moo/hypervolume.hpp"

namespace cimnet::loop {

HypervolumeFrame::HypervolumeFrame(const CoSpace& space, bool area_objective, const Record& reference,
                                   double accuracy_smallest, double accuracy_largest)
    : space_(&space), area_objective_(area_objective), reference_(reference) {
  low_ = std::min({accuracy_smallest, accuracy_largest, reference.m.accuracy});
  high_ = std::max({accuracy_smallest, accuracy_largest, reference.m.accuracy});
  if (high_ - low_ < 1e-6) {
    high_ = low_ + 1.0;
    flat_ = true;
  }
  max_area_ = space.area(space.hardware().largest());
}

moo::Objectives HypervolumeFrame::objectives(double accuracy, double cycles, double area) const {
  moo::Objectives o = {-(accuracy - low_) / (high_ - low_), cycles / reference_.m.cycles};
  if (area_objective_) o.push_back(area);
  return o;
}

moo::Objectives HypervolumeFrame::hypervolume_reference() const {
  moo::Objectives r = {0.0, 1.0};
  if (area_objective_) r.push_back(1.1 * (space_->area_budget() > 0 ? space_->area_budget() : max_area_));
  return r;
}

double HypervolumeFrame::hypervolume(const std::vector<const Record*>& records) const {
  std::vector<moo::Objectives> points;
  for (const auto* r : records) {
    if (r->m.ok() && space_->feasible(r->point)) points.push_back(objectives(r->m.accuracy, r->m.cycles, r->point.area));
  }
  return moo::hypervolume(points, hypervolume_reference());
}

}  // namespace cimnet::loop
