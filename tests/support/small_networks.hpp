#pragma once
// Small networks that tests of several folders build alike.
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

}  // namespace cimnet::test
