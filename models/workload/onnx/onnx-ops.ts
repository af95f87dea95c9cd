import type { EltwiseFn, Op } from '../../types.ts';
import type { OnnxNode } from './decode-onnx.ts';
import type { OnnxGraph, Value } from './onnx-graph.ts';
import { axisOf, broadcastShapes, product, reshapeTarget, sliceLength, transposedAxis, windowAxis, type AutoPad } from './onnx-shapes.ts';

/*
 * One handler per ONNX operator: it infers the output shapes from the inputs' and, when the
 * node computes on activations, emits the workload op that costs it (conv2d, matmul, pool,
 * eltwise). Nodes whose inputs are all static are folded (no op), as ONNX runtimes do.
 * Operator semantics: the ONNX operator specification, https://onnx.ai/onnx/operators/.
 */

/** Element types (TensorProto.DataType) and the integer bitwidth a quantized tensor of them has. */
const INT_BITS: Record<number, number> = {
  2: 8, // UINT8
  3: 8, // INT8
  4: 16, // UINT16
  5: 16, // INT16
  17: 8, // FLOAT8E4M3FN
  18: 8, // FLOAT8E4M3FNUZ
  19: 8, // FLOAT8E5M2
  20: 8, // FLOAT8E5M2FNUZ
  21: 4, // UINT4
  22: 4, // INT4
  23: 4, // FLOAT4E2M1
  25: 2, // UINT2
  26: 2, // INT2
};
const INT64 = 7;
const UINT8 = 2;

/** Unary element-wise operators onto the cost model's vector ops (closest per-element work; docs/WORKLOADS.md). */
const UNARY: Record<string, EltwiseFn> = {
  Relu: 'relu',
  LeakyRelu: 'relu',
  Clip: 'relu6',
  HardSigmoid: 'relu6',
  HardSwish: 'relu6',
  Sigmoid: 'silu',
  Tanh: 'silu',
  Gelu: 'gelu',
  Erf: 'gelu',
  Softmax: 'softmax',
  LogSoftmax: 'softmax',
  LayerNormalization: 'layernorm',
  LRN: 'layernorm',
  BatchNormalization: 'mul',
};

/** Binary element-wise operators: Sub costs as an add, Div as a multiply (by a reciprocal). */
const BINARY: Record<string, EltwiseFn> = { Add: 'add', Sub: 'add', Mul: 'mul', Div: 'mul' };

type Handler = (g: OnnxGraph, n: OnnxNode, at: string) => void;

export function isKnownOp(n: OnnxNode): boolean {
  return (n.domain === '' || n.domain === 'ai.onnx') && n.opType in HANDLERS;
}

export function handlerFor(n: OnnxNode): Handler {
  return HANDLERS[n.opType]!;
}

// ------------------------------------------------------------------ helpers

function fail(g: OnnxGraph, n: OnnxNode, at: string, message: string, code = 'onnx_shape'): never {
  return g.fail(code, `node '${n.name}' (${n.opType}): ${message}`, at);
}

function input(g: OnnxGraph, n: OnnxNode, at: string, i: number, what: string): Value {
  const name = n.inputs[i];
  if (!name) fail(g, n, at, `needs its ${what} input (input ${i})`, 'onnx_graph');
  return g.get(name);
}

function optionalInput(g: OnnxGraph, n: OnnxNode, i: number): Value | undefined {
  const name = n.inputs[i];
  return name ? g.get(name) : undefined;
}

function ints(n: OnnxNode, key: string): number[] | undefined {
  return n.attrs.get(key)?.ints;
}

function int(n: OnnxNode, key: string, dflt: number): number {
  return n.attrs.get(key)?.i ?? dflt;
}

function text(n: OnnxNode, key: string, dflt: string): string {
  return n.attrs.get(key)?.s ?? dflt;
}

/** Integer values of a static input (a shape, axes, sizes); fails when they cannot be known. */
function staticInts(g: OnnxGraph, n: OnnxNode, at: string, i: number, what: string): number[] {
  const v = input(g, n, at, i, what);
  if (!v.ints) fail(g, n, at, `its ${what} (input '${n.inputs[i]}') is not known before running: it must be an initializer, a Constant or computed from shapes`, 'onnx_unsupported');
  return v.ints;
}

function allStatic(g: OnnxGraph, n: OnnxNode): boolean {
  return n.inputs.every((name) => !name || g.get(name).isStatic);
}

function checkOut(g: OnnxGraph, n: OnnxNode, at: string, shape: number[]): number[] {
  if (shape.some((d) => !(Number.isInteger(d) && d >= 1))) fail(g, n, at, `output shape [${shape.join(', ')}] is empty or invalid: do the sizes fit?`);
  g.checkShape(shape, `node '${n.name}' (${n.opType}) output`, at);
  return shape;
}

