import { onChipCapacityBytes } from '../hardware.ts';
import { attentionPairs, convOutHW, expectedDistinctExperts, opMacs, opWeightElements, opWeightReadElements } from '../op-size.ts';
import { techModel, type TechModel } from '../tech/nodes.ts';
import type {
  AttentionOp,
  Conv2dOp,
  EltwiseOp,
  EmbeddingOp,
  EnergyBreakdownPJ,
  Hardware,
  LayerMetrics,
  MatmulOp,
  Op,
  OperandCounts,
  PoolOp,
  TrafficPlan,
  Workload,
  WorkloadMetrics,
} from '../types.ts';
import { areaMM2 } from './area.ts';
import { attentionGroups, attentionTraffic, type AttentionTraffic } from './attention.ts';
import { accessEnergies, layerEnergy, sumEnergy, type AccessEnergies } from './energy.ts';
import { dotProductQuantError, requantError } from './quant-error.ts';
import { addResults, mappingEfficiency, scaleResult, systolicConv, systolicMatmul, type SystolicResult } from './systolic.ts';
import { NO_RESIDENCY, tileLayer, type Buffers, type Residency, type TilingResult } from './tiling.ts';
import { eltwiseWork, poolWork, vectorCycles, type VectorWork } from './vector-ops.ts';

/**
 * The analytical cost model: one layer at a time, layers back to back (docs/COST_MODEL.md).
 *   compute  SCALE-Sim v2's systolic cycles (+ vector-unit cycles for softmax in attention);
 *   memory   DRAM bytes from the tiling (or attention schedule) / DRAM bytes per cycle;
 *   latency  max(compute, memory) + min(compute, memory) / steps: with double buffering the
 *            next step's operands load while the current step computes, so only the first
 *            load (or last compute) of the `steps` steps is exposed; a step is a fold or a
 *            window of peRows + peCols cycles, whichever is finer;
 *   energy   event counts x per-event energies of the technology node.
 * A TrafficPlan removes DRAM reads of inputs it keeps on chip and DRAM writes of outputs it
 * keeps on chip; such tensors are whole on chip in space the scheduler reserved, so the tiling of
 * the other operands still uses the full buffers. Pure: same inputs, same numbers.
 */

/** Hardware-derived constants, computed once per (hardware, plan). */
interface Context {
  hw: Hardware;
  tech: TechModel;
  access: AccessEnergies;
  buffers: Buffers;
  ifmapSramBytes: number;
  filterSramBytes: number;
  ofmapSramBytes: number;
  onChipBytes: number;
  bytesPerCycle: number;
  pes: number;
  plan: TrafficPlan | undefined;
  onChipWrites: Set<string> | null;
  /** Persistent tensors (the KV cache) when they live on chip; null when they live in DRAM. */
  residentState: Set<string> | null;
}

/**
 * Whether a workload's persistent tensors (its KV cache) live on chip for this hardware, and
 * their bytes: they do when they take at most half of the on-chip buffer, leaving the other
 * half to the layers' tiles (a modelling choice, docs/COST_MODEL.md).
 */
export function persistentState(hw: Hardware, workload: Workload): { bytes: number; onChip: boolean } {
  let bytes = 0;
  // Elements by the KV width their readers set (0: the design's kvBits).
  for (const [bits, elements] of workloadShape(workload).persistentElementsByBits) bytes += (elements * (bits || (hw.kvBits ?? hw.activationBits))) / 8;
  return { bytes, onChip: bytes > 0 && bytes <= onChipCapacityBytes(hw) / 2 };
}

