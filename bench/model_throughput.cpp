// Throughput of the timed model: streams 1 GiB of weights from DRAM through L2, every L1 decoder and
// every array port in burst-sized transactions on the reference design, and reports hop events per
// second (requests served by a link, port or other resource: each is a SystemC process activation at
// its own time) and simulated cycles per wall-clock second. One simulation per process (in-process).
//
//   model_throughput [GiB]   (default 1)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "models/simulate.hpp"

int main(int argc, char** argv) {
  using namespace cimnet;
  const double gib = argc > 1 ? std::atof(argv[1]) : 1.0;
  const HardwareConfig hw = HardwareSpace::defaults().reference_config();
  const int arrays = static_cast<int>(hw.total_arrays());
  const std::int64_t tile = hw.get(HwParam::MA_mem_size) / 2;  // each load fills half an array
  const std::int64_t total = static_cast<std::int64_t>(gib * 1024 * 1024 * 1024);
  const std::int64_t loads = total / tile;

  // Per array, a chain load -> free -> load -> ...; chains of different arrays run concurrently and
  // contend for DRAM, L2 and the L1 links.
  Program p;
  std::vector<int> last_free(static_cast<std::size_t>(arrays), -1);
  for (std::int64_t k = 0; k < loads; ++k) {
    const int a = static_cast<int>(k % arrays);
    std::vector<int> deps;
    if (last_free[static_cast<std::size_t>(a)] >= 0) deps.push_back(last_free[static_cast<std::size_t>(a)]);
    const int l = p.load({a}, tile, deps, false);
    last_free[static_cast<std::size_t>(a)] = p.free(l, {l});
  }

  const auto t0 = std::chrono::steady_clock::now();
  validate(p, hw);
  const auto t1 = std::chrono::steady_clock::now();
  const SimResult r = simulate_in_process(p, hw);
  const auto t2 = std::chrono::steady_clock::now();
  const double validate_s = std::chrono::duration<double>(t1 - t0).count();
  const double sim_s = r.wall_seconds;
  const double all_s = std::chrono::duration<double>(t2 - t1).count();

  std::printf("design        %s (%d arrays)\n", hw.summary().c_str(), arrays);
  std::printf("streamed      %.3f GiB in %lld loads of %lld bytes, %lld-byte bursts\n", gib,
              static_cast<long long>(loads), static_cast<long long>(tile), static_cast<long long>(hw.fixed.burst_bytes));
  std::printf("simulated     %lld cycles (%.3f ms at %.1f GHz); DRAM utilisation %.3f\n",
              static_cast<long long>(r.total_cycles), r.seconds * 1e3, hw.fixed.clock_ghz,
              r.module("dram")->utilisation);
  std::printf("hop events    %lld (bursts served at a hop); %lld nb_transport calls\n",
              static_cast<long long>(r.hop_events), static_cast<long long>(r.transport_calls));
  std::printf("wall          %.3f s simulation (elaboration + run), %.3f s incl. result collection, %.3f s validation\n",
              sim_s, all_s, validate_s);
  std::printf("throughput    %.2f M hop events/s, %.1f M simulated cycles per wall-second\n",
              static_cast<double>(r.hop_events) / sim_s / 1e6,
              static_cast<double>(r.total_cycles) / sim_s / 1e6);
  std::printf("peak RSS      %lld KiB\n", static_cast<long long>(r.peak_rss_kib));
  return 0;
}
