/**
 * The domain types every part of accel-dse shares: workload graphs, hardware, metrics, and
 * the traffic plan a schedule hands to the cost model. Pure data (plain JSON), so they cross
 * worker boundaries unchanged.
 */

// ---------------------------------------------------------------- workloads

/** A tensor flowing between operators. Weights are not tensors here: they belong to their op. */
export interface TensorSpec {
  id: string;
  /** Number of elements (batch included). */
  elements: number;
  /** `input`: a network input (read from DRAM once, never written); `activation`: produced by an op. */
  kind: 'input' | 'activation';
  /** Shape for display only, e.g. [1, 64, 56, 56] (NCHW) or [1, 128, 768]. */
  shape?: number[];
  /**
   * State kept between inferences (a decoder's KV cache): it stays on chip when all of the
   * workload's persistent tensors fit in half of the on-chip buffer, else it lives in DRAM.
   */
  persistent?: boolean;
}

interface OpBase {
  name: string;
  /** Ids of input tensors, in operand order. */
  inputs: string[];
  /** Id of the tensor this op produces. */
  output: string;
  /** Per-layer bitwidth overrides; otherwise the hardware's `weightBits` / `activationBits`. */
  weightBits?: number;
  activationBits?: number;
}

/** 2-D convolution, NCHW. Depthwise: groups == inC == outC. */
export interface Conv2dOp extends OpBase {
  kind: 'conv2d';
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  outC: number;
  kH: number;
  kW: number;
  strideH: number;
  strideW: number;
  padH: number;
  padW: number;
  groups: number;
  /**
   * Output size when the source defines it differently from PyTorch's floor rule: SCALE-Sim
   * topologies use ceil((H - Fh + S) / S) with no padding. Unset: computed by models/op-size.ts.
   */
  outH?: number;
  outW?: number;
}

/**
 * Matrix multiply C[M,N] = A[M,K] x B[K,N], repeated `count` times (batched matmul, heads).
 * `weightOperand: true` means B is a stored weight (a linear layer); false means both are activations.
 */
export interface MatmulOp extends OpBase {
  kind: 'matmul';
  m: number;
  n: number;
  k: number;
  count: number;
  weightOperand: boolean;
  /** A bias vector of n elements per product is stored with the weight (added in the accumulator). */
  bias?: boolean;
  /**
   * Mixture-of-experts: B is one of `experts` weights of the same shape; each of the m rows
   * (tokens) goes through `topK` of them, so MACs are m x topK x n x k and the distinct experts
   * read are E (1 - (1 - k/E)^m) on average (docs/COST_MODEL.md states the routing assumption).
   * Its second input is the router's output (which experts, with what weight).
   */
  moe?: { experts: number; topK: number };
}

/**
 * Scaled dot-product attention for all heads: per head S = Q K^T (seqQ x seqKV x headDim),
 * softmax over rows, O = S V. Inputs are [q, k, v]; with `causal`, only the lower triangle is computed.
 */
export interface AttentionOp extends OpBase {
  kind: 'attention';
  batch: number;
  heads: number;
  seqQ: number;
  seqKV: number;
  headDim: number;
  causal: boolean;
  /** Grouped-query attention: K and V have kvHeads heads, each shared by heads/kvHeads query heads (default heads). */
  kvHeads?: number;
  /** Bitwidth of K and V (a KV cache may be stored narrower than activations); default the hardware's kvBits. */
  kvBits?: number;
}

export interface PoolOp extends OpBase {
  kind: 'pool';
  mode: 'max' | 'avg';
  batch: number;
  channels: number;
  inH: number;
  inW: number;
  kH: number;
  kW: number;
  strideH: number;
  strideW: number;
  padH: number;
  padW: number;
}

export type EltwiseFn = 'add' | 'mul' | 'relu' | 'relu6' | 'gelu' | 'silu' | 'layernorm' | 'rmsnorm' | 'rotary' | 'softmax' | 'concat';

/**
 * Element-wise or row-wise op over `elements` output elements. add and mul take two inputs, or
 * one when the other operand is stored (a bias, a scale); concat takes one or more and only
 * moves data.
 */
export interface EltwiseOp extends OpBase {
  kind: 'eltwise';
  fn: EltwiseFn;
  elements: number;
  /** Stored parameters it reads (a norm's gain and bias), counted as weights; default 0. */
  paramElements?: number;
}

