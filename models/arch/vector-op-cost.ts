import { techModel } from '../tech/nodes.ts';
import { vectorCycles, type VectorWork } from '../cost/vector-ops.ts';
import type { EnergyBreakdownPJ } from '../types.ts';
import type { Architecture, StorageLevel } from './types.ts';

/**
 * Ops without MACs (pooling, element-wise, normalisation, softmax, embedding lookups) on an
 * architecture. Timeloop does not model them; accel-dse costs them by a stated rule on the
 * architecture's own levels and prices (docs/COST_MODEL.md "Ops without MACs on an architecture"):
 *
 * - They run on `vectorLanes(arch)` lanes, each doing one add/compare or one multiply per cycle
 *   (the flat model's vector unit and its per-op counts, models/cost/vector-ops.ts).
 * - Their operands stream from DRAM (level 0) through the staging level: the outermost on-chip
 *   level that keeps activations (Timeloop's Inputs, I) and can hold the op's working set over
 *   all its instances. DRAM is read once and written once; the staging level is filled with
 *   what DRAM sends, read by the lanes (window re-reads, second passes of a normalisation),
 *   updated with the results and read again to drain them to DRAM. With no such level the lanes
 *   read and write DRAM directly (every lane read is a DRAM read).
 * - Every element is one word at every level, as the mapping model counts a datum.
 * - cycles = max(ceil(element ops / lanes), per level ceil(one instance's reads + fills +
 *   updates / its bandwidth)): the mapping model's rule, the lanes in place of the MACs.
 * - energy = per level and action ceil(one instance's words / block) x energy per vector
 *   access x instances used, + leakage of every level for the op's cycles, + adds x add energy
 *   + multiplies x multiply energy (`elementOpEnergyPJ`).
 */

/** What a non-MAC op moves and computes, in words (elements). */
export interface VectorStream {
  work: VectorWork;
  /** Words read from DRAM once (activations, stored parameters, gathered table rows). */
  inWords: number;
  /** Words the lanes read (>= inWords when windows overlap or a row is read twice). */
  laneReadWords: number;
  /** Words the op writes, once, back to DRAM. */
  outWords: number;
  /** Words that must stay on chip for inWords to come from DRAM once (a pooling band, a normalised row). */
  workingSetWords: number;
}

/** Accesses of one level by a vector op, in words, over all instances used. */
export interface VectorLevelAccesses {
  level: number;
  reads: number;
  fills: number;
  updates: number;
}

export interface VectorOpCost {
  computeCycles: number;
  cycles: number;
  /** The level that sets the cycle count, or 'lanes'. */
  bound: string;
  /** Index of the staging level, or null (the lanes read DRAM directly). */
  staging: number | null;
  accesses: VectorLevelAccesses[];
  /** Energy by level (leakage included), index as arch.levels. */
  levelEnergyPJ: number[];
  /** Adds x add energy + multiplies x multiply energy. */
  opEnergyPJ: number;
  energyPJ: number;
}

/**
 * Lanes of the vector unit: the architecture's `vector.lanes`, else the columns of a square array
 * of its MACs, round(sqrt(MACs)), at least 1. The flat model gives its vector unit one lane per
 * array column (fed by the columns' output buses); on a square array (Gemmini's peDim x peDim,
 * one accumulator bank per column) this is the same number.
 */
export function vectorLanes(arch: Architecture): number {
  return arch.vectorLanes ?? Math.max(1, Math.round(Math.sqrt(arch.compute.instances)));
}

/**
 * Energy of one add/compare and one multiply on the lanes, pJ, at the MAC's operand width b:
 * the architecture's own MAC energy (its table, pricing and node) split in the proportions of the
 * built-in 45 nm table (Horowitz, ISSCC 2014), whose MAC is a b x b multiplier plus a 4b-bit
 * accumulator adder (models/arch/builtin-pricing.ts): add = MAC x adder(b) / (multiplier(b, b)
 * + adder(4b)), multiply = MAC x multiplier(b, b) / (the same). With the built-in pricing this is
 * exactly the flat model's adder(b) and multiplier(b, b) at the architecture's node.
 */
