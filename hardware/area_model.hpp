#pragma once
// A first-order silicon-area model of the eight CiM hardware parameters, normalised so that the
// scenario's reference design has area 1.0.
//
// Why a model at all: cycles fall as every parameter grows, so a search free to pick every maximum
// "wins" with the largest chip. An area objective (or a budget "no larger than the reference") makes
// the trade-off explicit. The model is deliberately simple (docs/search.md justifies the shares):
//
//   area = s_array · capacity / capacity_ref                     memory arrays (bit cells + sense amps)
//        + s_core  · peak MAC/cycle / peak_ref                   compute cores beside the arrays
//        + s_link  · Σ bandwidth × ports / (same)_ref            decoders, links and their buffers
//        + s_dram  · DRAM_bw / DRAM_bw_ref                       DRAM interface (PHY + controller)
//
//   capacity        = L1_num_child · MA_num_child · MA_mem_size
//   peak MAC/cycle  = L1_num_child · MA_num_child · MA_comp_per_core
//   Σ bandwidth × ports = L2_bw · L1_num_child                    (L2 decoder: one port per L1 child)
//                       + L1_num_child · L1_bw · MA_num_child     (each L1 decoder: one port per array)
//                       + L1_num_child · MA_num_child · MA_bw     (each array's own port)
//
// Digital cores (issue 17) enter the same terms as what they are made of: their three buffers' bytes
// join the capacity (SRAM cells), their PEs the peak MAC/cycle (digital MACs, like the arrays' cores),
// and each adds a port of L2_bw at the L2 decoder and its own link's bandwidth to the sum of bandwidth
// × ports. A design without digital cores has the area it had before.
//
// The shares s_* are the fractions of the reference design's area each part takes; they sum to 1, so
// area(reference) = 1 exactly. Every term is a product of positive parameters with a positive share,
// so the area is strictly increasing in each of the eight parameters.
#include <array>
#include <string>

#include "hardware/hardware.hpp"

namespace cimnet {

struct AreaShares {
  double arrays = 0.45;  // SRAM-like arrays dominate CiM macros
  double cores = 0.30;   // MAC units in the array periphery
  double links = 0.15;   // decoders, crossbars, buffers: wires ∝ bandwidth × ports
  double dram = 0.10;    // DRAM PHY and controller ∝ its bandwidth
};

class AreaModel {
 public:
  // InputError when a share is negative or they do not sum to 1 (± 1e-9).
  AreaModel(const HardwareConfig& reference, AreaShares shares = {});

  // Relative area (reference design = 1.0).
  double area(const HardwareConfig& config) const;
  // The four parts of area(config) (they sum to it), in the order of AreaShares.
  std::array<double, 4> parts(const HardwareConfig& config) const;
  const AreaShares& shares() const { return shares_; }

 private:
  AreaShares shares_;
  double capacity_ref_, peak_ref_, links_ref_, dram_ref_;
};

// The raw bandwidth × ports sum of the decoders and links (B/cycle · ports), see above.
double link_bandwidth_ports(const HardwareConfig& config);
// Memory bytes (arrays and digital cores' buffers) and peak MAC/cycle (arrays' cores and digital PEs).
double memory_bytes(const HardwareConfig& config);
double peak_macs(const HardwareConfig& config);

}  // namespace cimnet
