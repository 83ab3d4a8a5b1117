#!/usr/bin/python3
"""Writes a small depthwise-separable CNN as an ONNX model, as a PyTorch export would lay it out.

The model is a stand-in for your own file: a 3×3 stem convolution, four depthwise-separable blocks
(depthwise 3×3 then pointwise 1×1, each with batch norm and ReLU), global average pooling, flatten and
a 10-class Gemm. It has a symbolic batch dimension "N", which cimnet's --batch sets. The weights are
random but real: onnx.checker accepts the file.

Run with Debian's interpreter, which sees python3-onnx (scripts/setup.sh installs it):
    /usr/bin/python3 examples/onnx/make_ds_cnn.py ds-cnn.onnx
then see examples/onnx/README.md.
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

# (kind, output channels, stride) after the stem; 32×32×3 in.
BLOCKS = [(64, 2), (64, 1), (128, 2), (128, 1)]
STEM = 32
CLASSES = 10


def build():
    rng = np.random.default_rng(0)
    nodes, inits = [], []

    def tensor(name, shape):
        inits.append(numpy_helper.from_array(rng.standard_normal(shape).astype(np.float32) * 0.1, name))
        return name

    def conv_bn_relu(x, name, c_in, c_out, kernel, stride, groups):
        w = tensor(f"{name}.weight", [c_out, c_in // groups, kernel, kernel])
        pad = kernel // 2
        nodes.append(helper.make_node("Conv", [x, w], [f"{name}.conv"], name=f"{name}.conv", kernel_shape=[kernel, kernel],
                                      strides=[stride, stride], pads=[pad] * 4, group=groups))
        bn = [tensor(f"{name}.bn.{p}", [c_out]) for p in ("scale", "bias", "mean")]
        inits.append(numpy_helper.from_array(np.ones(c_out, dtype=np.float32), f"{name}.bn.var"))
        nodes.append(helper.make_node("BatchNormalization", [f"{name}.conv", *bn, f"{name}.bn.var"], [f"{name}.bn"], name=f"{name}.bn"))
        nodes.append(helper.make_node("Relu", [f"{name}.bn"], [f"{name}.relu"], name=f"{name}.relu"))
        return f"{name}.relu"

    x = conv_bn_relu("input", "stem", 3, STEM, 3, 1, 1)
    c = STEM
    for i, (c_out, stride) in enumerate(BLOCKS):
        x = conv_bn_relu(x, f"block{i}.dw", c, c, 3, stride, c)
        x = conv_bn_relu(x, f"block{i}.pw", c, c_out, 1, 1, 1)
        c = c_out
    nodes.append(helper.make_node("GlobalAveragePool", [x], ["pool"], name="pool"))
    nodes.append(helper.make_node("Flatten", ["pool"], ["flat"], name="flatten", axis=1))
    nodes.append(helper.make_node("Gemm", ["flat", tensor("fc.weight", [CLASSES, c]), tensor("fc.bias", [CLASSES])],
                                  ["logits"], name="fc", transB=1))
    graph = helper.make_graph(nodes, "ds-cnn",
                              [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 3, 32, 32])],
                              [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["N", CLASSES])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="cimnet example")
    onnx.checker.check_model(model)
    return model


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: make_ds_cnn.py OUT.onnx")
    onnx.save(build(), sys.argv[1])
    print(f"wrote {sys.argv[1]}")
