import { DseError } from '../../core/errors.ts';
import { LoopNest, MAX_LEVELS } from './loop-nest.ts';
import { addFoldCycles, stationaryDimMask } from './systolic-folds.ts';
import { costNest, type FastCost } from './mapping-model.ts';
import { keepCandidates, keepsSeveral, keptOperands } from './mapper-bypass.ts';
import { orderEstimates, STATIONARY_ORDERS } from './mapper-order.ts';
import { chooseSpatial, spatialCandidates } from './mapper-spatial.ts';
import { growTiles, type TileProblem } from './mapper-tiles.ts';
import { DIMS, type Architecture, type LayerShape, type Loop, type Mapping } from './types.ts';

/**
 * The per-layer mapper: a good mapping of one layer on one architecture for an objective, found
 * by construction rather than enumeration, and costed with the exact model only a few dozen times.
 *
 * 1. Bypass: candidate operand sets per level (mapper-bypass.ts); many candidates (a Timeloop
 *    file, where every level may keep everything) are screened with one cheap tiling each first.
 * 2. Spatial factors: the largest utilisation of every fan-out that fits, plus equally utilised
 *    alternatives (mapper-spatial.ts).
 * 3. Temporal tiles: grown greedily from the innermost level, once per "stationary" operand
 *    (weights, inputs, outputs), by a closed-form estimate of the traffic each growth step saves
 *    per word of capacity it uses (mapper-tiles.ts). The outermost level takes the rest of every dim.
 * 4. Loop order of every level the architecture leaves free: of the six orders that keep one
 *    operand stationary, the two a refill estimate ranks best (mapper-order.ts).
 * 5. The exact model (mapping-model.ts, through a flat loop nest) costs these (up to 3 x 2 per
 *    spatial and bypass candidate) and the best for the objective wins; then dropping operands from levels that keep several is tried on it and,
 *    if a drop helps, tiles are regrown with the freed capacity.
 *
 * Deterministic. Not exhaustive: steps 2-4 are heuristics, the model only ranks what they build.
 */
export type MapperObjective = 'latency' | 'energy' | 'edp';

export interface MapperResult {
  mapping: Mapping;
  cycles: number;
  energyPJ: number;
  /** Mappings the model costed to find it. */
  evaluated: number;
}

function score(objective: MapperObjective, c: FastCost): number {
  if (objective === 'latency') return c.cycles * (1 + 1e-12 * c.energyPJ) + c.energyPJ * 1e-9;
  if (objective === 'energy') return c.energyPJ + c.cycles * 1e-9;
  return c.cycles * c.energyPJ;
}

interface Candidate {
  keeps: Int32Array;
  spatial: Float64Array;
  temporal: Float64Array;
  stationary: number;
  variant: number;
}

/** What the search needs of an architecture, derived once per architecture object (all its layers share it). */
interface ArchPlan {
  capacity: Float64Array;
  temporalMask: Int32Array;
  fixedOrder: Array<number[] | null>;
  keepCandidates: Int32Array[];
  /** Dims some level may split spatially: the spatial candidates depend on the layer through these alone. */
  spatialDims: number[];
  /** Spatial candidate lists by the layer's extents on spatialDims (layers of one network share many). */
  spatialLists: Map<string, number[][][][]>;
}

const plans = new WeakMap<Architecture, ArchPlan>();
/** One loop nest, refilled for every candidate (the mapper runs to completion on one thread). */
const NEST = new LoopNest();
/** Scratch for searchSpatial (not re-entered): its tilings (one per stationary run), order estimates, word weights. */
const TILINGS = Array.from({ length: 3 }, () => new Float64Array(MAX_LEVELS * 7));
const EST = new Float64Array(6);
const WEIGHTS = new Float64Array(MAX_LEVELS * 3);

function planOf(arch: Architecture): ArchPlan {
  let plan = plans.get(arch);
  if (!plan) {
    plan = {
      capacity: Float64Array.from(arch.levels, (l) => l.capacityWords ?? Infinity),
      temporalMask: Int32Array.from(arch.levels, (l) => dimMask(l.temporalDims ?? DIMS)),
      fixedOrder: arch.levels.map((l) => (l.loopOrder ? completeOrder(l.loopOrder.map((d) => DIMS.indexOf(d))) : null)),
      keepCandidates: keepCandidates(arch),
      spatialDims: DIMS.map((_, d) => d).filter((d) => arch.levels.some((l) => l.spatialDims.includes(DIMS[d]!))),
      spatialLists: new Map(),
    };
    plans.set(arch, plan);
  }
  return plan;
}

