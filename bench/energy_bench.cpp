// Issue 16's figures: the energy of one steady inference of the largest sub-network of each space on the
// reference design, under the three execution policies and the four DRAM presets — total, the DRAM's
// share, pJ per MAC and TOPS/W. The energy is the program's actions priced by the table (exact for the
// program, equal to the SystemC model's counters); no preset has static power, so no simulation is
// needed. Also the time to count and price one whole program. Figures: docs/energy.md, "Benchmark".
#include <chrono>
#include <cstdio>
#include <string>

#include "evaluation/energy_report.hpp"
#include "mapping/network_mapper.hpp"
#include "workloads/search_space.hpp"

int main(int argc, char** argv) {
  const cimnet::HardwareConfig hw = cimnet::HardwareSpace::defaults().reference_config();
  std::printf("%-13s %-15s %-7s %12s %7s %9s %8s %9s\n", "network", "execution", "preset", "energy uJ", "dram %",
              "pJ/MAC", "TOPS/W", "price ms");
  for (const char* name : {"ofa-mbv3", "ofa-resnet50", "vit-b16"}) {
    if (argc > 1 && std::string(argv[1]) != name) continue;
    const auto space = cimnet::make_space(name);
    const cimnet::Network net = space->build(space->largest());
    for (cimnet::Execution e : {cimnet::Execution::LayerByLayer, cimnet::Execution::Fused, cimnet::Execution::Pipelined}) {
      const cimnet::NetworkMapping m = cimnet::map_network(net, hw, nullptr, e, cimnet::CyclesOf::Steady);
      for (const std::string& preset : cimnet::energy_preset_names()) {
        const cimnet::EnergyTable table = cimnet::energy_preset(preset, "bench");
        const auto t0 = std::chrono::steady_clock::now();
        const cimnet::evaluation::InferenceEnergy energy =
            cimnet::evaluation::inference_energy(net, m, hw, table, true, m.analytical_steady_cycles);
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        std::printf("%-13s %-15s %-7s %12.1f %6.1f%% %9.3f %8.3f %9.2f\n", name, cimnet::to_string(e), preset.c_str(),
                    energy.energy.total() / 1e6, 100 * energy.energy.dram / energy.energy.total(), energy.pj_per_mac(),
                    energy.tops_per_watt(), ms);
        std::fflush(stdout);
      }
    }
  }
  return 0;
}