function makeContext(hw: Hardware, plan: TrafficPlan | undefined, workload?: Workload): Context {
  const state = workload ? persistentState(hw, workload) : { bytes: 0, onChip: false };
  // A resident KV cache takes its bytes out of every buffer the tiles use.
  const keep = state.onChip ? 1 - state.bytes / onChipCapacityBytes(hw) : 1;
  const unified = hw.glbKiB !== null ? hw.glbKiB * 1024 * keep : null;
  const ifmapSramBytes = unified ?? hw.ifmapSramKiB * 1024 * keep;
  const filterSramBytes = unified ?? hw.filterSramKiB * 1024 * keep;
  const ofmapSramBytes = unified ?? hw.ofmapSramKiB * 1024 * keep;
  const tech = techModel(hw.techNode);
  return {
    hw,
    tech,
    // SRAM access energy follows the physical buffer size, not what the cache leaves of it.
    access: accessEnergies(tech, hw.rfBytes, ifmapSramBytes / keep, filterSramBytes / keep, ofmapSramBytes / keep),
    buffers: { unifiedBytes: unified, ifmapBytes: ifmapSramBytes, filterBytes: filterSramBytes, ofmapBytes: ofmapSramBytes },
    ifmapSramBytes,
    filterSramBytes,
    ofmapSramBytes,
    onChipBytes: onChipCapacityBytes(hw) - (state.onChip ? state.bytes : 0),
    // GB/s = 1e9 bytes/s; MHz = 1e6 cycles/s.
    bytesPerCycle: (hw.dramGBps * 1e9) / (hw.clockMHz * 1e6),
    pes: hw.peRows * hw.peCols,
    plan,
    onChipWrites: plan && plan.onChipWrites.length > 0 ? onChipWriteSet(plan) : null,
    residentState: state.onChip && workload ? new Set(workloadShape(workload).persistentIds) : null,
  };
}

/**
 * The plan's on-chip writes as a set, built once per plan: `explainLayer` makes a context per
 * layer, and rebuilding an n-element set for each of n layers made `dse eval` of a 10,000-layer
 * fused chain quadratic (tens of seconds).
 */
const writeSets = new WeakMap<TrafficPlan, Set<string>>();
function onChipWriteSet(plan: TrafficPlan): Set<string> {
  let set = writeSets.get(plan);
  if (!set) {
    set = new Set(plan.onChipWrites);
    writeSets.set(plan, set);
  }
  return set;
}

function readsOnChip(ctx: Context, op: Op, tensor: string | undefined): boolean {
  if (tensor === undefined) return false;
  if (ctx.residentState !== null && ctx.residentState.has(tensor)) return true;
  if (!ctx.plan) return false;
  const list = ctx.plan.onChipReads[op.name];
  return list !== undefined && list.includes(tensor);
}

function writesOnChip(ctx: Context, op: Op): boolean {
  return (ctx.onChipWrites !== null && ctx.onChipWrites.has(op.output)) || (ctx.residentState !== null && ctx.residentState.has(op.output));
}

/** Whether any read or write of the op can be on chip (a plan, or a resident KV cache). */
function anyResidency(ctx: Context): boolean {
  return ctx.plan !== undefined || ctx.residentState !== null;
}

/** What the model decided for a layer, for explanations (dse eval, reports). */
export interface LayerDetail {
  tiling?: TilingResult;
  attention?: AttentionTraffic;
}

interface LayerParts {
  macs: number;
  sys: SystolicResult | null;
  extraComputeCycles: number;
  steps: number;
  sramReads: OperandCounts;
  sramWrites: OperandCounts;
  dramReadBytes: number;
  dramWriteBytes: number;
  mulBitsA: number;
  mulBitsB: number;
  ifmapBits: number;
  filterBits: number;
  vector: VectorWork;
  quantError: number;
}

const NO_VECTOR: VectorWork = Object.freeze({ adds: 0, muls: 0 });

