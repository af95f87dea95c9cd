"""Writes the ONNX fixtures of accel-dse's ONNX import tests with the ONNX project's own Python
writer (`onnx.helper`), independently of the importer and of the zoo's TypeScript builders.

The CNNs follow their published architectures as torchvision implements them:
- ResNet-18/50: He et al., "Deep Residual Learning for Image Recognition" (2016), Table 1, with
  torchvision's "v1.5" stride on the bottleneck's 3x3 conv;
- MobileNetV2: Sandler et al., "MobileNetV2: Inverted Residuals and Linear Bottlenecks" (2018),
  Table 2;
- VGG-16: Simonyan & Zisserman (2015), configuration D.
Convs are followed by BatchNormalization and Relu (Clip(0, 6) for MobileNetV2), as a PyTorch
export writes them. The input's batch dim is symbolic ('batch').

Weights are never written: every initializer is declared by its dims, with its data in an
external file that does not exist (as in weight-stripped models), so the files stay small.

Besides each file, `expected.json` records the Conv+Gemm MACs that onnx's own shape inference
gives (batch 1): output elements x input channels per group x kernel taps for Conv, M x N x K for
Gemm/MatMul. Run: python3 write_fixtures.py [OUT_DIR] (needs `pip install onnx`); OUT_DIR
defaults to this folder. test/models/workload/onnx/fixtures-rewrite.test.ts re-runs it where
Python's onnx is installed and checks that it writes the committed files byte for byte.
"""

import json
import os
import sys

import onnx
from onnx import TensorProto, helper, shape_inference

HERE = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
OPSET = 13


class Net:
    def __init__(self, name):
        self.name = name
        self.nodes = []
        self.inits = []
        self.n = 0

    def uid(self, prefix):
        self.n += 1
        return f"{prefix}_{self.n}"

    def weight(self, name, dims):
        t = TensorProto()
        t.name = name
        t.data_type = TensorProto.FLOAT
        t.dims.extend(dims)
        t.data_location = TensorProto.EXTERNAL
        for k, v in (("location", "absent_weights.bin"), ("offset", "0"), ("length", "0")):
            e = t.external_data.add()
            e.key = k
            e.value = v
        self.inits.append(t)
        return name

    def node(self, op, inputs, **attrs):
        out = self.uid(op.lower())
        self.nodes.append(helper.make_node(op, inputs, [out], name=out, **attrs))
        return out

    def conv(self, x, in_c, out_c, k, stride=1, pad=None, groups=1, bn=True, act="relu"):
        pad = k // 2 if pad is None else pad
        w = self.weight(self.uid("w"), [out_c, in_c // groups, k, k])
        y = self.node("Conv", [x, w], kernel_shape=[k, k], strides=[stride, stride], pads=[pad] * 4, group=groups)
        if bn:
            p = [self.weight(self.uid(s), [out_c]) for s in ("scale", "bias", "mean", "var")]
            y = self.node("BatchNormalization", [y] + p)
        if act == "relu":
            y = self.node("Relu", [y])
        elif act == "relu6":
            lo = self.const_scalar(0.0)
            hi = self.const_scalar(6.0)
            y = self.node("Clip", [y, lo, hi])
        return y

    def const_scalar(self, v):
        name = self.uid("c")
        self.inits.append(helper.make_tensor(name, TensorProto.FLOAT, [], [v]))
        return name

    def gemm(self, x, in_f, out_f):
        w = self.weight(self.uid("fc_w"), [out_f, in_f])
        b = self.weight(self.uid("fc_b"), [out_f])
        return self.node("Gemm", [x, w, b], transB=1)

    def save(self, x, res, extra_value_info=()):
        graph = helper.make_graph(
            self.nodes,
            self.name,
            [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["batch", 3, res, res])],
            [helper.make_tensor_value_info(x, TensorProto.FLOAT, None)],
            initializer=self.inits,
        )
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="accel-dse write_fixtures.py")
        path = os.path.join(HERE, f"{self.name}.onnx")
        onnx.save_model(model, path)
        return model