/** Sets an output that needs no op: static when the node is folded, else sharing input `from`'s tensor. */
function passThrough(g: OnnxGraph, n: OnnxNode, at: string, from: string, shape: number[], extra: Partial<Value> = {}, outIndex = 0): void {
  const name = n.outputs[outIndex];
  if (!name) return;
  checkOut(g, n, at, shape);
  const src = g.get(from);
  const isStatic = allStatic(g, n);
  const v: Value = { shape, elemType: src.elemType, isStatic, ...extra };
  if (src.bits !== undefined && !('bits' in extra)) v.bits = src.bits;
  if (!isStatic && !src.isStatic) v.tensor = g.tensorOf(from);
  g.set(name, v);
}

/** Element type of optional input i, or `dflt` when absent. */
function typeOf(g: OnnxGraph, n: OnnxNode, i: number, dflt: number): number {
  return optionalInput(g, n, i)?.elemType || dflt;
}

function bitsOf(v: Value): number | undefined {
  return v.bits ?? INT_BITS[v.elemType];
}

function opBits(act: Value, weight?: Value): { activationBits?: number; weightBits?: number } {
  const out: { activationBits?: number; weightBits?: number } = {};
  const a = bitsOf(act);
  const w = weight ? bitsOf(weight) : undefined;
  if (a !== undefined) out.activationBits = a;
  if (w !== undefined) out.weightBits = w;
  return out;
}

// ------------------------------------------------------------------ convolution and matmul

function conv(g: OnnxGraph, n: OnnxNode, at: string, xi: number, wi: number, outType: number): void {
  const x = input(g, n, at, xi, 'data');
  const w = input(g, n, at, wi, 'weight');
  const rank = x.shape.length;
  if (rank !== 3 && rank !== 4) fail(g, n, at, `only 1-D and 2-D convolutions are costed; input '${n.inputs[xi]}' has shape [${x.shape.join(', ')}]`, 'onnx_unsupported');
  if (w.shape.length !== rank) fail(g, n, at, `weight shape [${w.shape.join(', ')}] does not match input rank ${rank}`);
  const group = int(n, 'group', 1);
  const [batch, inC] = x.shape as [number, number];
  const [outC, cPerGroup] = w.shape as [number, number];
  if (group < 1 || inC !== cPerGroup * group) fail(g, n, at, `input has ${inC} channels but the weight [${w.shape.join(', ')}] with group ${group} expects ${cPerGroup * group}`);
  if (outC % group !== 0) fail(g, n, at, `${outC} output channels are not divisible by group ${group}`);
  const spatialIn = x.shape.slice(2);
  const kernel = ints(n, 'kernel_shape') ?? w.shape.slice(2);
  if (kernel.join() !== w.shape.slice(2).join()) fail(g, n, at, `kernel_shape [${kernel.join(', ')}] differs from the weight's [${w.shape.slice(2).join(', ')}]`);
  const axes = windowAxes(g, n, at, spatialIn, kernel, false);
  const outShape = checkOut(g, n, at, [batch, outC, ...axes.map((a) => a.out)]);
  if (!w.isStatic) fail(g, n, at, 'its weight is computed at run time; only stored weights are costed', 'onnx_unsupported');
  if (x.isStatic) return void g.set(n.outputs[0]!, { shape: outShape, elemType: outType, isStatic: true });
  // A 1-D convolution is a 2-D one of height 1.
  const [hAxis, wAxis] = rank === 4 ? [axes[0]!, axes[1]!] : [{ padBegin: 0, padEnd: 0, out: 1 }, axes[0]!];
  const [kH, kW] = rank === 4 ? [kernel[0]!, kernel[1]!] : [1, kernel[0]!];
  const [sH, sW] = rank === 4 ? [axes[0]!.stride, axes[1]!.stride] : [1, axes[0]!.stride];
  const [inH, inW] = rank === 4 ? [spatialIn[0]!, spatialIn[1]!] : [1, spatialIn[0]!];
  const op: Op = {
    kind: 'conv2d', name: g.opName(n), inputs: [g.tensorOf(n.inputs[xi]!)], output: '',
    batch, inH, inW, inC, outC, kH, kW, strideH: sH, strideW: sW,
    // The cost model's padding is symmetric; the exact output size (asymmetric pads, dilation) is given.
    padH: Math.floor((hAxis.padBegin + hAxis.padEnd) / 2), padW: Math.floor((wAxis.padBegin + wAxis.padEnd) / 2),
    groups: group, outH: hAxis.out, outW: wAxis.out,
    ...opBits(x, w),
  };
  g.emit(op, n.outputs[0]!, outShape, { elemType: outType });
}