function systolicPart(
  ctx: Context,
  op: Conv2dOp | MatmulOp,
  sys: SystolicResult,
  t: TilingResult,
  ab: number,
  bBits: number,
  fanIn: number,
  wb: number,
): LayerParts {
  const accB = ctx.hw.accumBits / 8;
  return {
    macs: opMacs(op),
    sys,
    extraComputeCycles: 0,
    steps: sys.folds,
    sramReads: {
      ifmap: sys.ifmapReads,
      filter: sys.filterReads,
      // partial sums accumulated across row folds, plus outputs read out to DRAM (accumulator-width words)
      ofmap: sys.ofmapReads + t.ofmapWriteBytes / accB,
    },
    sramWrites: {
      // DRAM fills
      ifmap: t.ifmapReadBytes / (ab / 8),
      filter: t.weightReadBytes / (bBits / 8),
      ofmap: sys.ofmapWrites + t.ofmapReadBytes / accB,
    },
    dramReadBytes: t.ifmapReadBytes + t.weightReadBytes + t.ofmapReadBytes,
    dramWriteBytes: t.ofmapWriteBytes,
    mulBitsA: ab,
    mulBitsB: bBits,
    ifmapBits: ab,
    filterBits: bBits,
    vector: NO_VECTOR,
    quantError: dotProductQuantError(fanIn, ab, wb),
  };
}

function convPart(ctx: Context, op: Conv2dOp, detail: LayerDetail | undefined): LayerParts {
  const hw = ctx.hw;
  const wb = op.weightBits ?? hw.weightBits;
  const ab = op.activationBits ?? hw.activationBits;
  const { outH, outW } = convOutHW(op);
  const sys = systolicConv(op, outH, outW, hw.peRows, hw.peCols, hw.dataflow);
  const cg = op.inC / op.groups;
  const t = tileLayer(
    {
      groups: op.groups, batch: op.batch, inC: cg, outC: op.outC / op.groups,
      inH: op.inH, inW: op.inW, outH, outW, kH: op.kH, kW: op.kW, strideH: op.strideH,
      ifmapBytes: ab / 8, weightBytes: wb / 8, outBytes: ab / 8, accumBytes: hw.accumBits / 8,
    },
    ctx.buffers,
    ctx.plan ? { ifmap: readsOnChip(ctx, op, op.inputs[0]), weights: false, ofmap: writesOnChip(ctx, op) } : NO_RESIDENCY,
  );
  if (detail) detail.tiling = t;
  return systolicPart(ctx, op, sys, t, ab, wb, cg * op.kH * op.kW, wb);
}

function matmulTiling(ctx: Context, op: MatmulOp, rows: number, residency: Residency, ab: number, bBits: number): TilingResult {
  return tileLayer(
    {
      groups: op.count, batch: 1, inC: op.k, outC: op.n, inH: rows, inW: 1, outH: rows, outW: 1, kH: 1, kW: 1, strideH: 1,
      ifmapBytes: ab / 8, weightBytes: bBits / 8, outBytes: ab / 8, accumBytes: ctx.hw.accumBits / 8,
    },
    ctx.buffers,
    residency,
  );
}

function matmulPart(ctx: Context, op: MatmulOp, detail: LayerDetail | undefined): LayerParts {
  const hw = ctx.hw;
  const ab = op.activationBits ?? hw.activationBits;
  // The B operand is a weight for a linear layer, another activation otherwise.
  const bBits = op.weightOperand ? (op.weightBits ?? hw.weightBits) : ab;
  const residency = anyResidency(ctx)
    ? { ifmap: readsOnChip(ctx, op, op.inputs[0]), weights: !op.weightOperand && readsOnChip(ctx, op, op.inputs[1]), ofmap: writesOnChip(ctx, op) }
    : NO_RESIDENCY;
  if (op.moe) return expertsPart(ctx, op, op.moe, residency, detail, ab, bBits);
  const sys = systolicMatmul(op.m, op.n, op.k, op.count, hw.peRows, hw.peCols, hw.dataflow);
  const t = matmulTiling(ctx, op, op.m, residency, ab, bBits);
  if (detail) detail.tiling = t;
  return systolicPart(ctx, op, sys, t, ab, bBits, op.k, bBits);
}

