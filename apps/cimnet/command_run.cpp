// cimnet run: the main job on a scenario (the embedded default when none is given).
//
// Today the pipeline ends at the workload and hardware description: it decodes the scenario's search
// space, builds sub-networks and relates their work to the reference hardware by physical lower bounds.
// Simulation, mapping and the co-search join this command as they land, and it says so.
#include <algorithm>
#include <cmath>
#include <iostream>

#include "apps/cimnet/command.hpp"
#include "apps/cimnet/options.hpp"
#include "apps/cimnet/table.hpp"
#include "common/error.hpp"
#include "common/text.hpp"

namespace cimnet::cli {

int run_main_job(const Args& args) {
  po::options_description options("options");
  options.add_options()
      ("scenario", po::value<std::string>(), "scenario file (default: the embedded default scenario)")
      ("samples", po::value<int>()->default_value(8), "random sub-networks to describe (0..10000)")
      ("seed", po::value<long long>()->default_value(1), "seed of the random sub-networks");
  const auto vm = parse_options("run", "[--scenario FILE] [--samples N] [--seed S]", options, args);
  const int samples = vm["samples"].as<int>();
  if (samples < 0 || samples > 10000) throw InputError("--samples must be 0..10000, got " + std::to_string(samples));

  const Scenario scenario = scenario_from(vm);
  const auto space = make_space(scenario.space, scenario.space_options);
  const HardwareConfig hw = scenario.hardware.reference_config();

  std::cout << "scenario:  " << scenario.name << " (" << scenario.origin << ")\n"
            << "space:     " << space->name() << ", " << space->gene_count() << " genes, about 10^"
            << format_number(std::round(space->log10_genome_count() * 10) / 10) << " encodings\n"
            << "hardware:  reference design " << hw.summary() << "\n"
            << "           " << hw.total_arrays() << " arrays, " << with_thousands(hw.peak_macs_per_cycle())
            << " MACs/cycle peak, " << with_thousands(hw.total_capacity_bytes()) << " bytes of array capacity\n\n";

  struct Row {
    std::string label;
    Genome genome;
  };
  std::vector<Row> rows = {{"min", space->smallest()}, {"max", space->largest()}};
  Rng rng(static_cast<std::uint64_t>(vm["seed"].as<long long>()));
  for (int i = 0; i < samples; ++i) rows.push_back({"random " + std::to_string(i + 1), space->sample(rng)});

  Table table({"sub-network", ">MACs (M)", ">params (M)", ">weights/capacity", ">compute bound", ">DRAM bound",
               "arch"});
  const double dram_bw = static_cast<double>(hw.get(HwParam::DRAM_bw));
  for (const auto& row : rows) {
    const Network net = space->build(row.genome);
    // Lower bounds, not estimates: every MAC needs a compute-core cycle slot and every weight byte
    // must cross the DRAM interface at least once.
    const double compute = std::ceil(static_cast<double>(net.total_macs()) / static_cast<double>(hw.peak_macs_per_cycle()));
    const double dram = std::ceil(static_cast<double>(net.total_weight_bytes()) / dram_bw);
    table.add_row({row.label, format_number(std::round(static_cast<double>(net.total_macs()) / 1e4) / 100),
                   format_number(std::round(static_cast<double>(net.total_params()) / 1e4) / 100),
                   format_number(std::round(100.0 * static_cast<double>(net.total_weight_bytes()) /
                                            static_cast<double>(hw.total_capacity_bytes())) / 100),
                   with_thousands(static_cast<long long>(compute)), with_thousands(static_cast<long long>(dram)),
                   space->format(row.genome)});
  }
  table.print(std::cout);
  std::cout << "\ncompute bound = MACs / peak MACs per cycle; DRAM bound = weight bytes / DRAM_bw (cycles).\n"
               "Not yet in this pipeline: the SystemC simulation, the mapper and the co-search (they join\n"
               "'cimnet run' as they land; see README.md, Status).\n";
  return 0;
}

}  // namespace cimnet::cli
