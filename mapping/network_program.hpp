#pragma once
// One set of network-level decisions made into a program and an estimate (`layer-by-layer` and
// `fused`; `pipelined` has pipelined_network.hpp): the steps in their order of issue, each waiting for
// the previous one — a digital step that runs beside the steps up to its first reader (issue_order.hpp)
// aside —, their ops, their estimates, and the network's cold and steady totals. The network mapper
// (network_mapper.cpp) calls it for each residency it weighs.
#include <cstdint>
#include <vector>

#include "hardware/execution.hpp"
#include "hardware/hardware.hpp"
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

// `out` holds every layer's plan (or core) and layer-by-layer cost, `residency` (fused) the resident
// layers and the plans within the reserve. Builds the program when `build`; records each MAC step's
// context in `contexts` when given.
NetworkMapping network_program(const Network& net, const HardwareConfig& hw, bool build, NetworkMapping out,
                               const Residency* residency, Execution execution,
                               std::vector<StepContext>* contexts = nullptr);

}  // namespace cimnet