/**
 * Embedding lookup: `tokens` rows gathered from a stored [vocab, dim] table (the input holds
 * the token ids). No MACs; it reads the gathered rows, never the whole table.
 */
export interface EmbeddingOp extends OpBase {
  kind: 'embedding';
  tokens: number;
  vocab: number;
  dim: number;
  /** The table is also the LM head's weight (tied embeddings): counted there, not here. */
  tiedToHead?: boolean;
}

export type Op = Conv2dOp | MatmulOp | AttentionOp | PoolOp | EltwiseOp | EmbeddingOp;
export type OpKind = Op['kind'];

/** A DNN as a DAG: ops in a valid topological order, tensors keyed by id. */
export interface Workload {
  name: string;
  /** Parameters it was built with (resolution, seqLen, batch, phase...), for display and hashing. */
  params: Record<string, number | string>;
  tensors: Record<string, TensorSpec>;
  ops: Op[];
}

// ---------------------------------------------------------------- hardware

export type Dataflow = 'os' | 'ws' | 'is';
export type FusionPolicy = 'none' | 'greedy' | 'ilp';

/** A normalised accelerator description (every field set; see models/hardware.ts for defaults). */
export interface Hardware {
  peRows: number;
  peCols: number;
  dataflow: Dataflow;
  /** Split SRAMs per operand; when `glbKiB` is non-null the three are ignored and one shared buffer is used. */
  ifmapSramKiB: number;
  filterSramKiB: number;
  ofmapSramKiB: number;
  glbKiB: number | null;
  /** Register file per PE. */
  rfBytes: number;
  dramGBps: number;
  clockMHz: number;
  weightBits: number;
  activationBits: number;
  accumBits: number;
  /** Bitwidth of the KV cache (K and V of attention); null: activationBits. */
  kvBits: number | null;
  /** Key into the technology table, e.g. '45nm'. */
  techNode: string;
  /** How the workload is scheduled across layers (whole-tensor residency between ops). */
  fusion: FusionPolicy;
}

// ---------------------------------------------------------------- schedules

/**
 * What a schedule decides about off-chip traffic, in terms the cost model applies per op:
 * an input listed under its consumer is read from on-chip memory instead of DRAM, and an
 * output listed in `onChipWrites` is never written to DRAM. Everything else moves as in
 * layer-by-layer execution.
 */
export interface TrafficPlan {
  onChipReads: Record<string, string[]>;
  onChipWrites: string[];
}

// ---------------------------------------------------------------- metrics

export interface OperandCounts {
  ifmap: number;
  filter: number;
  ofmap: number;
}

export interface EnergyBreakdownPJ {
  mac: number;
  rf: number;
  sram: number;
  dram: number;
  /** Non-MAC arithmetic (softmax, layernorm, pooling, element-wise). */
  other: number;
}

export interface LayerMetrics {
  name: string;
  kind: OpKind;
  macs: number;
  computeCycles: number;
  /** Mean fraction of the PE array that folds use (SCALE-Sim's mapping efficiency), 0..1. */
  mappingEfficiency: number;
  /** MACs / (latencyCycles * PEs), 0..1. */
  utilization: number;
  stallCycles: number;
  latencyCycles: number;
  bound: 'compute' | 'memory';
  /** SRAM accesses in words, per operand. */
  sramReads: OperandCounts;
  sramWrites: OperandCounts;
  dramReadBytes: number;
  dramWriteBytes: number;
  energyPJ: number;
  energyBreakdownPJ: EnergyBreakdownPJ;
  /** Quantization-error proxy of this layer (see docs/COST_MODEL.md). */
  quantError: number;
}

export interface WorkloadMetrics {
  workload: string;
  macs: number;
  latencyCycles: number;
  latencyS: number;
  energyPJ: number;
  energyBreakdownPJ: EnergyBreakdownPJ;
  areaMM2: number;
  dramBytes: number;
  /** DRAM bytes that no schedule can avoid: network inputs read once, weights read once, outputs written once. */
  compulsoryDramBytes: number;
  /** Energy-delay product, pJ*s. */
  edp: number;
  quantError: number;
  utilization: number;
  layers: LayerMetrics[];
}
