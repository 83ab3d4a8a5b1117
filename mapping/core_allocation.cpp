#include "mapping/core_allocation.hpp"

#include <algorithm>
#include <limits>

#include "hardware/energy.hpp"
#include "mapping/digital_program.hpp"
#include "mapping/program_builder.hpp"
#include "program/action_counts.hpp"

namespace cimnet {

namespace {

// What an option adds to the network's energy: its dynamic energy and the static power over its cycles
// (static energy is linear in the cycles, so it splits by layer like the rest).
double added_pj(const CoreOption& o, const AllocationProblem& p) {
  return o.dynamic_pj + p.static_pj_per_cycle * static_cast<double>(o.cycles);
}

Assignment totals(const AllocationProblem& p, std::vector<int> choice) {
  Assignment a;
  double dynamic = 0;
  for (std::size_t i = 0; i < choice.size(); ++i) {
    const CoreOption& o = p.options[i][static_cast<std::size_t>(choice[i])];
    a.cycles += o.cycles;
    dynamic += o.dynamic_pj;
  }
  a.energy_pj = p.energy(a.cycles, dynamic);
  a.cycles += p.fixed_cycles;
  a.choice = std::move(choice);
  return a;
}

// Per layer, the first option of least `score`.
template <typename Score>
std::vector<int> each_least(const AllocationProblem& p, Score score) {
  std::vector<int> choice;
  choice.reserve(p.options.size());
  for (const auto& options : p.options) {
    std::size_t best = 0;
    for (std::size_t k = 1; k < options.size(); ++k) {
      if (score(options[k]) < score(options[best])) best = k;
    }
    choice.push_back(static_cast<int>(best));
  }
  return choice;
}

double priced(const Program& program, const Layer& layer, const HardwareConfig& hw, const EnergyTable& table) {
  return energy_of(count_actions(program, hw), table, hw, 0, layer.weight_bits, layer.input_bits).dynamic();
}

}  // namespace

std::vector<Assignment> allocation_front(const AllocationProblem& p) {
  // One front per prefix of the layers; a point remembers its option and the point of the previous
  // front it extends, so that the assignments are read back from the last front.
  struct Point {
    std::int64_t cycles = 0;
    double pj = 0;  // dynamic + static over its cycles, of the layers so far
    int option = -1, parent = -1;
  };
  std::vector<std::vector<Point>> fronts;
  fronts.push_back({Point{}});
  for (std::size_t i = 0; i < p.options.size(); ++i) {
    const std::vector<Point>& previous = fronts.back();
    std::vector<Point> candidates;
    candidates.reserve(previous.size() * p.options[i].size());
    for (std::size_t j = 0; j < previous.size(); ++j) {
      for (std::size_t k = 0; k < p.options[i].size(); ++k) {
        const CoreOption& o = p.options[i][k];
        candidates.push_back({previous[j].cycles + o.cycles, previous[j].pj + added_pj(o, p), static_cast<int>(k),
                              static_cast<int>(j)});
      }
    }
    // Fewest cycles first, then least energy; among equals the one generated first (stable).
    std::stable_sort(candidates.begin(), candidates.end(), [](const Point& a, const Point& b) {
      return a.cycles != b.cycles ? a.cycles < b.cycles : a.pj < b.pj;
    });
    std::vector<Point> front;
    double least = std::numeric_limits<double>::infinity();
    for (const Point& c : candidates) {
      if (c.pj < least) {
        front.push_back(c);
        least = c.pj;
      }
    }
    fronts.push_back(std::move(front));
  }
  std::vector<Assignment> out;
  out.reserve(fronts.back().size());
  for (std::size_t end = 0; end < fronts.back().size(); ++end) {
    std::vector<int> choice(p.options.size());
    int at = static_cast<int>(end);
    for (std::size_t i = p.options.size(); i-- > 0;) {
      const Point& point = fronts[i + 1][static_cast<std::size_t>(at)];
      choice[i] = point.option;
      at = point.parent;
    }
    out.push_back(totals(p, std::move(choice)));
  }
  return out;
}

Assignment allocate(const AllocationProblem& p, CoreAllocation objective) {
  switch (objective) {
    case CoreAllocation::Latency:
      return totals(p, each_least(p, [](const CoreOption& o) { return static_cast<double>(o.cycles); }));
    case CoreAllocation::Energy:
      return totals(p, each_least(p, [&](const CoreOption& o) { return added_pj(o, p); }));
    case CoreAllocation::EnergyDelay: {
      std::vector<Assignment> front = allocation_front(p);
      std::size_t best = 0;
      const auto product = [](const Assignment& a) { return a.energy_pj * static_cast<double>(a.cycles); };
      for (std::size_t k = 1; k < front.size(); ++k) {
        if (product(front[k]) < product(front[best])) best = k;
      }
      return std::move(front[best]);
    }
  }
  return {};
}

double mac_layer_dynamic_pj(const Layer& layer, const Plan& plan, const HardwareConfig& hw, const EnergyTable& table) {
  Program alone;
  ProgramBuilder(hw, alone).add_mac_layer(plan, layer.name, {});
  return priced(alone, layer, hw, table);
}

double digital_layer_dynamic_pj(const Layer& layer, int core, const DigitalTiling& tiling, const HardwareConfig& hw,
                                const EnergyTable& table) {
  Program alone;
  build_digital_layer(alone, layer, hw, core, tiling, DigitalLayerIo{});
  return priced(alone, layer, hw, table);
}

double vector_layer_dynamic_pj(const Layer& layer, const HardwareConfig& hw, const EnergyTable& table) {
  Program alone;
  ProgramBuilder(hw, alone).add_vector_layer(layer, {});
  return priced(alone, layer, hw, table);
}

double static_pj_per_cycle(const HardwareConfig& hw, const EnergyTable& table) {
  // mW × ns = pJ; a cycle lasts 1 ⁄ clock_ghz ns.
  return static_power_mw(table, hw) / hw.fixed.clock_ghz;
}

}  // namespace cimnet
