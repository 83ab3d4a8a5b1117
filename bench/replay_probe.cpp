// Equal segments timed once (docs/model.md, "Equal segments") against the whole program simulated op by
// op, on random (sub-network, hardware) pairs of the three spaces, layer by layer: whether every op's
// start, end and bound, every resource's busy cycles and bytes, the bytes per level, the stall
// attribution and the memories' peaks agree, and the child's wall time either way. The tests check the
// same on fixed networks (tests/mapping/segment_replay_network_test.cpp); this draws more, by hand.
//
//   replay_probe [PAIRS_PER_SPACE [SEED [EXECUTION]]]     defaults 10, 2026, layer-by-layer
#include <cstdio>
#include <cstdlib>
#include <string>

#include "mapping/network_mapper.hpp"
#include "models/simulate.hpp"
#include "workloads/search_space.hpp"

namespace {

bool same(const cimnet::SimResult& a, const cimnet::SimResult& b) {
  if (!a.ok() || !b.ok() || a.total_cycles != b.total_cycles || a.ops.size() != b.ops.size()) return false;
  if (a.bytes != b.bytes || a.bound_counts != b.bound_counts || a.hop_events != b.hop_events) return false;
  if (a.transport_calls != b.transport_calls || a.modules.size() != b.modules.size()) return false;
  for (std::size_t i = 0; i < a.ops.size(); ++i) {
    const auto& x = a.ops[i];
    const auto& y = b.ops[i];
    if (x.ready != y.ready || x.start != y.start || x.end != y.end || x.bound != y.bound || x.bound_cycles != y.bound_cycles) {
      return false;
    }
  }
  for (std::size_t m = 0; m < a.modules.size(); ++m) {
    const auto& x = a.modules[m];
    const auto& y = b.modules[m];
    if (x.busy_cycles != y.busy_cycles || x.bytes_down != y.bytes_down || x.bytes_up != y.bytes_up ||
        x.transactions != y.transactions) {
      return false;
    }
  }
  if (a.memories.size() != b.memories.size()) return false;
  for (std::size_t m = 0; m < a.memories.size(); ++m) {
    if (a.memories[m].peak_bytes != b.memories[m].peak_bytes) return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace cimnet;
  const int pairs = argc > 1 ? std::atoi(argv[1]) : 10;
  const auto seed = static_cast<std::uint64_t>(argc > 2 ? std::atoll(argv[2]) : 2026);
  const Execution execution = parse_execution(argc > 3 ? argv[3] : "layer-by-layer", "EXECUTION");
  const HardwareSpace hardware = HardwareSpace::defaults();
  Rng rng(seed);
  int equal = 0, total = 0, replayed = 0;
  double whole_wall = 0, replay_wall = 0;
  for (const char* name : {"ofa-mbv3", "ofa-resnet50", "vit-b16"}) {
    const auto space = make_space(name);
    for (int k = 0; k < pairs; ++k) {
      const Network net = space->build(space->sample(rng));
      const HardwareConfig hw = hardware.config(hardware.sample(rng));
      const NetworkMapping m = map_network(net, hw, nullptr, execution);
      SimOptions whole;
      whole.timeout_seconds = 600;
      whole.replay_repeated_segments = false;
      SimOptions replay = whole;
      replay.replay_repeated_segments = true;
      replay.replay_max_distinct_share = 1.0;  // whenever a segment repeats
      const SimResult a = simulate(m.program, hw, whole);
      const SimResult b = simulate(m.program, hw, replay);
      const bool eq = same(a, b);
      ++total;
      equal += eq ? 1 : 0;
      replayed += b.segments_timed > 0 ? 1 : 0;
      whole_wall += a.wall_seconds;
      replay_wall += b.wall_seconds;
      std::printf("%-13s pair %2d: %s, %lld cycles, %zu ops, %lld segments, %lld timed; child %.2f s whole, %.2f s replayed\n",
                  name, k, eq ? "equal" : "DIFFERENT", static_cast<long long>(a.total_cycles), m.program.ops.size(),
                  static_cast<long long>(b.segments), static_cast<long long>(b.segments_timed), a.wall_seconds,
                  b.wall_seconds);
      std::fflush(stdout);
    }
  }
  std::printf("%d of %d pairs equal (%d replayed); the child's wall time %.1f s whole, %.1f s replayed\n", equal, total,
              replayed, whole_wall, replay_wall);
  return equal == total ? 0 : 1;
}
