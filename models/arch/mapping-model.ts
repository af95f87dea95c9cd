import { KEEPS_PER_ENTRY as NEST_KEEPS_PER_ENTRY, MAX_LEVELS as NEST_MAX_LEVELS, MAX_LOOPS as NEST_MAX_LOOPS, NEST_HEADER as NEST_HEADER_SIZE, type LoopNest } from './loop-nest.ts';
import { OPERANDS, type Architecture, type LayerShape, type Mapping, type Operand } from './types.ts';

/**
 * The cost of one layer under one given mapping, counted the way Timeloop (v0.3-era
 * `nest-analysis` + `tiling.cpp` legacy read-modify-write path + `buffer.cpp`) counts it:
 *
 * - A level's tile spans the loops of that level and every level below it (its spatial loops
 *   included). Fills of one instance are the points new to its tile at each step of the temporal
 *   loops above it (Timeloop's deltas, with its rule for when the previous tile is subtracted;
 *   see deltaFills), in closed form: the cost does not grow with the loop bounds. Sliding input
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
 *
 * Speed: an evaluation is a few passes over the loop list and the levels, on module-level typed
 * arrays (no allocation); `npm run bench -- arch-model` measures it.
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
// Module-local copies: reading an imported binding in a hot loop costs a load each time.
const MAX_LEVELS = NEST_MAX_LEVELS;
const MAX_LOOPS = NEST_MAX_LOOPS;
const NEST_HEADER = NEST_HEADER_SIZE;
const KEEPS_PER_ENTRY = NEST_KEEPS_PER_ENTRY;

// The geometry of Timeloop's cnn-layer operands (W 0, I 1, O 2): Weights[C,K,R,S],
// Inputs[N, C, strideW*P + R, strideH*Q + S], Outputs[N,K,P,Q]. A tile is the bounding box, in the
// operand's coordinates, of a box of loop extents over the dims (N C K P Q R S = 0..6, as DIMS).
// Kept in this module with the rest of the hot path: V8 does not inline calls across ES modules.
const N = 0, C = 1, K = 2, P = 3, Q = 4, R = 5, S = 6;

/** Per operand, the dims that index it (bit d): W C K R S, I all but K, O N K P Q. */
const OPERAND_DIMS = Int32Array.from([
  (1 << C) | (1 << K) | (1 << R) | (1 << S),
  0x7f & ~(1 << K),
  (1 << N) | (1 << K) | (1 << P) | (1 << Q),
]);

