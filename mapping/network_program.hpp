#pragma once
// One set of network-level decisions made into a program and an estimate (`layer-by-layer` and
// `fused`; `pipelined` has pipelined_network.hpp): the steps in their order of issue, each waiting for
// the previous one — a digital step that runs beside the steps up to its first reader (issue_order.hpp)
// aside —, their ops, their estimates, and the network's cold and steady totals. The network mapper
// (network_mapper.cpp) calls it for each residency it weighs.
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "hardware/execution.hpp"
#include "hardware/hardware.hpp"
#include "mapping/digital_program.hpp"
#include "mapping/layer_io.hpp"
#include "mapping/network_mapper.hpp"
#include "mapping/residency.hpp"
#include "workloads/network.hpp"

namespace cimnet {

// Whether a step moves its data as layer-by-layer does (from DRAM, to DRAM).
bool layer_by_layer(const LayerIo& io);
bool layer_by_layer(const VectorIo& io);

// What a MAC step's estimate read of its surroundings once warm (fused): where its data lives, its
// post-ops, whether its loads were prefetched and under what previous step.
struct StepContext {
  bool mac_step = false;
  LayerIo io;
  Cost previous;
  bool previous_loads = false;
  // Were it to load its weights, the step could be prefetched under the previous one, capacity
  // permitting (the rule of network_program(), without its capacity check).
  bool prefetchable = false;
};

// A MAC step's estimate in its recorded context with plan `p`: its weights as given and, when
// `prefetch`, its first pass's loads credited with their head start under the previous step.
std::int64_t cycles_in_context(const StepContext& c, const Layer& l, const Plan& p, const HardwareConfig& hw,
                               Weights weights, bool prefetch);

// Digital steps' estimates (digital_step_cost: the program's schedule, burst by burst — the costliest
// part of a fused estimate) by layer, core, tiling and where the input and results lie. The network
// mapper estimates the same steps for every residency it weighs and every move its allocation search
// tries (a 7B decode step's search: 30 s without it). Valid for one network on one design.
class DigitalStepMemo {
 public:
  Cost cost(std::size_t index, const Layer& layer, const HardwareConfig& hw, const MappedLayer& m,
            const DigitalLayerIo& io);

 private:
  std::map<std::tuple<std::size_t, int, std::string, int, int>, Cost> costs_;
};

// `out` holds every layer's plan (or core) and layer-by-layer cost, `residency` (fused) the resident
// layers and the plans within the reserve. Builds the program when `build`; records each MAC step's
// context in `contexts` when given, and reads digital steps' estimates from `memo` when given.
// `warm_only` (ScheduleObjective::warm_only), when some layer is resident: the program holds the
// resident weights' loads and then one warm inference (NetworkMapping::starts_warm); the first
// inference is estimated alone.
NetworkMapping network_program(const Network& net, const HardwareConfig& hw, bool build, NetworkMapping out,
                               const Residency* residency, Execution execution,
                               std::vector<StepContext>* contexts = nullptr, DigitalStepMemo* memo = nullptr,
                               bool warm_only = false);

}  // namespace cimnet
