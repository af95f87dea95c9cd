import { boxSize, operandCoordinates, type Coordinate } from './operand-projection.ts';
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

/** Flattened loop nest, outermost first, with each loop's step (in its dim's units) and level. */
interface Nest {
  dim: Int32Array;
  factor: Float64Array;
  spatial: Uint8Array;
  level: Int32Array;
  step: Float64Array;
  length: number;
}

function flatten(mapping: Mapping): Nest {
  let n = 0;
  for (const lv of mapping.levels) n += lv.temporal.length + lv.spatial.length;
  const nest: Nest = {
    dim: new Int32Array(n),
    factor: new Float64Array(n),
    spatial: new Uint8Array(n),
    level: new Int32Array(n),
    step: new Float64Array(n),
    length: n,
  };
  let i = 0;
  mapping.levels.forEach((lv, li) => {
    for (const l of lv.temporal) {
      nest.dim[i] = l.dim; nest.factor[i] = l.factor; nest.spatial[i] = 0; nest.level[i] = li; i++;
    }
    for (const l of lv.spatial) {
      nest.dim[i] = l.dim; nest.factor[i] = l.factor; nest.spatial[i] = 1; nest.level[i] = li; i++;
    }
  });
  const inner = new Float64Array(NDIMS).fill(1);
  for (let j = n - 1; j >= 0; j--) {
    nest.step[j] = inner[nest.dim[j]!]!;
    inner[nest.dim[j]!]! *= nest.factor[j]!;
  }
  return nest;
}

/** Loop extents per dim of the tile of level `li` (loops of li and below). */
function tileExtents(nest: Nest, li: number, out: Float64Array): Float64Array {
  out.fill(1);
  for (let j = 0; j < nest.length; j++) if (nest.level[j]! >= li) out[nest.dim[j]!]! *= nest.factor[j]!;
  return out;
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
function deltaFills(nest: Nest, li: number, coords: Coordinate[], ext: Float64Array, tile: number): number {
  const bounds: number[] = [];
  const overlaps: number[] = [];
  const transKey: string[] = [];
  const reset = new Float64Array(NDIMS);
  for (let j = nest.length - 1; j >= 0; j--) {
    if (nest.level[j]! >= li || nest.spatial[j] || nest.factor[j]! === 1) continue;
    const b = nest.factor[j]!;
    const d = nest.dim[j]!;
    const st = nest.step[j]!;
    let overlap = 1;
    let key = '';
    for (const c of coords) {
      let shift = 0;
      let e = 1;
      for (const [cd, coef] of c) {
        shift += coef * ((cd === d ? st : 0) - reset[cd]!);
        e += coef * (ext[cd]! - 1);
      }
      key += `${shift},`;
      const o = e - Math.abs(shift);
      overlap *= o > 0 ? o : 0;
    }
    bounds.unshift(b);
    overlaps.unshift(overlap);
    transKey.unshift(key);
    reset[d]! += (b - 1) * st;
  }
  const m = bounds.length;
  // Canonical translation ids: steps of two loops with the same translation share an id.
  const transId = transKey.map((k) => transKey.indexOf(k));
  const NULL = -1;
  const memo = new Map<number, [number, number]>();
  // run(k, s): new points over all iterations of loops k..m-1 after the first, entering with state s.
  const run = (k: number, s: number): [number, number] => {
    if (k === m) return [0, s];
    const key = k * 64 + s + 1;
    const hit = memo.get(key);
    if (hit) return hit;
    let [total, state] = run(k + 1, s);
    const b = bounds[k]!;
    const t = transId[k]!;
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
      if (state === NULL || state === t) {
        gain = tile - overlaps[k]!;
        state = t;
      } else {
        gain = tile;
        state = NULL;
      }
      const [inner, after] = run(k + 1, state);
      gain += inner;
      state = after;
      total += gain;
      prevEntry = entry;
      prevGain = gain;
    }
    const out: [number, number] = [total, state];
    memo.set(key, out);
    return out;
  };
  return tile + run(0, NULL)[0];
}

/**
 * Distinct points across the spatial children between a parent level `pi` and a child level `ci`
 * (ci = levels.length for the MACs), relative to one child's tile: 1 when the spatial loops are
 * all irrelevant to the operand (multicast or reduction), their product when all are relevant.
 */
function spatialSpread(nest: Nest, pi: number, ci: number, coords: Coordinate[], childExt: Float64Array, childTile: number): number {
  const ext = Float64Array.from(childExt);
  let any = false;
  for (let j = 0; j < nest.length; j++) {
    if (nest.spatial[j] && nest.level[j]! >= pi && nest.level[j]! < ci) {
      ext[nest.dim[j]!]! *= nest.factor[j]!;
      any = true;
    }
  }
  return any ? boxSize(coords, ext) / childTile : 1;
}