/** Spatial axes of Conv or a pool: kernel, strides, dilations, pads / auto_pad, ceil_mode. */
function windowAxes(g: OnnxGraph, n: OnnxNode, at: string, spatialIn: number[], kernel: number[], ceil: boolean): ({ stride: number } & ReturnType<typeof windowAxis>)[] {
  const r = spatialIn.length;
  const strides = ints(n, 'strides') ?? Array<number>(r).fill(1);
  const dilations = ints(n, 'dilations') ?? Array<number>(r).fill(1);
  const pads = ints(n, 'pads') ?? Array<number>(2 * r).fill(0);
  const autoPad = text(n, 'auto_pad', 'NOTSET') as AutoPad;
  if (!['NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID'].includes(autoPad)) fail(g, n, at, `unknown auto_pad '${autoPad}'`);
  if (kernel.length !== r || strides.length !== r || dilations.length !== r || pads.length !== 2 * r) {
    fail(g, n, at, `kernel_shape, strides, dilations and pads must match the ${r} spatial axes of the input`);
  }
  if ([...kernel, ...strides, ...dilations].some((v) => !(Number.isInteger(v) && v >= 1)) || pads.some((p) => !(Number.isInteger(p) && p >= 0))) {
    fail(g, n, at, 'kernel, strides and dilations must be positive integers and pads >= 0');
  }
  return spatialIn.map((inSize, i) => ({ stride: strides[i]!, ...windowAxis(inSize, kernel[i]!, strides[i]!, dilations[i]!, autoPad, [pads[i]!, pads[i + r]!], ceil) }));
}

/**
 * ConvTranspose, costed as its usual implementation: a GEMM of every input pixel with the
 * kernel (input channels x output channels per group x kernel taps) followed by an overlap-add
 * (col2im) that the cost model does not charge.
 */
function convTranspose(g: OnnxGraph, n: OnnxNode, at: string): void {
  const x = input(g, n, at, 0, 'data');
  const w = input(g, n, at, 1, 'weight');
  if (x.shape.length !== 4 || w.shape.length !== 4) fail(g, n, at, `only 2-D transposed convolutions are costed (input [${x.shape.join(', ')}])`, 'onnx_unsupported');
  const group = int(n, 'group', 1);
  const [batch, inC, inH, inW] = x.shape as [number, number, number, number];
  const [wC, outPerGroup, kH, kW] = w.shape as [number, number, number, number];
  if (group < 1 || wC !== inC || inC % group !== 0) fail(g, n, at, `input has ${inC} channels but the weight [${w.shape.join(', ')}] with group ${group} does not fit`);
  const strides = ints(n, 'strides') ?? [1, 1];
  const dilations = ints(n, 'dilations') ?? [1, 1];
  const pads = ints(n, 'pads') ?? [0, 0, 0, 0];
  const outPad = ints(n, 'output_padding') ?? [0, 0];
  const autoPad = text(n, 'auto_pad', 'NOTSET') as AutoPad;
  const given = ints(n, 'output_shape');
  const outHW = given && given.length >= 2
    ? given.slice(-2)
    : [0, 1].map((i) => transposedAxis(x.shape[2 + i]!, [kH, kW][i]!, strides[i] ?? 1, dilations[i] ?? 1, outPad[i] ?? 0, autoPad, [pads[i] ?? 0, pads[i + 2] ?? 0]));
  const outShape = checkOut(g, n, at, [batch, outPerGroup * group, ...outHW]);
  if (!w.isStatic) fail(g, n, at, 'its weight is computed at run time; only stored weights are costed', 'onnx_unsupported');
  if (x.isStatic) return void g.set(n.outputs[0]!, { shape: outShape, elemType: x.elemType, isStatic: true });
  const op: Op = {
    kind: 'matmul', name: g.opName(n), inputs: [g.tensorOf(n.inputs[0]!)], output: '',
    m: batch * inH * inW, k: inC / group, n: outPerGroup * kH * kW, count: group, weightOperand: true, ...opBits(x, w),
  };
  g.emit(op, n.outputs[0]!, outShape, { elemType: x.elemType });
}

/**
 * MatMul (numpy semantics: 1-D operands promoted, batch dims broadcast) and Gemm. A stored
 * operand is the layer's weight; two activations make a weightless batched product.
 */