def resnet(name, block, counts):
    g = Net(name)
    x = g.conv("image", 3, 64, 7, stride=2, pad=3)
    x = g.node("MaxPool", [x], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1])
    in_c = 64
    expansion = 1 if block == "basic" else 4
    for stage, n in enumerate(counts):
        width = 64 * 2**stage
        for b in range(n):
            stride = 2 if stage > 0 and b == 0 else 1
            out_c = width * expansion
            if block == "basic":
                y = g.conv(x, in_c, width, 3, stride=stride)
                y = g.conv(y, width, width, 3, act=None)
            else:
                y = g.conv(x, in_c, width, 1)
                y = g.conv(y, width, width, 3, stride=stride)
                y = g.conv(y, width, out_c, 1, act=None)
            short = g.conv(x, in_c, out_c, 1, stride=stride, pad=0, act=None) if stride != 1 or in_c != out_c else x
            x = g.node("Relu", [g.node("Add", [y, short])])
            in_c = out_c
    x = g.node("GlobalAveragePool", [x])
    x = g.node("Flatten", [x], axis=1)
    x = g.gemm(x, in_c, 1000)
    return g.save(x, 224)


def make_divisible(v, d=8):
    r = max(d, int(v + d / 2) // d * d)
    return r + d if r < 0.9 * v else r


def mobilenet_v2():
    g = Net("mobilenet_v2")
    x = g.conv("image", 3, 32, 3, stride=2, act="relu6")
    in_c = 32
    for t, c, n, s in [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]:
        out_c = make_divisible(c)
        for i in range(n):
            stride = s if i == 0 else 1
            hidden = in_c * t
            y = x
            if t != 1:
                y = g.conv(y, in_c, hidden, 1, act="relu6")
            y = g.conv(y, hidden, hidden, 3, stride=stride, groups=hidden, act="relu6")
            y = g.conv(y, hidden, out_c, 1, act=None)
            x = g.node("Add", [x, y]) if stride == 1 and in_c == out_c else y
            in_c = out_c
    x = g.conv(x, in_c, 1280, 1, act="relu6")
    x = g.node("GlobalAveragePool", [x])
    x = g.node("Flatten", [x], axis=1)
    x = g.node("Dropout", [x])
    x = g.gemm(x, 1280, 1000)
    return g.save(x, 224)


def vgg16():
    g = Net("vgg16")
    x = "image"
    in_c = 3
    for c in [64, 64, "M", 128, 128, "M", 256, 256, 256, "M", 512, 512, 512, "M", 512, 512, 512, "M"]:
        if c == "M":
            x = g.node("MaxPool", [x], kernel_shape=[2, 2], strides=[2, 2])
        else:
            x = g.conv(x, in_c, c, 3, bn=False)
            in_c = c
    x = g.node("Flatten", [x], axis=1)
    x = g.node("Relu", [g.gemm(x, 512 * 7 * 7, 4096)])
    x = g.node("Relu", [g.gemm(x, 4096, 4096)])
    x = g.gemm(x, 4096, 1000)
    return g.save(x, 224)


def chain_1000():
    """A 1,000-node model for the import bench: 250 residual blocks of Conv, BatchNormalization, Relu, Add."""
    g = Net("chain_1000")
    x = "image"
    w = g.weight("stem_w", [32, 3, 3, 3])
    x = g.node("Conv", [x, w], kernel_shape=[3, 3], pads=[1, 1, 1, 1])
    while len(g.nodes) + 4 <= 1000:
        y = g.conv(x, 32, 32, 3)
        x = g.node("Add", [x, y])
    # Fill up to exactly 1,000 nodes with activations.
    while len(g.nodes) < 1000:
        x = g.node("Relu", [x])
    return g.save(x, 32)


def small_model(name, nodes, inputs, outputs, inits=(), value_info=(), opset=OPSET):
    graph = helper.make_graph(nodes, name, inputs, outputs, initializer=list(inits), value_info=list(value_info))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="accel-dse write_fixtures.py")
    onnx.save_model(model, os.path.join(HERE, f"{name}.onnx"))
    return model


