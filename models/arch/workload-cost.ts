import { DseError } from '../../core/errors.ts';
import { dotProductQuantError } from '../cost/quant-error.ts';
import { opMacs } from '../op-size.ts';
import type { EnergyBreakdownPJ, LayerMetrics, Workload, WorkloadMetrics } from '../types.ts';
import { layerShapes } from './layer-shapes.ts';
import { evaluateMapping, type MappingCost } from './mapping-model.ts';
import type { MapperCache, MapperObjective } from './mapper.ts';
import type { Architecture, LayerShape } from './types.ts';

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
 * A workload on an architecture, layer by layer: every convolution and matmul is mapped by the
 * mapper (cached by shape) and costed by the mapping model; the layer's latency, energy and
 * DRAM bytes are its mapping's, times its repeats (groups, batched matmuls). Layers are costed
 * one after another with every operand through DRAM (no fusion). Ops the mapper cannot map
 * (pooling, element-wise, attention) are refused rather than costed on a model of another chip.
 */
export function costOnArchitecture(t: ArchitectureTarget, workload: Workload): WorkloadMetrics {
  const arch = t.architecture;
  const refused = unmappableOpMessage(workload);
  if (refused !== null) throw new DseError('unsupported_op', refused, { path: 'architecture' });
  const dram = arch.levels[0]!;
  const dramWordBytes = dram.wordBits / 8;
  const hz = t.clockMHz * 1e6;
  const pes = arch.compute.instances;
  const layers: LayerMetrics[] = [];
  let compulsoryDramBytes = 0;
  for (const { name, layer, repeat } of layerShapes(workload)) {
    const mapping = t.cache.get(arch, layer, t.objective).mapping;
    const cost = evaluateMapping(arch, layer, mapping);
    const op = workload.ops.find((o) => o.name === name)!;
    layers.push(layerMetrics(arch, op.kind, name, opMacs(op), cost, repeat, dramWordBytes, fanIn(layer)));
    compulsoryDramBytes += repeat * compulsoryWords(layer) * dramWordBytes;
  }
  const sum = (f: (m: LayerMetrics) => number): number => layers.reduce((s, m) => s + f(m), 0);
  const latencyCycles = sum((m) => m.latencyCycles);
  const energyPJ = sum((m) => m.energyPJ);
  const macs = sum((m) => m.macs);
  const energyBreakdownPJ: EnergyBreakdownPJ = { mac: 0, rf: 0, sram: 0, dram: 0, other: 0 };
  for (const m of layers) for (const k of Object.keys(energyBreakdownPJ) as (keyof EnergyBreakdownPJ)[]) energyBreakdownPJ[k] += m.energyBreakdownPJ[k];
  const latencyS = latencyCycles / hz;
  return {
    workload: workload.name,
    macs,
    latencyCycles,
    latencyS,
    energyPJ,
    energyBreakdownPJ,
    areaMM2: chipAreaMM2(arch),
    dramBytes: sum((m) => m.dramReadBytes + m.dramWriteBytes),
    compulsoryDramBytes,
    edp: energyPJ * latencyS,
    quantError: sum((m) => m.quantError),
    utilization: latencyCycles > 0 ? macs / (latencyCycles * pes) : 0,
    layers,
  };
}

/** Why a workload cannot run on an architecture (its first op that is not a convolution or matmul), or null. */
export function unmappableOpMessage(workload: Workload): string | null {
  const op = workload.ops.find((o) => o.kind !== 'conv2d' && o.kind !== 'matmul');
  if (op === undefined) return null;
  return `${workload.name}: layer ${op.name} is ${op.kind}; an architecture maps conv2d and matmul layers only (give a layer list of those, or use the flat hardware parameters)`;
}

/** Chip area, mm^2: every level's instances plus the MACs (the same sum the mapping model reports). */
export function chipAreaMM2(arch: Architecture): number {
  return (arch.levels.reduce((s, l) => s + l.instances * l.areaUM2, 0) + arch.compute.instances * arch.compute.areaUM2) / 1e6;
}

function fanIn(l: LayerShape): number {
  return l.C * l.R * l.S;
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
 * One mapped layer as the flat model's layer record: DRAM reads are W and I reads plus O reads
 * (read-modify-write of partial sums), DRAM writes are O updates; on-chip reads and writes sum
 * the other levels' accesses over their used instances. Energy: MACs to `mac`, DRAM to `dram`,
 * levels of class regfile (or named Registers) to `rf`, other levels to `sram`.
 */
function layerMetrics(arch: Architecture, kind: LayerMetrics['kind'], name: string, macs: number, cost: MappingCost, repeat: number, dramWordBytes: number, fan: number): LayerMetrics {
  const reads = { ifmap: 0, filter: 0, ofmap: 0 };
  const writes = { ifmap: 0, filter: 0, ofmap: 0 };
  const energy: EnergyBreakdownPJ = { mac: cost.macEnergyPJ * repeat, rf: 0, sram: 0, dram: 0, other: 0 };
  let dramRead = 0, dramWrite = 0;
  cost.levels.forEach((lc, i) => {
    const n = lc.utilizedInstances * repeat;
    const a = lc.accesses;
    if (i === 0) {
      dramRead += n * ((a.W?.reads ?? 0) + (a.I?.reads ?? 0) + (a.O?.reads ?? 0));
      dramWrite += n * ((a.O?.updates ?? 0) + (a.W?.fills ?? 0) + (a.I?.fills ?? 0) + (a.O?.fills ?? 0));
      energy.dram += lc.energyPJ * repeat;
      return;
    }
    reads.filter += n * (a.W?.reads ?? 0);
    reads.ifmap += n * (a.I?.reads ?? 0);
    reads.ofmap += n * (a.O?.reads ?? 0);
    writes.filter += n * (a.W?.fills ?? 0);
    writes.ifmap += n * (a.I?.fills ?? 0);
    writes.ofmap += n * ((a.O?.fills ?? 0) + (a.O?.updates ?? 0));
    const level = arch.levels[i]!;
    if (/reg/i.test(level.className) || /reg/i.test(level.name)) energy.rf += lc.energyPJ * repeat;
    else energy.sram += lc.energyPJ * repeat;
  });
  const latencyCycles = cost.cycles * repeat;
  const pes = arch.compute.instances;
  return {
    name,
    kind,
    macs,
    computeCycles: cost.computeCycles * repeat,
    mappingEfficiency: cost.computeCycles > 0 ? cost.macs / (cost.computeCycles * pes) : 0,
    utilization: latencyCycles > 0 ? macs / (latencyCycles * pes) : 0,
    stallCycles: (cost.cycles - cost.computeCycles) * repeat,
    latencyCycles,
    bound: cost.bound === arch.compute.name ? 'compute' : 'memory',
    sramReads: reads,
    sramWrites: writes,
    dramReadBytes: dramRead * dramWordBytes,
    dramWriteBytes: dramWrite * dramWordBytes,
    energyPJ: cost.energyPJ * repeat,
    energyBreakdownPJ: energy,
    // Both operands at the MAC width: an architecture has no separate weight/activation bits.
    quantError: dotProductQuantError(fan, arch.compute.macBits, arch.compute.macBits),
  };
}