export function elementOpEnergyPJ(arch: Architecture): { addPJ: number; mulPJ: number } {
  const t = techModel('45nm');
  const b = arch.compute.macBits;
  const mul = t.multiplierPJ(b, b);
  const add = t.adderPJ(b);
  const mac = mul + t.adderPJ(4 * b);
  return { addPJ: (arch.compute.macEnergyPJ * add) / mac, mulPJ: (arch.compute.macEnergyPJ * mul) / mac };
}

/** The outermost on-chip level keeping activations that holds `words` over its instances, or null. */
export function stagingLevel(arch: Architecture, words: number): number | null {
  for (let i = 1; i < arch.levels.length; i++) {
    const l = arch.levels[i]!;
    if (l.keeps.includes('I') && l.capacityWords !== null && l.capacityWords * l.instances >= words) return i;
  }
  return null;
}

/** One non-MAC op on the architecture, by the rule above. */
export function costVectorStream(arch: Architecture, s: VectorStream): VectorOpCost {
  const staging = stagingLevel(arch, s.workingSetWords);
  const accesses: VectorLevelAccesses[] =
    staging === null
      ? [{ level: 0, reads: s.laneReadWords, fills: 0, updates: s.outWords }]
      : [
          { level: 0, reads: s.inWords, fills: 0, updates: s.outWords },
          // Lanes read their operands, then the results are read once more on their way to DRAM.
          { level: staging, reads: s.laneReadWords + s.outWords, fills: s.inWords, updates: s.outWords },
        ];
  const computeCycles = vectorCycles(s.work, vectorLanes(arch));
  let cycles = computeCycles;
  let bound = 'lanes';
  for (const a of accesses) {
    const l = arch.levels[a.level]!;
    if (l.bandwidthWordsPerCycle === null) continue;
    const c = Math.ceil(perInstance(l, a.reads + a.fills + a.updates) / l.bandwidthWordsPerCycle);
    if (c > cycles) {
      cycles = c;
      bound = l.name;
    }
  }
  const levelEnergyPJ = arch.levels.map((l) => l.energyPJ.leakPerCycle * l.instances * cycles);
  for (const a of accesses) {
    const l = arch.levels[a.level]!;
    const e = l.energyPJ;
    levelEnergyPJ[a.level]! += vectorAccessesPJ(l, a.reads, e.read) + vectorAccessesPJ(l, a.fills, e.fill) + vectorAccessesPJ(l, a.updates, e.update);
  }
  const { addPJ, mulPJ } = elementOpEnergyPJ(arch);
  const opEnergyPJ = s.work.adds * addPJ + s.work.muls * mulPJ;
  return {
    computeCycles,
    cycles,
    bound,
    staging,
    accesses,
    levelEnergyPJ,
    opEnergyPJ,
    energyPJ: levelEnergyPJ.reduce((x, y) => x + y, 0) + opEnergyPJ,
  };
}

/** Instances a stream of `words` spreads over: all of them, or one per word when there are fewer words. */
function usedInstances(l: StorageLevel, words: number): number {
  return Math.max(1, Math.min(l.instances, words));
}

/** Words one instance handles when `words` spread evenly over the instances used. */
function perInstance(l: StorageLevel, words: number): number {
  return Math.ceil(words / usedInstances(l, words));
}

/** Energy of `words` accesses of one action: ceil(one instance's words / block) vector accesses per instance used. */
function vectorAccessesPJ(l: StorageLevel, words: number, pjPerAccess: number): number {
  if (words <= 0) return 0;
  return usedInstances(l, words) * Math.ceil(perInstance(l, words) / l.blockWords) * pjPerAccess;
}

/** The flat model's energy category of a level: DRAM, register files (class regfile or a name with "reg"), other SRAM. */
export function levelEnergyBucket(arch: Architecture, index: number): keyof EnergyBreakdownPJ {
  if (index === 0) return 'dram';
  const l = arch.levels[index]!;
  return /reg/i.test(l.className) || /reg/i.test(l.name) ? 'rf' : 'sram';
}