/**
 * Tile growth runs once per stationary operand (weights, inputs, outputs): each makes a different
 * trade between the operands' refills, and the exact model picks. (Fewer runs lose on some of
 * DOSA's groups: with weights and outputs alone 9 of 2,470 are worse than Timeloop's sample.)
 */
const STATIONARY_RUNS = [0, 1, 2];
/** Bypass choices searched in full; beyond, they are screened first (mapper-bypass.ts). */
const FULL_SEARCHES = 3;

class Search {
  readonly n: number;
  readonly D: number[];
  readonly capacity: Float64Array;
  readonly temporalMask: Int32Array;
  readonly fixedOrder: Array<number[] | null>;
  readonly plan: ArchPlan;
  private readonly fast: FastCost = { cycles: 0, energyPJ: 0, computeCycles: 0, macs: 0, boundLevel: -1 };
  /** Dims of the operand a systolic array keeps (0: no array): its fill/drain per fold is part of every candidate's cycles. */
  private readonly stationary: number;
  evaluated = 0;
  lastScore = Infinity;
  private spatialLists: number[][][][] | undefined;
  best: { c: Candidate; score: number; cycles: number; energyPJ: number } | null = null;

  constructor(readonly arch: Architecture, readonly layer: LayerShape, readonly objective: MapperObjective) {
    this.stationary = arch.compute.systolic ? stationaryDimMask(arch.compute.systolic) : 0;
    this.n = arch.levels.length;
    this.D = [layer.N, layer.C, layer.K, layer.P, layer.Q, layer.R, layer.S];
    this.plan = planOf(arch);
    this.capacity = this.plan.capacity;
    this.temporalMask = this.plan.temporalMask;
    this.fixedOrder = this.plan.fixedOrder;
  }

  private spatialListsOf(): number[][][][] {
    const key = this.plan.spatialDims.map((d) => this.D[d]).join(',');
    let lists = this.plan.spatialLists.get(key);
    if (!lists) this.plan.spatialLists.set(key, (lists = spatialCandidates(this.arch, this.D)));
    return lists;
  }

  /** Steps 2-5 for one bypass choice: tilings for `runs` stationary operands, each with its `orders` best-estimated orders. Returns the best score found. */
  searchTiles(keeps: Int32Array, runs: readonly number[] = STATIONARY_RUNS, orders = 2, spatialChoices = Infinity): number {
    this.spatialLists ??= this.spatialListsOf();
    let best = Infinity;
    for (const lists of this.spatialLists.slice(0, spatialChoices)) {
      const spatial = chooseSpatial(this.arch, this.layer, lists, keeps);
      if (spatial !== null) best = Math.min(best, this.searchSpatial(keeps, spatial, runs, orders));
    }
    return best;
  }

  private searchSpatial(keeps: Int32Array, spatial: Float64Array, runs: readonly number[], orders: number): number {
    let best = Infinity;
    const problem: TileProblem = {
      layer: this.layer,
      D: this.D,
      levels: this.n,
      capacity: this.capacity,
      temporalMask: this.temporalMask,
      keeps,
      spatial,
      weight: this.weights(keeps, spatial, WEIGHTS),
    };
    const est = EST;
    let tilings = 0;
    for (const s of runs) {
      const temporal = TILINGS[tilings]!;
      growTiles(problem, s, temporal);
      if (!this.completeOutermost(spatial, temporal)) continue;
      // Two stationary operands often grow the same tiles: cost a tiling once.
      if (this.seenTiling(temporal, tilings)) continue;
      tilings++;
      // The two orders the estimate ranks best are costed exactly.
      orderEstimates(problem, temporal, this.fixedOrder, est);
      let a = 0;
      for (let k = 1; k < 6; k++) if (est[k]! < est[a]!) a = k;
      let b = a === 0 ? 1 : 0;
      for (let k = 0; k < 6; k++) if (k !== a && est[k]! < est[b]!) b = k;
      this.consider(keeps, spatial, temporal, a >> 1, a & 1);
      best = Math.min(best, this.lastScore);
      if (orders < 2) continue;
      if (this.sameNest(temporal, a, b)) continue;
      this.consider(keeps, spatial, temporal, b >> 1, b & 1);
      best = Math.min(best, this.lastScore);
    }
    return best;
  }