function matmulLike(g: OnnxGraph, n: OnnxNode, at: string, ai: number, bi: number, opts: { transA: boolean; transB: boolean; gemm: boolean; outType?: number }): void {
  const a = input(g, n, at, ai, 'A');
  const b = input(g, n, at, bi, 'B');
  if (opts.gemm && (a.shape.length !== 2 || b.shape.length !== 2)) fail(g, n, at, `Gemm takes 2-D operands, got [${a.shape.join(', ')}] and [${b.shape.join(', ')}]`);
  if (a.shape.length === 0 || b.shape.length === 0) fail(g, n, at, 'MatMul operands cannot be scalars');
  let as = a.shape.length === 1 ? [1, a.shape[0]!] : [...a.shape];
  let bs = b.shape.length === 1 ? [b.shape[0]!, 1] : [...b.shape];
  if (opts.transA) as = [...as.slice(0, -2), as.at(-1)!, as.at(-2)!];
  if (opts.transB) bs = [...bs.slice(0, -2), bs.at(-1)!, bs.at(-2)!];
  const [m, k] = [as.at(-2)!, as.at(-1)!];
  const [kb, nn] = [bs.at(-2)!, bs.at(-1)!];
  if (k !== kb) fail(g, n, at, `inner dimensions differ: A [${a.shape.join(', ')}] has K ${k}, B [${b.shape.join(', ')}] has ${kb}`);
  const batch = broadcastShapes(as.slice(0, -2), bs.slice(0, -2));
  if (!batch) fail(g, n, at, `batch dims of [${a.shape.join(', ')}] and [${b.shape.join(', ')}] do not broadcast`);
  const outShape = checkOut(g, n, at, [...batch, ...(a.shape.length === 1 ? [] : [m]), ...(b.shape.length === 1 ? [] : [nn])]);
  const outType = opts.outType ?? a.elemType;
  if (a.isStatic && b.isStatic) return void g.set(n.outputs[0]!, { shape: outShape, elemType: outType, isStatic: true });
  const products = product(batch);
  const base = { kind: 'matmul' as const, name: g.opName(n), output: '' };
  let op: Op;
  if (b.isStatic) {
    // Stored B: one weight per B batch entry, shared by the rows of every A that broadcasts onto it.
    const count = product(bs.slice(0, -2));
    op = { ...base, inputs: [g.tensorOf(n.inputs[ai]!)], m: m * (products / count), n: nn, k, count, weightOperand: true, ...opBits(a, b) };
  } else if (a.isStatic) {
    // Stored A: C^T = B^T A^T, so the activation supplies the rows.
    const count = product(as.slice(0, -2));
    op = { ...base, inputs: [g.tensorOf(n.inputs[bi]!)], m: nn * (products / count), n: m, k, count, weightOperand: true, ...opBits(b, a) };
  } else {
    op = { ...base, inputs: [g.tensorOf(n.inputs[ai]!), g.tensorOf(n.inputs[bi]!)], m, n: nn, k, count: products, weightOperand: false, ...opBits(a) };
  }
  g.emit(op, n.outputs[0]!, outShape, { elemType: outType });
}

// ------------------------------------------------------------------ element-wise, pools

function binary(g: OnnxGraph, n: OnnxNode, at: string): void {
  const a = input(g, n, at, 0, 'A');
  const b = input(g, n, at, 1, 'B');
  const shape = broadcastShapes(a.shape, b.shape);
  if (!shape) fail(g, n, at, `operands [${a.shape.join(', ')}] and [${b.shape.join(', ')}] do not broadcast`);
  checkOut(g, n, at, shape);
  if (a.isStatic && b.isStatic) {
    const folded = a.ints && b.ints ? foldInts(n.opType, a.ints, b.ints) : undefined;
    return void g.set(n.outputs[0]!, { shape, elemType: a.elemType, isStatic: true, ...(folded ? { ints: folded } : {}) });
  }
  // A stored operand (a bias, a scale) is read with the op like a weight: only activations are inputs.
  const inputs = [0, 1].filter((i) => !g.get(n.inputs[i]!).isStatic).map((i) => g.tensorOf(n.inputs[i]!));
  const act = a.isStatic ? b : a;
  g.emit({ kind: 'eltwise', fn: BINARY[n.opType]!, name: g.opName(n), inputs, output: '', elements: product(shape), ...opBits(act) }, n.outputs[0]!, shape, { elemType: act.elemType });
}

/** Integer arithmetic on small static tensors (shape computations); undefined when not 1-D-broadcastable. */
function foldInts(opType: string, a: number[], b: number[]): number[] | undefined {
  const len = Math.max(a.length, b.length);
  if ((a.length !== len && a.length !== 1) || (b.length !== len && b.length !== 1)) return undefined;
  const at = (x: number[], i: number): number => (x.length === 1 ? x[0]! : x[i]!);
  const f = { Add: (x: number, y: number) => x + y, Sub: (x: number, y: number) => x - y, Mul: (x: number, y: number) => x * y, Div: (x: number, y: number) => (y === 0 ? NaN : Math.trunc(x / y)) }[opType];
  if (!f) return undefined;
  const out = Array.from({ length: len }, (_, i) => f(at(a, i), at(b, i)));
  return out.every(Number.isSafeInteger) ? out : undefined;
}

