import { DseError } from '../../core/errors.ts';
import { outputSize } from '../op-size.ts';
import type { AttentionOp, Conv2dOp, EltwiseFn, MatmulOp, Op, PoolOp, TensorSpec, Workload } from '../types.ts';

/** Per-op bitwidth overrides, copied onto the op when given. */
export interface OpBits {
  weightBits?: number;
  activationBits?: number;
}

export interface ConvOptions extends OpBits {
  outC: number;
  /** Square kernel, or give kH/kW. */
  k?: number;
  kH?: number;
  kW?: number;
  stride?: number;
  /** Default: 'same'-style k/2 (floor), the usual choice for odd kernels in the zoo networks. */
  pad?: number;
  groups?: number;
}

export interface PoolOptions {
  mode: 'max' | 'avg';
  k: number;
  stride?: number;
  pad?: number;
}

export interface LinearOptions extends OpBits {
  outFeatures: number;
  /** Features per row; default the last dimension of the input's shape (give C*H*W after a conv). */
  inFeatures?: number;
  /**
   * Rows the layer reads, when it uses only some of the input (GPT-2's LM head on the last
   * token only); default all rows. The output is then shaped [rows, outFeatures].
   */
  rows?: number;
}

/**
 * Builds a Workload graph op by op. Each helper takes input tensor ids, derives the op's sizes
 * from the inputs' shapes (NCHW for conv/pool, [batch, seq, features] for transformers), adds
 * the op and its output tensor (id = op name) and returns that id. Ops are appended in call
 * order, so a builder used front to back yields a topological order by construction.
 */
export class GraphBuilder {
  private readonly tensors: Record<string, TensorSpec> = {};
  private readonly ops: Op[] = [];
  private readonly name: string;
  private readonly params: Record<string, number | string>;

  constructor(name: string, params: Record<string, number | string> = {}) {
    this.name = name;
    this.params = params;
  }

  /** A network input (read from DRAM, never written by an op). */
  input(id: string, shape: number[]): string {
    this.addTensor({ id, elements: product(shape), kind: 'input', shape: [...shape] });
    return id;
  }

  shape(id: string): number[] {
    return [...this.tensor(id).shape!];
  }

  elements(id: string): number {
    return this.tensor(id).elements;
  }

  conv(name: string, input: string, o: ConvOptions): string {
    const [batch, inC, inH, inW] = this.nchw(input, name);
    const kH = o.kH ?? o.k ?? 1;
    const kW = o.kW ?? o.k ?? 1;
    const stride = o.stride ?? 1;
    const padH = o.pad ?? Math.floor(kH / 2);
    const padW = o.pad ?? Math.floor(kW / 2);
    const op: Conv2dOp = {
      kind: 'conv2d', name, inputs: [input], output: name,
      batch, inH, inW, inC, outC: o.outC, kH, kW,
      strideH: stride, strideW: stride, padH, padW, groups: o.groups ?? 1,
      ...bitsOf(o),
    };
    const outH = outputSize(inH, kH, stride, padH);
    const outW = outputSize(inW, kW, stride, padW);
    return this.addOp(op, [batch, o.outC, outH, outW]);
  }

  /** Depthwise conv: one filter per channel (groups == inC == outC). */
  depthwise(name: string, input: string, o: Omit<ConvOptions, 'outC' | 'groups'>): string {
    const channels = this.nchw(input, name)[1];
    return this.conv(name, input, { ...o, outC: channels, groups: channels });
  }

  /** Fully connected layer: every row of the input times a stored weight [inFeatures, outFeatures]. */
  linear(name: string, input: string, o: LinearOptions): string {
    const inShape = this.shape(input);
    const k = o.inFeatures ?? inShape[inShape.length - 1]!;
    const elements = this.elements(input);
    if (elements % k !== 0) {
      throw new DseError('bad_graph', `input '${input}' has ${elements} elements, not a multiple of inFeatures ${k}`, { path: `${name}.inFeatures` });
    }
    const allRows = elements / k;
    const m = o.rows ?? allRows;
    if (!(m >= 1 && m <= allRows)) throw new DseError('bad_graph', `rows ${m} outside 1..${allRows}`, { path: `${name}.rows` });
    const op: MatmulOp = { kind: 'matmul', name, inputs: [input], output: name, m, n: o.outFeatures, k, count: 1, weightOperand: true, ...bitsOf(o) };
    const outShape = o.inFeatures === undefined && o.rows === undefined ? [...inShape.slice(0, -1), o.outFeatures] : [m, o.outFeatures];
    return this.addOp(op, outShape);
  }

  /** `count` independent products A[m,k] x B[k,n] of two activations. */
  matmul(name: string, a: string, b: string, o: { m: number; n: number; k: number; count?: number } & OpBits): string {
    const count = o.count ?? 1;
    const op: MatmulOp = { kind: 'matmul', name, inputs: [a, b], output: name, m: o.m, n: o.n, k: o.k, count, weightOperand: false, ...bitsOf(o) };
    return this.addOp(op, count === 1 ? [o.m, o.n] : [count, o.m, o.n]);
  }