def stripped(name, dtype, dims):
    t = TensorProto()
    t.name = name
    t.data_type = dtype
    t.dims.extend(dims)
    t.data_location = TensorProto.EXTERNAL
    e = t.external_data.add()
    e.key, e.value = "location", "absent_weights.bin"
    return t


def float_in(name, dims):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, dims)


def encoder_block():
    """A transformer encoder block with symbolic batch and seqLen: LayerNormalization, a fused
    QKV MatMul, Split, heads reshaped through Shape/Gather/Concat arithmetic (as PyTorch exports
    them), QK^T, Softmax, AV, output projection, residual Add, Gelu MLP."""
    d, heads, ff = 768, 12, 3072
    hd = d // heads
    inits = [stripped(n, TensorProto.FLOAT, dims) for n, dims in [("ln_g", [d]), ("ln_b", [d]), ("w_qkv", [d, 3 * d]), ("b_qkv", [3 * d]), ("w_o", [d, d]), ("w_1", [d, ff]), ("w_2", [ff, d])]]
    inits += [
        helper.make_tensor("split", TensorProto.INT64, [3], [d, d, d]),
        helper.make_tensor("idx0", TensorProto.INT64, [1], [0]),
        helper.make_tensor("idx1", TensorProto.INT64, [1], [1]),
        helper.make_tensor("heads_hd", TensorProto.INT64, [2], [heads, hd]),
        helper.make_tensor("minus1", TensorProto.INT64, [1], [d]),
        helper.make_tensor("sqrt_hd", TensorProto.FLOAT, [], [8.0]),
    ]
    N = helper.make_node
    nodes = [
        N("LayerNormalization", ["x", "ln_g", "ln_b"], ["ln"], name="ln", axis=-1),
        N("MatMul", ["ln", "w_qkv"], ["qkv0"], name="qkv"),
        N("Add", ["qkv0", "b_qkv"], ["qkv"], name="qkv_bias"),
        N("Split", ["qkv", "split"], ["q0", "k0", "v0"], name="split_qkv", axis=2),
        N("Shape", ["x"], ["shp"], name="shape"),
        N("Gather", ["shp", "idx0"], ["b"], name="get_batch", axis=0),
        N("Gather", ["shp", "idx1"], ["s"], name="get_seq", axis=0),
        N("Concat", ["b", "s", "heads_hd"], ["head_shape"], name="head_shape", axis=0),
        N("Concat", ["b", "s", "minus1"], ["merge_shape"], name="merge_shape", axis=0),
    ]
    for t in ("q", "k", "v"):
        nodes.append(N("Reshape", [f"{t}0", "head_shape"], [f"{t}1"], name=f"{t}_heads"))
    nodes += [
        N("Transpose", ["q1"], ["q"], name="q_t", perm=[0, 2, 1, 3]),
        N("Transpose", ["k1"], ["kT"], name="k_t", perm=[0, 2, 3, 1]),
        N("Transpose", ["v1"], ["v"], name="v_t", perm=[0, 2, 1, 3]),
        N("MatMul", ["q", "kT"], ["scores0"], name="qk"),
        N("Div", ["scores0", "sqrt_hd"], ["scores"], name="scale"),
        N("Softmax", ["scores"], ["probs"], name="softmax", axis=-1),
        N("MatMul", ["probs", "v"], ["ctx0"], name="av"),
        N("Transpose", ["ctx0"], ["ctx1"], name="ctx_t", perm=[0, 2, 1, 3]),
        N("Reshape", ["ctx1", "merge_shape"], ["ctx"], name="merge_heads"),
        N("MatMul", ["ctx", "w_o"], ["attn"], name="out_proj"),
        N("Add", ["x", "attn"], ["h"], name="residual"),
        N("MatMul", ["h", "w_1"], ["f1"], name="fc1"),
        N("Gelu", ["f1"], ["f2"], name="gelu", domain=""),
        N("MatMul", ["f2", "w_2"], ["y"], name="fc2"),
    ]
    # Gelu is in the standard domain from opset 20.
    return small_model("encoder_block", nodes, [float_in("x", ["batch", "seqLen", d])], [float_in("y", ["batch", "seqLen", d])], inits, opset=20)


