import { createLoopNest, MAX_LEVELS, MAX_LOOPS, nestFromMapping, type LoopNest } from './loop-nest.ts';
import { OPERANDS, type Architecture, type LayerShape, type Mapping, type Operand } from './types.ts';

/**
 * The cost of one layer under one given mapping, counted the way Timeloop (v0.3-era
 * `nest-analysis` + `tiling.cpp` legacy read-modify-write path + `buffer.cpp`) counts it:
 *
 * - A level's tile spans the loops of that level and every level below it (its spatial loops
 *   included). Fills of one instance are the points new to its tile at each step of the temporal
 *   loops above it (Timeloop's deltas): the whole tile once, then for each step of loop j
 *   |tile| - |tile and the tile one step back|. Because the shift between consecutive tiles depends
 *   only on which loop stepped, this is a sum over loops, not over iterations. Sliding input
 *   windows (P with R, Q with S) overlap, so their halos are not refetched.
 * - Reads of a level are what its children (next inner level keeping the operand, or the MACs)
 *   take, counted once across spatial children that share the same data (multicast; for outputs,
 *   spatial reduction). The MACs take one operand per MAC, with no reuse inside the MAC unit.
 * - Outputs (read-write): updates = partial sums arriving; reads = updates - the partition the
 *   instance owns (the first update of each output needs no read: first-read elision); fills =
 *   the instance's own deltas (Timeloop's legacy path counts the drains to the parent this way).
 *   The outermost level is never filled.
 * - Cycles = max(compute cycles, per level ceil(accesses of one instance / bandwidth)), with all
 *   actions of all operands sharing the bandwidth.
 * - Energy = per level, operand and action ceil(scalar accesses of one instance / block) x energy
 *   per vector access x utilised instances, + MACs x MAC energy, + leakage where given.
 */

export interface OperandAccesses {
  reads: number;
  fills: number;
  updates: number;
  /** Words of this operand one instance holds (its tile). */
  tileWords: number;
}

export interface LevelCost {
  name: string;
  /** Instances the mapping uses (product of the spatial factors above the level). */
  utilizedInstances: number;
  /** Per instance, by operand; absent = bypassed. */
  accesses: Partial<Record<Operand, OperandAccesses>>;
  /** Words held by one instance, all operands. */
  usedWords: number;
  cycles: number;
  energyPJ: number;
  areaUM2: number;
}

export interface MappingCost {
  macs: number;
  computeCycles: number;
  cycles: number;
  energyPJ: number;
  macEnergyPJ: number;
  areaMM2: number;
  levels: LevelCost[];
  /** Name of the level that sets the cycle count, or the compute level's. */
  bound: string;
}

const NDIMS = 7;
// Dim indices (DIMS order).
const N = 0, C = 1, K = 2, P = 3, Q = 4, R = 5, S = 6;

// Scratch state of one evaluation (module-level typed arrays: no allocation per call).
/** step[j]: distance in its dim between consecutive iterations of loop j (product of the inner loops' factors of that dim). */
const step = new Float64Array(MAX_LOOPS);
/** levelStart[li]: index of the first loop of level li or below (loops above li are 0..levelStart[li]-1). */
const levelStart = new Int32Array(MAX_LEVELS + 1);
/** extBelow[li*7+d]: product of the factors of dim d over the loops of level li and below (its tile's extents). */
const extBelow = new Float64Array((MAX_LEVELS + 1) * NDIMS);
/** spatialAbove[li*7+d]: product of the spatial factors of dim d above level li. */
const spatialAbove = new Float64Array((MAX_LEVELS + 1) * NDIMS);
const tmpExt = new Float64Array(NDIMS);
const dimAcc = new Float64Array(NDIMS);
// Per (level, operand) results of the last evaluation, per instance.
export const READS = 0, FILLS = 1, UPDATES = 2, TILE = 3;
const accessOut = new Float64Array(MAX_LEVELS * 3 * 4);
const keptOut = new Uint8Array(MAX_LEVELS * 3);
const levelCycles = new Float64Array(MAX_LEVELS);
const levelEnergy = new Float64Array(MAX_LEVELS);
const levelUsed = new Float64Array(MAX_LEVELS);
const levelUtilized = new Float64Array(MAX_LEVELS);
// The layer's strides for the input operand's sliding windows (W = strideW*P + R, H = strideH*Q + S).
let strideW = 1;
let strideH = 1;

