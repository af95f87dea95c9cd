import { dotProductQuantError, requantError } from '../cost/quant-error.ts';
import { attentionPairs, opMacs } from '../op-size.ts';
import type { EnergyBreakdownPJ, LayerMetrics, Op, Workload, WorkloadMetrics } from '../types.ts';
import { macLayers } from './layer-shapes.ts';
import { evaluateMapping, type MappingCost } from './mapping-model.ts';
import type { MapperCache, MapperObjective } from './mapper.ts';
import { withSystolicFolds } from './systolic-folds.ts';
import type { Architecture, LayerShape } from './types.ts';
import { costVectorStream, levelEnergyBucket, vectorLanes, type VectorOpCost, type VectorStream } from './vector-op-cost.ts';
import { attentionSoftmaxStream, eltwiseStream, embeddingStream, poolStream } from './vector-op-streams.ts';

/** An architecture as a study evaluates it: the chip, its clock, the mapper's objective and cache. */
export interface ArchitectureTarget {
  architecture: Architecture;
  clockMHz: number;
  objective: MapperObjective;
  /** Shared across designs and workloads of one worker: a shape is mapped once per architecture object. */
  cache: MapperCache;
}

export function isArchitectureTarget(x: unknown): x is ArchitectureTarget {
  return typeof x === 'object' && x !== null && 'architecture' in x && 'cache' in x;
}

/**
 * A workload on an architecture, op by op, layers one after another with every operand through
 * DRAM (no fusion). MAC work (convolutions, matmuls, attention's two products) is mapped by the
 * mapper (cached by shape) and costed by the mapping model, times its repeats (groups, batched
 * matmuls, attention groups, experts). Work without MACs (pooling, element-wise ops and
 * normalisations, embedding lookups, attention's softmax) runs on the vector lanes by the rule of
 * models/arch/vector-op-cost.ts, on the architecture's own levels and prices. An op's record sums
 * its parts (attention: Q K^T, softmax, P V).
 */
export function costOnArchitecture(t: ArchitectureTarget, workload: Workload): WorkloadMetrics {
  const arch = t.architecture;
  const dramWordBytes = arch.levels[0]!.wordBits / 8;
  const hz = t.clockMHz * 1e6;
  const pes = arch.compute.instances;
  const lanes = vectorLanes(arch);
  const layers: LayerMetrics[] = [];
  let compulsoryDramBytes = 0;
  for (const op of workload.ops) {
    const parts: LayerMetrics[] = [];
    for (const { layer, repeat } of macLayers(op)) {
      const mapping = t.cache.get(arch, layer, t.objective).mapping;
      // A systolic array also pays its per-fold fill/drain (systolic-folds.ts).
      parts.push(mappedLayerMetrics(arch, op, withSystolicFolds(arch, mapping, evaluateMapping(arch, layer, mapping)), repeat, dramWordBytes));
      compulsoryDramBytes += repeat * compulsoryWords(layer) * dramWordBytes;
    }
    const stream = vectorStreamOf(op, workload, lanes);
    if (stream !== null) {
      parts.push(vectorLayerMetrics(arch, op, costVectorStream(arch, stream), dramWordBytes));
      compulsoryDramBytes += (stream.inWords + stream.outWords) * dramWordBytes;
    }
    layers.push(opMetrics(arch, op, parts));
  }
  const sum = (f: (m: LayerMetrics) => number): number => layers.reduce((s, m) => s + f(m), 0);
  const latencyCycles = sum((m) => m.latencyCycles);
  const energyPJ = sum((m) => m.energyPJ);
  const macs = sum((m) => m.macs);
  const latencyS = latencyCycles / hz;
  return {
    workload: workload.name,
    macs,
    latencyCycles,
    latencyS,
    energyPJ,
    energyBreakdownPJ: sumBreakdowns(layers),
    areaMM2: chipAreaMM2(arch),
    dramBytes: sum((m) => m.dramReadBytes + m.dramWriteBytes),
    compulsoryDramBytes,
    edp: energyPJ * latencyS,
    quantError: sum((m) => m.quantError),
    utilization: latencyCycles > 0 ? macs / (latencyCycles * pes) : 0,
    layers,
  };
}