/**
 * A mixture-of-experts layer: the m tokens pick topK experts each, so D = E (1 - (1 - k/E)^m)
 * distinct experts run (expected value under uniform independent routing), each on
 * r = m k / D rows on average. Each runs as its own matmul: weights read once per distinct
 * expert, so small batches read few experts and large ones read them all. A fractional r is
 * costed as the mix of floor(r) and ceil(r) rows that averages to r.
 */
function expertsPart(
  ctx: Context,
  op: MatmulOp,
  moe: { experts: number; topK: number },
  residency: Residency,
  detail: LayerDetail | undefined,
  ab: number,
  bBits: number,
): LayerParts {
  const hw = ctx.hw;
  const experts = expectedDistinctExperts(moe.experts, moe.topK, op.m);
  const rows = (op.m * moe.topK) / experts;
  const lo = Math.max(1, Math.floor(rows));
  const hi = Math.ceil(rows);
  const hiShare = hi === lo ? 0 : rows - lo;
  const atRows = (r: number): SystolicResult => systolicMatmul(r, op.n, op.k, op.count, hw.peRows, hw.peCols, hw.dataflow);
  let sys = scaleResult(atRows(lo), experts * (1 - hiShare));
  if (hiShare > 0) sys = addResults(sys, scaleResult(atRows(hi), experts * hiShare));
  // Activation traffic follows the rows; weights are read once per distinct expert.
  const t1 = matmulTiling(ctx, op, hi, residency, ab, bBits);
  const act = (experts * rows) / hi;
  const t: TilingResult = {
    ...t1,
    ifmapReadBytes: t1.ifmapReadBytes * act,
    weightReadBytes: t1.weightReadBytes * experts,
    ofmapReadBytes: t1.ofmapReadBytes * act,
    ofmapWriteBytes: t1.ofmapWriteBytes * act,
    dramBytes: (t1.ifmapReadBytes + t1.ofmapReadBytes + t1.ofmapWriteBytes) * act + t1.weightReadBytes * experts,
    compulsoryBytes: t1.compulsoryBytes * act,
  };
  if (detail) detail.tiling = t;
  return systolicPart(ctx, op, sys, t, ab, bBits, op.k, bBits);
}

function attentionPart(ctx: Context, op: AttentionOp, detail: LayerDetail | undefined): LayerParts {
  const hw = ctx.hw;
  const ab = op.activationBits ?? hw.activationBits;
  const instances = op.batch * op.heads;
  const pairs = attentionPairs(op);
  const full = op.seqQ * op.seqKV;
  // Per head: S = Q K^T is (seqQ x headDim) x (headDim x seqKV); O = P V is (seqQ x seqKV) x (seqKV x headDim).
  const qk = systolicMatmul(op.seqQ, op.seqKV, op.headDim, 1, hw.peRows, hw.peCols, hw.dataflow);
  const av = systolicMatmul(op.seqQ, op.headDim, op.seqKV, 1, hw.peRows, hw.peCols, hw.dataflow);
  let perHead = addResults(qk, av);
  if (pairs !== full) {
    // Causal: folds entirely above the diagonal are skipped; we scale cycles and accesses by the
    // fraction of query-key pairs computed (mapping efficiency is unchanged).
    perHead = scaleResult(perHead, pairs / full);
  }
  const sys = scaleResult(perHead, instances);
  const softmaxElems = instances * pairs;
  const vector = eltwiseWork('softmax', softmaxElems);
  const bytes = ab / 8;
  const kvBytes = (op.kvBits ?? hw.kvBits ?? ab) / 8;
  // Grouped-query attention: the heads/kvHeads query heads of a group share one K and V, so
  // the traffic is that of one K/V head attended by all the group's query rows.
  const { groups: kvInstances, shape } = attentionGroups(op);
  const mElements = Math.floor(ctx.onChipBytes / Math.max(bytes, kvBytes));
  const traffic = attentionTraffic(
    shape,
    mElements,
    {
      q: readsOnChip(ctx, op, op.inputs[0]),
      k: readsOnChip(ctx, op, op.inputs[1]),
      v: readsOnChip(ctx, op, op.inputs[2]),
      o: writesOnChip(ctx, op),
    },
  );
  if (detail) detail.attention = traffic;
  const kvReadEl = traffic.kvReadElements * kvInstances;
  const readEl = traffic.readElements * kvInstances;
  const writeEl = traffic.writeElements * kvInstances;
  return {
    macs: opMacs(op),
    sys,
    extraComputeCycles: vectorCycles(vector, hw.peCols),
    steps: sys.folds,
    // The vector unit reads S and writes P through the ofmap buffer.
    sramReads: { ifmap: sys.ifmapReads, filter: sys.filterReads, ofmap: sys.ofmapReads + softmaxElems + writeEl },
    sramWrites: { ifmap: readEl, filter: 0, ofmap: sys.ofmapWrites + softmaxElems },
    dramReadBytes: (readEl - kvReadEl) * bytes + kvReadEl * kvBytes,
    dramWriteBytes: writeEl * bytes,
    mulBitsA: ab,
    mulBitsB: kvBytes * 8,
    ifmapBits: ab,
    filterBits: ab,
    vector,
    quantError: dotProductQuantError(op.headDim + op.seqKV, ab, kvBytes * 8),
  };
}