/** Points of operand o in the tile of loop extents ext[off..off+7). */
function tilePoints(o: number, ext: Float64Array, off: number, strideW: number, strideH: number): number {
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

/** Points shared by operand o's tile (extents ext[off..]) and the same tile moved by `by` along dim d. */
function overlapAlong(o: number, ext: Float64Array, off: number, d: number, by: number, strideW: number, strideH: number): number {
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

/** dimCoord[o*7+d]: the coordinate of operand o that dim d moves (-1: none). */
const dimCoord = Int8Array.from([
  -1, 0, 1, -1, -1, 2, 3, // W: C K R S
  0, 1, -1, 2, 3, 2, 3, //   I: N C (P,R) (Q,S)
  0, -1, 1, 2, 3, -1, -1, // O: N K P Q
]);
/** dimCoef[o*7+d]: how far one step of dim d moves that coordinate (the inputs' P and Q: the strides, set per layer). */
const dimCoef = Float64Array.from({ length: 3 * 7 }, () => 1);

// Scratch state of one evaluation (module-level typed arrays: no allocation per call).
// The loops, outermost first, factor-1 loops left out, and the operands each level keeps.
let loopCount = 0;
const loopDim = new Uint8Array(MAX_LOOPS);
const loopFactor = new Float64Array(MAX_LOOPS);
const loopSpatial = new Uint8Array(MAX_LOOPS);
const loopLevel = new Uint8Array(MAX_LOOPS);
/** keepMask[li]: bit o set when level li keeps operand o (W=1, I=2, O=4). */
const keepMask = new Int32Array(MAX_LEVELS);
/** step[j]: distance in its dim between consecutive iterations of loop j (product of the inner loops' factors of that dim). */
const step = new Float64Array(MAX_LOOPS);
/** levelStart[li]: index of the first loop of level li or below (loops above li are 0..levelStart[li]-1). */
const levelStart = new Int32Array(MAX_LEVELS + 1);
/** extBelow[li*7+d]: product of the factors of dim d over the loops of level li and below (its tile's extents). */
const extBelow = new Float64Array((MAX_LEVELS + 1) * NDIMS);
/** temporalAbove[j]: product of the factors of the temporal loops outside loop j. */
const temporalAbove = new Float64Array(MAX_LOOPS);
/** The children's tiles spread over spatial loops (inputs), per dim. */
const tmpExt = new Float64Array(NDIMS);
/** Running product of the factors per dim, innermost loop first. */
const dimAcc = new Float64Array(NDIMS);
// Per (level, operand) results of the last evaluation, per instance (written only for the breakdown).
const READS = 0, FILLS = 1, UPDATES = 2, TILE = 3;
const accessOut = new Float64Array(MAX_LEVELS * 3 * 4);
const levelCycles = new Float64Array(MAX_LEVELS);
/** Energy of the level's accesses (then x instances used, + leakage). */
const levelEnergy = new Float64Array(MAX_LEVELS);
/** Words one instance reads, fills and updates, all operands. */
const levelWords = new Float64Array(MAX_LEVELS);
const levelUsed = new Float64Array(MAX_LEVELS);
/** Instances used: the product of the spatial factors above the level. */
const levelUtilized = new Float64Array(MAX_LEVELS);
/** The product of the spatial factors above the level on the outputs' dims (N K P Q). */
const outputSplit = new Float64Array(MAX_LEVELS);
// The layer's strides, for the inputs' sliding windows.
let strideW = 1;
let strideH = 1;

const OPERAND_INDEX: Record<Operand, number> = { W: 0, I: 1, O: 2 };

/** An architecture's numbers, built once per architecture object: per level BLOCK..BANDWIDTH in one array. */
interface CompiledArch {
  nLevels: number;
  perLevel: Float64Array;
  macEnergyPJ: number;
}
const BLOCK = 0, E_READ = 1, E_FILL = 2, E_UPDATE = 3, LEAK_TOTAL = 4, BANDWIDTH = 5, PER_LEVEL = 6;

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
    const perLevel = new Float64Array(n * PER_LEVEL);
    arch.levels.forEach((l, li) => {
      // Bandwidth in words per cycle per instance; Infinity = unlimited.
      perLevel.set([l.blockWords, l.energyPJ.read, l.energyPJ.fill, l.energyPJ.update, l.energyPJ.leakPerCycle * l.instances, l.bandwidthWordsPerCycle ?? Infinity], li * PER_LEVEL);
    });
    c = { nLevels: n, perLevel, macEnergyPJ: arch.compute.macEnergyPJ };
    compiled.set(arch, c);
  }
  lastArch = arch;
  lastCompiled = c;
  return c;
}

/**
 * Points new to one instance's tile of level li (size `tile`, operand o) over the temporal loops
 * above it, by Timeloop's rule (`OperationSpace::SaveAndSubtractIfSameStride`): at each step the
 * new tile minus the previous one, but only while the tile keeps moving by the same translation;
 * when the translation changes (an inner loop wraps back, the tile stops or starts moving) the
 * whole tile counts as new and the translation is forgotten, so the next step subtracts again.
 *
 * Closed form. Number the loops above li from the innermost (0) outwards (all have bound > 1).
 * Every step of an outer loop follows a step of loop 0 (loop 0 is at its last index when an outer
 * loop advances), so the translation remembered before it is always loop 0's (or none, after a
 * reset), and every step of loop 0 subtracts. Hence each step of loop 0 subtracts the overlap ov0
 * of the tile with itself moved one loop-0 step; a step of loop q >= 1 subtracts the same ov0 when
 * its translation (its own step minus the inner loops wrapping back) equals loop 0's, and counts
 * the whole tile otherwise:
 *   fills = tile x iterations - ov0 x (steps whose translation equals loop 0's),
 * loop q stepping (bound_q - 1) x (iterations of the loops outside it) times.
 * (test/models/arch/mapping-model.test.ts checks this against a walk of every iteration.)
 *
 * Loop q's translation equals loop 0's when (its step) - (loop 0's step) - (the loops 1..q-1 and 0
 * wrapping back) is zero in the operand's coordinates. That difference before adding q's step,
 * `gap`, only ever decreases in each coordinate (every wrap subtracts), so it is tracked as the one
 * coordinate where it is nonzero; once two are, no outer loop can match any more.
 */
