import { DseError } from '../../core/errors.ts';
import { costMapping, type FastCost } from './mapping-model.ts';
import { keepCandidates, keepsSeveral, keptOperands } from './mapper-bypass.ts';
import { orderEstimates, STATIONARY_ORDERS } from './mapper-order.ts';
import { chooseSpatial } from './mapper-spatial.ts';
import { growTiles, type TileProblem } from './mapper-tiles.ts';
import { DIMS, type Architecture, type LayerShape, type Loop, type Mapping } from './types.ts';

/**
 * The per-layer mapper: a good mapping of one layer on one architecture for an objective, found
 * by construction rather than enumeration, and costed with the exact model only a few dozen times.
 *
 * 1. Bypass: candidate operand sets per level (mapper-bypass.ts).
 * 2. Spatial factors: the largest utilisation of every fan-out that fits (mapper-spatial.ts).
 * 3. Temporal tiles: grown greedily from the innermost level, once per "stationary" operand
 *    (weights, inputs, outputs), by a closed-form estimate of the traffic each growth step saves
 *    per word of capacity it uses (mapper-tiles.ts). The outermost level takes the rest of every dim.
 * 4. Loop order of every level the architecture leaves free: the two orders that keep that
 *    operand stationary (mapper-order.ts).
 * 5. The exact model (mapping-model.ts) costs these (3 x 2 per bypass candidate) and the best for
 *    the objective wins; then dropping operands from levels that keep several is tried on it and,
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
}

const plans = new WeakMap<Architecture, ArchPlan>();

function planOf(arch: Architecture): ArchPlan {
  let plan = plans.get(arch);
  if (!plan) {
    plan = {
      capacity: Float64Array.from(arch.levels, (l) => l.capacityWords ?? Infinity),
      temporalMask: Int32Array.from(arch.levels, (l) => dimMask(l.temporalDims ?? DIMS)),
      fixedOrder: arch.levels.map((l) => (l.loopOrder ? l.loopOrder.map((d) => DIMS.indexOf(d)) : null)),
      keepCandidates: keepCandidates(arch),
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

class Search {
  readonly n: number;
  readonly D: number[];
  readonly capacity: Float64Array;
  readonly temporalMask: Int32Array;
  readonly fixedOrder: Array<number[] | null>;
  readonly plan: ArchPlan;
  private readonly fast: FastCost = { cycles: 0, energyPJ: 0, computeCycles: 0, macs: 0, boundLevel: -1 };
  evaluated = 0;
  best: { c: Candidate; mapping: Mapping; score: number; cycles: number; energyPJ: number } | null = null;

  constructor(readonly arch: Architecture, readonly layer: LayerShape, readonly objective: MapperObjective) {
    this.n = arch.levels.length;
    this.D = [layer.N, layer.C, layer.K, layer.P, layer.Q, layer.R, layer.S];
    this.plan = planOf(arch);
    this.capacity = this.plan.capacity;
    this.temporalMask = this.plan.temporalMask;
    this.fixedOrder = this.plan.fixedOrder;
  }

  /** Steps 2-5 for one bypass choice. */
  searchTiles(keeps: Int32Array): void {
    const spatial = chooseSpatial(this.arch, this.layer, this.D, keeps);
    if (spatial === null) return;
    const problem: TileProblem = {
      layer: this.layer,
      D: this.D,
      levels: this.n,
      capacity: this.capacity,
      temporalMask: this.temporalMask,
      keeps,
      spatial,
      weight: this.weights(keeps, spatial),
    };
    const est = new Float64Array(6);
    for (const s of STATIONARY_RUNS) {
      const temporal = new Float64Array(this.n * 7);
      growTiles(problem, s, temporal);
      if (!this.completeOutermost(spatial, temporal)) continue;
      // The two orders the estimate ranks best are costed exactly.
      orderEstimates(problem, temporal, this.fixedOrder, est);
      let a = 0;
      for (let k = 1; k < 6; k++) if (est[k]! < est[a]!) a = k;
      let b = a === 0 ? 1 : 0;
      for (let k = 0; k < 6; k++) if (k !== a && est[k]! < est[b]!) b = k;
      const first: Candidate = { keeps, spatial, temporal, stationary: a >> 1, variant: a & 1 };
      const m0 = this.toMapping(first);
      this.consider(first, m0);
      const second: Candidate = { keeps, spatial, temporal, stationary: b >> 1, variant: b & 1 };
      const m1 = this.toMapping(second);
      if (!sameLoops(m0, m1)) this.consider(second, m1);
    }
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
          const d: Candidate = { ...c, keeps };
          improved = this.consider(d, this.toMapping(d));
        }
      }
    }
    const keeps = this.best.c.keeps;
    if (keeps.some((m, li) => m !== start[li])) this.searchTiles(keeps);
  }

  /** Energy of moving one word of operand o into level m (its fill, the parent's read and, for outputs, update), times the instances in use. */
  private weights(keeps: Int32Array, spatial: Float64Array): Float64Array {
    const w = new Float64Array(this.n * 3);
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

  private toMapping(c: Candidate): Mapping {
    const levels = [];
    for (let li = 0; li < this.n; li++) {
      const order = this.fixedOrder[li] ?? STATIONARY_ORDERS[c.stationary]![c.variant]!;
      const temporal: Loop[] = [];
      for (let d = 0; d < 7; d++) if (c.temporal[li * 7 + d]! > 1 && !order.includes(d)) temporal.push({ dim: d, factor: c.temporal[li * 7 + d]! });
      for (const d of order) if (c.temporal[li * 7 + d]! > 1) temporal.push({ dim: d, factor: c.temporal[li * 7 + d]! });
      const spatial: Loop[] = [];
      for (let d = 0; d < 7; d++) if (c.spatial[li * 7 + d]! > 1) spatial.push({ dim: d, factor: c.spatial[li * 7 + d]! });
      levels.push({ temporal, spatial, keeps: keptOperands(c.keeps[li]!) });
    }
    return { levels };
  }

  /** Costs a mapping with the exact model; true if it is the new best. */
  private consider(c: Candidate, mapping: Mapping): boolean {
    this.evaluated++;
    const s = score(this.objective, costMapping(this.arch, this.layer, mapping, this.fast));
    if (this.best && s >= this.best.score) return false;
    this.best = { c, mapping, score: s, cycles: this.fast.cycles, energyPJ: this.fast.energyPJ };
    return true;
  }
}

function dimMask(dims: readonly string[]): number {
  let m = 0;
  for (const d of dims) m |= 1 << (DIMS as readonly string[]).indexOf(d);
  return m;
}

function sameLoops(a: Mapping, b: Mapping): boolean {
  return a.levels.every((lv, i) => {
    const t = b.levels[i]!.temporal;
    return lv.temporal.length === t.length && lv.temporal.every((l, k) => l.dim === t[k]!.dim);
  });
}

export function findBestMapping(arch: Architecture, layer: LayerShape, objective: MapperObjective = 'latency'): MapperResult {
  const search = new Search(arch, layer, objective);
  for (const keeps of search.plan.keepCandidates) search.searchTiles(keeps);
  search.refineBypass();
  const best = search.best;
  if (!best) throw new DseError('no_mapping', `no mapping of the layer fits the architecture's capacities, even with the smallest tiles and every operand it may bypass bypassed`, { path: 'architecture' });
  return { mapping: best.mapping, cycles: best.cycles, energyPJ: best.energyPJ, evaluated: search.evaluated };
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
