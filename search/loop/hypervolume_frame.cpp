#include "search/loop/hypervolume_frame.hpp"

#include <algorithm>

#include "search/moo/hypervolume.hpp"

namespace cimnet::loop {

HypervolumeFrame::HypervolumeFrame(const CoSpace& space, std::vector<Objective> objectives, const Record& reference,
                                   double accuracy_smallest, double accuracy_largest)
    : space_(&space), reference_(reference) {
  // Canonical order, once each: the frame, the fronts and the hypervolume do not depend on how the
  // scenario listed them.
  for (Objective o : {Objective::accuracy, Objective::cycles, Objective::energy, Objective::edp, Objective::area}) {
    if (contains(objectives, o)) chosen_.push_back(o);
  }
  low_ = std::min({accuracy_smallest, accuracy_largest, reference.m.accuracy});
  high_ = std::max({accuracy_smallest, accuracy_largest, reference.m.accuracy});
  if (high_ - low_ < 1e-6) {
    high_ = low_ + 1.0;
    flat_ = true;
  }
  max_area_ = space.area(space.hardware().largest());
}

// One objective's value, minimised: raw (−accuracy, cycles, pJ, their product, area) or normalised by
// the frame (accuracy into [−1, 0] over its range, cycles and energy by the reference design's).
double HypervolumeFrame::component(Objective k, const ObjectiveValues& v, bool normalised) const {
  const double cycles = normalised ? v.cycles / reference_.m.cycles : v.cycles;
  const double energy =
      !normalised ? v.energy_pj : reference_.m.energy_pj > 0 ? v.energy_pj / reference_.m.energy_pj : 0.0;
  switch (k) {
    case Objective::accuracy: return normalised ? -(v.accuracy - low_) / (high_ - low_) : -v.accuracy;
    case Objective::cycles: return cycles;
    case Objective::energy: return energy;
    case Objective::edp: return cycles * energy;
    case Objective::area: return v.area;
  }
  return 0;
}

moo::Objectives HypervolumeFrame::objectives(const ObjectiveValues& v) const {
  moo::Objectives o;
  for (Objective k : chosen_) o.push_back(component(k, v, true));
  return o;
}

moo::Objectives HypervolumeFrame::raw_objectives(const ObjectiveValues& v) const {
  moo::Objectives o;
  for (Objective k : chosen_) o.push_back(component(k, v, false));
  return o;
}

ObjectiveValues HypervolumeFrame::worst(double area) const {
  return {low_, reference_.m.cycles, reference_.m.energy_pj, area};
}

moo::Objectives HypervolumeFrame::hypervolume_reference() const {
  moo::Objectives r;
  for (Objective k : chosen_) {
    if (k == Objective::accuracy) {
      r.push_back(0.0);
    } else if (k == Objective::area) {
      r.push_back(1.1 * (space_->area_budget() > 0 ? space_->area_budget() : max_area_));
    } else {
      r.push_back(1.0);
    }
  }
  return r;
}

double HypervolumeFrame::hypervolume(const std::vector<const Record*>& records) const {
  std::vector<moo::Objectives> points;
  for (const auto* r : records) {
    if (r->m.ok() && space_->feasible(r->point)) points.push_back(objectives(values_of(*r)));
  }
  return moo::hypervolume(points, hypervolume_reference());
}

ObjectiveValues values_of(const Record& r) { return {r.m.accuracy, r.m.cycles, r.m.energy_pj, r.point.area}; }

}  // namespace cimnet::loop