  /** Whether one of the first `count` scratch tilings equals this one. */
  private seenTiling(temporal: Float64Array, count: number): boolean {
    for (let t = 0; t < count; t++) {
      const other = TILINGS[t]!;
      let i = 0;
      while (i < this.n * 7 && other[i] === temporal[i]) i++;
      if (i === this.n * 7) return true;
    }
    return false;
  }

  /** Step 5's bypass refinement on the best mapping so far. */
  refineBypass(): void {
    if (!this.best) return;
    const start = this.best.c.keeps;
    let improved = true;
    while (improved) {
      improved = false;
      const c = this.best.c;
      for (let li = 1; li < this.n && !improved; li++) {
        if (!keepsSeveral(c.keeps[li]!)) continue;
        for (let o = 0; o < 3 && !improved; o++) {
          if (!(c.keeps[li]! & (1 << o))) continue;
          const keeps = Int32Array.from(c.keeps);
          keeps[li]! &= ~(1 << o);
          improved = this.consider(keeps, c.spatial, c.temporal, c.stationary, c.variant);
        }
      }
    }
    const keeps = this.best.c.keeps;
    if (keeps.some((m, li) => m !== start[li])) this.searchTiles(keeps);
  }

  /** Energy of moving one word of operand o into level m (its fill, the parent's read and, for outputs, update), times the instances in use. */
  private weights(keeps: Int32Array, spatial: Float64Array, w: Float64Array): Float64Array {
    w.fill(0);
    let util = 1;
    for (let m = 0; m < this.n; m++) {
      if (m > 0) for (let d = 0; d < 7; d++) util *= spatial[(m - 1) * 7 + d]!;
      const lv = this.arch.levels[m]!;
      for (let o = 0; o < 3; o++) {
        if (m === 0 || !(keeps[m]! & (1 << o))) continue;
        let p = m - 1;
        while (p > 0 && !(keeps[p]! & (1 << o))) p--;
        const pe = this.arch.levels[p]!.energyPJ;
        const parent = (pe.read + (o === 2 ? pe.update : 0)) / this.arch.levels[p]!.blockWords;
        w[m * 3 + o] = util * (lv.energyPJ.fill / lv.blockWords + parent);
      }
    }
    return w;
  }

  /** The outermost level takes what is left of every dim; false if a dim it may not loop over is left. */
  private completeOutermost(spatial: Float64Array, temporal: Float64Array): boolean {
    for (let d = 0; d < 7; d++) {
      let taken = 1;
      for (let m = 0; m < this.n; m++) taken *= spatial[m * 7 + d]! * (m > 0 ? temporal[m * 7 + d]! : 1);
      const left = this.D[d]! / taken;
      temporal[d] = left;
      if (left > 1 && !((this.temporalMask[0]! >> d) & 1)) return false;
    }
    return true;
  }

  /** The loop order of level li under stationary order k (2 * stationary operand + variant; outer to inner, all seven dims). */
  private orderOf(li: number, k: number): readonly number[] {
    return this.fixedOrder[li] ?? STATIONARY_ORDERS[k >> 1]![k & 1]!;
  }

  toMapping(c: Candidate): Mapping {
    const levels = [];
    for (let li = 0; li < this.n; li++) {
      const temporal: Loop[] = [];
      for (const d of this.orderOf(li, 2 * c.stationary + c.variant)) if (c.temporal[li * 7 + d]! > 1) temporal.push({ dim: d, factor: c.temporal[li * 7 + d]! });
      const spatial: Loop[] = [];
      for (let d = 0; d < 7; d++) if (c.spatial[li * 7 + d]! > 1) spatial.push({ dim: d, factor: c.spatial[li * 7 + d]! });
      levels.push({ temporal, spatial, keeps: keptOperands(c.keeps[li]!) });
    }
    return { levels };
  }

  /** Whether stationary orders a and b give the same loop nest for these tiles (they differ only in groups whose factors are all 1). */
  private sameNest(temporal: Float64Array, a: number, b: number): boolean {
    for (let li = 0; li < this.n; li++) {
      if (this.fixedOrder[li]) continue;
      const oa = this.orderOf(li, a);
      const ob = this.orderOf(li, b);
      let i = 0;
      let j = 0;
      for (;;) {
        while (i < 7 && temporal[li * 7 + oa[i]!]! === 1) i++;
        while (j < 7 && temporal[li * 7 + ob[j]!]! === 1) j++;
        if (i === 7 || j === 7) {
          if (i !== j) return false;
          break;
        }
        if (oa[i] !== ob[j]) return false;
        i++;
        j++;
      }
    }
    return true;
  }

