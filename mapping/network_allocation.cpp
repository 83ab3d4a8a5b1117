#include "mapping/network_allocation.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>
#include <vector>

#include "common/error.hpp"
#include "mapping/core_allocation.hpp"
#include "mapping/digital_program.hpp"
#include "mapping/digital_schedule.hpp"
#include "mapping/digital_tiles.hpp"

namespace cimnet {

namespace {
std::string no_core_message(const Layer& l, const std::string& why) {
  return "layer '" + l.name + "' can run on no core of this design (it has no CiM arrays: hardware: "
         "cim_arrays: false): " + why;
}
}  // namespace

void require_a_core_for_every_mac_layer(const Network& net, const HardwareConfig& hw) {
  if (hw.cim_arrays) return;  // the arrays run every MAC layer
  for (const Layer& l : net.layers) {
    if (!l.is_mac_layer()) continue;
    std::string why;
    bool runs = false;
    for (const DigitalCore& core : hw.digital_cores) {
      const std::string refusal = digital_precision_refusal(l, core);
      runs = runs || refusal.empty();
      why += (why.empty() ? "" : "; ") + refusal;
    }
    if (!runs) throw InputError(no_core_message(l, why));
  }
}

void require_a_core_for_the_space(const SearchSpace& space, const HardwareConfig& hw) {
  if (hw.cim_arrays) return;
  for (const Genome& g : {space.largest(), space.smallest()}) require_a_core_for_every_mac_layer(space.build(g), hw);
}

namespace {

// A MAC layer's cost on digital core `core`: its cycles, bound "digital", the ideal its PEs allow, and
// what it keeps busy of the resources it shares with the arrays' traffic: the DRAM (its `dram_bytes`)
// and the L2 link (every byte to and from the core, `link_bytes`). A step prefetching its weights under
// it gets the rest (prefetch_head.hpp).
Cost digital_layer_cost(const Layer& l, const HardwareConfig& hw, int core, std::int64_t cycles, std::int64_t dram_bytes,
                        std::int64_t link_bytes) {
  Cost c;
  c.cycles = cycles;
  c.bound = "digital";
  const std::int64_t pes = hw.digital_cores[static_cast<std::size_t>(core)].pes();
  c.ideal = (l.macs() + pes - 1) / pes;
  c.stall = std::max<std::int64_t>(0, c.cycles - c.ideal);
  c.dram_bytes = dram_bytes;
  c.busy.dram = static_cast<double>(dram_bytes) / static_cast<double>(hw.get(HwParam::DRAM_bw));
  c.busy.l2 = static_cast<double>(link_bytes) / static_cast<double>(hw.get(HwParam::L2_bw));
  return c;
}

}  // namespace

void allocate_to_digital_cores(const Network& net, const HardwareConfig& hw, NetworkMapping& out, MapperCache& cache,
                               const ScheduleObjective& objective) {
  const bool priced = objective.allocation != CoreAllocation::Latency;
  const bool whole = objective.allocation == CoreAllocation::EnergyDelay;  // the layers without a choice count too
  const EnergyTable& table = objective.energy;
  AllocationProblem problem;
  if (priced) problem.static_pj_per_cycle = static_pj_per_cycle(hw, table);
  std::vector<std::size_t> chooser;                // the layer of each problem.options entry
  std::vector<std::vector<DigitalMapping>> tilings;  // its digital options' tilings (options 1..)
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& l = net.layers[i];
    MappedLayer& m = out.layers[i];
    std::vector<CoreOption> options;
    std::vector<DigitalMapping> digital;
    if (m.mac) {
      if (hw.cim_arrays) {
        options.push_back({-1, m.cost.cycles, priced ? mac_layer_dynamic_pj(l, m.plan, hw, table) : 0.0});
      }
      std::string why;  // each core's refusal, for a layer no core can run
      for (std::size_t d = 0; d < hw.digital_cores.size(); ++d) {
        const int core = static_cast<int>(d);
        DigitalMapping dm = cache.map_digital(l, hw.digital_cores[d], digital_path(hw, core, Place::Dram));
        if (!dm.cost.feasible) {
          why += (why.empty() ? "" : "; ") + dm.cost.why;
          continue;
        }
        options.push_back({core, dm.cost.cycles, priced ? digital_layer_dynamic_pj(l, core, dm.tiling, hw, table) : 0.0});
        digital.push_back(std::move(dm));
      }
      if (options.empty()) throw InputError(no_core_message(l, why));
      for (const CoreOption& o : options) m.core_options.emplace_back(o.core, o.cycles);
      m.refused = why;
    }
    // Without arrays every MAC layer is placed, even with one option.
    if (options.size() > 1 || (m.mac && !hw.cim_arrays)) {
      problem.options.push_back(std::move(options));
      tilings.push_back(std::move(digital));
      chooser.push_back(i);
    } else if (whole) {
      problem.fixed_cycles += m.cost.cycles;
      problem.fixed_pj += m.mac ? options.front().dynamic_pj : vector_layer_dynamic_pj(l, hw, table);
    }
  }
  const Assignment assignment = allocate(problem, objective.allocation);
  for (std::size_t k = 0; k < chooser.size(); ++k) {
    const int option = assignment.choice[k];
    const int first_digital = hw.cim_arrays ? 1 : 0;  // option 0 is the arrays when there are any
    if (option < first_digital) continue;
    const Layer& l = net.layers[chooser[k]];
    MappedLayer& m = out.layers[chooser[k]];
    const DigitalMapping& dm = tilings[k][static_cast<std::size_t>(option - first_digital)];
    on_digital_core(l, hw, m, problem.options[k][static_cast<std::size_t>(option)].core, dm);
  }
}

