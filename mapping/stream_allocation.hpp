#pragma once
// Which core runs each MAC layer when a stream of inferences overlaps them (issue 17; docs/heterogeneous.md,
// "A stream with digital cores"). One layer after another, each layer on the core its objective picks
// alone is exact (core_allocation.hpp). In a stream the cores run different inferences' layers at once,
// so a layer's core decides how long the others wait for that core as well as how long the layer
// takes: on the DIANA-like design, OFA-MobileNetV3's fastest-alone allocation gives the 16 × 16 digital
// core 12.8 M cycles per inference and the analog macro 1.1 M, and the period is the digital core's.
//
// improve_stream_allocation searches the allocation over the stream's own schedule: with the stages as
// cut, it moves one single-layer MAC segment at a time onto another digital core (an arrays layer onto
// a digital core, or between digital cores), keeps a move when the objective's score (StreamScore)
// then falls — the period the stream model gives (stream_period, with its replay of the cores' order),
// or the energy per inference, or their product — and sweeps the segments again until a sweep keeps
// none: a first-improvement local search, judged by the schedule rather than by sums of cycles alone.
// (Sums mislead: moving layers until both cores' sums were equal made every shipped stream slower, since
// a layer slower on its new core also lengthens its stage.) Layers do not move onto the arrays: a
// layer there takes capacity that the stacks' resident weights were given.
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "hardware/hardware.hpp"
#include "hardware/schedule_objective.hpp"
#include "mapping/mapper.hpp"
#include "mapping/network_mapper.hpp"
#include "mapping/stream_schedule.hpp"
#include "workloads/network.hpp"

namespace cimnet {

// At most this many sweeps over the segments.
inline constexpr int kMaxAllocationSweeps = 8;

// What an allocation of a stream scores under the objective's allocation (lower is better): latency,
// the cycles between inferences; energy, the dynamic energy of one inference — each layer's alone, from
// DRAM to DRAM on its core (core_allocation.hpp), as a stream's single layers run — plus static
// power × those cycles; energy-delay, that energy × the cycles. (A stack's layers are priced alone too:
// the same on every allocation, since no move touches a stack.) Each layer's energy on each core is
// priced once.
class StreamScore {
 public:
  StreamScore(const Network& net, const HardwareConfig& hw, const ScheduleObjective& objective);
  double operator()(const std::vector<MappedLayer>& layers, std::int64_t period);
  // One layer's dynamic energy (pJ) where `m` runs it (none under the latency objective).
  double dynamic_pj(std::size_t layer, const MappedLayer& m);
  double of(double dynamic_pj, std::int64_t period) const;
  // What a byte costs over DRAM more than in the global buffer (the mean of reading and writing each;
  // 0 under the latency objective): how `fused` prices the DRAM traffic its placement adds or saves
  // against the layers' prices alone (fused_allocation.hpp).
  double dram_over_buffer_pj_per_byte() const;

 private:
  const Network& net_;
  const HardwareConfig& hw_;
  const ScheduleObjective& objective_;
  double static_pj_per_cycle_ = 0;
  std::map<std::pair<std::size_t, int>, double> priced_;  // (layer, core: −1 the arrays)
};

// `layers`: the network's layers as allocated (MappedLayer::core_options); `schedule`: its stream.
// Moves layers as above (each moved layer mapped on its new core, move_to_core) and updates both;
// returns the number of moves kept.
int improve_stream_allocation(const Network& net, const HardwareConfig& hw, MapperCache& cache, StreamScore& score,
                              std::vector<MappedLayer>& layers, StreamSchedule& schedule);

}  // namespace cimnet