const OPERAND_INDEX: Record<Operand, number> = { W: 0, I: 1, O: 2 };

/** An architecture's numbers in typed arrays, built once per architecture object. */
interface CompiledArch {
  nLevels: number;
  block: Float64Array;
  eRead: Float64Array;
  eFill: Float64Array;
  eUpdate: Float64Array;
  leakTotal: Float64Array;
  /** Words per cycle per instance; Infinity = unlimited. */
  bandwidth: Float64Array;
  macEnergyPJ: number;
}

const compiled = new WeakMap<Architecture, CompiledArch>();
// The last architecture costed: the mapper and batches cost many mappings on one architecture in a row.
let lastArch: Architecture | null = null;
let lastCompiled: CompiledArch | null = null;

function compileArch(arch: Architecture): CompiledArch {
  if (arch === lastArch) return lastCompiled!;
  let c = compiled.get(arch);
  if (!c) {
    const n = arch.levels.length;
    if (n > MAX_LEVELS) throw new RangeError(`an architecture has more than ${MAX_LEVELS} storage levels`);
    c = {
      nLevels: n,
      block: Float64Array.from(arch.levels, (l) => l.blockWords),
      eRead: Float64Array.from(arch.levels, (l) => l.energyPJ.read),
      eFill: Float64Array.from(arch.levels, (l) => l.energyPJ.fill),
      eUpdate: Float64Array.from(arch.levels, (l) => l.energyPJ.update),
      leakTotal: Float64Array.from(arch.levels, (l) => l.energyPJ.leakPerCycle * l.instances),
      bandwidth: Float64Array.from(arch.levels, (l) => l.bandwidthWordsPerCycle ?? Infinity),
      macEnergyPJ: arch.compute.macEnergyPJ,
    };
    compiled.set(arch, c);
  }
  lastArch = arch;
  lastCompiled = c;
  return c;
}

/** Points of operand o (0 W, 1 I, 2 O) in the bounding box of loop extents ext[off..off+7). */
function box(o: number, ext: Float64Array, off: number): number {
  if (o === 0) return ext[off + C]! * ext[off + K]! * ext[off + R]! * ext[off + S]!;
  if (o === 1) {
    return ext[off + N]! * ext[off + C]! * (strideW * (ext[off + P]! - 1) + ext[off + R]!) * (strideH * (ext[off + Q]! - 1) + ext[off + S]!);
  }
  return ext[off + N]! * ext[off + K]! * ext[off + P]! * ext[off + Q]!;
}

/** Length shared by a segment and the segment moved by shift >= 0. */
function side(extent: number, shift: number): number {
  return extent > shift ? extent - shift : 0;
}

/** Points shared by operand o's tile (extents ext[off..]) and the tile moved by `by` along dim d. */
function overlapAlong(o: number, ext: Float64Array, off: number, d: number, by: number): number {
  if (o === 0) {
    return side(ext[off + C]!, d === C ? by : 0) * side(ext[off + K]!, d === K ? by : 0) * side(ext[off + R]!, d === R ? by : 0) * side(ext[off + S]!, d === S ? by : 0);
  }
  if (o === 1) {
    const w = strideW * (ext[off + P]! - 1) + ext[off + R]!;
    const h = strideH * (ext[off + Q]! - 1) + ext[off + S]!;
    return side(ext[off + N]!, d === N ? by : 0) * side(ext[off + C]!, d === C ? by : 0) *
      side(w, d === P ? strideW * by : d === R ? by : 0) * side(h, d === Q ? strideH * by : d === S ? by : 0);
  }
  return side(ext[off + N]!, d === N ? by : 0) * side(ext[off + K]!, d === K ? by : 0) * side(ext[off + P]!, d === P ? by : 0) * side(ext[off + Q]!, d === Q ? by : 0);
}

