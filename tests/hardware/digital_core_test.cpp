// The digital PE-array core's description (hardware/digital_core.hpp): what it refuses, naming the core
// and the property.
#include <gtest/gtest.h>

#include "common/error.hpp"
#include "hardware/digital_core.hpp"

namespace cimnet {
namespace {

std::string refusal(const DigitalCore& core) {
  try {
    core.validate();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(DigitalCoreDescription, TheDefaultIsValid) { EXPECT_EQ(refusal(DigitalCore{}), ""); }

TEST(DigitalCoreDescription, RefusalsNameTheCoreAndTheProperty) {
  DigitalCore c;
  c.name = "pe";
  c.rows = 0;
  EXPECT_EQ(refusal(c), "digital core 'pe': rows: expected a count in 1..65536, got 0");
  c = DigitalCore{};
  c.name = "pe";
  c.col_dims = c.row_dims;
  EXPECT_NE(refusal(c).find("digital core 'pe': unrolling: dimension K is unrolled twice"),
            std::string::npos);
  c = DigitalCore{};
  c.precisions = {};
  EXPECT_NE(refusal(c).find("precisions: expected at least one"), std::string::npos);
  c.precisions = {8, 0};
  EXPECT_NE(refusal(c).find("precisions: expected bits in 1..32, got 0"), std::string::npos);
  c = DigitalCore{};
  c.port_bytes_per_cycle = 0;
  EXPECT_NE(refusal(c).find("port_bytes_per_cycle"), std::string::npos);
  c = DigitalCore{};
  c.input_buffer_bytes = 1;
  EXPECT_NE(refusal(c).find("input_buffer_bytes: expected bytes in 2.."), std::string::npos);
  c = DigitalCore{};
  c.step_cycles = 0;
  EXPECT_NE(refusal(c).find("step_cycles: expected cycles in 1.."), std::string::npos);
  c = DigitalCore{};
  c.weight_slots = 3;
  EXPECT_NE(refusal(c).find("weight_slots: expected a count in 1..2, got 3"), std::string::npos);
}

TEST(DigitalCoreDescription, LoopDimensionsByName) {
  EXPECT_EQ(loop_dim_from_string("Q", "f.yaml: unrolling"), LoopDim::Q);
  try {
    loop_dim_from_string("X", "f.yaml: unrolling");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "f.yaml: unrolling: unknown loop dimension 'X' (allowed: N, G, K, C, P, Q, R, S)");
  }
}

}  // namespace
}  // namespace cimnet
