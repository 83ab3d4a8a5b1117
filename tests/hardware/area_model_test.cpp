// The area model: reference = 1, strictly increasing in each of the eight parameters.
#include <gtest/gtest.h>

#include "common/error.hpp"
#include "common/random.hpp"
#include "hardware/area_model.hpp"

namespace cimnet {
namespace {

TEST(AreaModel, ReferenceIsOne) {
  const HardwareSpace hw = HardwareSpace::defaults();
  const AreaModel model(hw.reference_config());
  EXPECT_DOUBLE_EQ(model.area(hw.reference_config()), 1.0);
  const auto parts = model.parts(hw.reference_config());
  EXPECT_DOUBLE_EQ(parts[0] + parts[1] + parts[2] + parts[3], 1.0);
}

TEST(AreaModel, StrictlyIncreasingInEveryParameter) {
  const HardwareSpace hw = HardwareSpace::defaults();
  const AreaModel model(hw.reference_config());
  Rng rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    const HwGenome base = hw.sample(rng);
    for (std::size_t p = 0; p < kHwParamCount; ++p) {
      for (int c = 0; c + 1 < static_cast<int>(hw.choices[p].size()); ++c) {
        HwGenome lo = base, hi = base;
        lo[p] = c;
        hi[p] = c + 1;
        EXPECT_LT(model.area(hw.config(lo)), model.area(hw.config(hi))) << hw_param_names()[p];
      }
    }
  }
  EXPECT_LT(model.area(hw.config(hw.smallest())), 1.0);
  EXPECT_GT(model.area(hw.config(hw.largest())), 1.0);
}

// A digital core adds its buffers to the memory, its PEs to the MACs, and a port of L2_bw plus its own
// link to the links (issue 17), in the model's relative units.
TEST(AreaModel, ADigitalCoreAddsWhatItIsMadeOf) {
  const HardwareConfig ref = HardwareSpace::defaults().reference_config();
  const AreaModel model(ref);
  HardwareConfig with = ref;
  DigitalCore core;  // 16 × 16 PEs, three 64 KiB buffers, 8 B/cycle
  with.digital_cores.push_back(core);
  const auto a = model.parts(ref), b = model.parts(with);
  const AreaShares s;
  EXPECT_NEAR(b[0] - a[0], s.arrays * 3 * 65536.0 / static_cast<double>(ref.total_capacity_bytes()), 1e-12);
  EXPECT_NEAR(b[1] - a[1], s.cores * 256.0 / static_cast<double>(ref.peak_macs_per_cycle()), 1e-12);
  EXPECT_NEAR(b[2] - a[2], s.links * (static_cast<double>(ref.get(HwParam::L2_bw)) + 8) / link_bandwidth_ports(ref),
              1e-12);
  EXPECT_DOUBLE_EQ(b[3], a[3]);
  // Normalised to a reference that has the core, that design is 1 and the arrays alone are smaller.
  const AreaModel with_ref(with);
  EXPECT_DOUBLE_EQ(with_ref.area(with), 1.0);
  EXPECT_LT(with_ref.area(ref), 1.0);
}

// A design without CiM arrays (cim_arrays: false) is its digital cores, DRAM and the L2 link to them:
// none of the arrays' capacity, MAC cores or the tree's links.
TEST(AreaModel, ADesignWithoutArraysIsItsCoresAlone) {
  const HardwareConfig ref = HardwareSpace::defaults().reference_config();
  const AreaModel model(ref);
  HardwareConfig cores_only = ref;
  cores_only.digital_cores.push_back(DigitalCore{});
  cores_only.cim_arrays = false;
  const auto p = model.parts(cores_only);
  const AreaShares s;
  EXPECT_NEAR(p[0], s.arrays * 3 * 65536.0 / static_cast<double>(ref.total_capacity_bytes()), 1e-12);
  EXPECT_NEAR(p[1], s.cores * 256.0 / static_cast<double>(ref.peak_macs_per_cycle()), 1e-12);
  EXPECT_NEAR(p[2], s.links * (static_cast<double>(ref.get(HwParam::L2_bw)) + 8) / link_bandwidth_ports(ref), 1e-12);
  EXPECT_DOUBLE_EQ(p[3], model.parts(ref)[3]);
}

TEST(AreaModel, BadSharesAreInputErrors) {
  const HardwareSpace hw = HardwareSpace::defaults();
  AreaShares s;
  s.arrays = 0.9;
  EXPECT_THROW(AreaModel(hw.reference_config(), s), InputError);
}

}  // namespace
}  // namespace cimnet
