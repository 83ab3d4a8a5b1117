#include "mapping/gemm_view.hpp"

#include <stdexcept>

namespace cimnet {

GemmView gemm_view(const Layer& l) {
  if (!l.is_mac_layer()) throw std::logic_error("gemm_view: layer '" + l.name + "' has no MACs");
  GemmView v;
  v.layer = l.name;
  v.input_bits = l.input_bits;
  v.output_bits = l.output_bits;
  if (l.kind == LayerKind::MatMul) {
    // Each head is its own product: streamed rows = tokens, reduction = head dim, columns = K.
    v.groups = l.batch;
    v.k = l.out_channels;
    v.c = l.in_channels;
    v.rs = 1;
    v.m = l.out_h * l.out_w;
    v.weight_bits = l.input_bits;  // the stationary operand is an activation
    v.stationary_is_activation = true;
  } else {
    v.groups = l.groups;
    v.k = l.out_channels / l.groups;
    v.c = l.in_channels / l.groups;
    v.rs = l.kernel_h * l.kernel_w;
    v.m = l.batch * l.out_h * l.out_w;
    v.weight_bits = l.weight_bits;
    v.in_num = l.in_h * l.in_w;
    v.in_den = l.out_h * l.out_w;
  }
  return v;
}

}  // namespace cimnet
