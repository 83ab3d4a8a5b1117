#include "search/loop/hypervolume_frame.hpp"

#include <algorithm>

#include "search/moo/hypervolume.hpp"

namespace cimnet::loop {

HypervolumeFrame::HypervolumeFrame(const CoSpace& space, std::vector<Objective> objectives, const Record& reference,
                                   double accuracy_smallest, double accuracy_largest)
    : space_(&space), reference_(reference) {
  // Canonical order, once each: the frame, the fronts and the hypervolume do not depend on how the
  // scenario listed them.
  for (const auto& name : objective_names()) {
    const Objective o = objective_from_string(name);
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

moo::Objectives HypervolumeFrame::objectives(const ObjectiveValues& v) const {
  const double cycles = v.cycles / reference_.m.cycles;
  const double energy = reference_.m.energy_pj > 0 ? v.energy_pj / reference_.m.energy_pj : 0.0;
  moo::Objectives o;
  for (Objective k : chosen_) {
    switch (k) {
      case Objective::accuracy: o.push_back(-(v.accuracy - low_) / (high_ - low_)); break;
      case Objective::cycles: o.push_back(cycles); break;
      case Objective::energy: o.push_back(energy); break;
      case Objective::edp: o.push_back(cycles * energy); break;
      case Objective::area: o.push_back(v.area); break;
    }
  }
  return o;
}

moo::Objectives HypervolumeFrame::raw_objectives(const ObjectiveValues& v) const {
  moo::Objectives o;
  for (Objective k : chosen_) {
    switch (k) {
      case Objective::accuracy: o.push_back(-v.accuracy); break;
      case Objective::cycles: o.push_back(v.cycles); break;
      case Objective::energy: o.push_back(v.energy_pj); break;
      case Objective::edp: o.push_back(v.cycles * v.energy_pj); break;
      case Objective::area: o.push_back(v.area); break;
    }
  }
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
