import { DseError } from '../../core/errors.ts';
import { costMapping, operandTileWords, type FastCost } from './mapping-model.ts';
import { fanout } from './validate-mapping.ts';
import { DIMS, OPERANDS, type Architecture, type LayerShape, type Loop, type Mapping } from './types.ts';

/**
 * The per-layer mapper: the best mapping of one layer on one architecture for an objective.
 *
 * Mapspace: spatial factors on each level's allowed dims (product <= fan-out), temporal factors
 * per level on its allowed dims (all factors of a dim multiply to the layer's dim), the loop
 * order of the outermost level (other levels: their fixed `loopOrder`, else a reuse-first order),
 * bypass as the architecture says (a level keeps what it may keep). Search, deterministic:
 *
 * 1. Spatial: per level, every assignment of divisors to allowed dims within the fan-out,
 *    largest products first (top SPATIAL_PER_LEVEL; near-maximal ones stay because a smaller
 *    array can let a larger tile fit); combinations across levels up to SPATIAL_COMBOS.
 * 2. Temporal tiles, level by level from the innermost: all divisor combinations of the allowed
 *    dims whose tiles fit this level and every bounded level above (footprints grow with every
 *    factor, so a depth-first walk prunes a subtree as soon as it overflows). With more than
 *    EXACT_TILES candidates only the maximal ones (no factor can grow and still fit) are kept,
 *    largest first, up to MAX_TILES. Partial mappings are completed (the rest of every dim at
 *    the outermost level), costed with the model, and the best BEAM kept for the next level.
 * 3. Outermost loop order: the dims grouped by the operand they do not index (outputs: C R S,
 *    weights: N P Q, inputs: K), the 6 orders of the three groups tried on every beam entry.
 *
 * Where the whole space is small (every level at most EXACT_TILES tiles, <= BEAM partial
 * mappings), this is exhaustive; beyond, the maximal-tile rule and the beam prune it.
 */
export type MapperObjective = 'latency' | 'energy' | 'edp';

export interface MapperResult {
  mapping: Mapping;
  cycles: number;
  energyPJ: number;
  /** Mappings the model costed to find it. */
  evaluated: number;
}

const SPATIAL_PER_LEVEL = 4;
const SPATIAL_COMBOS = 25;
const EXACT_TILES = 24;
const MAX_TILES = 32;
const BEAM = 6;

const GROUP_ORDERS: ReadonlyArray<ReadonlyArray<number>> = (() => {
  // Dim groups by the operand they leave untouched: [C R S] (outputs), [N P Q] (weights), [K] (inputs).
  const g = [[1, 5, 6], [0, 3, 4], [2]];
  const perms = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
  return perms.map((p) => p.flatMap((i) => g[i]!));
})();

function dimsOf(layer: LayerShape): number[] {
  return [layer.N, layer.C, layer.K, layer.P, layer.Q, layer.R, layer.S];
}

function divisors(n: number): number[] {
  const out: number[] = [];
  for (let i = 1; i * i <= n; i++) {
    if (n % i === 0) {
      out.push(i);
      if (i * i !== n) out.push(n / i);
    }
  }
  return out.sort((a, b) => a - b);
}

function score(objective: MapperObjective, c: FastCost): number {
  if (objective === 'latency') return c.cycles * (1 + 1e-12 * c.energyPJ) + c.energyPJ * 1e-9;
  if (objective === 'energy') return c.energyPJ + c.cycles * 1e-9;
  return c.cycles * c.energyPJ;
}

/** Maximal assignments of divisors of `rem` to `dims` with product <= limit, largest product first. */
function spatialChoices(dims: number[], rem: number[], limit: number): number[][] {
  const out: number[][] = [];
  const cur = new Array<number>(7).fill(1);
  const walk = (k: number, prod: number): void => {
    if (k === dims.length) {
      out.push([...cur]);
      return;
    }
    const d = dims[k]!;
    for (const f of divisors(rem[d]!)) {
      if (prod * f > limit) break;
      cur[d] = f;
      walk(k + 1, prod * f);
    }
    cur[d] = 1;
  };
  walk(0, 1);
  // Largest products first; near-maximal choices stay in: a smaller array can let a tile fit.
  const prod = (a: number[]): number => a.reduce((s, x) => s * x, 1);
  return out.sort((a, b) => prod(b) - prod(a));
}

