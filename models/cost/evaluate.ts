import { onChipCapacityBytes } from '../hardware.ts';
import { attentionPairs, convOutHW, opMacs, opWeightElements } from '../op-size.ts';
import { techModel, type TechModel } from '../tech/nodes.ts';
import type {
  AttentionOp,
  Conv2dOp,
  EltwiseOp,
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
import { attentionTraffic, type AttentionTraffic } from './attention.ts';
import { accessEnergies, layerEnergy, sumEnergy, type AccessEnergies } from './energy.ts';
import { dotProductQuantError, requantError } from './quant-error.ts';
import { addResults, mappingEfficiency, scaleResult, systolicConv, systolicMatmul, type SystolicResult } from './systolic.ts';
import { NO_RESIDENCY, tileLayer, type Buffers, type TilingResult } from './tiling.ts';
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
}

function makeContext(hw: Hardware, plan: TrafficPlan | undefined): Context {
  const unified = hw.glbKiB !== null ? hw.glbKiB * 1024 : null;
  const ifmapSramBytes = unified ?? hw.ifmapSramKiB * 1024;
  const filterSramBytes = unified ?? hw.filterSramKiB * 1024;
  const ofmapSramBytes = unified ?? hw.ofmapSramKiB * 1024;
  const tech = techModel(hw.techNode);
  return {
    hw,
    tech,
    access: accessEnergies(tech, hw.rfBytes, ifmapSramBytes, filterSramBytes, ofmapSramBytes),
    buffers: { unifiedBytes: unified, ifmapBytes: hw.ifmapSramKiB * 1024, filterBytes: hw.filterSramKiB * 1024, ofmapBytes: hw.ofmapSramKiB * 1024 },
    ifmapSramBytes,
    filterSramBytes,
    ofmapSramBytes,
    onChipBytes: onChipCapacityBytes(hw),
    // GB/s = 1e9 bytes/s; MHz = 1e6 cycles/s.
    bytesPerCycle: (hw.dramGBps * 1e9) / (hw.clockMHz * 1e6),
    pes: hw.peRows * hw.peCols,
    plan,
    onChipWrites: plan && plan.onChipWrites.length > 0 ? onChipWriteSet(plan) : null,
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
  if (!ctx.plan || tensor === undefined) return false;
  const list = ctx.plan.onChipReads[op.name];
  return list !== undefined && list.includes(tensor);
}

function writesOnChip(ctx: Context, op: Op): boolean {
  return ctx.onChipWrites !== null && ctx.onChipWrites.has(op.output);
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

function matmulPart(ctx: Context, op: MatmulOp, detail: LayerDetail | undefined): LayerParts {
  const hw = ctx.hw;
  const ab = op.activationBits ?? hw.activationBits;
  // The B operand is a weight for a linear layer, another activation otherwise.
  const bBits = op.weightOperand ? (op.weightBits ?? hw.weightBits) : ab;
  const sys = systolicMatmul(op.m, op.n, op.k, op.count, hw.peRows, hw.peCols, hw.dataflow);
  const t = tileLayer(
    {
      groups: op.count, batch: 1, inC: op.k, outC: op.n, inH: op.m, inW: 1, outH: op.m, outW: 1, kH: 1, kW: 1, strideH: 1,
      ifmapBytes: ab / 8, weightBytes: bBits / 8, outBytes: ab / 8, accumBytes: hw.accumBits / 8,
    },
    ctx.buffers,
    ctx.plan
      ? { ifmap: readsOnChip(ctx, op, op.inputs[0]), weights: !op.weightOperand && readsOnChip(ctx, op, op.inputs[1]), ofmap: writesOnChip(ctx, op) }
      : NO_RESIDENCY,
  );
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
  const mElements = Math.floor(ctx.onChipBytes / bytes);
  const traffic = attentionTraffic(
    { seqQ: op.seqQ, seqKV: op.seqKV, headDim: op.headDim },
    mElements,
    {
      q: readsOnChip(ctx, op, op.inputs[0]),
      k: readsOnChip(ctx, op, op.inputs[1]),
      v: readsOnChip(ctx, op, op.inputs[2]),
      o: writesOnChip(ctx, op),
    },
  );
  if (detail) detail.attention = traffic;
  const readEl = traffic.readElements * instances;
  const writeEl = traffic.writeElements * instances;
  return {
    macs: opMacs(op),
    sys,
    extraComputeCycles: vectorCycles(vector, hw.peCols),
    steps: sys.folds,
    // The vector unit reads S and writes P through the ofmap buffer.
    sramReads: { ifmap: sys.ifmapReads, filter: sys.filterReads, ofmap: sys.ofmapReads + softmaxElems + writeEl },
    sramWrites: { ifmap: readEl, filter: 0, ofmap: sys.ofmapWrites + softmaxElems },
    dramReadBytes: readEl * bytes,
    dramWriteBytes: writeEl * bytes,
    mulBitsA: ab,
    mulBitsB: ab,
    ifmapBits: ab,
    filterBits: ab,
    vector,
    quantError: dotProductQuantError(op.headDim + op.seqKV, ab, ab),
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
    dramReadBytes: dramInElements * bytes,
    dramWriteBytes: dramOutElements * bytes,
    mulBitsA: ab,
    mulBitsB: ab,
    ifmapBits: ab,
    filterBits: ab,
    vector,
    quantError: requantError(ab),
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
  return evaluateInContext(makeContext(hw, plan), op, workload);
}

/** The same, with what the model decided (tiling order and tile, attention schedule). */
export function explainLayer(hw: Hardware, op: Op, workload: Workload, plan?: TrafficPlan): { metrics: LayerMetrics; detail: LayerDetail } {
  const detail: LayerDetail = {};
  const metrics = evaluateInContext(makeContext(hw, plan), op, workload, detail);
  return { metrics, detail };
}

/**
 * Hardware-independent facts of a workload's structure, computed once per workload object:
 * for each op, the elements of network inputs it is the first to read and of network outputs
 * (tensors no op reads) it produces.
 */
interface WorkloadShape {
  firstInputElements: Float64Array;
  outputElements: Float64Array;
  weightElements: Float64Array;
}

const shapeCache = new WeakMap<Workload, WorkloadShape>();

function workloadShape(workload: Workload): WorkloadShape {
  let s = shapeCache.get(workload);
  if (s) return s;
  const n = workload.ops.length;
  s = { firstInputElements: new Float64Array(n), outputElements: new Float64Array(n), weightElements: new Float64Array(n) };
  const consumed = new Set<string>();
  for (const op of workload.ops) for (const id of op.inputs) consumed.add(id);
  const seen = new Set<string>();
  workload.ops.forEach((op, i) => {
    s!.weightElements[i] = opWeightElements(op);
    for (const id of op.inputs) {
      const t = workload.tensors[id];
      if (t && t.kind === 'input' && !seen.has(id)) {
        seen.add(id);
        s!.firstInputElements[i] += t.elements;
      }
    }
    if (!consumed.has(op.output)) s!.outputElements[i] = workload.tensors[op.output]?.elements ?? 0;
  });
  shapeCache.set(workload, s);
  return s;
}

/**
 * DRAM bytes no schedule avoids: each network input read once (at its first reader's width),
 * each weight read once, each network output (a tensor no op reads) written once.
 */
export function compulsoryDramBytes(hw: Hardware, workload: Workload): number {
  const s = workloadShape(workload);
  let bytes = 0;
  for (let i = 0; i < workload.ops.length; i++) {
    const op = workload.ops[i]!;
    const ab = (op.activationBits ?? hw.activationBits) / 8;
    const wb = (op.weightBits ?? hw.weightBits) / 8;
    bytes += s.weightElements[i]! * wb + (s.firstInputElements[i]! + s.outputElements[i]!) * ab;
  }
  return bytes;
}

/** Cost of a whole workload, layers run one after another. */
export function evaluateWorkload(hw: Hardware, workload: Workload, plan?: TrafficPlan): WorkloadMetrics {
  const ctx = makeContext(hw, plan);
  const layers: LayerMetrics[] = new Array(workload.ops.length);
  let macs = 0;
  let latencyCycles = 0;
  let dramBytes = 0;
  let quantError = 0;
  const e: EnergyBreakdownPJ = { mac: 0, rf: 0, sram: 0, dram: 0, other: 0 };
  for (let i = 0; i < workload.ops.length; i++) {
    const m = evaluateInContext(ctx, workload.ops[i]!, workload);
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
    layers,
  };
}