/** Whether the dim-space vector v moves operand o's tile by nothing (its projection on o's coordinates is 0). */
function movesNothing(o: number, v: Float64Array): boolean {
  if (o === 0) return v[C] === 0 && v[K] === 0 && v[R] === 0 && v[S] === 0;
  if (o === 1) return v[N] === 0 && v[C] === 0 && strideW * v[P]! + v[R]! === 0 && strideH * v[Q]! + v[S]! === 0;
  return v[N] === 0 && v[K] === 0 && v[P] === 0 && v[Q] === 0;
}

/**
 * Points new to one instance's tile of level li (size `tile`, operand o) over the temporal loops
 * above it, by Timeloop's rule (`OperationSpace::SaveAndSubtractIfSameStride`): at each step the
 * new tile minus the previous one, but only while the tile keeps moving by the same translation;
 * when the translation changes (an inner loop wraps back, the tile stops or starts moving) the
 * whole tile counts as new and the translation is forgotten, so the next step subtracts again.
 *
 * Closed form. Number the loops above li with a bound > 1 from the innermost (0) outwards. Every
 * step of an outer loop follows a step of loop 0 (loop 0 is at its last index when an outer loop
 * advances), so the translation remembered before it is always loop 0's (or none, after a reset).
 * Hence every step of loop 0 subtracts the overlap ov0 of the tile with itself moved one loop-0
 * step; a step of loop q >= 1 subtracts the same ov0 when its translation (its own step minus the
 * inner loops wrapping back) equals loop 0's, and counts the whole tile otherwise. So
 *   fills = tile * (iterations) - ov0 * (steps whose translation equals loop 0's),
 * the step count of loop q being (bound_q - 1) x the iterations of the loops outside it.
 */
function deltaFills(o: number, li: number, tile: number, nest: LoopNest): number {
  const dims = nest.dim, factors = nest.factor, spatial = nest.spatial;
  let j = levelStart[li]! - 1;
  while (j >= 0 && (spatial[j] || factors[j] === 1)) j--; // loop 0: bound > 1 (later factor-1 loops change nothing)
  if (j < 0) return tile;
  const d0 = dims[j]!, st0 = step[j]!, b0 = factors[j]!;
  // dimAcc = (loops inside the next one wrapping back) - (loop 0's step): a loop's translation
  // equals loop 0's when its own step plus dimAcc moves the tile by nothing.
  for (let d = 0; d < NDIMS; d++) dimAcc[d] = 0;
  dimAcc[d0] = -b0 * st0;
  let iterations = b0;
  let sameSteps = b0 - 1; // Horner: steps so far of loops translating like loop 0
  for (j--; j >= 0; j--) {
    if (spatial[j]) continue;
    const d = dims[j]!, st = step[j]!, b = factors[j]!;
    dimAcc[d]! += st;
    const same = movesNothing(o, dimAcc);
    dimAcc[d]! -= b * st;
    iterations *= b;
    sameSteps = sameSteps * b + (same ? b - 1 : 0);
  }
  return tile * iterations - overlapAlong(o, extBelow, li * NDIMS, d0, st0) * sameSteps;
}

export interface FastCost {
  cycles: number;
  energyPJ: number;
  computeCycles: number;
  macs: number;
  /** Index of the level that sets the cycle count, -1 for the MACs. */
  boundLevel: number;
}

const mappingNest = createLoopNest();

/**
 * Costs one layer under one mapping into `out` and the module's per-level scratch arrays (read
 * them with evaluateMapping's breakdown before the next call). No checks: the mapping must be
 * valid (validate-mapping.ts).
 */
export function costMapping(arch: Architecture, layer: LayerShape, mapping: Mapping, out: FastCost): FastCost {
  return costNest(arch, layer, nestFromMapping(mapping, mappingNest), out);
}

/**
 * The model's core: costMapping on a mapping given as a flat loop nest (loop-nest.ts), which a
 * caller costing many mappings fills in place. No allocation, no checks.
 */