/** Product of the spatial factors above level li: the instances of li the mapping uses. */
function utilizedInstances(nest: Nest, li: number): number {
  let u = 1;
  for (let j = 0; j < nest.length; j++) if (nest.spatial[j] && nest.level[j]! < li) u *= nest.factor[j]!;
  return u;
}

/** Words of an output one instance of li ever owns (every loop but the spatial loops above li). */
function partitionWords(nest: Nest, li: number, coords: Coordinate[]): number {
  const ext = new Float64Array(NDIMS).fill(1);
  for (let j = 0; j < nest.length; j++) if (!(nest.spatial[j] && nest.level[j]! < li)) ext[nest.dim[j]!]! *= nest.factor[j]!;
  return boxSize(coords, ext);
}

/**
 * Costs one layer under one mapping. The mapping must be valid for the architecture and layer
 * (see validateMapping); this function does not check it, so that the mapper can call it fast.
 */
export function evaluateMapping(arch: Architecture, layer: LayerShape, mapping: Mapping): MappingCost {
  const nest = flatten(mapping);
  const nLevels = arch.levels.length;
  let computeCycles = 1;
  let spatialAll = 1;
  for (let j = 0; j < nest.length; j++) {
    if (nest.spatial[j]) spatialAll *= nest.factor[j]!;
    else computeCycles *= nest.factor[j]!;
  }
  const macs = computeCycles * spatialAll;

  const levels: LevelCost[] = arch.levels.map((lv, li) => ({
    name: lv.name,
    utilizedInstances: utilizedInstances(nest, li),
    accesses: {},
    usedWords: 0,
    cycles: 0,
    energyPJ: 0,
    areaUM2: lv.areaUM2 * lv.instances,
  }));

  const ext = new Float64Array(NDIMS);
  const childExt = new Float64Array(NDIMS);
  for (const op of OPERANDS) {
    const coords = operandCoordinates(op, layer);
    const kept: number[] = [];
    for (let li = 0; li < nLevels; li++) if (mapping.levels[li]!.keeps.includes(op)) kept.push(li);
    // Walk from the innermost kept level outwards: each level's reads are its child's fills.
    let childFills = computeCycles; // the MACs: one operand per MAC, every cycle
    let childLevel = nLevels;
    childExt.fill(1);
    let childTile = 1;
    for (let k = kept.length - 1; k >= 0; k--) {
      const li = kept[k]!;
      tileExtents(nest, li, ext);
      const tile = boxSize(coords, ext);
      const content = childFills * spatialSpread(nest, li, childLevel, coords, childExt, childTile);
      const own = deltaFills(nest, li, coords, ext, tile);
      const outermost = k === 0;
      const acc: OperandAccesses =
        op === 'O'
          ? { updates: content, reads: content - partitionWords(nest, li, coords), fills: outermost ? 0 : own, tileWords: tile }
          : { reads: content, updates: 0, fills: outermost ? 0 : own, tileWords: tile };
      levels[li]!.accesses[op] = acc;
      levels[li]!.usedWords += tile;
      childFills = own;
      childLevel = li;
      childExt.set(ext);
      childTile = tile;
    }
  }

  let cycles = computeCycles;
  let bound = arch.compute.name;
  let energyPJ = 0;
  arch.levels.forEach((lv, li) => {
    const lc = levels[li]!;
    let words = 0;
    let e = 0;
    for (const op of OPERANDS) {
      const a = lc.accesses[op];
      if (!a) continue;
      words += a.reads + a.fills + a.updates;
      const b = lv.blockWords;
      e += Math.ceil(a.reads / b) * lv.energyPJ.read + Math.ceil(a.fills / b) * lv.energyPJ.fill + Math.ceil(a.updates / b) * lv.energyPJ.update;
    }
    lc.energyPJ = e * lc.utilizedInstances;
    const bw = lv.bandwidthWordsPerCycle;
    lc.cycles = bw === null || words <= bw * computeCycles ? computeCycles : Math.ceil(words / bw);
    if (lc.cycles > cycles) {
      cycles = lc.cycles;
      bound = lv.name;
    }
  });
  // Leakage (per instance per cycle) needs the final cycle count.
  for (let li = 0; li < nLevels; li++) {
    const leak = arch.levels[li]!.energyPJ.leakPerCycle;
    if (leak > 0) levels[li]!.energyPJ += leak * arch.levels[li]!.instances * cycles;
    energyPJ += levels[li]!.energyPJ;
  }
  const macEnergyPJ = macs * arch.compute.macEnergyPJ;
  energyPJ += macEnergyPJ;
  let areaUM2 = arch.compute.areaUM2 * arch.compute.instances;
  for (const lc of levels) areaUM2 += lc.areaUM2;
  return { macs, computeCycles, cycles, energyPJ, macEnergyPJ, areaMM2: areaUM2 / 1e6, levels, bound };
}