function unary(g: OnnxGraph, n: OnnxNode, at: string): void {
  const x = input(g, n, at, 0, 'data');
  if (x.isStatic) return void g.set(n.outputs[0]!, { shape: [...x.shape], elemType: x.elemType, isStatic: true });
  if (n.opType === 'BatchNormalization' && foldsIntoConv(g, n, x)) {
    // ONNX runtimes fold a BatchNormalization that only follows a Conv into the Conv's weights.
    return passThrough(g, n, at, n.inputs[0]!, [...x.shape]);
  }
  const op: Op = { kind: 'eltwise', fn: UNARY[n.opType]!, name: g.opName(n), inputs: [g.tensorOf(n.inputs[0]!)], output: '', elements: product(x.shape), ...opBits(x) };
  g.emit(op, n.outputs[0]!, [...x.shape], { elemType: x.elemType });
}

function foldsIntoConv(g: OnnxGraph, n: OnnxNode, x: Value): boolean {
  const producer = x.tensor === undefined ? undefined : g.producerOf.get(x.tensor);
  const op = producer === undefined ? undefined : g.ops[producer];
  return op?.kind === 'conv2d' && op.output === x.tensor && g.uses.get(n.inputs[0]!) === 1;
}

function pool(g: OnnxGraph, n: OnnxNode, at: string): void {
  const x = input(g, n, at, 0, 'data');
  const global = n.opType.startsWith('Global');
  if (x.shape.length !== 4 && x.shape.length !== 3) fail(g, n, at, `only 1-D and 2-D pooling is costed; input has shape [${x.shape.join(', ')}]`, 'onnx_unsupported');
  const spatialIn = x.shape.slice(2);
  const kernel = global ? spatialIn : ints(n, 'kernel_shape');
  if (!kernel) fail(g, n, at, 'has no kernel_shape');
  const axes = global ? spatialIn.map(() => ({ stride: 1, padBegin: 0, padEnd: 0, out: 1 })) : windowAxes(g, n, at, spatialIn, kernel, int(n, 'ceil_mode', 0) === 1);
  const outShape = checkOut(g, n, at, [x.shape[0]!, x.shape[1]!, ...axes.map((a) => a.out)]);
  if (x.isStatic) return void g.set(n.outputs[0]!, { shape: outShape, elemType: x.elemType, isStatic: true });
  const two = <T>(v: T[], one: T): [T, T] => (v.length === 2 ? [v[0]!, v[1]!] : [one, v[0]!]);
  const [inH, inW] = two(spatialIn, 1);
  const [kH, kW] = two(kernel, 1);
  const [ah, aw] = two(axes, { stride: 1, padBegin: 0, padEnd: 0, out: 1 });
  // Symmetric padding for the cost model: the smallest that yields the ONNX output size.
  const padFor = (inSize: number, k: number, a: { stride: number; out: number }): number => Math.max(0, Math.ceil(((a.out - 1) * a.stride + k - inSize) / 2));
  const op: Op = {
    kind: 'pool', mode: n.opType.includes('Max') ? 'max' : 'avg', name: g.opName(n), inputs: [g.tensorOf(n.inputs[0]!)], output: '',
    batch: x.shape[0]!, channels: x.shape[1]!, inH, inW, kH, kW, strideH: ah.stride, strideW: aw.stride, padH: padFor(inH, kH, ah), padW: padFor(inW, kW, aw),
  };
  g.emit(op, n.outputs[0]!, outShape, { elemType: x.elemType });
}

/** Concat of activations: no arithmetic, but its inputs are read and its output written (a copy). */
function concat(g: OnnxGraph, n: OnnxNode, at: string): void {
  const vals = n.inputs.filter((s) => s).map((s) => g.get(s));
  if (vals.length === 0) fail(g, n, at, 'has no inputs', 'onnx_graph');
  const rank = vals[0]!.shape.length;
  const axis = axisOf(int(n, 'axis', 0), rank);
  if (axis === null) fail(g, n, at, `axis ${int(n, 'axis', 0)} is outside rank ${rank}`);
  const shape = [...vals[0]!.shape];
  for (const v of vals.slice(1)) {
    if (v.shape.length !== rank || v.shape.some((d, i) => i !== axis && d !== shape[i])) fail(g, n, at, `inputs [${vals[0]!.shape.join(', ')}] and [${v.shape.join(', ')}] differ outside axis ${axis}`);
    shape[axis] = shape[axis]! + v.shape[axis]!;
  }
  checkOut(g, n, at, shape);
  if (vals.every((v) => v.isStatic)) {
    const all = vals.every((v) => v.ints) && rank === 1 ? vals.flatMap((v) => v.ints!) : undefined;
    return void g.set(n.outputs[0]!, { shape, elemType: vals[0]!.elemType, isStatic: true, ...(all ? { ints: all } : {}) });
  }
  const dyn = n.inputs.filter((s) => s && !g.get(s).isStatic);
  if (dyn.length === 1) return passThrough(g, n, at, dyn[0]!, shape);
  const op: Op = { kind: 'eltwise', fn: 'concat', name: g.opName(n), inputs: dyn.map((s) => g.tensorOf(s)), output: '', elements: product(shape), ...opBits(g.get(dyn[0]!)) };
  g.emit(op, n.outputs[0]!, shape, { elemType: vals[0]!.elemType });
}