export function costNest(arch: Architecture, layer: LayerShape, nest: LoopNest, out: FastCost): FastCost {
  const ca = compileArch(arch);
  const nLevels = ca.nLevels;
  const n = nest.count;
  const dims = nest.dim, factors = nest.factor, spatial = nest.spatial, levels = nest.level, keepMask = nest.keepMask;
  strideW = layer.strideW;
  strideH = layer.strideH;

  // Steps, the compute cycles (temporal iterations) and the MACs' spatial factor, innermost first.
  for (let d = 0; d < NDIMS; d++) dimAcc[d] = 1;
  let computeCycles = 1;
  let spatialAll = 1;
  for (let j = n - 1; j >= 0; j--) {
    const d = dims[j]!, f = factors[j]!;
    step[j] = dimAcc[d]!;
    dimAcc[d]! *= f;
    if (spatial[j]) spatialAll *= f;
    else computeCycles *= f;
  }
  // Tile extents per level (its loops and below), from the MACs (all 1) outwards.
  let j = n - 1;
  for (let d = 0; d < NDIMS; d++) extBelow[nLevels * NDIMS + d] = 1;
  levelStart[nLevels] = n;
  for (let li = nLevels - 1; li >= 0; li--) {
    const o = li * NDIMS;
    for (let d = 0; d < NDIMS; d++) extBelow[o + d] = extBelow[o + NDIMS + d]!;
    while (j >= 0 && levels[j]! === li) {
      extBelow[o + dims[j]!]! *= factors[j]!;
      j--;
    }
    levelStart[li] = j + 1;
  }
  // Spatial factors above each level, from DRAM inwards; a level's used instances are their product.
  for (let d = 0; d < NDIMS; d++) spatialAbove[d] = 1;
  for (let li = 1; li <= nLevels; li++) {
    const o = li * NDIMS;
    for (let d = 0; d < NDIMS; d++) spatialAbove[o + d] = spatialAbove[o - NDIMS + d]!;
    for (let k = levelStart[li - 1]!; k < levelStart[li]!; k++) if (spatial[k]) spatialAbove[o + dims[k]!]! *= factors[k]!;
  }
  for (let li = 0; li < nLevels; li++) {
    const o = li * NDIMS;
    levelUtilized[li] = spatialAbove[o]! * spatialAbove[o + 1]! * spatialAbove[o + 2]! * spatialAbove[o + 3]! * spatialAbove[o + 4]! * spatialAbove[o + 5]! * spatialAbove[o + 6]!;
    levelUsed[li] = 0;
  }
  for (let k = 0; k < nLevels * 3; k++) keptOut[k] = 0;
  for (let o = 0; o < 3; o++) {
    const bit = 1 << o;
    // Walk from the innermost level keeping the operand outwards: its reads are its child's fills.
    let childFills = computeCycles; // the MACs take one operand per MAC, every cycle
    let childLevel = nLevels;
    let childTile = 1;
    let outermost = -1;
    for (let li = 0; li < nLevels; li++) if (keepMask[li]! & bit) { outermost = li; break; }
    for (let li = nLevels - 1; li >= 0; li--) {
      if (!(keepMask[li]! & bit)) continue;
      const eo = li * NDIMS;
      const tile = box(o, extBelow, eo);
      // Distinct data across the spatial children between li and its child (multicast/reduction):
      // the child's tile spread over the spatial loops of levels li to the child's parent.
      const co = childLevel * NDIMS;
      for (let d = 0; d < NDIMS; d++) tmpExt[d] = extBelow[co + d]!;
      for (let k = levelStart[li]!; k < levelStart[childLevel]!; k++) if (spatial[k]) tmpExt[dims[k]!]! *= factors[k]!;
      const content = childFills * (box(o, tmpExt, 0) / childTile);
      const own = li === outermost ? 0 : deltaFills(o, li, tile, nest);
      const a = (li * 3 + o) * 4;
      keptOut[li * 3 + o] = 1;
      accessOut[a + TILE] = tile;
      accessOut[a + FILLS] = own;
      if (o === 2) {
        // Outputs: updates arrive from the children; the first update of each output needs no read.
        const owned = (layer.N / spatialAbove[eo + N]!) * (layer.K / spatialAbove[eo + K]!) * (layer.P / spatialAbove[eo + P]!) * (layer.Q / spatialAbove[eo + Q]!);
        accessOut[a + UPDATES] = content;
        accessOut[a + READS] = content - owned;
      } else {
        accessOut[a + READS] = content;
        accessOut[a + UPDATES] = 0;
      }
      levelUsed[li]! += tile;
      childFills = own;
      childLevel = li;
      childTile = tile;
    }
  }
  let cycles = computeCycles;
  let boundLevel = -1;
  let energyPJ = 0;
  for (let li = 0; li < nLevels; li++) {
    const b = ca.block[li]!;
    const er = ca.eRead[li]!, ef = ca.eFill[li]!, eu = ca.eUpdate[li]!;
    let words = 0;
    let e = 0;
    for (let o = 0; o < 3; o++) {
      if (!keptOut[li * 3 + o]) continue;
      const a = (li * 3 + o) * 4;
      const r = accessOut[a + READS]!, f = accessOut[a + FILLS]!, u = accessOut[a + UPDATES]!;
      words += r + f + u;
      e += Math.ceil(r / b) * er + Math.ceil(f / b) * ef + Math.ceil(u / b) * eu;
    }
    levelEnergy[li] = e * levelUtilized[li]!;
    const bw = ca.bandwidth[li]!;
    const lc = words <= bw * computeCycles ? computeCycles : Math.ceil(words / bw);
    levelCycles[li] = lc;
    if (lc > cycles) {
      cycles = lc;
      boundLevel = li;
    }
  }
  for (let li = 0; li < nLevels; li++) {
    // Leakage (per instance per cycle) needs the final cycle count.
    levelEnergy[li]! += ca.leakTotal[li]! * cycles;
    energyPJ += levelEnergy[li]!;
  }
  const macs = computeCycles * spatialAll;
  energyPJ += macs * ca.macEnergyPJ;
  out.cycles = cycles;
  out.energyPJ = energyPJ;
  out.computeCycles = computeCycles;
  out.macs = macs;
  out.boundLevel = boundLevel;
  return out;
}