def quantized():
    """QDQ around a Conv (uint8 activations, int8 weights), a QLinearConv, a QLinearMatMul and an
    int4 weight dequantized into a MatMul: bitwidths come from the integer element types."""
    N = helper.make_node
    inits = [
        helper.make_tensor("s", TensorProto.FLOAT, [], [0.1]),
        helper.make_tensor("zp_u8", TensorProto.UINT8, [], [128]),
        helper.make_tensor("zp_i8", TensorProto.INT8, [], [0]),
        helper.make_tensor("zp_i4", TensorProto.INT4, [], [0]),
        stripped("w1_q", TensorProto.INT8, [16, 3, 3, 3]),
        stripped("w2_q", TensorProto.INT8, [16, 16, 3, 3]),
        stripped("w3_q", TensorProto.INT8, [16 * 8 * 8, 10]),
        stripped("w4_q", TensorProto.INT4, [10, 10]),
        helper.make_tensor("flat", TensorProto.INT64, [2], [1, 16 * 8 * 8]),
    ]
    nodes = [
        N("QuantizeLinear", ["x", "s", "zp_u8"], ["xq"], name="quant_x"),
        N("DequantizeLinear", ["xq", "s", "zp_u8"], ["xdq"], name="dequant_x"),
        N("DequantizeLinear", ["w1_q", "s", "zp_i8"], ["w1"], name="dequant_w1"),
        N("Conv", ["xdq", "w1"], ["c1"], name="conv_qdq", kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[2, 2]),
        N("QuantizeLinear", ["c1", "s", "zp_u8"], ["c1q"], name="quant_c1"),
        N("QLinearConv", ["c1q", "s", "zp_u8", "w2_q", "s", "zp_i8", "s", "zp_u8"], ["c2q"], name="qlinear_conv", kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[2, 2]),
        N("Reshape", ["c2q", "flat"], ["fq"], name="flatten"),
        N("QLinearMatMul", ["fq", "s", "zp_u8", "w3_q", "s", "zp_i8", "s", "zp_u8"], ["mq"], name="qlinear_matmul"),
        N("DequantizeLinear", ["mq", "s", "zp_u8"], ["m"], name="dequant_m"),
        N("DequantizeLinear", ["w4_q", "s", "zp_i4"], ["w4"], name="dequant_w4"),
        N("MatMul", ["m", "w4"], ["y"], name="matmul_int4"),
    ]
    return small_model("quantized", nodes, [float_in("x", [1, 3, 32, 32])], [float_in("y", [1, 10])], inits, opset=21)


def bad_models():
    """Files the importer must reject with one clear line each."""
    N = helper.make_node
    w = stripped("w", TensorProto.FLOAT, [8, 3, 3, 3])
    conv = N("Conv", ["x", "w"], ["c"], name="conv", kernel_shape=[3, 3])
    # Two Relu nodes reading each other's output.
    small_model("bad_cycle", [conv, N("Add", ["c", "r2"], ["r1"], name="add_loop"), N("Relu", ["r1"], ["r2"], name="relu_loop")], [float_in("x", [1, 3, 8, 8])], [float_in("r2", None)], [w])
    # The graph input states no shape.
    small_model("bad_no_input_shape", [conv], [helper.make_tensor_value_info("x", TensorProto.FLOAT, None)], [float_in("c", None)], [w])
    # A 4-channel input into a conv whose weight expects 3 channels.
    small_model("bad_shape_mismatch", [conv], [float_in("x", [1, 4, 8, 8])], [float_in("c", None)], [w])
    # An operator the importer does not cost (TopK), its output shape declared in value_info.
    k = helper.make_tensor("k", TensorProto.INT64, [1], [4])
    small_model(
        "unknown_op",
        [conv, N("TopK", ["c", "k"], ["top", "top_idx"], name="topk", axis=1), N("Relu", ["top"], ["y"], name="relu")],
        [float_in("x", [1, 3, 8, 8])],
        [float_in("y", None)],
        [w, k],
        value_info=[float_in("top", [1, 4, 6, 6]), helper.make_tensor_value_info("top_idx", TensorProto.INT64, [1, 4, 6, 6])],
    )


