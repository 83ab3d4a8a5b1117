#pragma once
// Which core runs each MAC layer of a mapped network with digital cores (issue 17): the arrays (the
// mapper's best plan, already in the mapping) or a digital core fed from DRAM, as the objective's
// allocation chooses (core_allocation.hpp), each layer costed alone from DRAM to DRAM: exact under
// layer-by-layer; under `fused` the chosen layers then run where the placement puts their data. Without CiM
// arrays (HardwareConfig::cim_arrays false) every MAC layer goes to a digital core; one that no core can
// run is an InputError naming the layer and each core's reason.
#include "hardware/hardware.hpp"
#include "hardware/schedule_objective.hpp"
#include "mapping/digital_program.hpp"
#include "mapping/layer_io.hpp"
#include "mapping/mapper.hpp"
#include "mapping/network_mapper.hpp"
#include "workloads/network.hpp"
#include "workloads/search_space.hpp"

namespace cimnet {

// Before any work on a design without CiM arrays: the InputError mapping would raise for the first MAC
// layer of `net` whose operand widths no digital core takes (a core may still refuse a layer later
// for its buffers; mapping says so then). Nothing on a design with arrays.
void require_a_core_for_every_mac_layer(const Network& net, const HardwareConfig& hw);
// The same for every sub-network of `space`: a space sets each layer's widths by its position (first,
// between, last MAC layer), the same in every sub-network, so its largest and smallest tell.
void require_a_core_for_the_space(const SearchSpace& space, const HardwareConfig& hw);

// Sets each MAC layer's core (MappedLayer::digital, its tiling and cost; `cost` then carries the
// core's cycles and DRAM bytes, bound "digital"). Energies are priced only when the objective needs
// them (the latency one needs cycles alone).
void allocate_to_digital_cores(const Network& net, const HardwareConfig& hw, NetworkMapping& out, MapperCache& cache,
                               const ScheduleObjective& objective);
// One MAC layer onto digital core `core` with its mapping there (from DRAM to DRAM), or (`move_to_core`)
// onto any core — the arrays (−1: the mapper's best plan on them) or a digital core, mapped there.
void on_digital_core(const Layer& layer, const HardwareConfig& hw, MappedLayer& m, int core, const DigitalMapping& dm);
void move_to_core(const Layer& layer, const HardwareConfig& hw, MappedLayer& m, MapperCache& cache, int core);

// Under `fused` (placement.hpp's DigitalStep): where a digital step's operands live — its input and
// results where the placement puts them (`io.input_in_gb`, `io.output_to_gb`), its weights and partial
// sums in DRAM.
DigitalLayerIo digital_step_io(const LayerIo& io);
// The bytes of a digital layer's results as they leave the core (final values at the output width,
// tile by tile): what they take in the global buffer when kept.
std::int64_t digital_result_bytes(const Layer& layer, const HardwareConfig& hw, const MappedLayer& m);
// MAC layer `layer` on its digital core (m.digital, m.digital_tiling) with its operands where `io`
// says: the routed schedule's cycles (digital_schedule.hpp) and the bytes it moves over DRAM.
Cost digital_step_cost(const Layer& layer, const HardwareConfig& hw, const MappedLayer& m, const DigitalLayerIo& io);

}  // namespace cimnet
