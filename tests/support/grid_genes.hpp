#pragma once
// A hardware space with component genes for the tests (issue 17): the CiMNet defaults with one default
// 16 x 16 digital core "pe" whose rows and columns are searched over 8, 16, 32 (genes 8 and 9).
#include "hardware/hardware.hpp"

namespace cimnet::test {

inline HardwareSpace defaults_with_grid_genes() {
  HardwareSpace s = HardwareSpace::defaults();
  DigitalCore pe;
  pe.name = "pe";
  s.digital_cores.push_back(pe);
  s.add_component_gene({"pe", CoreField::Rows, {8, 16, 32}});
  s.add_component_gene({"pe", CoreField::Cols, {8, 16, 32}});
  return s;
}

}  // namespace cimnet::test