interface Partial {
  /** temporal[li][d], spatial[li][d] factors chosen so far. */
  temporal: number[][];
  spatial: number[][];
  score: number;
}

const scratchExt = new Float64Array(7);

export function findBestMapping(arch: Architecture, layer: LayerShape, objective: MapperObjective = 'latency'): MapperResult {
  const n = arch.levels.length;
  const D = dimsOf(layer);
  let evaluated = 0;
  const fast: FastCost = { cycles: 0, energyPJ: 0, computeCycles: 0, macs: 0, boundLevel: -1 };

  // 1. Spatial combinations across levels.
  let combos: number[][][] = [Array.from({ length: n }, () => new Array<number>(7).fill(1))];
  for (let li = 0; li < n; li++) {
    const dims = arch.levels[li]!.spatialDims.map((d) => DIMS.indexOf(d));
    const f = fanout(arch, li);
    if (dims.length === 0 || f <= 1) continue;
    const next: number[][][] = [];
    for (const c of combos) {
      const rem = D.map((x, d) => x / c.reduce((p, lv) => p * lv[d]!, 1));
      let taken = 0;
      for (const s of spatialChoices(dims, rem, f)) {
        const copy = c.map((lv) => [...lv]);
        copy[li] = s;
        // Only arrays whose smallest tiles (every temporal factor 1) fit every bounded level.
        if (!spatialFits(arch, layer, copy)) continue;
        next.push(copy);
        if (++taken === SPATIAL_PER_LEVEL) break;
      }
      // No fan-out on this level at all: the energy-frugal end (fewer multicasts, more reuse in
      // the level above), which the largest-first list never reaches.
      const none = c.map((lv) => [...lv]);
      if (taken > 0 && spatialFits(arch, layer, none)) next.push(none);
    }
    combos = next.slice(0, SPATIAL_COMBOS);
  }

  const orderOf = (li: number, factors: number[], outerOrder: ReadonlyArray<number>): Loop[] => {
    const lv = arch.levels[li]!;
    const order = lv.loopOrder ? lv.loopOrder.map((d) => DIMS.indexOf(d)) : li === 0 ? outerOrder : GROUP_ORDERS[0]!;
    const loops: Loop[] = [];
    for (const d of order) if (factors[d]! > 1) loops.push({ dim: d, factor: factors[d]! });
    for (let d = 0; d < 7; d++) if (factors[d]! > 1 && !order.includes(d)) loops.unshift({ dim: d, factor: factors[d]! });
    return loops;
  };
  const build = (p: Partial, outerOrder: ReadonlyArray<number>): Mapping => {
    // The outermost level takes what is left of every dim.
    const top = D.map((x, d) => x / p.temporal.reduce((s, lv, li) => s * (li === 0 ? 1 : lv[d]!), 1) / p.spatial.reduce((s, lv) => s * lv[d]!, 1));
    return {
      levels: arch.levels.map((lv, li) => ({
        temporal: orderOf(li, li === 0 ? top : p.temporal[li]!, outerOrder),
        spatial: p.spatial[li]!.flatMap((f, d) => (f > 1 ? [{ dim: d, factor: f }] : [])),
        keeps: [...lv.keeps],
      })),
    };
  };
  const evaluate = (m: Mapping): number => {
    evaluated++;
    return score(objective, costMapping(arch, layer, m, fast));
  };

  let best: { mapping: Mapping; score: number; cycles: number; energyPJ: number } | null = null;
  for (const spatial of combos) {
    let beam: Partial[] = [{ temporal: Array.from({ length: n }, () => new Array<number>(7).fill(1)), spatial, score: 0 }];
    // 2. Temporal tiles from the innermost bounded level outwards.
    for (let li = n - 1; li >= 1; li--) {
      const next: Partial[] = [];
      for (const p of beam) {
        for (const t of tileChoices(arch, layer, D, p, li)) {
          const temporal = p.temporal.map((lv) => [...lv]);
          temporal[li] = t;
          const q: Partial = { temporal, spatial, score: 0 };
          q.score = evaluate(build(q, GROUP_ORDERS[0]!));
          next.push(q);
        }
      }
      next.sort((a, b) => a.score - b.score);
      beam = next.slice(0, BEAM);
      if (beam.length === 0) break;
    }
    // 3. Outermost loop order.
    for (const p of beam) {
      for (const order of GROUP_ORDERS) {
        const m = build(p, order);
        const s = evaluate(m);
        if (!best || s < best.score) best = { mapping: m, score: s, cycles: fast.cycles, energyPJ: fast.energyPJ };
      }
    }
  }
  if (!best) throw new DseError('no_mapping', `no mapping of the layer fits the architecture's capacities (levels keep every operand they may keep; a Timeloop file allows all three everywhere, so give bypass with \`keeps\` in an accel-dse architecture file)`, { path: 'architecture' });
  return { mapping: best.mapping, cycles: best.cycles, energyPJ: best.energyPJ, evaluated };
}