  /**
   * Multi-head attention over all heads, inputs [q, k, v] shaped [batch, seq, heads*headDim].
   * The key length comes from k's shape, so a KV cache longer than the queries is just a longer k.
   */
  attention(name: string, q: string, k: string, v: string, o: { heads: number; causal: boolean } & OpBits): string {
    const [batch, seqQ, width] = this.bsd(q, name);
    const [, seqKV, widthK] = this.bsd(k, name);
    if (widthK !== width || this.elements(v) !== this.elements(k)) {
      throw new DseError('bad_graph', `q, k and v must share the feature width (q ${width}, k ${widthK}) and k and v their size`, { path: name });
    }
    if (width % o.heads !== 0) throw new DseError('bad_graph', `width ${width} is not divisible by ${o.heads} heads`, { path: `${name}.heads` });
    const op: AttentionOp = {
      kind: 'attention', name, inputs: [q, k, v], output: name,
      batch, heads: o.heads, seqQ, seqKV, headDim: width / o.heads, causal: o.causal, ...bitsOf(o),
    };
    return this.addOp(op, [batch, seqQ, width]);
  }

  pool(name: string, input: string, o: PoolOptions): string {
    const [batch, channels, inH, inW] = this.nchw(input, name);
    const stride = o.stride ?? o.k;
    const pad = o.pad ?? 0;
    const op: PoolOp = { kind: 'pool', name, inputs: [input], output: name, mode: o.mode, batch, channels, inH, inW, kH: o.k, kW: o.k, strideH: stride, strideW: stride, padH: pad, padW: pad };
    return this.addOp(op, [batch, channels, outputSize(inH, o.k, stride, pad), outputSize(inW, o.k, stride, pad)]);
  }

  /** Average over the whole feature map (ResNet/MobileNet heads): an avg pool whose kernel is the map. */
  globalAvgPool(name: string, input: string): string {
    const [, , h, w] = this.nchw(input, name);
    if (h !== w) throw new DseError('bad_graph', `global pool needs a square map, got ${h}x${w}`, { path: name });
    return this.pool(name, input, { mode: 'avg', k: h, stride: 1 });
  }

  /** Element-wise op; the output has the first input's shape. add/mul take two equal-sized inputs. */
  eltwise(name: string, fn: EltwiseFn, inputs: string[], o: OpBits = {}): string {
    const shape = this.shape(inputs[0]!);
    const elements = this.elements(inputs[0]!);
    for (const id of inputs.slice(1)) {
      if (this.elements(id) !== elements) {
        throw new DseError('bad_graph', `'${fn}' inputs differ in size ('${inputs[0]}' ${elements}, '${id}' ${this.elements(id)})`, { path: name });
      }
    }
    return this.addOp({ kind: 'eltwise', name, fn, inputs: [...inputs], output: name, elements, ...bitsOf(o) }, shape);
  }

  add(name: string, a: string, b: string): string {
    return this.eltwise(name, 'add', [a, b]);
  }

  build(): Workload {
    return { name: this.name, params: { ...this.params }, tensors: this.tensors, ops: this.ops };
  }

  private addOp(op: Op, outShape: number[]): string {
    for (const id of op.inputs) this.tensor(id);
    this.addTensor({ id: op.output, elements: product(outShape), kind: 'activation', shape: outShape });
    this.ops.push(op);
    return op.output;
  }

  private addTensor(t: TensorSpec): void {
    if (t.id in this.tensors) throw new DseError('bad_graph', `tensor id '${t.id}' is used twice`, { path: t.id });
    this.tensors[t.id] = t;
  }

  private tensor(id: string): TensorSpec & { shape: number[] } {
    const t = this.tensors[id];
    if (!t) throw new DseError('bad_graph', `no tensor '${id}' has been made yet`, { path: id });
    return { ...t, shape: t.shape ?? [t.elements] };
  }

  private nchw(id: string, op: string): [number, number, number, number] {
    const s = this.shape(id);
    if (s.length !== 4) throw new DseError('bad_graph', `'${id}' is not NCHW (shape [${s.join(', ')}])`, { path: op });
    return s as [number, number, number, number];
  }

  private bsd(id: string, op: string): [number, number, number] {
    const s = this.shape(id);
    if (s.length !== 3) throw new DseError('bad_graph', `'${id}' is not [batch, seq, features] (shape [${s.join(', ')}])`, { path: op });
    return s as [number, number, number];
  }
}

function product(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function bitsOf(o: OpBits): OpBits {
  const out: OpBits = {};
  if (o.weightBits !== undefined) out.weightBits = o.weightBits;
  if (o.activationBits !== undefined) out.activationBits = o.activationBits;
  return out;
}