void on_digital_core(const Layer& layer, const HardwareConfig& hw, MappedLayer& m, int core, const DigitalMapping& dm) {
  m.digital = core;
  m.digital_tiling = dm.tiling;
  m.digital_cost = dm.cost;
  m.cost = digital_layer_cost(layer, hw, core, dm.cost.cycles, dm.cost.port_bytes(), dm.cost.port_bytes());
}

void move_to_core(const Layer& layer, const HardwareConfig& hw, MappedLayer& m, MapperCache& cache, int core) {
  if (core >= 0) {
    on_digital_core(layer, hw, m, core,
                    cache.map_digital(layer, hw.digital_cores[static_cast<std::size_t>(core)], digital_path(hw, core, Place::Dram)));
    return;
  }
  const LayerMapping lm = cache.map(layer, hw, 1, false);
  if (lm.best.empty()) throw std::logic_error("move_to_core: layer '" + layer.name + "' has no plan on the arrays");
  m.digital = -1;
  m.plan = lm.best.front().plan;
  m.cost = lm.best.front().cost;
}

DigitalLayerIo digital_step_io(const LayerIo& io) {
  DigitalLayerIo d;
  d.inputs = io.input_in_gb ? Place::GlobalBuffer : Place::Dram;
  d.outputs = io.output_to_gb ? Place::GlobalBuffer : Place::Dram;
  return d;
}

std::int64_t digital_result_bytes(const Layer& layer, const HardwareConfig& hw, const MappedLayer& m) {
  std::int64_t bytes = 0;
  walk_digital_tiles(layer, hw.digital_cores[static_cast<std::size_t>(m.digital)], m.digital_tiling,
                     [&](const DigitalTile& t) {
                       if (t.outputs_leave && t.outputs_final) bytes += bits_to_bytes(t.output_elements, layer.output_bits);
                     });
  return bytes;
}

Cost digital_step_cost(const Layer& layer, const HardwareConfig& hw, const MappedLayer& m, const DigitalLayerIo& io) {
  const std::int64_t cycles = digital_schedule_cycles(layer, hw.digital_cores[static_cast<std::size_t>(m.digital)],
                                                      m.digital_tiling, digital_routes(hw, m.digital, io));
  // The port carries weights, inputs, partial sums out and back, and results (DigitalCost); what of it
  // crosses the DRAM depends on where the inputs and results live.
  const DigitalCost& c = m.digital_cost;
  const std::int64_t results = digital_result_bytes(layer, hw, m);
  std::int64_t dram = c.weight_bytes + (c.output_bytes - results);
  if (io.inputs == Place::Dram) dram += c.input_bytes;
  if (io.outputs == Place::Dram) dram += results;
  return digital_layer_cost(layer, hw, m.digital, cycles, dram, c.port_bytes());
}

}  // namespace cimnet