/** The work of an op that runs on the vector lanes (all of a pool, element-wise op or lookup; attention's softmax), or null. */
function vectorStreamOf(op: Op, workload: Workload, lanes: number): VectorStream | null {
  switch (op.kind) {
    case 'pool': return poolStream(op, lanes);
    case 'eltwise': return eltwiseStream(op, workload, lanes);
    case 'embedding': return embeddingStream(op, lanes);
    case 'attention': return attentionSoftmaxStream(op, attentionPairs(op), lanes);
    default: return null;
  }
}

/** Chip area, mm^2: every level's instances plus the MACs (the same sum the mapping model reports). */
export function chipAreaMM2(arch: Architecture): number {
  return (arch.levels.reduce((s, l) => s + l.instances * l.areaUM2, 0) + arch.compute.instances * arch.compute.areaUM2) / 1e6;
}

/**
 * Words of W, I and O: what a layer run alone must move through DRAM at least once. Inputs a
 * stride skips (stride > kernel) are never read.
 */
function compulsoryWords(l: LayerShape): number {
  const inW = l.R < l.strideW ? l.P * l.R : (l.P - 1) * l.strideW + l.R;
  const inH = l.S < l.strideH ? l.Q * l.S : (l.Q - 1) * l.strideH + l.S;
  return l.C * l.K * l.R * l.S + l.N * l.C * inW * inH + l.N * l.K * l.P * l.Q;
}

/**
 * One mapped layer (times its repeats) as the flat model's layer record: DRAM reads are W and I
 * reads plus O reads (read-modify-write of partial sums), DRAM writes are O updates; on-chip reads
 * and writes sum the other levels' accesses over their used instances. Energy: MACs to `mac`,
 * levels by `levelEnergyBucket` (DRAM, register files, other SRAM).
 */
function mappedLayerMetrics(arch: Architecture, op: Op, cost: MappingCost, repeat: number, dramWordBytes: number): LayerMetrics {
  const reads = { ifmap: 0, filter: 0, ofmap: 0 };
  const writes = { ifmap: 0, filter: 0, ofmap: 0 };
  const energy: EnergyBreakdownPJ = { mac: cost.macEnergyPJ * repeat, rf: 0, sram: 0, dram: 0, other: 0 };
  let dramRead = 0, dramWrite = 0;
  cost.levels.forEach((lc, i) => {
    const n = lc.utilizedInstances * repeat;
    const a = lc.accesses;
    energy[levelEnergyBucket(arch, i)] += lc.energyPJ * repeat;
    if (i === 0) {
      dramRead += n * ((a.W?.reads ?? 0) + (a.I?.reads ?? 0) + (a.O?.reads ?? 0));
      dramWrite += n * ((a.O?.updates ?? 0) + (a.W?.fills ?? 0) + (a.I?.fills ?? 0) + (a.O?.fills ?? 0));
      return;
    }
    reads.filter += n * (a.W?.reads ?? 0);
    reads.ifmap += n * (a.I?.reads ?? 0);
    reads.ofmap += n * (a.O?.reads ?? 0);
    writes.filter += n * (a.W?.fills ?? 0);
    writes.ifmap += n * (a.I?.fills ?? 0);
    writes.ofmap += n * ((a.O?.fills ?? 0) + (a.O?.updates ?? 0));
  });
  const macs = cost.macs * repeat;
  const latencyCycles = cost.cycles * repeat;
  return {
    name: op.name,
    kind: op.kind,
    macs,
    computeCycles: cost.computeCycles * repeat,
    mappingEfficiency: 0, // set per op by opMetrics
    utilization: 0,
    stallCycles: (cost.cycles - cost.computeCycles) * repeat,
    latencyCycles,
    bound: cost.bound === arch.compute.name ? 'compute' : 'memory',
    sramReads: reads,
    sramWrites: writes,
    dramReadBytes: dramRead * dramWordBytes,
    dramWriteBytes: dramWrite * dramWordBytes,
    energyPJ: cost.energyPJ * repeat,
    energyBreakdownPJ: energy,
    quantError: 0, // set per op by opMetrics
  };
}

