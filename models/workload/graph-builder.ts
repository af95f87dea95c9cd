import { DseError } from '../../core/errors.ts';
import { outputSize } from '../op-size.ts';
import type { AttentionOp, Conv2dOp, EltwiseFn, EmbeddingOp, MatmulOp, Op, PoolOp, TensorSpec, Workload } from '../types.ts';

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
  /** A bias vector is stored with the weight. */
  bias?: boolean;
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

  /** A network input (read from DRAM, never written by an op); `persistent` for state such as a KV cache. */
  input(id: string, shape: number[], o: { persistent?: boolean } = {}): string {
    this.addTensor({ id, elements: product(shape), kind: 'input', shape: [...shape], ...(o.persistent ? { persistent: true } : {}) });
    return id;
  }

  /** Marks a tensor as persistent state (the rows an op appends to a KV cache). */
  persist(id: string): string {
    this.tensors[id] = { ...this.tensor(id), persistent: true };
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
    const op: MatmulOp = { kind: 'matmul', name, inputs: [input], output: name, m, n: o.outFeatures, k, count: 1, weightOperand: true, ...(o.bias ? { bias: true } : {}), ...bitsOf(o) };
    const outShape = o.inFeatures === undefined && o.rows === undefined ? [...inShape.slice(0, -1), o.outFeatures] : [m, o.outFeatures];
    return this.addOp(op, outShape);
  }

  /**
   * Mixture-of-experts linear layer over [batch, seq, features] tokens: each token goes through
   * `topK` of `experts` weights [inFeatures, outFeatures]. `perExpertInput`: the input holds
   * topK rows per token (the experts' own hidden states, as for a down projection) instead of
   * one shared row; the output holds topK rows per token unless `combine` sums them back
   * (weighted by the router) into one. `routing` is the router's output, the op's second input.
   */
  experts(name: string, input: string, routing: string, o: { outFeatures: number; experts: number; topK: number; perExpertInput: boolean; combine: boolean } & OpBits): string {
    const [batch, seq, width] = this.bsd(input, name);
    const k = o.perExpertInput ? width / o.topK : width;
    if (!Number.isInteger(k)) throw new DseError('bad_graph', `input width ${width} is not topK (${o.topK}) rows per token`, { path: name });
    const op: MatmulOp = {
      kind: 'matmul', name, inputs: [input, routing], output: name, m: batch * seq, n: o.outFeatures, k, count: 1, weightOperand: true,
      moe: { experts: o.experts, topK: o.topK }, ...bitsOf(o),
    };
    return this.addOp(op, [batch, seq, o.combine ? o.outFeatures : o.outFeatures * o.topK]);
  }

  /** Embedding lookup of every token id of `ids` ([batch, seq]) in a [vocab, dim] table. */
  embedding(name: string, ids: string, o: { vocab: number; dim: number; tiedToHead?: boolean } & OpBits): string {
    const shape = this.shape(ids);
    const op: EmbeddingOp = {
      kind: 'embedding', name, inputs: [ids], output: name, tokens: this.elements(ids), vocab: o.vocab, dim: o.dim,
      ...(o.tiedToHead ? { tiedToHead: true } : {}), ...bitsOf(o),
    };
    return this.addOp(op, [...shape, o.dim]);
  }

  /** `count` independent products A[m,k] x B[k,n] of two activations. */
  matmul(name: string, a: string, b: string, o: { m: number; n: number; k: number; count?: number } & OpBits): string {
    const count = o.count ?? 1;
    const op: MatmulOp = { kind: 'matmul', name, inputs: [a, b], output: name, m: o.m, n: o.n, k: o.k, count, weightOperand: false, ...bitsOf(o) };
    return this.addOp(op, count === 1 ? [o.m, o.n] : [count, o.m, o.n]);
  }

  /**
   * Multi-head attention over all heads, q shaped [batch, seq, heads*headDim], k and v
   * [batch, seqKV, kvHeads*headDim] (kvHeads < heads: grouped-query attention; default heads).
   * The key length comes from k's shape, so a KV cache longer than the queries is just a longer k.
   */
  attention(name: string, q: string, k: string, v: string, o: { heads: number; kvHeads?: number; causal: boolean; kvBits?: number } & OpBits): string {
    const [batch, seqQ, width] = this.bsd(q, name);
    const [, seqKV, widthK] = this.bsd(k, name);
    const kvHeads = o.kvHeads ?? o.heads;
    if (width % o.heads !== 0) throw new DseError('bad_graph', `width ${width} is not divisible by ${o.heads} heads`, { path: `${name}.heads` });
    if (o.heads % kvHeads !== 0) throw new DseError('bad_graph', `${o.heads} query heads are not a multiple of ${kvHeads} key/value heads`, { path: `${name}.kvHeads` });
    const headDim = width / o.heads;
    if (widthK !== kvHeads * headDim || this.elements(v) !== this.elements(k)) {
      throw new DseError('bad_graph', `k and v must be ${kvHeads} heads of ${headDim} (q ${width}, k ${widthK}) and share their size`, { path: name });
    }
    const op: AttentionOp = {
      kind: 'attention', name, inputs: [q, k, v], output: name,
      batch, heads: o.heads, seqQ, seqKV, headDim, causal: o.causal,
      ...(kvHeads !== o.heads ? { kvHeads } : {}), ...(o.kvBits !== undefined ? { kvBits: o.kvBits } : {}), ...bitsOf(o),
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

  /** Element-wise op; the output has the first input's shape. add/mul take two equal-sized inputs. `paramElements`: a norm's stored gain (and bias). */
  eltwise(name: string, fn: EltwiseFn, inputs: string[], o: OpBits & { paramElements?: number } = {}): string {
    const shape = this.shape(inputs[0]!);
    const elements = this.elements(inputs[0]!);
    for (const id of inputs.slice(1)) {
      if (this.elements(id) !== elements) {
        throw new DseError('bad_graph', `'${fn}' inputs differ in size ('${inputs[0]}' ${elements}, '${id}' ${this.elements(id)})`, { path: name });
      }
    }
    const params = o.paramElements ? { paramElements: o.paramElements } : {};
    return this.addOp({ kind: 'eltwise', name, fn, inputs: [...inputs], output: name, elements, ...params, ...bitsOf(o) }, shape);
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