function vectorPart(ctx: Context, op: PoolOp | EltwiseOp, workload: Workload): LayerParts {
  const hw = ctx.hw;
  const ab = op.activationBits ?? hw.activationBits;
  const bytes = ab / 8;
  let inElements = 0;
  let dramInElements = 0;
  let outElements: number;
  let vector: VectorWork;
  let sramReadsIfmap: number;
  let paramBytes = 0;
  if (op.kind === 'pool') {
    const { outH, outW } = convOutHW(op);
    outElements = op.batch * op.channels * outH * outW;
    inElements = op.batch * op.channels * op.inH * op.inW;
    if (!readsOnChip(ctx, op, op.inputs[0])) dramInElements = inElements;
    vector = poolWork(op, outElements);
    sramReadsIfmap = outElements * op.kH * op.kW;
  } else {
    outElements = op.elements;
    for (const id of op.inputs) {
      const e = workload.tensors[id]?.elements ?? op.elements;
      inElements += e;
      if (!readsOnChip(ctx, op, id)) dramInElements += e;
    }
    vector = eltwiseWork(op.fn, op.elements);
    // A norm's gain and bias come from DRAM with the input (at weight width, below).
    paramBytes = ((op.paramElements ?? 0) * (op.weightBits ?? hw.weightBits)) / 8;
    // Row-wise ops (layernorm, softmax) make a statistics pass and a normalising pass.
    const passes = op.fn === 'layernorm' || op.fn === 'softmax' ? 2 : 1;
    sramReadsIfmap = inElements * passes;
  }
  const dramOutElements = writesOnChip(ctx, op) ? 0 : outElements;
  return {
    macs: 0,
    sys: null,
    extraComputeCycles: vectorCycles(vector, hw.peCols),
    // Streaming: loads, vector work and stores overlap element by element.
    steps: 0,
    sramReads: { ifmap: sramReadsIfmap, filter: 0, ofmap: dramOutElements },
    sramWrites: { ifmap: dramInElements, filter: 0, ofmap: outElements },
    dramReadBytes: dramInElements * bytes + paramBytes,
    dramWriteBytes: dramOutElements * bytes,
    mulBitsA: ab,
    mulBitsB: ab,
    ifmapBits: ab,
    filterBits: ab,
    vector,
    quantError: requantError(ab),
  };
}