// ------------------------------------------------------------------ free operators (shapes)

function reshapeLike(g: OnnxGraph, n: OnnxNode, at: string): void {
  const x = input(g, n, at, 0, 'data');
  const s = x.shape;
  let shape: number[] | null = null;
  switch (n.opType) {
    case 'Reshape': {
      const spec = n.inputs.length > 1 ? staticInts(g, n, at, 1, 'shape') : ints(n, 'shape') ?? [];
      shape = reshapeTarget(s, spec, int(n, 'allowzero', 0) === 1);
      if (!shape) fail(g, n, at, `cannot reshape [${s.join(', ')}] (${product(s)} elements) to [${spec.join(', ')}]`);
      break;
    }
    case 'Flatten': {
      const axis = int(n, 'axis', 1);
      const a = axis < 0 ? axis + s.length : axis;
      if (a < 0 || a > s.length) fail(g, n, at, `axis ${axis} is outside rank ${s.length}`);
      shape = [product(s.slice(0, a)), product(s.slice(a))];
      break;
    }
    case 'Transpose': {
      const perm = ints(n, 'perm') ?? s.map((_, i) => s.length - 1 - i);
      if (perm.length !== s.length || new Set(perm).size !== s.length || perm.some((p) => !(p >= 0 && p < s.length))) fail(g, n, at, `perm [${perm.join(', ')}] is not a permutation of rank ${s.length}`);
      shape = perm.map((p) => s[p]!);
      break;
    }
    case 'Squeeze': {
      const axesGiven = n.inputs.length > 1 && n.inputs[1] ? staticInts(g, n, at, 1, 'axes') : ints(n, 'axes');
      const axes = (axesGiven ?? s.flatMap((d, i) => (d === 1 ? [i] : []))).map((a) => axisOf(a, s.length));
      if (axes.some((a) => a === null || s[a] !== 1)) fail(g, n, at, `cannot squeeze axes [${(axesGiven ?? []).join(', ')}] of [${s.join(', ')}]`);
      shape = s.filter((_, i) => !axes.includes(i));
      break;
    }
    case 'Unsqueeze': {
      const given = n.inputs.length > 1 ? staticInts(g, n, at, 1, 'axes') : ints(n, 'axes') ?? [];
      const rank = s.length + given.length;
      const axes = given.map((a) => axisOf(a, rank));
      if (axes.some((a) => a === null) || new Set(axes).size !== axes.length) fail(g, n, at, `bad axes [${given.join(', ')}] for rank ${rank}`);
      shape = [];
      let j = 0;
      for (let i = 0; i < rank; i++) shape.push(axes.includes(i) ? 1 : s[j++]!);
      break;
    }
    case 'Expand': {
      const target = staticInts(g, n, at, 1, 'shape');
      shape = broadcastShapes(s, target);
      if (!shape) fail(g, n, at, `cannot expand [${s.join(', ')}] to [${target.join(', ')}]`);
      break;
    }
  }
  // Reshaping keeps the values, so shape arithmetic survives it.
  passThrough(g, n, at, n.inputs[0]!, shape!, x.ints ? { ints: x.ints } : {});
}

function slice(g: OnnxGraph, n: OnnxNode, at: string): void {
  const x = input(g, n, at, 0, 'data');
  const old = n.inputs.length < 3;
  const starts = old ? ints(n, 'starts') ?? [] : staticInts(g, n, at, 1, 'starts');
  const ends = old ? ints(n, 'ends') ?? [] : staticInts(g, n, at, 2, 'ends');
  const axes = (old ? ints(n, 'axes') : n.inputs[3] ? staticInts(g, n, at, 3, 'axes') : undefined) ?? starts.map((_, i) => i);
  const steps = (!old && n.inputs[4] ? staticInts(g, n, at, 4, 'steps') : undefined) ?? starts.map(() => 1);
  if (ends.length !== starts.length || axes.length !== starts.length || steps.length !== starts.length) fail(g, n, at, 'starts, ends, axes and steps differ in length');
  const shape = [...x.shape];
  let values = x.ints && x.shape.length === 1 ? x.ints : undefined;
  axes.forEach((axis, i) => {
    const a = axisOf(axis, shape.length);
    if (a === null) fail(g, n, at, `axis ${axis} is outside rank ${shape.length}`);
    const len = sliceLength(shape[a]!, starts[i]!, ends[i]!, steps[i]!);
    if (len < 0) fail(g, n, at, 'a step of 0');
    if (values) {
      const dim = shape[a]!;
      const s0 = starts[i]! < 0 ? Math.max(starts[i]! + dim, steps[i]! > 0 ? 0 : -1) : Math.min(starts[i]!, steps[i]! > 0 ? dim : dim - 1);
      values = Array.from({ length: len }, (_, j) => values![s0 + j * steps[i]!]!);
    }
    shape[a] = len;
  });
  passThrough(g, n, at, n.inputs[0]!, shape, values ? { ints: values } : {});
}