/** Costs one layer under one mapping with the per-level, per-operand breakdown. */
export function evaluateMapping(arch: Architecture, layer: LayerShape, mapping: Mapping): MappingCost {
  const fast = costMapping(arch, layer, mapping, { cycles: 0, energyPJ: 0, computeCycles: 0, macs: 0, boundLevel: -1 });
  const levels: LevelCost[] = [];
  let areaUM2 = arch.compute.areaUM2 * arch.compute.instances;
  for (let li = 0; li < arch.levels.length; li++) {
    const lv = arch.levels[li]!;
    const accesses: Partial<Record<Operand, OperandAccesses>> = {};
    for (const op of OPERANDS) {
      const o = OPERAND_INDEX[op];
      if (!keptOut[li * 3 + o]) continue;
      const a = (li * 3 + o) * 4;
      accesses[op] = { reads: accessOut[a + READS]!, fills: accessOut[a + FILLS]!, updates: accessOut[a + UPDATES]!, tileWords: accessOut[a + TILE]! };
    }
    levels.push({ name: lv.name, utilizedInstances: levelUtilized[li]!, accesses, usedWords: levelUsed[li]!, cycles: levelCycles[li]!, energyPJ: levelEnergy[li]!, areaUM2: lv.areaUM2 * lv.instances });
    areaUM2 += lv.areaUM2 * lv.instances;
  }
  return {
    macs: fast.macs,
    computeCycles: fast.computeCycles,
    cycles: fast.cycles,
    energyPJ: fast.energyPJ,
    macEnergyPJ: fast.macs * arch.compute.macEnergyPJ,
    areaMM2: areaUM2 / 1e6,
    levels,
    bound: fast.boundLevel < 0 ? arch.compute.name : arch.levels[fast.boundLevel]!.name,
  };
}

/** Words of operand o (0 W, 1 I, 2 O) in a tile with loop extents ext (indexed by dim). */
export function operandTileWords(o: number, ext: Float64Array, layer: LayerShape): number {
  strideW = layer.strideW;
  strideH = layer.strideH;
  return box(o, ext, 0);
}