/** Work on the vector lanes as a layer record: the staging level's accesses as on-chip reads and writes, element ops to `other`. */
function vectorLayerMetrics(arch: Architecture, op: Op, c: VectorOpCost, dramWordBytes: number): LayerMetrics {
  const energy: EnergyBreakdownPJ = { mac: 0, rf: 0, sram: 0, dram: 0, other: c.opEnergyPJ };
  c.levelEnergyPJ.forEach((e, i) => (energy[levelEnergyBucket(arch, i)] += e));
  const dram = c.accesses.find((a) => a.level === 0)!;
  const staged = c.accesses.find((a) => a.level !== 0);
  return {
    name: op.name,
    kind: op.kind,
    macs: 0,
    computeCycles: c.computeCycles,
    mappingEfficiency: 0,
    utilization: 0,
    stallCycles: c.cycles - c.computeCycles,
    latencyCycles: c.cycles,
    bound: c.bound === 'lanes' ? 'compute' : 'memory',
    // Lane reads (and the drain of the results) from the staging level; DRAM fills and results into it.
    sramReads: { ifmap: staged ? staged.reads - staged.updates : 0, filter: 0, ofmap: staged ? staged.updates : 0 },
    sramWrites: { ifmap: staged ? staged.fills : 0, filter: 0, ofmap: staged ? staged.updates : 0 },
    dramReadBytes: dram.reads * dramWordBytes,
    dramWriteBytes: dram.updates * dramWordBytes,
    energyPJ: c.energyPJ,
    energyBreakdownPJ: energy,
    quantError: 0,
  };
}

/**
 * An op's record: the sum of its parts (a mapped layer or two, lane work), its MACs the op's own,
 * mapping efficiency over its mapped parts, and its quantization-error proxy with both operands at
 * the MAC width (an architecture has no separate weight and activation widths).
 */
function opMetrics(arch: Architecture, op: Op, parts: LayerMetrics[]): LayerMetrics {
  const pes = arch.compute.instances;
  const sum = (f: (m: LayerMetrics) => number): number => parts.reduce((s, m) => s + f(m), 0);
  const counts = (f: (m: LayerMetrics) => LayerMetrics['sramReads']): LayerMetrics['sramReads'] => ({
    ifmap: sum((m) => f(m).ifmap), filter: sum((m) => f(m).filter), ofmap: sum((m) => f(m).ofmap),
  });
  const mapped = parts.filter((m) => m.macs > 0);
  const mappedMacs = mapped.reduce((s, m) => s + m.macs, 0);
  const mappedCycles = mapped.reduce((s, m) => s + m.computeCycles, 0);
  const macs = opMacs(op);
  const latencyCycles = sum((m) => m.latencyCycles);
  const slowest = parts.reduce((a, b) => (b.latencyCycles > a.latencyCycles ? b : a));
  const bits = arch.compute.macBits;
  return {
    name: op.name,
    kind: op.kind,
    macs,
    computeCycles: sum((m) => m.computeCycles),
    mappingEfficiency: mappedCycles > 0 ? mappedMacs / (mappedCycles * pes) : 0,
    utilization: latencyCycles > 0 ? macs / (latencyCycles * pes) : 0,
    stallCycles: sum((m) => m.stallCycles),
    latencyCycles,
    bound: slowest.bound,
    sramReads: counts((m) => m.sramReads),
    sramWrites: counts((m) => m.sramWrites),
    dramReadBytes: sum((m) => m.dramReadBytes),
    dramWriteBytes: sum((m) => m.dramWriteBytes),
    energyPJ: sum((m) => m.energyPJ),
    energyBreakdownPJ: sumBreakdowns(parts),
    quantError: opQuantError(op, bits),
  };
}

/** The flat model's proxy rules (models/cost/quant-error.ts) at the MAC width. */
function opQuantError(op: Op, bits: number): number {
  switch (op.kind) {
    case 'conv2d': return dotProductQuantError((op.inC / op.groups) * op.kH * op.kW, bits, bits);
    case 'matmul': return dotProductQuantError(op.k, bits, bits);
    case 'attention': return dotProductQuantError(op.headDim + op.seqKV, bits, bits);
    case 'pool':
    case 'eltwise': return requantError(bits);
    case 'embedding': return 0;
  }
}

function sumBreakdowns(ms: LayerMetrics[]): EnergyBreakdownPJ {
  const e: EnergyBreakdownPJ = { mac: 0, rf: 0, sram: 0, dram: 0, other: 0 };
  for (const m of ms) for (const k of Object.keys(e) as (keyof EnergyBreakdownPJ)[]) e[k] += m.energyBreakdownPJ[k];
  return e;
}