function split(g: OnnxGraph, n: OnnxNode, at: string): void {
  const x = input(g, n, at, 0, 'data');
  const axis = axisOf(int(n, 'axis', 0), x.shape.length);
  if (axis === null) fail(g, n, at, `axis ${int(n, 'axis', 0)} is outside rank ${x.shape.length}`);
  const dim = x.shape[axis]!;
  const parts = n.outputs.length;
  const sizes = n.inputs[1] ? staticInts(g, n, at, 1, 'split') : ints(n, 'split') ?? Array.from({ length: parts }, (_, i) => Math.min(Math.ceil(dim / parts), Math.max(0, dim - i * Math.ceil(dim / parts))));
  if (sizes.length !== parts || sizes.reduce((a, b) => a + b, 0) !== dim) fail(g, n, at, `split sizes [${sizes.join(', ')}] do not add up to dim ${dim} over ${parts} outputs`);
  // Each part shares the input's tensor: its consumers read their slice from it.
  sizes.forEach((size, i) => passThrough(g, n, at, n.inputs[0]!, x.shape.map((d, j) => (j === axis ? size : d)), {}, i));
}

function gather(g: OnnxGraph, n: OnnxNode, at: string): void {
  const data = input(g, n, at, 0, 'data');
  const idx = input(g, n, at, 1, 'indices');
  const axis = axisOf(int(n, 'axis', 0), data.shape.length);
  if (axis === null) fail(g, n, at, `axis ${int(n, 'axis', 0)} is outside rank ${data.shape.length}`);
  const shape = [...data.shape.slice(0, axis), ...idx.shape, ...data.shape.slice(axis + 1)];
  let values: number[] | undefined;
  if (data.ints && idx.ints && data.shape.length === 1) {
    values = idx.ints.map((i) => data.ints![i < 0 ? i + data.ints!.length : i]!);
    if (values.some((v) => v === undefined)) fail(g, n, at, `indices [${idx.ints.join(', ')}] are out of range for [${data.ints.join(', ')}]`);
  }
  if (shape.length === 0) return void g.set(n.outputs[0]!, { shape: [], elemType: data.elemType, isStatic: allStatic(g, n), ...(values ? { ints: values } : {}) });
  if (data.isStatic && !idx.isStatic) {
    // A table lookup (embeddings): the rows come from memory, like a network input.
    checkOut(g, n, at, shape);
    return void g.set(n.outputs[0]!, { shape, elemType: data.elemType, isStatic: false });
  }
  passThrough(g, n, at, n.inputs[0]!, shape, values ? { ints: values } : {});
}

function shapeOf(g: OnnxGraph, n: OnnxNode, at: string): void {
  const x = input(g, n, at, 0, 'data');
  const r = x.shape.length;
  const clamp = (v: number): number => Math.min(Math.max(v < 0 ? v + r : v, 0), r);
  const dims = n.opType === 'Size' ? [product(x.shape)] : x.shape.slice(clamp(int(n, 'start', 0)), clamp(int(n, 'end', r)));
  g.set(n.outputs[0]!, { shape: n.opType === 'Size' ? [] : [dims.length], elemType: INT64, isStatic: true, ints: dims });
}

function constant(g: OnnxGraph, n: OnnxNode, at: string): void {
  const t = n.attrs.get('value')?.t;
  const listed = ints(n, 'value_ints');
  const one = n.attrs.get('value_int')?.i;
  const f = n.attrs.get('value_float')?.f;
  const floats = n.attrs.get('value_floats');
  if (t) {
    g.checkShape(t.dims, `node '${n.name}' (Constant) value`, at);
    return void g.set(n.outputs[0]!, { shape: t.dims, elemType: t.dataType, isStatic: true, ...(t.ints ? { ints: t.ints } : {}) });
  }
  if (listed) return void g.set(n.outputs[0]!, { shape: [listed.length], elemType: INT64, isStatic: true, ints: listed });
  if (one !== undefined) return void g.set(n.outputs[0]!, { shape: [], elemType: INT64, isStatic: true, ints: [one] });
  if (f !== undefined || floats) return void g.set(n.outputs[0]!, { shape: f !== undefined ? [] : [1], elemType: 1, isStatic: true });
  fail(g, n, at, 'has no value attribute this importer reads (value, value_int(s), value_float(s))', 'onnx_unsupported');
}