/** An embedding lookup: the ids in, the gathered table rows (weight width) in, the rows out. No arithmetic. */
function embeddingPart(ctx: Context, op: EmbeddingOp): LayerParts {
  const hw = ctx.hw;
  const ab = op.activationBits ?? hw.activationBits;
  const wb = op.weightBits ?? hw.weightBits;
  const idElements = readsOnChip(ctx, op, op.inputs[0]) ? 0 : op.tokens;
  const rowElements = Math.min(op.tokens, op.vocab) * op.dim;
  const outElements = op.tokens * op.dim;
  const dramOutElements = writesOnChip(ctx, op) ? 0 : outElements;
  return {
    macs: 0,
    sys: null,
    extraComputeCycles: 0,
    steps: 0,
    sramReads: { ifmap: op.tokens, filter: outElements, ofmap: dramOutElements },
    sramWrites: { ifmap: idElements, filter: rowElements, ofmap: outElements },
    dramReadBytes: (idElements * ab + rowElements * wb) / 8,
    dramWriteBytes: (dramOutElements * ab) / 8,
    mulBitsA: ab,
    mulBitsB: wb,
    ifmapBits: ab,
    filterBits: wb,
    vector: NO_VECTOR,
    quantError: 0,
  };
}

function evaluateInContext(ctx: Context, op: Op, workload: Workload, detail?: LayerDetail): LayerMetrics {
  let p: LayerParts;
  switch (op.kind) {
    case 'conv2d': p = convPart(ctx, op, detail); break;
    case 'matmul': p = matmulPart(ctx, op, detail); break;
    case 'attention': p = attentionPart(ctx, op, detail); break;
    case 'pool':
    case 'eltwise': p = vectorPart(ctx, op, workload); break;
    case 'embedding': p = embeddingPart(ctx, op); break;
  }
  const hw = ctx.hw;
  const computeCycles = (p.sys ? p.sys.computeCycles : 0) + p.extraComputeCycles;
  const dramBytes = p.dramReadBytes + p.dramWriteBytes;
  const memCycles = dramBytes / ctx.bytesPerCycle;
  // Double-buffering granularity: a fold, or a window of peRows + peCols cycles (one pass of
  // data through the array) inside long folds; vector ops stream element by element.
  const steps = p.steps > 0 ? Math.max(p.steps, Math.ceil(computeCycles / (hw.peRows + hw.peCols))) : Math.max(1, computeCycles);
  const hi = Math.max(computeCycles, memCycles);
  const lo = Math.min(computeCycles, memCycles);
  const latencyCycles = Math.ceil(hi + lo / steps);
  const breakdown = layerEnergy(ctx.tech, ctx.access, hw.accumBits, p, dramBytes);
  return {
    name: op.name,
    kind: op.kind,
    macs: p.macs,
    computeCycles,
    mappingEfficiency: p.sys ? mappingEfficiency(p.sys, hw.peRows, hw.peCols) : 0,
    utilization: latencyCycles > 0 ? p.macs / (latencyCycles * ctx.pes) : 0,
    stallCycles: latencyCycles - computeCycles,
    latencyCycles,
    bound: memCycles > computeCycles ? 'memory' : 'compute',
    sramReads: p.sramReads,
    sramWrites: p.sramWrites,
    dramReadBytes: p.dramReadBytes,
    dramWriteBytes: p.dramWriteBytes,
    energyPJ: sumEnergy(breakdown),
    energyBreakdownPJ: breakdown,
    quantError: p.quantError,
  };
}

/** Cost of one op of `workload` on `hw`, with an optional traffic plan from the scheduler. */
export function evaluateLayer(hw: Hardware, op: Op, workload: Workload, plan?: TrafficPlan): LayerMetrics {
  return evaluateInContext(makeContext(hw, plan, workload), op, workload);
}

/** The same, with what the model decided (tiling order and tile, attention schedule). */
export function explainLayer(hw: Hardware, op: Op, workload: Workload, plan?: TrafficPlan): { metrics: LayerMetrics; detail: LayerDetail } {
  const detail: LayerDetail = {};
  const metrics = evaluateInContext(makeContext(hw, plan, workload), op, workload, detail);
  return { metrics, detail };
}

/**
 * Hardware-independent facts of a workload's structure, computed once per workload object:
 * for each op, the elements of network inputs it is the first to read and of network outputs
 * (tensors no op reads) it produces, split into persistent (KV cache) and other elements; and
 * for each op the first op it is a repeat of (same sizes, same kinds of tensors in and out,
 * only the names differ), so that a network of identical blocks costs each distinct op once.
 */
