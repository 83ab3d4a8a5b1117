#!/usr/bin/python3
"""Writes the ONNX test fixtures of cimnet's importer (tests/workloads/onnx_import_test.cpp).

Run with Debian's interpreter (/usr/bin/python3), which sees python3-onnx:
    /usr/bin/python3 scripts/onnx_fixtures.py OUT_DIR

Three kinds of files:
  op-*.onnx     one small graph per supported operator, with small real tensors, checked by
                onnx.checker and by strict shape inference;
  net-*.onnx    whole networks built node by node as their exporters write them
                (scripts/onnx_fixture_networks.py);
  bad-*.onnx    a truncated file, bytes that are not a model, an operator and an attribute cimnet does
                not support.
The build runs this script (tests/workloads/CMakeLists.txt); nothing here is committed in binary form.
"""
import os
import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

from onnx_fixture_networks import OPSET, const, model, save, value, write_networks, zeros


def op_model(out, file_name, nodes, inputs, outputs, inits=(), extra_opsets=(), check=True, opset=OPSET):
    m = model(nodes, inputs, outputs, list(inits), file_name[3:-5], extra_opsets)
    m.opset_import[0].version = opset
    # onnx 1.12 knows operators up to opset 17: a newer file is neither checked nor inferred here.
    save(out, file_name, m, check and opset <= OPSET, infer=opset <= OPSET)