function cast(g: OnnxGraph, n: OnnxNode, at: string): void {
  const x = input(g, n, at, 0, 'data');
  passThrough(g, n, at, n.inputs[0]!, [...x.shape], { elemType: int(n, 'to', x.elemType), ...(x.ints ? { ints: x.ints } : {}) });
}

function dropoutLike(g: OnnxGraph, n: OnnxNode, at: string): void {
  const x = input(g, n, at, 0, 'data');
  // Inference: Dropout is the identity; its optional mask output is never used for compute.
  n.outputs.forEach((_, i) => passThrough(g, n, at, n.inputs[0]!, [...x.shape], x.ints ? { ints: x.ints } : {}, i));
}

function pad(g: OnnxGraph, n: OnnxNode, at: string): void {
  const x = input(g, n, at, 0, 'data');
  const pads = n.inputs[1] ? staticInts(g, n, at, 1, 'pads') : ints(n, 'pads') ?? [];
  const r = x.shape.length;
  const axes = n.inputs[3] ? staticInts(g, n, at, 3, 'axes').map((a) => axisOf(a, r)) : x.shape.map((_, i) => i);
  if (pads.length !== 2 * axes.length || axes.some((a) => a === null)) fail(g, n, at, `pads [${pads.join(', ')}] do not fit rank ${r}`);
  const shape = [...x.shape];
  axes.forEach((a, i) => (shape[a!] = shape[a!]! + pads[i]! + pads[i + axes.length]!));
  // Padding is generated on the fly by the consumer (a Conv's own padding): no op.
  passThrough(g, n, at, n.inputs[0]!, shape);
}

function quantizeLinear(g: OnnxGraph, n: OnnxNode, at: string): void {
  const x = input(g, n, at, 0, 'data');
  const outType = typeOf(g, n, 2, int(n, 'output_dtype', 0) || UINT8);
  passThrough(g, n, at, n.inputs[0]!, [...x.shape], { elemType: outType, bits: INT_BITS[outType] });
}

function dequantizeLinear(g: OnnxGraph, n: OnnxNode, at: string): void {
  const x = input(g, n, at, 0, 'data');
  // The float value keeps the bitwidth it was stored in: the Conv/MatMul it feeds computes at it.
  passThrough(g, n, at, n.inputs[0]!, [...x.shape], { elemType: 1, bits: bitsOf(x) });
}

// ------------------------------------------------------------------ the table

const HANDLERS: Record<string, Handler> = {
  Conv: (g, n, at) => conv(g, n, at, 0, 1, g.get(n.inputs[0]!).elemType),
  ConvInteger: (g, n, at) => conv(g, n, at, 0, 1, 6),
  QLinearConv: (g, n, at) => conv(g, n, at, 0, 3, typeOf(g, n, 7, UINT8)),
  ConvTranspose: convTranspose,
  MatMul: (g, n, at) => matmulLike(g, n, at, 0, 1, { transA: false, transB: false, gemm: false }),
  MatMulInteger: (g, n, at) => matmulLike(g, n, at, 0, 1, { transA: false, transB: false, gemm: false, outType: 6 }),
  QLinearMatMul: (g, n, at) => matmulLike(g, n, at, 0, 3, { transA: false, transB: false, gemm: false, outType: typeOf(g, n, 7, UINT8) }),
  Gemm: (g, n, at) => matmulLike(g, n, at, 0, 1, { transA: int(n, 'transA', 0) === 1, transB: int(n, 'transB', 0) === 1, gemm: true }),
  ...Object.fromEntries(Object.keys(BINARY).map((k) => [k, binary])),
  ...Object.fromEntries(Object.keys(UNARY).map((k) => [k, unary])),
  MaxPool: pool,
  AveragePool: pool,
  GlobalAveragePool: pool,
  GlobalMaxPool: pool,
  Concat: concat,
  Reshape: reshapeLike,
  Flatten: reshapeLike,
  Transpose: reshapeLike,
  Squeeze: reshapeLike,
  Unsqueeze: reshapeLike,
  Expand: reshapeLike,
  Slice: slice,
  Split: split,
  Gather: gather,
  Shape: shapeOf,
  Size: shapeOf,
  Constant: constant,
  Cast: cast,
  Identity: dropoutLike,
  Dropout: dropoutLike,
  Pad: pad,
  QuantizeLinear: quantizeLinear,
  DequantizeLinear: dequantizeLinear,
};

/** Every operator the importer knows (docs/WORKLOADS.md lists them; a test keeps the two in step). */
export const KNOWN_OPS: readonly string[] = Object.keys(HANDLERS).sort();