def op_coverage():
    """One model exercising the shape rules of many operators (auto_pad, dilations, asymmetric
    pads, ConvTranspose, Gemm transA, broadcast batched MatMul, pools with ceil_mode, Slice,
    Split, Pad, Concat, Squeeze/Unsqueeze, Expand...). onnx's own shape inference fills its
    value_info, which the importer checks value by value against its own inference."""
    N = helper.make_node
    inits = [stripped(n, TensorProto.FLOAT, d) for n, d in [
        ("w_same", [8, 3, 3, 3]), ("w_dil", [8, 8, 3, 3]), ("w_asym", [8, 8, 2, 2]), ("w_dw", [8, 1, 5, 5]),
        ("w_t", [8, 4, 4, 4]), ("w_1d", [6, 4, 3]), ("gemm_a", [36, 10]), ("mm_b", [5, 4, 7]), ("w_g", [10, 8]),
    ]]
    inits += [
        helper.make_tensor("starts", TensorProto.INT64, [2], [1, 0]),
        helper.make_tensor("ends", TensorProto.INT64, [2], [-1, 100]),
        helper.make_tensor("axes", TensorProto.INT64, [2], [2, 3]),
        helper.make_tensor("steps", TensorProto.INT64, [2], [1, 2]),
        helper.make_tensor("split_sizes", TensorProto.INT64, [2], [6, 10]),
        helper.make_tensor("pads", TensorProto.INT64, [8], [0, 0, 1, 2, 0, 0, 1, 0]),
        helper.make_tensor("unsq_axes", TensorProto.INT64, [2], [0, -1]),
        helper.make_tensor("sq_axes", TensorProto.INT64, [2], [0, -1]),
        helper.make_tensor("expand_to", TensorProto.INT64, [4], [2, 1, 1, 1]),
        helper.make_tensor("flat_shape", TensorProto.INT64, [2], [-1, 36]),
    ]
    nodes = [
        N("Conv", ["x", "w_same"], ["c_same"], name="conv_same_upper", auto_pad="SAME_UPPER", strides=[2, 2]),
        N("Conv", ["c_same", "w_dil"], ["c_dil"], name="conv_dilated", dilations=[2, 2], pads=[2, 2, 2, 2]),
        N("Conv", ["c_dil", "w_asym"], ["c_asym"], name="conv_asym_pads", pads=[0, 1, 1, 0], strides=[2, 1]),
        N("Conv", ["c_asym", "w_dw"], ["c_dw"], name="conv_depthwise_valid", group=8, auto_pad="VALID"),
        N("ConvTranspose", ["c_dw", "w_t"], ["c_t"], name="conv_transpose", strides=[2, 2], pads=[1, 1, 1, 1], group=2),
        N("Sigmoid", ["c_t"], ["sig"], name="sigmoid"),
        N("HardSwish", ["sig"], ["hsw"], name="hardswish"),
        N("AveragePool", ["hsw"], ["ap"], name="avgpool_ceil", kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1),
        N("MaxPool", ["hsw"], ["mp"], name="maxpool_same", kernel_shape=[3, 3], strides=[2, 2], auto_pad="SAME_LOWER"),
        N("Concat", ["ap", "mp"], ["cat"], name="concat", axis=1),
        N("Slice", ["cat", "starts", "ends", "axes", "steps"], ["sl"], name="slice"),
        N("Split", ["sl", "split_sizes"], ["s1", "s2"], name="split", axis=1),
        N("Pad", ["s2", "pads"], ["pd"], name="pad"),
        N("Tanh", ["s1"], ["th"], name="tanh"),
        N("GlobalMaxPool", ["pd"], ["gmp"], name="global_max"),
        N("Flatten", ["gmp"], ["fl"], name="flatten"),
        N("Unsqueeze", ["fl", "unsq_axes"], ["unsq"], name="unsqueeze"),
        N("Squeeze", ["unsq", "sq_axes"], ["sq"], name="squeeze"),
        N("Expand", ["gmp", "expand_to"], ["ex"], name="expand"),
        N("Erf", ["ex"], ["erf"], name="erf"),
        N("Reshape", ["th", "flat_shape"], ["r"], name="reshape"),
        N("Gemm", ["gemm_a", "r"], ["g"], name="gemm_trans_a", transA=1, transB=1),
        N("MatMul", ["y3", "mm_b"], ["mm"], name="matmul_broadcast"),
        N("Transpose", ["mm"], ["mt"], name="transpose", perm=[3, 0, 2, 1]),
        N("Conv", ["x1d", "w_1d"], ["c1d"], name="conv_1d", pads=[1, 1]),
        N("MatMul", ["sq", "w_g"], ["v"], name="matmul_vector"),
        N("LRN", ["c1d"], ["lrn"], name="lrn", size=3),
    ]
    inputs = [float_in("x", [2, 3, 33, 31]), float_in("y3", [3, 1, 6, 4]), float_in("x1d", [2, 4, 20])]
    outputs = [float_in(o, None) for o in ("g", "mt", "lrn", "erf", "v")]
    graph = helper.make_graph(nodes, "op_coverage", inputs, outputs, initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)], producer_name="accel-dse write_fixtures.py")
    model = shape_inference.infer_shapes(model, strict_mode=True)
    onnx.save_model(model, os.path.join(HERE, "op_coverage.onnx"))
    # A copy whose value_info misstates one shape: the importer must refuse it.
    bad = onnx.ModelProto()
    bad.CopyFrom(model)
    for v in bad.graph.value_info:
        if v.name == "c_dil":
            v.type.tensor_type.shape.dim[2].dim_value += 1
    bad.graph.name = "bad_declared_shape"
    onnx.save_model(bad, os.path.join(HERE, "bad_declared_shape.onnx"))
    return model


