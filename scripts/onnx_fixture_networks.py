"""The building blocks of cimnet's ONNX test fixtures (scripts/onnx_fixtures.py), and the whole networks
among them, built node by node as their exporters write them.

net-*.onnx: torchvision ResNet-18, ResNet-50 and MobileNetV2 topologies; one ViT-B/16 encoder layer twice
(with LayerNormalization and Gelu nodes, and as PyTorch exports it at opset 14, both written as
arithmetic); GPT-2 (124M) at 32 tokens and a small Llama as Hugging Face exports them at opset 14.
Their initializers carry shapes but no data, as the importer needs only shapes (small constants carry
their values); onnx.checker refuses data-less tensors, so these are checked by shape inference alone.
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper, shape_inference

OPSET = 17


def shaped(name, dims, dtype=TensorProto.FLOAT):
    """An initializer with dims but no data: the importer reads only its shape."""
    t = TensorProto()
    t.name = name
    t.data_type = dtype
    t.dims.extend(dims)
    return t


def const(name, values, dtype=np.float32):
    return numpy_helper.from_array(np.asarray(values, dtype=dtype), name)


def zeros(name, dims, dtype=np.float32):
    return numpy_helper.from_array(np.zeros(dims, dtype=dtype), name)


def model(nodes, inputs, outputs, inits, name, extra_opsets=()):
    graph = helper.make_graph(nodes, name, inputs, outputs, inits)
    opsets = [helper.make_opsetid("", OPSET)] + [helper.make_opsetid(d, v) for d, v in extra_opsets]
    return helper.make_model(graph, opset_imports=opsets, producer_name="cimnet onnx_fixtures.py")


def value(name, dims, dtype=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, dtype, dims)


def save(out_dir, file_name, m, check=True, infer=True):
    if check:
        onnx.checker.check_model(m)
    if infer:
        shape_inference.infer_shapes(m, check_type=True, strict_mode=True)
    onnx.save(m, os.path.join(out_dir, file_name))


class Graph:
    """Collects nodes of a network as an exporter writes them, with unique tensor names."""

    def __init__(self, data=False):
        self.nodes, self.inits, self.count, self.data = [], [], 0, data

    def name(self, stem):
        self.count += 1
        return f"{stem}_{self.count}"

    def weight(self, stem, dims):
        n = self.name(stem)
        self.inits.append(zeros(n, dims) if self.data else shaped(n, dims))
        return n

    def node(self, op, inputs, n_out=1, **attrs):
        outs = [self.name(op.lower()) for _ in range(n_out)]
        self.nodes.append(helper.make_node(op, inputs, outs, name=self.name(op), **attrs))
        return outs[0] if n_out == 1 else outs

    def conv(self, x, c_in, c_out, k, stride=1, groups=1, bias=False):
        ins = [x, self.weight("w", [c_out, c_in // groups, k, k])]
        if bias:
            ins.append(self.weight("b", [c_out]))
        p = k // 2
        return self.node("Conv", ins, kernel_shape=[k, k], strides=[stride, stride], pads=[p, p, p, p], group=groups)

    def bn(self, x, c):
        ins = [x] + [self.weight(s, [c]) for s in ("gamma", "beta", "mean", "var")]
        return self.node("BatchNormalization", ins)

    def relu6(self, x):
        if not any(i.name == "six" for i in self.inits):
            self.inits += [const("zero", 0.0), const("six", 6.0)]
        return self.node("Clip", [x, "zero", "six"])

    def linear(self, x, c_in, c_out):
        """nn.Linear on a sequence as PyTorch exports it: MatMul by Wᵀ, then Add of the bias."""
        return self.node("Add", [self.node("MatMul", [x, self.weight("wt", [c_in, c_out])]), self.weight("b", [c_out])])

    def scalar(self, stem, value):
        """A float constant with its value (the importer reads small constants' values)."""
        n = self.name(stem)
        self.inits.append(const(n, value))
        return n

    def shape_const(self, values):
        n = self.name("shape")
        self.inits.append(const(n, values, np.int64))
        return n


def resnet(blocks, bottleneck):
    g = Graph()
    x = g.node("Relu", [g.bn(g.conv("image", 3, 64, 7, 2), 64)])
    x = g.node("MaxPool", [x], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
    c_in = 64
    for stage, (width, count) in enumerate(zip((64, 128, 256, 512), blocks)):
        for i in range(count):
            stride = 2 if stage > 0 and i == 0 else 1
            c_out = width * 4 if bottleneck else width
            if bottleneck:
                h = g.node("Relu", [g.bn(g.conv(x, c_in, width, 1), width)])
                h = g.node("Relu", [g.bn(g.conv(h, width, width, 3, stride), width)])
                h = g.bn(g.conv(h, width, c_out, 1), c_out)
            else:
                h = g.node("Relu", [g.bn(g.conv(x, c_in, width, 3, stride), width)])
                h = g.bn(g.conv(h, width, width, 3), width)
            shortcut = x
            if stride != 1 or c_in != c_out:
                shortcut = g.bn(g.conv(x, c_in, c_out, 1, stride), c_out)
            x = g.node("Relu", [g.node("Add", [h, shortcut])])
            c_in = c_out
    x = g.node("Flatten", [g.node("GlobalAveragePool", [x])], axis=1)
    logits = g.node("Gemm", [x, g.weight("fc_w", [1000, c_in]), g.weight("fc_b", [1000])], transB=1)
    return g, logits


def mobilenet_v2():
    g = Graph()
    x = g.relu6(g.bn(g.conv("image", 3, 32, 3, 2), 32))
    c_in = 32
    for t, c, n, s in ((1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2),
                       (6, 320, 1, 1)):
        for i in range(n):
            stride = s if i == 0 else 1
            hidden = c_in * t
            h = x
            if t != 1:
                h = g.relu6(g.bn(g.conv(h, c_in, hidden, 1), hidden))
            h = g.relu6(g.bn(g.conv(h, hidden, hidden, 3, stride, groups=hidden), hidden))
            h = g.bn(g.conv(h, hidden, c, 1), c)
            x = g.node("Add", [x, h]) if stride == 1 and c_in == c else h
            c_in = c
    x = g.relu6(g.bn(g.conv(x, c_in, 1280, 1), 1280))
    x = g.node("Flatten", [g.node("GlobalAveragePool", [x])], axis=1)
    x = g.node("Dropout", [x])
    logits = g.node("Gemm", [x, g.weight("fc_w", [1000, 1280]), g.weight("fc_b", [1000])], transB=1)
    return g, logits


def vit_encoder_layer(tokens=197, width=768, heads=12, mlp=3072, arithmetic=False):
    """One pre-norm ViT-B/16 encoder layer as exported, the attention scale folded into Q's weights.
    `arithmetic`: as PyTorch exports it below opset 17, its layer norms and GELU written as arithmetic."""
    g = Graph()
    d = width // heads

    def layer_norm(x):
        if not arithmetic:
            return g.node("LayerNormalization", [x, g.weight("ln_g", [width]), g.weight("ln_b", [width])], axis=-1)
        centred = g.node("Sub", [x, g.node("ReduceMean", [x], axes=[-1])])
        variance = g.node("ReduceMean", [g.node("Pow", [centred, g.scalar("two", 2.0)])], axes=[-1])
        deviation = g.node("Sqrt", [g.node("Add", [variance, g.scalar("eps", 1e-6)])])
        normalised = g.node("Div", [centred, deviation])
        return g.node("Add", [g.node("Mul", [normalised, g.weight("ln_g", [width])]), g.weight("ln_b", [width])])

    def gelu(x):
        if not arithmetic:
            return g.node("Gelu", [x], domain="com.microsoft")
        erf = g.node("Erf", [g.node("Div", [x, g.scalar("sqrt2", 1.4142135)])])
        return g.node("Mul", [g.node("Mul", [x, g.node("Add", [erf, g.scalar("one", 1.0)])]), g.scalar("half", 0.5)])

    def split_heads(x, perm):
        x = g.node("Reshape", [x, g.shape_const([1, tokens, heads, d])])
        return g.node("Transpose", [x], perm=perm)

    h = layer_norm("tokens")
    q = split_heads(g.linear(h, width, width), [0, 2, 1, 3])  # 1 x heads x tokens x d
    k = split_heads(g.linear(h, width, width), [0, 2, 3, 1])  # 1 x heads x d x tokens
    v = split_heads(g.linear(h, width, width), [0, 2, 1, 3])
    probs = g.node("Softmax", [g.node("MatMul", [q, k])], axis=-1)
    context = g.node("Transpose", [g.node("MatMul", [probs, v])], perm=[0, 2, 1, 3])
    context = g.node("Reshape", [context, g.shape_const([1, tokens, width])])
    x = g.node("Add", [g.linear(context, width, width), "tokens"])
    h = g.linear(gelu(g.linear(layer_norm(x), width, mlp)), mlp, width)
    return g, g.node("Add", [h, x]), (tokens, width)


def gpt2_export(tokens=32, layers=12, width=768, heads=12, vocabulary=50257, positions=1024):
    """GPT-2 (124M) at sequence length `tokens` as Hugging Face's GPT2LMHeadModel exports at opset 14:
    token and position embeddings gathered, layer norms and gelu_new (the tanh GELU) written as
    arithmetic, Conv1D as Reshape, Gemm, Reshape, the fused q, k, v projection Split, the causal mask a
    Where with a constant condition, and the head tied to the token embedding (a MatMul by its transpose)."""
    g = Graph()
    d = width // heads
    wte = g.weight("wte", [vocabulary, width])
    # The positions 0 .. tokens - 1 are a constant: their embeddings fold into one constant table.
    positions_ids = g.name("position_ids")
    g.inits.append(const(positions_ids, [list(range(tokens))], np.int64))
    x = g.node("Add", [g.node("Gather", [wte, "input_ids"]), g.node("Gather", [g.weight("wpe", [positions, width]),
                                                                           positions_ids])])

    def layer_norm(x):
        centred = g.node("Sub", [x, g.node("ReduceMean", [x], axes=[-1])])
        variance = g.node("ReduceMean", [g.node("Pow", [centred, g.scalar("two", 2.0)])], axes=[-1])
        deviation = g.node("Sqrt", [g.node("Add", [variance, g.scalar("eps", 1e-5)])])
        normalised = g.node("Div", [centred, deviation])
        return g.node("Add", [g.node("Mul", [normalised, g.weight("ln_g", [width])]), g.weight("ln_b", [width])])

    def conv1d(x, c_in, c_out):
        flat = g.node("Reshape", [x, g.shape_const([-1, c_in])])
        y = g.node("Gemm", [flat, g.weight("w", [c_in, c_out]), g.weight("b", [c_out])])
        return g.node("Reshape", [y, g.shape_const([1, tokens, c_out])])

    def gelu_new(x):
        cube = g.node("Pow", [x, g.scalar("three", 3.0)])
        inner = g.node("Add", [x, g.node("Mul", [g.scalar("c", 0.044715), cube])])
        t = g.node("Tanh", [g.node("Mul", [g.scalar("k", 0.7978845608028654), inner])])
        return g.node("Mul", [g.node("Mul", [g.scalar("half", 0.5), x]), g.node("Add", [g.scalar("one", 1.0), t])])

    def heads_of(x, perm):
        return g.node("Transpose", [g.node("Reshape", [x, g.shape_const([1, tokens, heads, d])])], perm=perm)

    mask = g.name("causal_mask")
    g.inits.append(numpy_helper.from_array(np.tril(np.ones((1, 1, tokens, tokens), dtype=bool)), mask))
    for _ in range(layers):
        q, k, v = g.node("Split", [conv1d(layer_norm(x), width, 3 * width), g.shape_const([width] * 3)], n_out=3,
                         axis=2)
        scores = g.node("Div", [g.node("MatMul", [heads_of(q, [0, 2, 1, 3]), heads_of(k, [0, 2, 3, 1])]),
                                g.scalar("scale", float(d) ** 0.5)])
        probs = g.node("Softmax", [g.node("Where", [mask, scores, g.scalar("min", -3.4028234663852886e38)])],
                       axis=-1)
        context = g.node("Transpose", [g.node("MatMul", [probs, heads_of(v, [0, 2, 1, 3])])], perm=[0, 2, 1, 3])
        context = g.node("Reshape", [context, g.shape_const([1, tokens, width])])
        x = g.node("Add", [conv1d(context, width, width), x])
        x = g.node("Add", [conv1d(gelu_new(conv1d(layer_norm(x), width, 4 * width)), 4 * width, width), x])
    logits = g.node("MatMul", [layer_norm(x), g.weight("wte_t", [width, vocabulary])])
    return g, logits, tokens, vocabulary


def llama_export(tokens=16, layers=2, width=256, heads=4, ffn=688, vocabulary=1000, kv_heads=None):
    """A small Llama (the Llama-2 architecture at toy sizes) as Hugging Face's LlamaForCausalLM exports at
    opset 14: RMSNorm as arithmetic (Pow, ReduceMean, Add, Sqrt, Reciprocal, Mul, Cast, Mul by γ), rotary
    embeddings as q · cos + rotate_half(q) · sin (Slice, Neg, Concat), the causal mask added, SiLU as
    Mul(x, Sigmoid(x)), no biases, an untied head. With fewer `kv_heads` (grouped-query attention, as
    Llama-3), the keys and values are repeated to every query head by Unsqueeze, Expand and Reshape."""
    g = Graph()
    d = width // heads
    kv_heads = kv_heads or heads
    group = heads // kv_heads
    x = g.node("Gather", [g.weight("embed", [vocabulary, width]), "input_ids"])
    cos, sin = g.name("cos"), g.name("sin")
    g.inits += [zeros(cos, [1, 1, tokens, d]), zeros(sin, [1, 1, tokens, d])]
    mask = g.name("causal_mask")
    g.inits.append(zeros(mask, [1, 1, tokens, tokens]))

    def rms_norm(x):
        xf = g.node("Cast", [x], to=TensorProto.FLOAT)
        variance = g.node("ReduceMean", [g.node("Pow", [xf, g.scalar("two", 2.0)])], axes=[-1])
        inverse = g.node("Reciprocal", [g.node("Sqrt", [g.node("Add", [variance, g.scalar("eps", 1e-6)])])])
        normed = g.node("Cast", [g.node("Mul", [xf, inverse])], to=TensorProto.FLOAT)
        return g.node("Mul", [g.weight("norm_w", [width]), normed])

    def linear(x, c_in, c_out):
        return g.node("MatMul", [x, g.weight("w", [c_in, c_out])])

    def heads_of(x, n=heads):
        return g.node("Transpose", [g.node("Reshape", [x, g.shape_const([1, tokens, n, d])])], perm=[0, 2, 1, 3])

    def repeat_kv(x):
        if group == 1:
            return x
        wide = g.node("Expand", [g.node("Unsqueeze", [x, g.shape_const([2])]),
                                 g.shape_const([1, kv_heads, group, tokens, d])])
        return g.node("Reshape", [wide, g.shape_const([1, heads, tokens, d])])

    def rotary(x):
        first = g.node("Slice", [x, g.shape_const([0]), g.shape_const([d // 2]), g.shape_const([-1])])
        second = g.node("Slice", [x, g.shape_const([d // 2]), g.shape_const([d]), g.shape_const([-1])])
        rotated = g.node("Concat", [g.node("Neg", [second]), first], axis=-1)
        return g.node("Add", [g.node("Mul", [x, cos]), g.node("Mul", [rotated, sin])])

    for _ in range(layers):
        h = rms_norm(x)
        q = rotary(heads_of(linear(h, width, width)))
        k = repeat_kv(rotary(heads_of(linear(h, width, kv_heads * d), kv_heads)))
        v = repeat_kv(heads_of(linear(h, width, kv_heads * d), kv_heads))
        scores = g.node("Div", [g.node("MatMul", [q, g.node("Transpose", [k], perm=[0, 1, 3, 2])]),
                                g.scalar("scale", float(d) ** 0.5)])
        probs = g.node("Softmax", [g.node("Add", [scores, mask])], axis=-1)
        context = g.node("Transpose", [g.node("MatMul", [probs, v])], perm=[0, 2, 1, 3])
        context = g.node("Reshape", [context, g.shape_const([1, tokens, width])])
        x = g.node("Add", [x, linear(context, width, width)])
        h = rms_norm(x)
        gate = linear(h, width, ffn)
        silu = g.node("Mul", [gate, g.node("Sigmoid", [gate])])
        x = g.node("Add", [x, linear(g.node("Mul", [silu, linear(h, width, ffn)]), ffn, width)])
    logits = linear(rms_norm(x), width, vocabulary)
    return g, logits, tokens, vocabulary


def write_networks(out):
    for file_name, (g, y) in (("net-resnet18.onnx", resnet((2, 2, 2, 2), False)),
                              ("net-resnet50.onnx", resnet((3, 4, 6, 3), True)),
                              ("net-mobilenet-v2.onnx", mobilenet_v2())):
        m = model(g.nodes, [value("image", ["batch", 3, 224, 224])], [value(y, ["batch", 1000])], g.inits,
                  file_name[4:-5])
        save(out, file_name, m, check=False)
    g, y, (tokens, width) = vit_encoder_layer()
    m = model(g.nodes, [value("tokens", [1, tokens, width])], [value(y, [1, tokens, width])], g.inits,
              "vit-b16-encoder-layer", [("com.microsoft", 1)])
    save(out, "net-vit-b16-encoder-layer.onnx", m, check=False)
    g, y, (tokens, width) = vit_encoder_layer(arithmetic=True)
    m14 = model(g.nodes, [value("tokens", [1, tokens, width])], [value(y, [1, tokens, width])], g.inits,
                "vit-b16-encoder-layer-opset14")
    m14.opset_import[0].version = 14
    save(out, "net-vit-b16-encoder-layer-opset14.onnx", m14, check=False)
    g, y, tokens, vocabulary = gpt2_export()
    m_gpt2 = model(g.nodes, [value("input_ids", [1, tokens], TensorProto.INT64)], [value(y, [1, tokens, vocabulary])],
                   g.inits, "gpt2-export-opset14")
    m_gpt2.opset_import[0].version = 14
    save(out, "net-gpt2-opset14.onnx", m_gpt2, check=False)
    g, y, tokens, vocabulary = llama_export()
    m_llama = model(g.nodes, [value("input_ids", [1, tokens], TensorProto.INT64)],
                    [value(y, [1, tokens, vocabulary])], g.inits, "llama-small-export-opset14")
    m_llama.opset_import[0].version = 14
    save(out, "net-llama-small-opset14.onnx", m_llama, check=False)
    g, y, tokens, vocabulary = llama_export(kv_heads=2)
    m_gqa = model(g.nodes, [value("input_ids", [1, tokens], TensorProto.INT64)],
                  [value(y, [1, tokens, vocabulary])], g.inits, "llama-small-gqa-export-opset14")
    m_gqa.opset_import[0].version = 14
    save(out, "net-llama-small-gqa-opset14.onnx", m_gqa, check=False)
    return m
