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
const MAX_LOOPS = 64;
const MAX_LEVELS = 16;
const MAX_STATES = MAX_LOOPS + 1;

// Scratch state of one evaluation (module-level typed arrays: no allocation per call).
const loopDim = new Int32Array(MAX_LOOPS);
const loopFactor = new Float64Array(MAX_LOOPS);
const loopSpatial = new Uint8Array(MAX_LOOPS);
const loopLevel = new Int32Array(MAX_LOOPS);
const loopStep = new Float64Array(MAX_LOOPS);
let loopCount = 0;
/** extBelow[li*7+d]: product of the factors of dim d over the loops of level li and below. */
const extBelow = new Float64Array((MAX_LEVELS + 1) * NDIMS);
/** spatialAbove[li*7+d]: product of the spatial factors of dim d above level li. */
const spatialAbove = new Float64Array((MAX_LEVELS + 1) * NDIMS);
const tmpExt = new Float64Array(NDIMS);
const dimStepAcc = new Float64Array(NDIMS);
// Operand coordinates: coordinate c of operand o is coefA*dimA + coefB*dimB (dimB -1: none).
const coordDimA = Int32Array.from([1, 2, 5, 6, 0, 1, 3, 4, 0, 2, 3, 4]);
const coordDimB = Int32Array.from([-1, -1, -1, -1, -1, -1, 5, 6, -1, -1, -1, -1]);
const coordCoefA = Float64Array.from([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
// Per (level, operand) results of the last evaluation, per instance.
export const READS = 0, FILLS = 1, UPDATES = 2, TILE = 3;
const accessOut = new Float64Array(MAX_LEVELS * 3 * 4);
const keptOut = new Uint8Array(MAX_LEVELS * 3);
const levelCycles = new Float64Array(MAX_LEVELS);
const levelEnergy = new Float64Array(MAX_LEVELS);
const levelUsed = new Float64Array(MAX_LEVELS);
const levelUtilized = new Float64Array(MAX_LEVELS);
// deltaFills recursion state.
const dBound = new Float64Array(MAX_LOOPS);
const dOverlap = new Float64Array(MAX_LOOPS);
const dTrans = new Int32Array(MAX_LOOPS);
const dShift = new Float64Array(MAX_LOOPS * 4);
const memoStamp = new Int32Array(MAX_LOOPS * MAX_STATES);
const memoGain = new Float64Array(MAX_LOOPS * MAX_STATES);
const memoState = new Int32Array(MAX_LOOPS * MAX_STATES);
const resetAcc = new Float64Array(NDIMS);
let stamp = 0;
let runGain = 0;
let runState = 0;
let runTile = 0;

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

function compileArch(arch: Architecture): CompiledArch {
  const hit = compiled.get(arch);
  if (hit) return hit;
  const n = arch.levels.length;
  const c: CompiledArch = {
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
  return c;
}

/** keepMask[li]: bit o set when level li keeps operand o (W=1, I=2, O=4). */
const keepMask = new Int32Array(MAX_LEVELS);

function loadNest(mapping: Mapping): void {
  let n = 0;
  const levels = mapping.levels;
  for (let li = 0; li < levels.length; li++) {
    const lv = levels[li]!;
    const keeps = lv.keeps;
    let mask = 0;
    for (let k = 0; k < keeps.length; k++) mask |= keeps[k] === 'W' ? 1 : keeps[k] === 'I' ? 2 : 4;
    keepMask[li] = mask;
    for (let k = 0; k < lv.temporal.length; k++) {
      const l = lv.temporal[k]!;
      loopDim[n] = l.dim; loopFactor[n] = l.factor; loopSpatial[n] = 0; loopLevel[n] = li; n++;
    }
    for (let k = 0; k < lv.spatial.length; k++) {
      const l = lv.spatial[k]!;
      loopDim[n] = l.dim; loopFactor[n] = l.factor; loopSpatial[n] = 1; loopLevel[n] = li; n++;
    }
  }
  loopCount = n;
  dimStepAcc.fill(1);
  for (let j = n - 1; j >= 0; j--) {
    const d = loopDim[j]!;
    loopStep[j] = dimStepAcc[d]!;
    dimStepAcc[d]! *= loopFactor[j]!;
  }
}

/** Fills extBelow and spatialAbove for levels 0..nLevels (nLevels = the MACs). */
function loadExtents(nLevels: number): void {
  extBelow.fill(1, nLevels * NDIMS, (nLevels + 1) * NDIMS);
  let j = loopCount - 1;
  for (let li = nLevels - 1; li >= 0; li--) {
    const o = li * NDIMS;
    for (let d = 0; d < NDIMS; d++) extBelow[o + d] = extBelow[o + NDIMS + d]!;
    while (j >= 0 && loopLevel[j]! === li) {
      extBelow[o + loopDim[j]!]! *= loopFactor[j]!;
      j--;
    }
  }
  spatialAbove.fill(1, 0, NDIMS);
  let k = 0;
  for (let li = 1; li <= nLevels; li++) {
    const o = li * NDIMS;
    for (let d = 0; d < NDIMS; d++) spatialAbove[o + d] = spatialAbove[o - NDIMS + d]!;
    while (k < loopCount && loopLevel[k]! < li) {
      if (loopSpatial[k]) spatialAbove[o + loopDim[k]!]! *= loopFactor[k]!;
      k++;
    }
  }
}

/** Points of operand o in the box of loop extents ext[off..off+7). */
function box(o: number, ext: Float64Array, off: number): number {
  let size = 1;
  for (let c = o * 4; c < o * 4 + 4; c++) {
    let e = coordCoefA[c]! * (ext[off + coordDimA[c]!]! - 1) + 1;
    const b = coordDimB[c]!;
    if (b >= 0) e += ext[off + b]! - 1;
    size *= e;
  }
  return size;
}

/**
 * Points new to one instance's tile of level li over the temporal loops above it. Timeloop
 * (`OperationSpace::SaveAndSubtractIfSameStride`) subtracts the previous tile only while the tile
 * keeps moving by the same translation vector; when the translation changes (an inner loop wraps
 * back, the tile stops or starts moving) it counts the whole tile as new and forgets the
 * translation, so the next step subtracts again. The step after loop j advances (loops inside it
 * wrapping to 0) always has the same translation, so the walk over all iterations folds into a
 * recursion over loops with a small state (the last translation), memoised per (loop, state).
 */
function deltaFills(o: number, li: number, tile: number): number {
  resetAcc.fill(0);
  const eo = li * NDIMS;
  let m = 0;
  for (let j = loopCount - 1; j >= 0; j--) {
    if (loopLevel[j]! >= li || loopSpatial[j] || loopFactor[j]! === 1) continue;
    const b = loopFactor[j]!;
    const d = loopDim[j]!;
    const st = loopStep[j]!;
    let overlap = 1;
    for (let c = 0; c < 4; c++) {
      const ci = o * 4 + c;
      const da = coordDimA[ci]!;
      const db = coordDimB[ci]!;
      const ca = coordCoefA[ci]!;
      let shift = ca * ((da === d ? st : 0) - resetAcc[da]!);
      let e = ca * (extBelow[eo + da]! - 1) + 1;
      if (db >= 0) {
        shift += (db === d ? st : 0) - resetAcc[db]!;
        e += extBelow[eo + db]! - 1;
      }
      dShift[m * 4 + c] = shift;
      const ov = e - (shift < 0 ? -shift : shift);
      overlap *= ov > 0 ? ov : 0;
    }
    dBound[m] = b;
    dOverlap[m] = overlap;
    // Canonical translation id: the first loop with the same translation vector.
    let t = m;
    for (let q = 0; q < m; q++) {
      if (dShift[q * 4] === dShift[m * 4] && dShift[q * 4 + 1] === dShift[m * 4 + 1] && dShift[q * 4 + 2] === dShift[m * 4 + 2] && dShift[q * 4 + 3] === dShift[m * 4 + 3]) {
        t = dTrans[q]!;
        break;
      }
    }
    dTrans[m] = t;
    resetAcc[d]! += (b - 1) * st;
    m++;
  }
  stamp++;
  runTile = tile;
  run(m - 1, -1);
  return tile + runGain;
}

/** New points over all iterations (but the first) of loops q..0 (q outermost), entering in state s. */
function run(q: number, s: number): void {
  if (q < 0) {
    runGain = 0;
    runState = s;
    return;
  }
  const key = q * MAX_STATES + s + 1;
  if (memoStamp[key] === stamp) {
    runGain = memoGain[key]!;
    runState = memoState[key]!;
    return;
  }
  run(q - 1, s);
  let total = runGain;
  let state = runState;
  const b = dBound[q]!;
  const t = dTrans[q]!;
  let prevEntry = -2;
  let prevGain = 0;
  for (let it = 1; it < b; it++) {
    if (state === prevEntry) {
      // Same state as one iteration ago: every remaining iteration repeats it.
      total += prevGain * (b - it);
      break;
    }
    const entry = state;
    let gain: number;
    if (state === -1 || state === t) {
      gain = runTile - dOverlap[q]!;
      state = t;
    } else {
      gain = runTile;
      state = -1;
    }
    run(q - 1, state);
    gain += runGain;
    state = runState;
    total += gain;
    prevEntry = entry;
    prevGain = gain;
  }
  memoStamp[key] = stamp;
  memoGain[key] = total;
  memoState[key] = state;
  runGain = total;
  runState = state;
}

export interface FastCost {
  cycles: number;
  energyPJ: number;
  computeCycles: number;
  macs: number;
  /** Index of the level that sets the cycle count, -1 for the MACs. */
  boundLevel: number;
}

/**
 * The model's core: costs one layer under one mapping into `out` and the module's per-level
 * scratch arrays (read them with lastLevelCost before the next call). No allocation, no checks:
 * the mapping must be valid (validate-mapping.ts); the mapper calls this in its inner loop.
 */
export function costMapping(arch: Architecture, layer: LayerShape, mapping: Mapping, out: FastCost): FastCost {
  const ca = compileArch(arch);
  const nLevels = ca.nLevels;
  loadNest(mapping);
  loadExtents(nLevels);
  coordCoefA[6] = layer.strideW;
  coordCoefA[7] = layer.strideH;
  let computeCycles = 1;
  let spatialAll = 1;
  for (let j = 0; j < loopCount; j++) {
    if (loopSpatial[j]) spatialAll *= loopFactor[j]!;
    else computeCycles *= loopFactor[j]!;
  }
  for (let li = 0; li < nLevels; li++) {
    let u = 1;
    for (let d = 0; d < NDIMS; d++) u *= spatialAbove[li * NDIMS + d]!;
    levelUtilized[li] = u;
    levelUsed[li] = 0;
  }
  keptOut.fill(0, 0, nLevels * 3);
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
      const tile = box(o, extBelow, li * NDIMS);
      // Distinct data across the spatial children between li and its child (multicast/reduction).
      const co = childLevel * NDIMS;
      for (let d = 0; d < NDIMS; d++) tmpExt[d] = extBelow[co + d]! * (spatialAbove[co + d]! / spatialAbove[li * NDIMS + d]!);
      const content = childFills * (box(o, tmpExt, 0) / childTile);
      const own = li === outermost ? 0 : deltaFills(o, li, tile);
      const a = (li * 3 + o) * 4;
      keptOut[li * 3 + o] = 1;
      accessOut[a + TILE] = tile;
      accessOut[a + FILLS] = li === outermost ? 0 : own;
      if (o === 2) {
        // Outputs: updates arrive from the children; the first update of each output needs no read.
        for (let d = 0; d < NDIMS; d++) tmpExt[d] = dimOf(layer, d) / spatialAbove[li * NDIMS + d]!;
        accessOut[a + UPDATES] = content;
        accessOut[a + READS] = content - box(o, tmpExt, 0);
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

function dimOf(layer: LayerShape, d: number): number {
  switch (d) {
    case 0: return layer.N;
    case 1: return layer.C;
    case 2: return layer.K;
    case 3: return layer.P;
    case 4: return layer.Q;
    case 5: return layer.R;
    default: return layer.S;
  }
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
  coordCoefA[6] = layer.strideW;
  coordCoefA[7] = layer.strideH;
  return box(o, ext, 0);
}
