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

TEST(AreaModel, BadSharesAreInputErrors) {
  const HardwareSpace hw = HardwareSpace::defaults();
  AreaShares s;
  s.arrays = 0.9;
  EXPECT_THROW(AreaModel(hw.reference_config(), s), InputError);
}

}  // namespace
}  // namespace cimnet