function spatialFits(arch: Architecture, layer: LayerShape, spatial: number[][]): boolean {
  const n = arch.levels.length;
  for (let lo = 1; lo < n; lo++) {
    const cap = arch.levels[lo]!.capacityWords;
    if (cap === null) continue;
    for (let d = 0; d < 7; d++) {
      let e = 1;
      for (let l = lo; l < n; l++) e *= spatial[l]![d]!;
      scratchExt[d] = e;
    }
    let words = 0;
    for (const op of arch.levels[lo]!.keeps) words += operandTileWords(OPERANDS.indexOf(op), scratchExt, layer);
    if (words > cap) return false;
  }
  return true;
}

/**
 * Temporal factors for level li on its allowed dims, given the factors already chosen below it:
 * every divisor combination whose tiles fit li and each bounded level above (with the spatial
 * factors between), pruned depth-first; maximal ones only when there are many.
 */
function tileChoices(arch: Architecture, layer: LayerShape, D: number[], p: Partial, li: number): number[][] {
  const lv = arch.levels[li]!;
  const allowed = (lv.temporalDims ?? DIMS).map((d) => DIMS.indexOf(d));
  const n = arch.levels.length;
  // Extents below li (temporal and spatial of levels > li, spatial of li).
  const below = new Array<number>(7).fill(1);
  for (let l = li; l < n; l++) for (let d = 0; d < 7; d++) below[d]! *= (l > li ? p.temporal[l]![d]! : 1) * p.spatial[l]![d]!;
  const used = new Array<number>(7).fill(1);
  for (let l = 0; l < n; l++) for (let d = 0; d < 7; d++) used[d]! *= p.spatial[l]![d]! * (l > li ? p.temporal[l]![d]! : 1);
  const rem = D.map((x, d) => x / used[d]!);
  const fits = (t: number[]): boolean => {
    for (let lo = li; lo >= 1; lo--) {
      const cap = arch.levels[lo]!.capacityWords;
      if (cap === null) continue;
      for (let d = 0; d < 7; d++) {
        let e = below[d]! * t[d]!;
        for (let l = lo; l < li; l++) e *= p.spatial[l]![d]!;
        scratchExt[d] = e;
      }
      let words = 0;
      arch.levels[lo]!.keeps.forEach((op) => {
        words += operandTileWords(OPERANDS.indexOf(op), scratchExt, layer);
      });
      if (words > cap) return false;
    }
    return true;
  };
  const out: number[][] = [];
  const cur = new Array<number>(7).fill(1);
  const walk = (k: number): void => {
    if (k === allowed.length) {
      out.push([...cur]);
      return;
    }
    const d = allowed[k]!;
    for (const f of divisors(rem[d]!)) {
      cur[d] = f;
      if (!fits(cur)) break; // footprints grow with f: larger divisors overflow too
      walk(k + 1);
    }
    cur[d] = 1;
  };
  walk(0);
  if (out.length <= EXACT_TILES) return out;
  const grow = (t: number[]): boolean =>
    allowed.some((d) => {
      const next = divisors(rem[d]!).find((f) => f > t[d]!);
      if (next === undefined) return false;
      const u = [...t];
      u[d] = next;
      return fits(u);
    });
  const volume = (t: number[]): number => t.reduce((s, x) => s * x, 1);
  return out.filter((t) => !grow(t)).sort((a, b) => volume(b) - volume(a)).slice(0, MAX_TILES);
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
