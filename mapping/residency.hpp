#pragma once
// Resident weights (execution policy `fused`, execution.hpp): which MAC layers keep their weights in
// the arrays over a stream of inferences, and on which arrays. A network decision made from the
// layers' plans and the analytical model alone (deterministic, no simulation).
//
// A resident layer loads its weights in the first inference and never frees them; once warm it loads
// nothing (LayerIo::weights). Every other layer loads its weights for every inference, as under
// layer-by-layer, into what the resident weights leave free.
//
// Rules:
//   - Candidates: every layer whose stationary operand is weights, or state kept between inferences (a
//     decode step's KV cache, Layer::persistent_stationary; any other MatMul's is an activation, new
//     every inference), and that has a plan of one pass (all its weights in the arrays at once). Its
//     resident plan is its own search's (map_layer_resident: one pass, one weight slice, scored with
//     the weights already in), which may differ from the plan it runs when it loads its weights; the
//     cold inference loads them with that plan, whole before computing. Besides that fastest plan, up
//     to two compact variants from the layer's (resident bytes, cycles) front
//     (MapperCache::resident_by_bytes): the most compact plan, and the fastest holding at most half
//     the fastest plan's bytes. A fill takes at most one variant of a layer.
//   - Capacity, per array: Σ resident weights + the most any other layer needs there ≤ MA_mem_size.
//     The others keep their plans, so what they need is known: their weight tile (twice it with
//     half_capacity: two passes' tiles at once). A uniform reserve T per array is left for them: the
//     residents share MA_mem_size − T, and every layer that needs more than T must be resident.
//   - Where: every layer's plan fills the arrays from decoder 0, slot 0 on, so residents would pile
//     up on the first arrays. Each resident plan is turned (Plan::decoder_offset, slot_offset; the
//     same traffic per decoder, so the same cost) to the rotation that keeps the fullest array it
//     touches lowest; it is accepted when that stays within MA_mem_size − T.
//   - Which: for a reserve T, every layer needing more than T either stays resident or takes its best
//     plan within T (MapperCache::by_need; the cycles that costs count against T's saving): a layer
//     that cannot be resident (a matmul, no plan of one pass) must take one, a candidate without one
//     must be resident. Then the must-be-resident layers (largest tiles first), then the other
//     candidates greedily in two orders — steady-state cycles saved per weight byte, and cycles saved
//     (the analytical estimate with loads of its loading plan minus that of its resident plan) — the
//     better of the two fills kept. T is tried at 0 and at every layer's need.
//   - The per-layer savings are a proxy: alone, they ignore what cross-layer prefetch would have hidden
//     and where activations then fit (a caller that knows each step's context counts them there,
//     `step_cycles`; each candidate then also offers its front's resident plan fastest in context).
//     So residency_options returns the few reserves whose sets save the most by the proxy, and the
//     network mapper keeps the one with the fewest estimated steady-state cycles of the whole network
//     (ties: the proxy's order). Greedy, so not optimal in general
//     (docs/mapping.md, "Resident weights"); exact in its capacity accounting, which the program's
//     validation proves.
#include <cstdint>
#include <functional>
#include <vector>

#include "hardware/hardware.hpp"
#include "mapping/mapper.hpp"
#include "mapping/mapping.hpp"
#include "workloads/network.hpp"

namespace cimnet {

struct Residency {
  std::vector<char> resident;   // per layer
  std::vector<Plan> plans;      // per layer: the plan to run (a resident one with one slice, turned)
  // Per layer: a layer that loads its weights and whose plan was replaced by one that fits the reserve.
  std::vector<char> replanned;
  std::int64_t reserve = 0;     // T: bytes per array left for the layers that load their weights
  std::int64_t resident_bytes = 0;  // weights kept in the arrays, over all arrays
  std::int64_t fullest_array = 0;   // the most resident bytes any one array holds
};

// `plans`: the plan of every MAC layer (ignored for the others).
// `cache` holds the per-layer searches (MapperCache::map with resident = true finds each candidate's plan).
// `chains` (fused, placement.hpp fusable_chains; may be empty): a candidate's resident plan carries its
// layer's post-ops when some resident plan can, as the network mapper's plans do.
// The `count` reserves whose resident sets save the most by the per-layer proxy, best first (at least
// one: nothing resident when no reserve is feasible).
// `step_cycles` (optional): a layer's cycles per inference once warm with a plan, resident or loading
// its weights, as the proxy's savings count them; by default the estimate alone (DRAM in and out, no
// prefetch). The network mapper passes the layer's cycles in its step's context instead.
using StepCycles = std::function<std::int64_t(std::size_t layer, const Plan& plan, bool resident)>;
std::vector<Residency> residency_options(const Network& network, const HardwareConfig& hw,
                                         const std::vector<Plan>& plans, MapperCache& cache,
                                         const std::vector<std::vector<PostOp>>& chains, std::size_t count,
                                         const StepCycles* step_cycles = nullptr);
// The proxy's best: residency_options(…, 1).front().
Residency choose_residency(const Network& network, const HardwareConfig& hw, const std::vector<Plan>& plans,
                           MapperCache& cache, const std::vector<std::vector<PostOp>>& chains = {});

}  // namespace cimnet
