import { operandTileWords } from './mapping-model.ts';
import { fanout } from './validate-mapping.ts';
import { DIMS, type Architecture, type LayerShape } from './types.ts';

/**
 * Spatial factors: per level (outermost first), the assignment of divisors of what is left of
 * each dim to the level's allowed spatial dims with the largest product within its fan-out
 * (compute cycles = MACs / product of all spatial factors, so utilisation comes first). Among
 * equal products: fewer dims (one wide dim keeps tiles simple and multicast broad), then dims in
 * the order K C N P Q R S (K and C carry no sliding-window halo). Only divisors: a mapping's
 * factors multiply exactly to the layer's dims.
 *
 * If the smallest tiles (every temporal factor 1) of such an array overflow a level, the next
 * assignment down the list at the innermost level with choices is tried, and so on: a slightly
 * smaller array that fits beats none.
 */
const PREFERENCE = [2, 1, 0, 3, 4, 5, 6]; // K C N P Q R S: rank of dim d is PREFERENCE.indexOf(d)
const RANK = DIMS.map((_, d) => PREFERENCE.indexOf(d));

export function divisors(n: number): number[] {
  const small: number[] = [];
  const large: number[] = [];
  for (let i = 1; i * i <= n; i++) {
    if (n % i === 0) {
      small.push(i);
      if (i * i !== n) large.push(n / i);
    }
  }
  return small.concat(large.reverse());
}

/** Assignments (7 factors each) of divisors of rem to dims with product <= limit, best first. */
function levelChoices(dims: number[], rem: number[], limit: number): number[][] {
  const out: Array<{ f: number[]; prod: number; used: number; rank: number }> = [];
  const cur = [1, 1, 1, 1, 1, 1, 1];
  const walk = (k: number, prod: number, used: number, rank: number): void => {
    if (k === dims.length) {
      out.push({ f: [...cur], prod, used, rank });
      return;
    }
    const d = dims[k]!;
    for (const f of divisors(rem[d]!)) {
      if (prod * f > limit) break;
      cur[d] = f;
      walk(k + 1, prod * f, used + (f > 1 ? 1 : 0), f > 1 ? Math.min(rank, RANK[d]!) : rank);
    }
    cur[d] = 1;
  };
  walk(0, 1, 0, 99);
  out.sort((a, b) => b.prod - a.prod || a.used - b.used || a.rank - b.rank);
  return out.map((c) => c.f);
}

const ext = new Float64Array(7);

/** Whether the smallest tiles under these spatial factors fit every bounded level with its kept operands. */
export function spatialFits(arch: Architecture, layer: LayerShape, keeps: Int32Array, spatial: Float64Array): boolean {
  const n = arch.levels.length;
  for (let lo = 1; lo < n; lo++) {
    const cap = arch.levels[lo]!.capacityWords;
    if (cap === null) continue;
    for (let d = 0; d < 7; d++) {
      let e = 1;
      for (let l = lo; l < n; l++) e *= spatial[l * 7 + d]!;
      ext[d] = e;
    }
    let words = 0;
    for (let o = 0; o < 3; o++) if (keeps[lo]! & (1 << o)) words += operandTileWords(o, ext, layer);
    if (words > cap) return false;
  }
  return true;
}

/** Per level, its spatial assignments best first (each level's list over what the choices above it leave); `second` takes that level's second choice. */
function listsWith(arch: Architecture, D: readonly number[], second: number): number[][][] {
  const rem = [...D];
  return arch.levels.map((lv, li) => {
    const dims = lv.spatialDims.map((d) => DIMS.indexOf(d));
    const f = fanout(arch, li);
    let list = dims.length === 0 || f <= 1 ? [[1, 1, 1, 1, 1, 1, 1]] : levelChoices(dims, rem, f);
    if (li === second) list = list.slice(1);
    for (let d = 0; d < 7; d++) rem[d]! /= list[0]![d]!;
    return list;
  });
}

const product = (f: number[]): number => f.reduce((p, x) => p * x, 1);

/**
 * Spatial candidates as per-level lists: the best-first one, plus, for each level whose second
 * choice ties with its first in utilisation (several dims allowed on one fan-out, as in a Timeloop
 * file), the one taking that second choice. Which of equally utilised arrays is best depends on
 * reuse and bandwidth, so the exact model decides between them.
 */
export function spatialCandidates(arch: Architecture, D: readonly number[]): number[][][][] {
  const first = listsWith(arch, D, -1);
  const out = [first];
  first.forEach((list, li) => {
    if (list.length > 1 && product(list[1]!) === product(list[0]!)) out.push(listsWith(arch, D, li));
  });
  return out;
}

/** The spatial factors (flat, level*7 + dim) with the largest utilisation whose smallest tiles fit; null if none fits. */
export function chooseSpatial(arch: Architecture, layer: LayerShape, lists: number[][][], keeps: Int32Array): Float64Array | null {
  const n = arch.levels.length;
  const spatial = new Float64Array(n * 7);
  for (let li = 0; li < n; li++) for (let d = 0; d < 7; d++) spatial[li * 7 + d] = lists[li]![0]![d]!;
  if (spatialFits(arch, layer, keeps, spatial)) return spatial;
  // Shrink the innermost level with choices first (its tiles are the smallest ones that overflowed);
  // a level stays at 1 once passed, so the levels above may pick any of their choices.
  for (let li = n - 1; li >= 0; li--) {
    if (lists[li]!.length === 1) continue;
    for (const choice of lists[li]!.slice(1)) {
      for (let d = 0; d < 7; d++) spatial[li * 7 + d] = choice[d]!;
      if (spatialFits(arch, layer, keeps, spatial)) return spatial;
    }
    for (let d = 0; d < 7; d++) spatial[li * 7 + d] = 1;
    if (spatialFits(arch, layer, keeps, spatial)) return spatial;
  }
  return null;
}
