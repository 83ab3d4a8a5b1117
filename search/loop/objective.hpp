#pragma once
// What a search can optimise (issue 16): any two or more of accuracy (maximised), cycles, energy,
// energy-delay product and area (minimised), with the hypervolume in as many dimensions as are chosen.
//
// A candidate's values (ObjectiveValues) are what a real evaluation measured or what the predictors
// and the analytical model say of it; HypervolumeFrame (hypervolume_frame.hpp) turns them into the
// normalised minimised vector of the chosen objectives. Energy is one inference's (the same inference
// as the cycles: cold or steady), in pJ; the energy-delay product is energy × cycles, so one objective
// that rewards neither a fast design that burns power nor a frugal one that crawls.
#include <string>
#include <vector>

namespace cimnet::loop {

enum class Objective { accuracy, cycles, energy, edp, area };

// In the scenario's spelling, in the order above: accuracy, cycles, energy, edp, area.
const std::vector<std::string>& objective_names();
std::string to_string(Objective o);
// InputError naming the allowed names when `name` is none of them.
Objective objective_from_string(const std::string& name);
std::vector<Objective> objectives_from_strings(const std::vector<std::string>& names);

bool contains(const std::vector<Objective>& objectives, Objective o);
// Energy or the energy-delay product is among them: every evaluation must then report energy, and
// the predictor-guided methods fit an energy predictor.
bool needs_energy(const std::vector<Objective>& objectives);

// One candidate's values, measured or predicted. energy_pj is NaN when nobody asked for it.
struct ObjectiveValues {
  double accuracy = 0;   // top-1 %
  double cycles = 0;
  double energy_pj = 0;
  double area = 0;       // relative to the reference design
};

}  // namespace cimnet::loop
