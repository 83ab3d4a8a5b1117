#include "tests/apps/cimnet/predictor_cli/synthetic_dataset.hpp"

#include <fstream>
#include <stdexcept>

#include "common/text.hpp"

namespace cimnet::test {

double synthetic_cycles(const SearchSpace& space, const Genome& genome, const HardwareConfig& hw) {
  const double macs = static_cast<double>(space.build(genome).total_macs());
  const double peak = static_cast<double>(hw.get(HwParam::L1_num_child) * hw.get(HwParam::MA_num_child) *
                                          hw.get(HwParam::MA_comp_per_core));
  return 3.0 * macs / peak * (1.0 + 32.0 / static_cast<double>(hw.get(HwParam::DRAM_bw)));
}

void write_synthetic_dataset(const std::string& path, const SearchSpace& space, const HardwareSpace& hardware,
                             std::size_t n, std::uint64_t seed) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw std::runtime_error("cannot write " + path);
  out << "# cimnet dataset v1 scenario=0 space=" << space.name() << " mode=joint seed=" << seed << " n=" << n
      << " points=sampled shard=all\n# column cycles [cycles]: synthetic\n";
  out << "index,space,genome";
  for (std::size_t g = 0; g < space.gene_count(); ++g) out << ',' << space.gene_name(g);
  for (const auto& info : hw_param_infos()) out << ',' << info.name;
  out << ",macs,params,status,message,cycles,analytical_cycles\n";
  Rng rng(seed);
  for (std::size_t i = 0; i < n; ++i) {
    const Genome genome = space.sample(rng);
    const HardwareConfig hw = hardware.config(hardware.sample(rng));
    const Network net = space.build(genome);
    out << i << ',' << space.name() << ',' << space.format(genome);
    for (std::size_t g = 0; g < space.gene_count(); ++g) out << ',' << format_number(space.value(genome, g));
    for (std::size_t p = 0; p < kHwParamCount; ++p) out << ',' << hw.values[p];
    out << ',' << net.total_macs() << ',' << net.total_params();
    if (i % 10 == 9) {
      out << ",error,\"does not fit, \"\"synthetic\"\"\",,\n";
      continue;
    }
    const double peak = static_cast<double>(hw.peak_macs_per_cycle());
    const double analytical = static_cast<double>(net.total_macs()) / peak +
                              static_cast<double>(net.total_weight_bytes()) / static_cast<double>(hw.get(HwParam::DRAM_bw));
    out << ",ok,," << format_number(synthetic_cycles(space, genome, hw)) << ',' << format_number(analytical) << '\n';
  }
}

}  // namespace cimnet::test