interface WorkloadShape {
  firstInputElements: Float64Array;
  outputElements: Float64Array;
  /** The persistent parts of firstInputElements (a KV cache, read at the KV width) and of outputElements (the rows appended to it). */
  persistentInElements: Float64Array;
  persistentOutElements: Float64Array;
  weightElements: Float64Array;
  /** Persistent input elements (the KV cache) by the kvBits of the op reading them (0: unset). */
  persistentElementsByBits: Map<number, number>;
  persistentIds: string[];
  /** Index of the first op this op repeats (itself when it is the first). */
  repeatOf: Int32Array;
}

const shapeCache = new WeakMap<Workload, WorkloadShape>();

function workloadShape(workload: Workload): WorkloadShape {
  let s = shapeCache.get(workload);
  if (s) return s;
  const n = workload.ops.length;
  const shape: WorkloadShape = {
    firstInputElements: new Float64Array(n), outputElements: new Float64Array(n), persistentInElements: new Float64Array(n), persistentOutElements: new Float64Array(n),
    weightElements: new Float64Array(n), persistentElementsByBits: new Map(), persistentIds: [], repeatOf: new Int32Array(n),
  };
  for (const t of Object.values(workload.tensors)) {
    if (t.persistent) shape.persistentIds.push(t.id);
  }
  const consumed = new Set<string>();
  for (const op of workload.ops) for (const id of op.inputs) consumed.add(id);
  const seen = new Set<string>();
  const firstOfKey = new Map<string, number>();
  workload.ops.forEach((op, i) => {
    shape.weightElements[i] = opWeightReadElements(op);
    for (const id of op.inputs) {
      const t = workload.tensors[id];
      if (t && t.kind === 'input' && !seen.has(id)) {
        seen.add(id);
        shape.firstInputElements[i] += t.elements;
        if (t.persistent) {
          // The cache is the persistent inputs; rows an op appends are already counted in them.
          shape.persistentInElements[i] += t.elements;
          const bits = (op.kind === 'attention' ? op.kvBits : undefined) ?? 0;
          shape.persistentElementsByBits.set(bits, (shape.persistentElementsByBits.get(bits) ?? 0) + t.elements);
        }
      }
    }
    const out = workload.tensors[op.output];
    if (!consumed.has(op.output)) {
      shape.outputElements[i] = out?.elements ?? 0;
      if (out?.persistent) shape.persistentOutElements[i] += out.elements;
    }
    const key = repeatKey(workload, op);
    const first = firstOfKey.get(key);
    if (first === undefined) firstOfKey.set(key, i);
    shape.repeatOf[i] = first ?? i;
  });
  shapeCache.set(workload, shape);
  return shape;
}

/** What the cost of an op depends on besides the hardware and the plan: the op minus its names, and its tensors' sizes and kinds. */
function repeatKey(workload: Workload, op: Op): string {
  const { name: _name, inputs, output, ...sizes } = op;
  const tensorKey = (id: string): string => {
    const t = workload.tensors[id];
    return t ? `${t.elements}${t.kind === 'input' ? 'i' : 'a'}${t.persistent ? 'p' : ''}` : '?';
  };
  return `${JSON.stringify(sizes)}|${inputs.map(tensorKey).join(',')}|${tensorKey(output)}`;
}

/**
 * DRAM bytes no schedule avoids: each network input read once (at its first reader's width),
 * each weight read once (an embedding's gathered rows, the experts tokens are routed to), each
 * network output (a tensor no op reads) written once. A KV cache that lives on chip moves nothing.
 */
