#include "hardware/area_model.hpp"

#include <cmath>

#include "common/error.hpp"

namespace cimnet {

// A design without CiM arrays (cim_arrays: false) has none of the tree below L2: no arrays, MAC cores,
// L1 decoders or their links.
double link_bandwidth_ports(const HardwareConfig& c) {
  const double l1 = static_cast<double>(c.get(HwParam::L1_num_child));
  const double ma = static_cast<double>(c.get(HwParam::MA_num_child));
  double sum = !c.cim_arrays ? 0.0
                             : static_cast<double>(c.get(HwParam::L2_bw)) * l1 +
                                   l1 * static_cast<double>(c.get(HwParam::L1_bw)) * ma +
                                   l1 * ma * static_cast<double>(c.get(HwParam::MA_bw));
  for (const DigitalCore& d : c.digital_cores) {
    sum += static_cast<double>(c.get(HwParam::L2_bw)) + static_cast<double>(d.port_bytes_per_cycle);
  }
  return sum;
}

double memory_bytes(const HardwareConfig& c) {
  double bytes = c.cim_arrays ? static_cast<double>(c.total_capacity_bytes()) : 0.0;
  for (const DigitalCore& d : c.digital_cores) {
    bytes += static_cast<double>(d.weight_buffer_bytes + d.input_buffer_bytes + d.output_buffer_bytes);
  }
  return bytes;
}

double peak_macs(const HardwareConfig& c) {
  double macs = c.cim_arrays ? static_cast<double>(c.peak_macs_per_cycle()) : 0.0;
  for (const DigitalCore& d : c.digital_cores) macs += static_cast<double>(d.pes());
  return macs;
}

AreaModel::AreaModel(const HardwareConfig& reference, AreaShares shares) : shares_(shares) {
  const double sum = shares.arrays + shares.cores + shares.links + shares.dram;
  if (shares.arrays < 0 || shares.cores < 0 || shares.links < 0 || shares.dram < 0 || std::abs(sum - 1.0) > 1e-9) {
    throw InputError("area model: the shares must be non-negative and sum to 1");
  }
  reference.validate("area model reference");
  capacity_ref_ = memory_bytes(reference);
  peak_ref_ = peak_macs(reference);
  links_ref_ = link_bandwidth_ports(reference);
  dram_ref_ = static_cast<double>(reference.get(HwParam::DRAM_bw));
}

std::array<double, 4> AreaModel::parts(const HardwareConfig& c) const {
  return {shares_.arrays * memory_bytes(c) / capacity_ref_, shares_.cores * peak_macs(c) / peak_ref_,
          shares_.links * link_bandwidth_ports(c) / links_ref_,
          shares_.dram * static_cast<double>(c.get(HwParam::DRAM_bw)) / dram_ref_};
}

double AreaModel::area(const HardwareConfig& c) const {
  const auto p = parts(c);
  return p[0] + p[1] + p[2] + p[3];
}

}  // namespace cimnet
