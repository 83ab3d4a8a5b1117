#pragma once
// The GEMM view of a MAC layer: what a compute-in-memory mapping needs to know about it.
//
// A MAC layer is G independent matrix products (conv groups; attention heads for MatMul). Group g
// multiplies M streamed input vectors (output positions) by a stationary matrix of K output channels
// × C input channels × RS kernel taps. The stationary matrix lives in the arrays (weights, or for
// MatMul an activation written there at run time); the inputs stream past it.
#include <cstdint>
#include <string>

#include "workloads/layer.hpp"

namespace cimnet {

struct GemmView {
  std::string layer;          // layer name, for messages
  std::int64_t groups = 1;    // G
  std::int64_t k = 1;         // output channels per group
  std::int64_t c = 1;         // input channels per group
  std::int64_t rs = 1;        // kernel taps (R·S); reduction per group = c · rs
  std::int64_t m = 1;         // output positions (× batch for non-grouped batches)
  // Streamed input bytes per output position per input channel, as a fraction in_num / in_den: an
  // output position of a stride-2 conv needs 4 new input pixels (in_h·in_w / (out_h·out_w)); halos of
  // neighbouring tiles are kept by the input buffer (line-buffer view) and not re-fetched.
  std::int64_t in_num = 1, in_den = 1;
  std::int64_t weight_bits = 8;  // bits per stationary element
  std::int64_t input_bits = 8, output_bits = 8;
  bool stationary_is_activation = false;  // MatMul: K or V, written by an earlier layer

  std::int64_t reduction() const { return c * rs; }
  std::int64_t macs() const { return groups * k * c * rs * m; }
};

// Throws std::logic_error for a non-MAC layer (callers check is_mac_layer()).
GemmView gemm_view(const Layer& layer);

// Bytes of `elements` values of `bits` each, rounded up.
inline std::int64_t bits_to_bytes(std::int64_t elements, std::int64_t bits) { return (elements * bits + 7) / 8; }

}  // namespace cimnet