def write_operators(out):
    N = helper.make_node
    img = value("x", [1, 8, 16, 16])
    # Convolutions: plain with bias, grouped, depthwise, strided 1x1; batch norm folded into the first.
    op_model(out, "op-conv.onnx", [
        N("Conv", ["x", "w1", "b1"], ["c1"], name="plain", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        N("Conv", ["c1", "w2"], ["c2"], name="grouped", kernel_shape=[3, 3], pads=[1, 1, 1, 1], group=4),
        N("Conv", ["c2", "w3"], ["c3"], name="depthwise", kernel_shape=[5, 5], pads=[2, 2, 2, 2], group=16),
        N("Conv", ["c3", "w4"], ["y"], name="strided", kernel_shape=[1, 1], strides=[2, 2]),
    ], [img], [value("y", [1, 32, 8, 8])],
        [zeros("w1", [16, 8, 3, 3]), zeros("b1", [16]), zeros("w2", [16, 4, 3, 3]), zeros("w3", [16, 1, 5, 5]),
         zeros("w4", [32, 16, 1, 1])])
    op_model(out, "op-batchnormalization.onnx", [
        N("Conv", ["x", "w"], ["c"], name="conv", kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        N("BatchNormalization", ["c", "g", "b", "m", "v"], ["y"], name="bn"),
    ], [img], [value("y", [1, 16, 16, 16])],
        [zeros("w", [16, 8, 3, 3])] + [zeros(n, [16]) for n in "gbmv"])
    op_model(out, "op-gemm.onnx", [
        N("Gemm", ["x", "w", "b"], ["y"], name="fc", transB=1),
    ], [value("x", [2, 64])], [value("y", [2, 32])], [zeros("w", [32, 64]), zeros("b", [32])])
    # MatMul by a constant (a linear at every token) and between activations (attention, batched over heads).
    op_model(out, "op-matmul.onnx", [
        N("MatMul", ["x", "w"], ["t"], name="linear"),
        N("Reshape", ["t", "heads"], ["h"], name="split"),
        N("Transpose", ["h"], ["q"], name="q", perm=[0, 2, 1, 3]),
        N("Transpose", ["h"], ["k"], name="k", perm=[0, 2, 3, 1]),
        N("MatMul", ["q", "k"], ["y"], name="scores"),
    ], [value("x", [1, 10, 32])], [value("y", [1, 4, 10, 10])],
        [zeros("w", [32, 64]), const("heads", [1, 10, 4, 16], np.int64)])
    op_model(out, "op-qlinearconv.onnx", [
        N("QLinearConv", ["x", "xs", "xz", "w", "ws", "wz", "ys", "yz", "b"], ["y"], name="qconv",
          kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
    ], [value("x", [1, 8, 16, 16], TensorProto.UINT8)], [value("y", [1, 16, 16, 16], TensorProto.INT8)],
        [const("xs", 0.1), const("xz", 128, np.uint8), zeros("w", [16, 8, 3, 3], np.int8), const("ws", 0.1),
         const("wz", 0, np.int8), const("ys", 0.1), const("yz", 0, np.int8), zeros("b", [16], np.int32)])
    op_model(out, "op-qlinearmatmul.onnx", [
        N("QLinearMatMul", ["x", "xs", "xz", "w", "ws", "wz", "ys", "yz"], ["y"], name="qmatmul"),
    ], [value("x", [1, 10, 32], TensorProto.UINT8)], [value("y", [1, 10, 16], TensorProto.UINT8)],
        [const("xs", 0.1), const("xz", 128, np.uint8), zeros("w", [32, 16], np.int8), const("ws", 0.1),
         const("wz", 0, np.int8), const("ys", 0.1), const("yz", 128, np.uint8)])
    # Activations, each after a conv so that it has a producer.
    conv = N("Conv", ["x", "w"], ["c"], name="conv", kernel_shape=[1, 1])
    acts = {
        "relu": ([N("Relu", ["c"], ["y"], name="act")], []),
        "clip": ([N("Clip", ["c", "lo", "hi"], ["y"], name="act")], [const("lo", 0.0), const("hi", 6.0)]),
        "hardsigmoid": ([N("HardSigmoid", ["c"], ["y"], name="act", alpha=1 / 6, beta=0.5)], []),
        "hardswish": ([N("HardSwish", ["c"], ["y"], name="act")], []),
        "sigmoid": ([N("Sigmoid", ["c"], ["y"], name="act")], []),
        "tanh": ([N("Tanh", ["c"], ["y"], name="act")], []),
        "silu": ([N("Sigmoid", ["c"], ["s"], name="gate"), N("Mul", ["c", "s"], ["y"], name="act")], []),
        "neg": ([N("Neg", ["c"], ["y"], name="act")], []),
    }
    for op, (nodes, inits) in acts.items():
        op_model(out, f"op-{op}.onnx", [conv] + nodes, [img], [value("y", [1, 8, 16, 16])],
                 [zeros("w", [8, 8, 1, 1])] + inits)
    seq = value("x", [1, 10, 32])
    # Gelu of the default domain (opset 20), which onnx 1.12 does not know: the importer's own rule
    # gives its output its input's shape.
    op_model(out, "op-gelu-opset20.onnx", [
        N("MatMul", ["x", "w"], ["t"], name="linear"),
        N("Gelu", ["t"], ["y"], name="act"),
    ], [seq], [value("y", [1, 10, 32])], [zeros("w", [32, 32])], opset=20)
    # Erf alone.
    op_model(out, "op-erf.onnx", [
        N("MatMul", ["x", "w"], ["t"], name="linear"),
        N("Erf", ["t"], ["y"], name="erf"),
    ], [seq], [value("y", [1, 10, 32])], [zeros("w", [32, 32])])
    # GELU as PyTorch exports it below opset 20, x · 0.5 · (1 + erf(x / √2)), in two orders of its
    # products; and once with erf's output read by the graph too (so not one GELU: node by node).
    gelu_inits = [zeros("w", [32, 32]), const("sqrt2", 1.4142135), const("rsqrt2", 0.70710677), const("one", 1.0),
                  const("half", 0.5)]
    gelu_erf = [
        N("MatMul", ["x", "w"], ["t"], name="linear"),
        N("Div", ["t", "sqrt2"], ["d"], name="scale"),
        N("Erf", ["d"], ["e"], name="erf"),
        N("Add", ["e", "one"], ["a"], name="shift"),
        N("Mul", ["t", "a"], ["m"], name="product"),
        N("Mul", ["m", "half"], ["y"], name="half"),
    ]
    op_model(out, "op-gelu-erf.onnx", gelu_erf, [seq], [value("y", [1, 10, 32])], gelu_inits)
    op_model(out, "op-gelu-erf-half-first.onnx", [
        N("MatMul", ["x", "w"], ["t"], name="linear"),
        N("Mul", ["t", "half"], ["h"], name="half"),
        N("Mul", ["t", "rsqrt2"], ["d"], name="scale"),
        N("Erf", ["d"], ["e"], name="erf"),
        N("Add", ["one", "e"], ["a"], name="shift"),
        N("Mul", ["h", "a"], ["y"], name="product"),
    ], [seq], [value("y", [1, 10, 32])], gelu_inits)
    op_model(out, "op-gelu-erf-read.onnx", gelu_erf, [seq], [value("y", [1, 10, 32]), value("e", [1, 10, 32])],
             gelu_inits)
    op_model(out, "op-gelu-tanh.onnx", [
        N("MatMul", ["x", "w"], ["t"], name="linear"),
        N("Pow", ["t", "three"], ["p"], name="cube"),
        N("Mul", ["c", "p"], ["m"], name="cubic"),
        N("Add", ["t", "m"], ["i"], name="inner"),
        N("Mul", ["k", "i"], ["s"], name="scale"),
        N("Tanh", ["s"], ["th"], name="tanh"),
        N("Mul", ["half", "t"], ["h"], name="half"),
        N("Add", ["one", "th"], ["a"], name="shift"),
        N("Mul", ["h", "a"], ["y"], name="product"),
    ], [seq], [value("y", [1, 10, 32])],
        [zeros("w", [32, 32]), const("three", 3.0), const("c", 0.044715), const("k", 0.7978845608),
         const("one", 1.0), const("half", 0.5)])
    # Rotary embeddings as PyTorch exports Llama's q · cos + rotate_half(q) · sin (Slice, Neg, Concat, two
    # Muls and an Add: one rope layer), with the cos table gathered at the positions; and once with the
    # Slices cutting the last axis at 3 of 8, not at its half (node by node).
    heads = value("x", [1, 2, 4, 8])

    def rotary_nodes(cut):
        return [
            N("MatMul", ["x", "w"], ["t"], name="linear"),
            N("Gather", ["cos_table", "positions"], ["cos"], name="cos_at", axis=0),
            N("Slice", ["t", "zero", "cut", "last"], ["first"], name="first_half"),
            N("Slice", ["t", "cut", "end", "last"], ["second"], name="second_half"),
            N("Neg", ["second"], ["negated"], name="negate"),
            N("Concat", ["negated", "first"], ["rotated"], name="rotate", axis=-1),
            N("Mul", ["t", "cos"], ["by_cos"], name="times_cos"),
            N("Mul", ["rotated", "sin"], ["by_sin"], name="times_sin"),
            N("Add", ["by_cos", "by_sin"], ["y"], name="rope"),
        ], [zeros("w", [8, 8]), zeros("cos_table", [16, 8]), const("positions", [0, 1, 2, 3], np.int64),
            zeros("sin", [4, 8]), const("zero", [0], np.int64), const("cut", [cut], np.int64),
            const("end", [2**62], np.int64), const("last", [-1], np.int64)]

    for file_name, cut in (("op-rotary.onnx", 4), ("op-rotary-uneven.onnx", 3)):
        nodes, inits = rotary_nodes(cut)
        op_model(out, file_name, nodes, [heads], [value("y", [1, 2, 4, 8])], inits)
    # Where: attention scores masked by a constant causal mask; and with a condition computed at run time.
    op_model(out, "op-where.onnx", [
        N("MatMul", ["x", "w"], ["t"], name="linear"),
        N("Transpose", ["t"], ["tt"], name="t_t", perm=[0, 2, 1]),
        N("MatMul", ["t", "tt"], ["s"], name="scores"),
        N("Where", ["mask", "s", "low"], ["y"], name="causal"),
    ], [seq], [value("y", [1, 10, 10])],
        [zeros("w", [32, 16]), numpy_helper.from_array(np.tril(np.ones((1, 10, 10), dtype=bool)), "mask"),
         const("low", -1e9)])
    op_model(out, "bad-where-runtime.onnx", [
        N("MatMul", ["x", "w"], ["t"], name="linear"),
        N("Cast", ["t"], ["positive"], name="test", to=TensorProto.BOOL),
        N("Where", ["positive", "t", "zero"], ["y"], name="relu_by_where"),
    ], [seq], [value("y", [1, 10, 16])], [zeros("w", [32, 16]), const("zero", 0.0)])
    op_model(out, "op-gelu.onnx", [
        N("MatMul", ["x", "w"], ["t"], name="linear"),
        N("Gelu", ["t"], ["y"], name="act", domain="com.microsoft"),
    ], [seq], [value("y", [1, 10, 32])], [zeros("w", [32, 32])], [("com.microsoft", 1)])
    # Element-wise: two activations of one shape, one value per channel (squeeze-excite), a constant.
    for op in ("Add", "Sub", "Mul", "Div"):
        op_model(out, f"op-{op.lower()}.onnx", [
            N("Conv", ["x", "w"], ["a"], name="left", kernel_shape=[1, 1]),
            N("Conv", ["x", "w"], ["b"], name="right", kernel_shape=[1, 1]),
            N(op, ["a", "b"], ["e"], name="both"),
            N("GlobalAveragePool", ["e"], ["g"], name="squeeze"),
            N(op, ["e", "g"], ["p"], name="per_channel"),
            N(op, ["p", "k"], ["y"], name="constant"),
        ], [img], [value("y", [1, 8, 16, 16])], [zeros("w", [8, 8, 1, 1]), const("k", 2.0)])
    op_model(out, "op-maxpool.onnx", [
        conv, N("MaxPool", ["c"], ["y"], name="pool", kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]),
    ], [img], [value("y", [1, 8, 8, 8])], [zeros("w", [8, 8, 1, 1])])
    op_model(out, "op-averagepool.onnx", [
        conv, N("AveragePool", ["c"], ["y"], name="pool", kernel_shape=[2, 2], strides=[2, 2]),
    ], [img], [value("y", [1, 8, 8, 8])], [zeros("w", [8, 8, 1, 1])])
    op_model(out, "op-globalaveragepool.onnx", [
        conv, N("GlobalAveragePool", ["c"], ["y"], name="pool"),
    ], [img], [value("y", [1, 8, 1, 1])], [zeros("w", [8, 8, 1, 1])])
    op_model(out, "op-softmax.onnx", [
        N("MatMul", ["x", "w"], ["t"], name="linear"), N("Softmax", ["t"], ["y"], name="softmax", axis=-1),
    ], [seq], [value("y", [1, 10, 16])], [zeros("w", [32, 16])])
    op_model(out, "op-layernormalization.onnx", [
        N("LayerNormalization", ["x", "g", "b"], ["t"], name="ln", axis=-1),
        N("MatMul", ["t", "w"], ["y"], name="linear"),
    ], [seq], [value("y", [1, 10, 16])], [zeros("g", [32]), zeros("b", [32]), zeros("w", [32, 16])])
    # LayerNormalization as exporters write it below opset 17 (PyTorch at opsets 9-16): its arithmetic
    # over the last axis, recognised as one LayerNorm layer; with and without the affine scale and shift.
    def decomposed_layer_norm(affine, extra_reader=False):
        nodes = [
            N("ReduceMean", ["x"], ["m"], name="mean", axes=[-1]),
            N("Sub", ["x", "m"], ["d"], name="centre"),
            N("Pow", ["d", "two"], ["p"], name="square"),
            N("ReduceMean", ["p"], ["v"], name="variance", axes=[-1]),
            N("Add", ["v", "eps"], ["e"], name="plus_eps"),
            N("Sqrt", ["e"], ["s"], name="deviation"),
            N("Div", ["d", "s"], ["q"], name="normalised"),
        ]
        inits = [const("two", 2.0), const("eps", 1e-5), zeros("w", [32, 16])]
        last = "q"
        if affine:
            nodes += [N("Mul", ["q", "g"], ["r"], name="scale"), N("Add", ["r", "b"], ["t"], name="shift")]
            inits += [zeros("g", [32]), zeros("b", [32])]
            last = "t"
        nodes.append(N("MatMul", [last, "w"], ["y"], name="linear"))
        outputs = [value("y", [1, 10, 16])]
        if extra_reader:  # the mean is a graph output too: not a layer norm, converted node by node
            outputs.append(value("m", [1, 10, 1]))
        return nodes, outputs, inits
    for file_name, affine, extra in (("op-layernorm-decomposed.onnx", True, False),
                                     ("op-layernorm-decomposed-plain.onnx", False, False),
                                     ("op-layernorm-decomposed-mean-read.onnx", True, True)):
        nodes, outputs, inits = decomposed_layer_norm(affine, extra)
        op_model(out, file_name, nodes, [seq], outputs, inits, opset=13)
    write_layout_operators(out, img, conv)


def write_layout_operators(out, img, conv):
    """Operators that move no data through a compute unit: each sits between two layers with MACs."""
    N = helper.make_node
    w = zeros("w", [8, 8, 1, 1])
    fc = lambda src, k: N("Gemm", [src, "fw", "fb"], ["y"], name="fc", transB=1)  # noqa: E731
    fcw = [zeros("fw", [10, 2048]), zeros("fb", [10])]
    layouts = {
        "reshape": ([N("Reshape", ["c", "s"], ["r"], name="layout"), fc("r", 0)], [const("s", [1, 2048], np.int64)]),
        "flatten": ([N("Flatten", ["c"], ["r"], name="layout", axis=1), fc("r", 0)], []),
        "identity": ([N("Identity", ["c"], ["i"], name="layout"), N("Flatten", ["i"], ["r"], name="flat"),
                      fc("r", 0)], []),
        "dropout": ([N("Dropout", ["c"], ["i"], name="layout"), N("Flatten", ["i"], ["r"], name="flat"),
                     fc("r", 0)], []),
        "squeeze": ([N("Unsqueeze", ["c", "ax"], ["u"], name="unsqueeze"), N("Squeeze", ["u", "ax"], ["i"],
                                                                            name="layout"),
                     N("Flatten", ["i"], ["r"], name="flat"), fc("r", 0)], [const("ax", [0], np.int64)]),
    }
    for op, (nodes, inits) in layouts.items():
        op_model(out, f"op-{op}.onnx", [conv] + nodes, [img], [value("y", [1, 10])], [w] + fcw + inits)
    # Transpose NCHW -> NHWC, then a linear over the channels of every pixel.
    op_model(out, "op-transpose.onnx", [
        conv, N("Transpose", ["c"], ["t"], name="layout", perm=[0, 2, 3, 1]),
        N("MatMul", ["t", "lw"], ["y"], name="linear"),
    ], [img], [value("y", [1, 16, 16, 4])], [w, zeros("lw", [8, 4])])
    # Concat of two convs' outputs along the channels, read by one conv.
    op_model(out, "op-concat.onnx", [
        N("Conv", ["x", "w"], ["a"], name="left", kernel_shape=[1, 1]),
        N("Conv", ["x", "w"], ["b"], name="right", kernel_shape=[1, 1]),
        N("Concat", ["a", "b"], ["c2"], name="layout", axis=1),
        N("Conv", ["c2", "w2"], ["y"], name="merge", kernel_shape=[1, 1]),
    ], [img], [value("y", [1, 8, 16, 16])], [w, zeros("w2", [8, 16, 1, 1])])
    # Slice: the first 4 of 8 channels; Gather: one row of the token sequence (a class token).
    op_model(out, "op-slice.onnx", [
        conv, N("Slice", ["c", "st", "en", "ax"], ["s"], name="layout"),
        N("Conv", ["s", "w2"], ["y"], name="after", kernel_shape=[1, 1]),
    ], [img], [value("y", [1, 8, 16, 16])],
        [w, zeros("w2", [8, 4, 1, 1]), const("st", [0], np.int64), const("en", [4], np.int64),
         const("ax", [1], np.int64)])
    op_model(out, "op-gather.onnx", [
        N("MatMul", ["x", "lw"], ["t"], name="linear"),
        N("Gather", ["t", "i"], ["g"], name="layout", axis=1),
        N("Gemm", ["g", "hw", "hb"], ["y"], name="head", transB=1),
    ], [value("x", [1, 10, 32])], [value("y", [1, 5])],
        [zeros("lw", [32, 16]), const("i", 0, np.int64), zeros("hw", [5, 16]), zeros("hb", [5])])

    # Split: a fused q, k, v projection split three ways (as GPT-2 exports), q · kᵀ, then the product
    # by v; Cast: an activation to float16 and back between two linears.
    op_model(out, "op-split.onnx", [
        N("MatMul", ["x", "qkv"], ["t"], name="qkv"),
        N("Split", ["t", "sizes"], ["q", "k", "v"], name="layout", axis=-1),
        N("Transpose", ["k"], ["kt"], name="k_t", perm=[0, 2, 1]),
        N("MatMul", ["q", "kt"], ["s"], name="scores"),
        N("MatMul", ["s", "v"], ["y"], name="context"),
    ], [value("x", [1, 10, 32])], [value("y", [1, 10, 16])],
        [zeros("qkv", [32, 48]), const("sizes", [16, 16, 16], np.int64)])
    op_model(out, "op-cast.onnx", [
        N("MatMul", ["x", "lw"], ["t"], name="linear"),
        N("Cast", ["t"], ["h"], name="layout", to=TensorProto.FLOAT16),
        N("Cast", ["h"], ["f"], name="back", to=TensorProto.FLOAT),
        N("MatMul", ["f", "lw2"], ["y"], name="after"),
    ], [value("x", [1, 10, 32])], [value("y", [1, 10, 8])], [zeros("lw", [32, 16]), zeros("lw2", [16, 8])])


def write_bad_files(out, good):
    data = good.SerializeToString()
    with open(os.path.join(out, "bad-truncated.onnx"), "wb") as f:
        f.write(data[: len(data) // 2])
    with open(os.path.join(out, "bad-not-a-model.onnx"), "wb") as f:
        f.write(b"this is not an ONNX model, just text\n" * 4)
    N = helper.make_node
    op_model(out, "bad-unsupported-op.onnx", [
        N("Conv", ["x", "w"], ["c"], name="conv", kernel_shape=[1, 1]),
        N("LpNormalization", ["c"], ["y"], name="norm"),
    ], [value("x", [1, 8, 16, 16])], [value("y", [1, 8, 16, 16])], [zeros("w", [8, 8, 1, 1])])
    op_model(out, "bad-dilated-conv.onnx", [
        N("Conv", ["x", "w"], ["y"], name="dilated", kernel_shape=[3, 3], dilations=[2, 2], pads=[2, 2, 2, 2]),
    ], [value("x", [1, 8, 16, 16])], [value("y", [1, 8, 16, 16])], [zeros("w", [8, 8, 3, 3])])
    op_model(out, "bad-symbolic-dim.onnx", [
        N("MatMul", ["x", "w"], ["y"], name="linear"),
    ], [value("x", [1, "sequence", 32])], [value("y", [1, "sequence", 16])], [zeros("w", [32, 16])])


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: onnx_fixtures.py OUT_DIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    write_operators(out)
    vit = write_networks(out)
    write_bad_files(out, vit)


if __name__ == "__main__":
    main()
