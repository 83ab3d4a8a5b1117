#pragma once
// Small networks that tests of several folders build alike.
#include <string>

#include "workloads/network.hpp"

namespace cimnet::test {

// Two 1×1 convs with a ReLU each, 64 → 64 channels at 56 × 56: under `pipelined` the scheduler stacks
// them, each conv on half the decoders (tests/mapping/stack_program_test.cpp,
// tests/evaluation/schedule_chart_test.cpp).
inline Network two_pointwise() {
  NetworkBuilder b("two-pointwise", Tensor{-1, 1, 64, 56, 56});
  Tensor x = b.conv("a", b.input(), 64, 1);
  x = b.activation("a relu", x, ActivationOp::ReLU);
  x = b.conv("b", x, 64, 1);
  b.activation("b relu", x, ActivationOp::ReLU);
  return b.finish();
}

// `count` inverted-residual blocks at 28 × 28: pointwise expand (24 → 96), depthwise 3 × 3, pointwise
// project (→ 24), ReLUs between (tests/mapping/stack_scheduler_test.cpp, stack_residency_test.cpp).
inline Network inverted_residual_blocks(int count) {
  NetworkBuilder b("blocks", Tensor{-1, 1, 24, 28, 28});
  Tensor x = b.input();
  for (int k = 0; k < count; ++k) {
    const std::string p = "b" + std::to_string(k) + ".";
    Tensor y = b.conv(p + "expand", x, 96, 1);
    y = b.activation(p + "relu1", y, ActivationOp::ReLU);
    y = b.conv(p + "dw", y, 96, 3, 1, 96);
    y = b.activation(p + "relu2", y, ActivationOp::ReLU);
    x = b.conv(p + "project", y, 24, 1);
  }
  return b.finish();
}

}  // namespace cimnet::test