def conv_gemm_macs(model):
    """Conv+Gemm+MatMul MACs from onnx's shape inference at batch 1."""
    m = onnx.ModelProto()
    m.CopyFrom(model)
    m.graph.input[0].type.tensor_type.shape.dim[0].dim_value = 1
    m = shape_inference.infer_shapes(m)
    shapes = {v.name: [d.dim_value for d in v.type.tensor_type.shape.dim] for v in list(m.graph.value_info) + list(m.graph.input) + list(m.graph.output)}
    inits = {t.name: list(t.dims) for t in m.graph.initializer}
    total = 0
    for n in m.graph.node:
        if n.op_type == "Conv":
            out = shapes[n.output[0]]
            w = inits[n.input[1]]
            taps = 1
            for d in w[1:]:
                taps *= d
            elems = 1
            for d in out:
                elems *= d
            total += elems * taps
        elif n.op_type == "Gemm":
            a = shapes[n.input[0]]
            out = shapes[n.output[0]]
            total += out[0] * out[1] * a[1]
    return total


if __name__ == "__main__":
    expected = {}
    for model in [resnet("resnet18", "basic", [2, 2, 2, 2]), resnet("resnet50", "bottleneck", [3, 4, 6, 3]), mobilenet_v2(), vgg16()]:
        expected[model.graph.name] = {"convGemmMacs": conv_gemm_macs(model), "nodes": len(model.graph.node)}
    bench = chain_1000()
    expected[bench.graph.name] = {"convGemmMacs": conv_gemm_macs(bench), "nodes": len(bench.graph.node)}
    encoder_block()
    coverage = op_coverage()
    expected["op_coverage"] = {"valueInfo": {v.name: [d.dim_value for d in v.type.tensor_type.shape.dim] for v in coverage.graph.value_info}}
    quantized()
    bad_models()
    # ResNet-18 with its nodes in reverse file order (ONNX asks writers to sort nodes; not all do).
    unsorted = onnx.load(os.path.join(HERE, "resnet18.onnx"), load_external_data=False)
    nodes = list(unsorted.graph.node)[::-1]
    del unsorted.graph.node[:]
    unsorted.graph.node.extend(nodes)
    unsorted.graph.name = "resnet18_unsorted"
    onnx.save_model(unsorted, os.path.join(HERE, "resnet18_unsorted.onnx"))
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump({"onnx": onnx.__version__, "models": expected}, f, indent=2)
        f.write("\n")
    print(json.dumps(expected, indent=2))