  /** Costs a candidate with the exact model (written straight into a loop nest); true if it is the new best. */
  private consider(keeps: Int32Array, spatial: Float64Array, temporal: Float64Array, stationary: number, variant: number): boolean {
    this.evaluated++;
    const nest = NEST.clear();
    // On a systolic array: folds = iterations at or outside the innermost stationary loop (systolic-folds.ts).
    let iterations = 1;
    let folds = 1;
    for (let li = 0; li < this.n; li++) {
      nest.keeps(li, keeps[li]!);
      for (const d of this.orderOf(li, 2 * stationary + variant)) {
        const f = temporal[li * 7 + d]!;
        if (f > 1) {
          nest.loop(li, d, f, false);
          iterations *= f;
          if ((this.stationary >> d) & 1) folds = iterations;
        }
      }
      for (let d = 0; d < 7; d++) {
        const f = spatial[li * 7 + d]!;
        if (f > 1) nest.loop(li, d, f, true);
      }
    }
    costNest(this.arch, this.layer, nest, this.fast);
    if (this.stationary !== 0) addFoldCycles(this.arch, folds, this.fast);
    const s = score(this.objective, this.fast);
    this.lastScore = s;
    if (this.best && s >= this.best.score) return false;
    // Tilings live in scratch arrays (TILINGS) that the next search overwrites: the best keeps a copy.
    const own = (TILINGS as Float64Array[]).includes(temporal) ? temporal.slice(0, this.n * 7) : temporal;
    this.best = { c: { keeps, spatial, temporal: own, stationary, variant }, score: s, cycles: this.fast.cycles, energyPJ: this.fast.energyPJ };
    return true;
  }
}

/** A fixed loop order naming only some dims: the others go outermost (their factors are 1 unless the outermost level takes a remainder). */
function completeOrder(order: number[]): number[] {
  const missing = [0, 1, 2, 3, 4, 5, 6].filter((d) => !order.includes(d));
  return [...missing, ...order];
}

function dimMask(dims: readonly string[]): number {
  let m = 0;
  for (const d of dims) m |= 1 << (DIMS as readonly string[]).indexOf(d);
  return m;
}


export function findBestMapping(arch: Architecture, layer: LayerShape, objective: MapperObjective = 'latency'): MapperResult {
  const search = new Search(arch, layer, objective);
  const combos = search.plan.keepCandidates;
  if (combos.length <= FULL_SEARCHES) {
    for (const keeps of combos) search.searchTiles(keeps);
  } else {
    // Many bypass choices (a Timeloop file): one neutral tiling each, then the best few in full.
    const screened = combos.map((keeps, i) => ({ keeps, i, score: search.searchTiles(keeps, [-1], 1, 1) }));
    screened.sort((a, b) => a.score - b.score || a.i - b.i);
    for (const c of screened.slice(0, FULL_SEARCHES)) search.searchTiles(c.keeps);
  }
  search.refineBypass();
  const best = search.best;
  if (!best) throw new DseError('no_mapping', `no mapping of the layer fits the architecture's capacities, even with the smallest tiles and every operand it may bypass bypassed`, { path: 'architecture' });
  return { mapping: search.toMapping(best.c), cycles: best.cycles, energyPJ: best.energyPJ, evaluated: search.evaluated };
}

/** Mappings already found, by (architecture object, layer shape, objective): repeated shapes map once. */
export class MapperCache {
  private readonly byArch = new WeakMap<Architecture, Map<string, MapperResult>>();
  hits = 0;
  misses = 0;

  get(arch: Architecture, layer: LayerShape, objective: MapperObjective): MapperResult {
    let m = this.byArch.get(arch);
    if (!m) this.byArch.set(arch, (m = new Map()));
    const key = `${objective}|${layer.N},${layer.C},${layer.K},${layer.P},${layer.Q},${layer.R},${layer.S},${layer.strideW},${layer.strideH}`;
    const hit = m.get(key);
    if (hit) {
      this.hits++;
      return hit;
    }
    this.misses++;
    const r = findBestMapping(arch, layer, objective);
    m.set(key, r);
    return r;
  }
}