export function compulsoryDramBytes(hw: Hardware, workload: Workload): number {
  const s = workloadShape(workload);
  const stateOnChip = persistentState(hw, workload).onChip;
  let bytes = 0;
  for (let i = 0; i < workload.ops.length; i++) {
    const op = workload.ops[i]!;
    const ab = (op.activationBits ?? hw.activationBits) / 8;
    const wb = (op.weightBits ?? hw.weightBits) / 8;
    const kvb = ((op.kind === 'attention' ? op.kvBits : undefined) ?? hw.kvBits ?? op.activationBits ?? hw.activationBits) / 8;
    const cacheIn = s.persistentInElements[i]!;
    const cacheOut = s.persistentOutElements[i]!;
    const io = s.firstInputElements[i]! - cacheIn + s.outputElements[i]! - cacheOut;
    bytes += s.weightElements[i]! * wb + io * ab + (stateOnChip ? 0 : cacheIn * kvb + cacheOut * ab);
  }
  return bytes;
}

/** A repeated op's key under a plan: which of its reads and its write stay on chip. */
function residencyBits(ctx: Context, op: Op): number {
  let bits = writesOnChip(ctx, op) ? 1 : 0;
  for (let j = 0; j < op.inputs.length; j++) if (readsOnChip(ctx, op, op.inputs[j])) bits |= 2 << j;
  return bits;
}

/** What evaluateWorkload returns besides the totals. */
export interface WorkloadCostOptions {
  /**
   * false: leave `layers` empty. A study's trial records only the totals, and giving every
   * repeated op its own named copy of its metrics was about a fifth of a ResNet-50 evaluation.
   */
  layers?: boolean;
}

/**
 * Cost of a whole workload, layers run one after another. An op that repeats an earlier one
 * (same sizes, same residency) gets a copy of its metrics: 80 identical decoder layers cost
 * one layer's work.
 */
export function evaluateWorkload(hw: Hardware, workload: Workload, plan?: TrafficPlan, opts: WorkloadCostOptions = {}): WorkloadMetrics {
  const keepLayers = opts.layers !== false;
  const ctx = makeContext(hw, plan, workload);
  const shape = workloadShape(workload);
  const layers: LayerMetrics[] = new Array(workload.ops.length);
  const residencyMatters = anyResidency(ctx);
  const byResidency = residencyMatters ? new Map<string, LayerMetrics>() : null;
  let macs = 0;
  let latencyCycles = 0;
  let dramBytes = 0;
  let quantError = 0;
  const e: EnergyBreakdownPJ = { mac: 0, rf: 0, sram: 0, dram: 0, other: 0 };
  for (let i = 0; i < workload.ops.length; i++) {
    const op = workload.ops[i]!;
    const first = shape.repeatOf[i]!;
    let m: LayerMetrics;
    if (byResidency) {
      const key = `${first}:${residencyBits(ctx, op)}`;
      const hit = byResidency.get(key);
      m = hit ? (keepLayers ? { ...hit, name: op.name } : hit) : evaluateInContext(ctx, op, workload);
      if (!hit) byResidency.set(key, m);
    } else {
      m = first < i ? (keepLayers ? { ...layers[first]!, name: op.name } : layers[first]!) : evaluateInContext(ctx, op, workload);
    }
    layers[i] = m;
    macs += m.macs;
    latencyCycles += m.latencyCycles;
    dramBytes += m.dramReadBytes + m.dramWriteBytes;
    quantError += m.quantError;
    const b = m.energyBreakdownPJ;
    e.mac += b.mac; e.rf += b.rf; e.sram += b.sram; e.dram += b.dram; e.other += b.other;
  }
  const energyPJ = sumEnergy(e);
  const latencyS = latencyCycles / (hw.clockMHz * 1e6);
  return {
    workload: workload.name,
    macs,
    latencyCycles,
    latencyS,
    energyPJ,
    energyBreakdownPJ: e,
    areaMM2: areaMM2(hw),
    dramBytes,
    compulsoryDramBytes: compulsoryDramBytes(hw, workload),
    edp: energyPJ * latencyS,
    quantError,
    utilization: latencyCycles > 0 ? macs / (latencyCycles * ctx.pes) : 0,
    layers: keepLayers ? layers : [],
  };
}