function deltaFills(o: number, li: number, tile: number): number {
  let j = levelStart[li]! - 1;
  while (j >= 0 && loopSpatial[j]) j--;
  if (j < 0) return tile;
  const d0 = loopDim[j]!, st0 = step[j]!, b0 = loopFactor[j]!;
  const coords = o * NDIMS;
  // gap = -(loop 0's step) - (loop 0 wrapping back) = -b0 st0 along d0, in operand coordinates.
  let gapCoord = dimCoord[coords + d0]!;
  let gap = gapCoord < 0 ? 0 : -b0 * st0 * dimCoef[coords + d0]!;
  let iterations = b0;
  let sameSteps = b0 - 1; // Horner: the steps so far of the loops translating like loop 0
  for (j--; j >= 0; j--) {
    if (loopSpatial[j]) continue;
    const b = loopFactor[j]!;
    const c = dimCoord[coords + loopDim[j]!]!;
    const move = c < 0 ? 0 : step[j]! * dimCoef[coords + loopDim[j]!]!;
    const same = c < 0 ? gapCoord < 0 : gapCoord === c && gap + move === 0;
    iterations *= b;
    sameSteps = sameSteps * b + (same ? b - 1 : 0);
    if (c < 0) continue;
    if (gapCoord < 0 || gapCoord === c) {
      gapCoord = c;
      gap -= (b - 1) * move;
    } else {
      // A second coordinate is off: no loop outside matches; they only multiply the iterations.
      const rest = temporalAbove[j]!;
      iterations *= rest;
      sameSteps *= rest;
      break;
    }
  }
  return tile * iterations - overlapAlong(o, extBelow, li * NDIMS, d0, st0, strideW, strideH) * sameSteps;
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
 * Costs one layer under one mapping into `out` and the module's per-level scratch arrays (read
 * them with evaluateMapping's breakdown before the next call). No checks: the mapping must be
 * valid (validate-mapping.ts).
 */
export function costMapping(arch: Architecture, layer: LayerShape, mapping: Mapping, out: FastCost): FastCost {
  loadMapping(mapping);
  return costLoaded(arch, layer, out, false);
}

/** Loads a Mapping's loops and keep masks into the scratch arrays. */
function loadMapping(mapping: Mapping): void {
  const levels = mapping.levels;
  if (levels.length > MAX_LEVELS) throw new RangeError(`a mapping has more than ${MAX_LEVELS} levels`);
  let n = 0;
  for (let li = 0; li < levels.length; li++) {
    const lv = levels[li]!;
    const keeps = lv.keeps;
    let mask = 0;
    for (let k = 0; k < keeps.length; k++) mask |= keeps[k] === 'W' ? 1 : keeps[k] === 'I' ? 2 : 4;
    keepMask[li] = mask;
    for (let s = 0; s < 2; s++) {
      const loops = s === 0 ? lv.temporal : lv.spatial;
      for (let k = 0; k < loops.length; k++) {
        const l = loops[k]!;
        if (l.factor === 1) continue;
        if (n === MAX_LOOPS) throw new RangeError(`a mapping has more than ${MAX_LOOPS} loops`);
        loopDim[n] = l.dim;
        loopFactor[n] = l.factor;
        loopSpatial[n] = s;
        loopLevel[n] = li;
        n++;
      }
    }
  }
  loopCount = n;
}

/**
 * costMapping on a mapping packed in a LoopNest (loop-nest.ts), which a caller costing many
 * mappings fills in place. No allocation, no checks.
 */
export function costNest(arch: Architecture, layer: LayerShape, nest: LoopNest, out: FastCost): FastCost {
  const data = nest.data;
  const keepsLow = data[1]!, keepsHigh = data[2]!;
  for (let li = 0; li < KEEPS_PER_ENTRY; li++) keepMask[li] = (keepsLow >> (3 * li)) & 7;
  for (let li = KEEPS_PER_ENTRY; li < MAX_LEVELS; li++) keepMask[li] = (keepsHigh >> (3 * (li - KEEPS_PER_ENTRY))) & 7;
  let n = 0;
  for (let j = 0, end = data[0]!; j < end; j++) {
    const code = data[NEST_HEADER + 2 * j]!;
    const f = data[NEST_HEADER + 2 * j + 1]!;
    if (f === 1) continue;
    loopDim[n] = code & 7;
    loopSpatial[n] = (code >> 3) & 1;
    loopLevel[n] = code >> 4;
    loopFactor[n] = f;
    n++;
  }
  loopCount = n;
  return costLoaded(arch, layer, out, false);
}

/**
 * The model's core, on the loops loaded into the scratch arrays. `breakdown`: also store the
 * per-(level, operand) numbers evaluateMapping reports (the fast path computes the totals only).
 */
function costLoaded(arch: Architecture, layer: LayerShape, out: FastCost, breakdown: boolean): FastCost {
  const ca = compileArch(arch);
  const nLevels = ca.nLevels;
  const pl = ca.perLevel;
  const n = loopCount;
  const dims = loopDim, factors = loopFactor, spatial = loopSpatial;
  strideW = layer.strideW;
  strideH = layer.strideH;
  dimCoef[NDIMS + P] = strideW;
  dimCoef[NDIMS + Q] = strideH;

  // Innermost first: each loop's step, each level's tile extents (the running product per dim when
  // its loops are done), the compute cycles (temporal iterations) and the MACs' spatial factor.
  for (let d = 0; d < NDIMS; d++) {
    dimAcc[d] = 1;
    extBelow[nLevels * NDIMS + d] = 1;
  }
  let computeCycles = 1;
  let spatialAll = 1;
  levelStart[nLevels] = n;
  let j = n - 1;
  for (let li = nLevels - 1; li >= 0; li--) {
    for (; j >= 0 && loopLevel[j]! === li; j--) {
      const d = dims[j]!, f = factors[j]!;
      step[j] = dimAcc[d]!;
      dimAcc[d]! *= f;
      if (spatial[j]) spatialAll *= f;
      else computeCycles *= f;
    }
    levelStart[li] = j + 1;
    for (let d = 0; d < NDIMS; d++) extBelow[li * NDIMS + d] = dimAcc[d]!;
  }
  // Outermost first: the temporal iterations outside each loop, and per level the instances used
  // (the spatial factors above it) and the outputs' split over them.
  const outputDims = OPERAND_DIMS[2]!;
  let outer = 1;
  let used = 1;
  let split = 1;
  for (let li = 0, k = 0; li < nLevels; li++) {
    levelUtilized[li] = used;
    outputSplit[li] = split;
    if (breakdown) levelUsed[li] = 0;
    levelWords[li] = 0;
    levelEnergy[li] = 0;
    for (const end = levelStart[li + 1]!; k < end; k++) {
      temporalAbove[k] = outer;
      const f = factors[k]!;
      if (!spatial[k]) outer *= f;
      else {
        used *= f;
        if ((outputDims >> dims[k]!) & 1) split *= f;
      }
    }
  }
  const layerOutputs = layer.N * layer.K * layer.P * layer.Q;
  for (let o = 0; o < 3; o++) {
    const bit = 1 << o;
    const operandDims = OPERAND_DIMS[o]!;
    // Walk from the innermost level keeping the operand outwards: its reads are its child's fills.
    let childFills = computeCycles; // the MACs take one operand per MAC, every cycle
    let childLevel = nLevels;
    let childTile = 1;
    let outermost = 0;
    while (outermost < nLevels && !(keepMask[outermost]! & bit)) outermost++;
    for (let li = nLevels - 1; li >= 0; li--) {
      if (!(keepMask[li]! & bit)) continue;
      const tile = tilePoints(o, extBelow, li * NDIMS, strideW, strideH);
      // Distinct data across the spatial children between li and its child (multicast/reduction):
      // the child's tile spread over the spatial loops of levels li to the child's parent, per child
      // tile. Weights and outputs: the product of those loops on their dims; inputs' windows overlap.
      let spread = 1;
      if (o === 1) {
        const co = childLevel * NDIMS;
        for (let d = 0; d < NDIMS; d++) tmpExt[d] = extBelow[co + d]!;
        for (let k = levelStart[li]!; k < levelStart[childLevel]!; k++) if (spatial[k]) tmpExt[dims[k]!]! *= factors[k]!;
        spread = tilePoints(o, tmpExt, 0, strideW, strideH) / childTile;
      } else {
        for (let k = levelStart[li]!; k < levelStart[childLevel]!; k++) if (spatial[k] && (operandDims >> dims[k]!) & 1) spread *= factors[k]!;
      }
      const content = childFills * spread;
      const fills = li === outermost ? 0 : deltaFills(o, li, tile);
      let reads = content;
      let updates = 0;
      if (o === 2) {
        // Outputs: updates arrive from the children; the first update of each output this
        // instance owns (the layer's outputs split over the spatial loops above) needs no read.
        updates = content;
        reads = content - layerOutputs / outputSplit[li]!;
      }
      if (breakdown) {
        const a = (li * 3 + o) * 4;
        accessOut[a + TILE] = tile;
        accessOut[a + READS] = reads;
        accessOut[a + FILLS] = fills;
        accessOut[a + UPDATES] = updates;
        levelUsed[li]! += tile;
      }
      levelWords[li]! += reads + fills + updates;
      const p = li * PER_LEVEL;
      const b = pl[p + BLOCK]!;
      levelEnergy[li]! += Math.ceil(reads / b) * pl[p + E_READ]! + Math.ceil(fills / b) * pl[p + E_FILL]! + (updates === 0 ? 0 : Math.ceil(updates / b) * pl[p + E_UPDATE]!);
      childFills = fills;
      childLevel = li;
      childTile = tile;
    }
  }
  let cycles = computeCycles;
  let boundLevel = -1;
  for (let li = 0; li < nLevels; li++) {
    const bw = pl[li * PER_LEVEL + BANDWIDTH]!;
    const words = levelWords[li]!;
    const lc = words <= bw * computeCycles ? computeCycles : Math.ceil(words / bw);
    if (breakdown) levelCycles[li] = lc;
    if (lc > cycles) {
      cycles = lc;
      boundLevel = li;
    }
  }
  let energyPJ = 0;
  for (let li = 0; li < nLevels; li++) {
    // Leakage (per instance per cycle) needs the final cycle count.
    const e = levelEnergy[li]! * levelUtilized[li]! + pl[li * PER_LEVEL + LEAK_TOTAL]! * cycles;
    if (breakdown) levelEnergy[li] = e;
    energyPJ += e;
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
  loadMapping(mapping);
  const fast = costLoaded(arch, layer, { cycles: 0, energyPJ: 0, computeCycles: 0, macs: 0, boundLevel: -1 }, true);
  const levels: LevelCost[] = [];
  let areaUM2 = arch.compute.areaUM2 * arch.compute.instances;
  for (let li = 0; li < arch.levels.length; li++) {
    const lv = arch.levels[li]!;
    const accesses: Partial<Record<Operand, OperandAccesses>> = {};
    for (const op of OPERANDS) {
      const o = OPERAND_INDEX[op];
      if (!(keepMask[li]! & (1 << o))) continue;
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
  return tilePoints(o, ext, 0, layer.strideW, layer.strideH);
}
