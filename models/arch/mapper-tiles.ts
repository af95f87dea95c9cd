import { RELEVANT_DIMS, tileWords as importedTileWords } from './operand-dims.ts';
import type { LayerShape } from './types.ts';

/**
 * Temporal tiles by greedy growth, innermost level first. A level's tile spans its loops and
 * every level's below (spatial included), so growing a factor at level l grows the tiles of l and
 * of every level above it whose own factors are still 1.
 *
 * What growth buys, in closed form: one instance of level m refills operand o's tile (|tile|
 * words) once per iteration of the loops above m that the order does not let it reuse. With a
 * "stationary" operand s (the order above puts the dims irrelevant to s innermost, so s is fetched
 * once per distinct tile), the estimate of m's fills of o is
 *
 *     |tile_o(E_m)| * prod over dims d counted for o of D[d] / E_m[d]
 *
 * where E_m are m's tile extents (D[d] / E_m[d] over the spatial factors above m: one instance's iterations) and the counted dims are those indexing o, plus, for o != s, the
 * ones that do not (their loops above m are not all reused). For weights and outputs the indexing
 * part is the operand's size (compulsory); for inputs it also carries the sliding-window halo of
 * small tiles. Each estimate is weighted by the energy of moving one word into m (m's fill plus the
 * parent's read, and the parent's update for outputs) times the instances in use.
 *
 * Each step multiplies one allowed dim of level l by the smallest prime left in it, choosing the
 * dim with the largest estimated saving per unit of capacity used (summed over the bounded levels
 * whose tiles grow), among the steps that still fit every bounded level. Growth stops when no
 * step fits or none saves anything. This is a heuristic (greedy, one stationary operand per
 * run); the mapper runs it once per stationary operand and costs each result with the exact model.
 */
export interface TileProblem {
  layer: LayerShape;
  /** The layer's dims, N C K P Q R S. */
  D: readonly number[];
  levels: number;
  /** Words per instance; Infinity = unbounded. */
  capacity: Float64Array;
  /** Per level, bit d set when dim d may have a temporal loop there. */
  temporalMask: Int32Array;
  /** Per level, bit o set when the level keeps operand o (W=1, I=2, O=4). */
  keeps: Int32Array;
  /** Spatial factors, level*7 + dim. */
  spatial: Float64Array;
  /** Energy of moving one word of operand o into level m, level*3 + o (including instances in use). */
  weight: Float64Array;
}

// Module-local copies of the hot imports: V8 does not inline across ES module bindings.
const REL = Int32Array.from(RELEVANT_DIMS);
const tileWords = importedTileWords;
const MAX_LEVELS = 16;
const ext = Array.from({ length: MAX_LEVELS }, () => new Float64Array(7));
const tile = new Float64Array(MAX_LEVELS * 3);
const term = new Float64Array(MAX_LEVELS * 3);
const used = new Float64Array(MAX_LEVELS);
const rem = new Float64Array(7);
/** Distinct primes of rem[d], at primes[d * MAX_PRIMES ...], 0-terminated (a dim below 2^31 has at most 9). */
const MAX_PRIMES = 10;
const primes = new Float64Array(7 * MAX_PRIMES);
const spatialAbove = new Float64Array(MAX_LEVELS * 7);

/** Divisors of n ascending, written into out (no allocation: polish runs per dim, level and run); returns how many. */
function divisorsInto(n: number, out: Float64Array): number {
  let small = 0;
  let i = 1;
  for (; i * i <= n; i++) if (n % i === 0) out[small++] = i;
  let count = small;
  // The large divisors n / i, ascending: i descending over the small ones (skipping the root of a square).
  for (let j = small - 1; j >= 0; j--) {
    const q = n / out[j]!;
    if (q !== out[j]) out[count++] = q;
  }
  return count;
}
/** Scratch for divisorsInto: a dim below 2^31 has at most 1,600 divisors. */
const divs = new Float64Array(1600);

function smallestPrime(n: number): number {
  if (n % 2 === 0) return 2;
  for (let p = 3; p * p <= n; p += 2) if (n % p === 0) return p;
  return n;
}

/** Estimated fills term of operand o at level m from its current extents (see above). */
function estimate(p: TileProblem, m: number, o: number, stationary: number): number {
  const e = ext[m]!;
  let t = p.weight[m * 3 + o]! * tileWords(o, e, p.layer.strideW, p.layer.strideH);
  // Iterations of one instance: the dim's extent over the tile's and the spatial factors above m.
  for (let d = 0; d < 7; d++) if (o !== stationary || (REL[o]! >> d) & 1) t *= p.D[d]! / (e[d]! * spatialAbove[m * 7 + d]!);
  return t;
}

/** Fills `temporal` (level*7 + dim) for levels 1..n-1; level 0 is left for the caller (the rest of every dim). */
export function growTiles(p: TileProblem, stationary: number, temporal: Float64Array): void {
  const n = p.levels;
  temporal.fill(1);
  for (let d = 0; d < 7; d++) {
    let a = 1;
    for (let m = 0; m < n; m++) {
      spatialAbove[m * 7 + d] = a;
      a *= p.spatial[m * 7 + d]!;
    }
  }
  for (let l = n - 1; l >= 1; l--) {
    const allowed = p.temporalMask[l]!;
    if (allowed === 0) continue;
    // Extents of levels 1..l with temporal factors of 1 at and above l; what is left of each dim.
    for (let d = 0; d < 7; d++) {
      let below = 1;
      for (let m = n - 1; m > l; m--) below *= temporal[m * 7 + d]! * p.spatial[m * 7 + d]!;
      let e = below;
      for (let m = l; m >= 1; m--) {
        e *= p.spatial[m * 7 + d]!;
        ext[m]![d] = e;
      }
      let taken = 1; // spatial factors of every level, temporal ones below l
      for (let m = 0; m < n; m++) taken *= p.spatial[m * 7 + d]! * (m > l ? temporal[m * 7 + d]! : 1);
      rem[d] = p.D[d]! / taken;
      let left = rem[d]!;
      let q = d * MAX_PRIMES;
      while (left > 1) {
        const f = smallestPrime(left);
        while (left % f === 0) left /= f;
        primes[q++] = f;
      }
      primes[q] = 0;
    }
    for (let m = 1; m <= l; m++) {
      used[m] = 0;
      for (let o = 0; o < 3; o++) {
        if (!(p.keeps[m]! & (1 << o))) continue;
        tile[m * 3 + o] = tileWords(o, ext[m]!, p.layer.strideW, p.layer.strideH);
        term[m * 3 + o] = estimate(p, m, o, stationary);
        used[m]! += tile[m * 3 + o]!;
      }
    }
    grow(p, l, allowed, temporal, stationary);
    polish(p, l, allowed, temporal, stationary);
  }
}

/** Prime steps at level l on the dims in `allowed`, best saving per capacity first, while any fits and saves. */
function grow(p: TileProblem, l: number, allowed: number, temporal: Float64Array, stationary: number): void {
  for (;;) {
    let bestDim = -1;
    let bestRatio = 0;
    let bestFactor = 1;
    for (let d = 0; d < 7; d++) {
      if (!((allowed >> d) & 1)) continue;
      const left = rem[d]! / temporal[l * 7 + d]!;
      if (left === 1) continue;
      // Every distinct prime left in the dim is a step (not only the smallest: 14 = 2 x 7 may fit 7 but not 2 then 7).
      for (let q = d * MAX_PRIMES; primes[q]! > 0; q++) {
        const f = primes[q]!;
        if (left % f !== 0) continue;
        const gain = stepGain(p, l, d, f, stationary);
        if (gain <= 0) continue;
        const ratio = gain / (stepCost + 1e-9);
        if (ratio > bestRatio) {
          bestRatio = ratio;
          bestDim = d;
          bestFactor = f;
        }
      }
    }
    if (bestDim < 0) break;
    setFactor(p, l, bestDim, temporal[l * 7 + bestDim]! * bestFactor, temporal, stationary);
  }
}

let stepCost = 0;

/** Estimated saving of multiplying dim d of level l by f (-Infinity if a tile would overflow); sets stepCost to the capacity it uses. */
function stepGain(p: TileProblem, l: number, d: number, f: number, stationary: number): number {
  let gain = 0;
  stepCost = 0;
  // Weights and outputs are plain boxes: their tile grows by f or not at all. Inputs along P Q R S
  // grow by the sliding window (stride x extent + filter - stride), so that one is recomputed.
  const window = d >= 3;
  for (let m = 1; m <= l; m++) {
    const keeps = p.keeps[m]!;
    if (keeps === 0) continue;
    let grown = 0;
    for (let o = 0; o < 3; o++) {
      if (!(keeps & (1 << o))) continue;
      const k = m * 3 + o;
      const before = tile[k]!;
      const relevant = (REL[o]! >> d) & 1;
      let after = relevant ? before * f : before;
      if (o === 1 && window) {
        const e = ext[m]!;
        const x = e[d]!;
        e[d] = x * f;
        after = tileWords(1, e, p.layer.strideW, p.layer.strideH);
        e[d] = x;
      }
      grown += after - before;
      gain += term[k]! * (1 - after / before / (o !== stationary || relevant ? f : 1));
    }
    const cap = p.capacity[m]!;
    if (used[m]! + grown > cap) return -Infinity;
    if (cap !== Infinity) stepCost += grown / cap;
  }
  return gain;
}

/** Sets level l's factor of dim d and refreshes the extents, tiles and estimates of levels 1..l. */
function setFactor(p: TileProblem, l: number, d: number, factor: number, temporal: Float64Array, stationary: number): void {
  const ratio = factor / temporal[l * 7 + d]!;
  if (ratio === 1) return;
  temporal[l * 7 + d] = factor;
  for (let m = 1; m <= l; m++) {
    const e = ext[m]!;
    e[d] = Math.round(e[d]! * ratio); // extents are integers; polish's ratios need not be
    let u = 0;
    for (let o = 0; o < 3; o++) {
      if (!(p.keeps[m]! & (1 << o))) continue;
      const k = m * 3 + o;
      const after = tileWords(o, e, p.layer.strideW, p.layer.strideH);
      // The estimate is a product: it scales with the tile and, for a counted dim, inversely with the extent.
      const counted = o !== stationary || (REL[o]! >> d) & 1;
      term[k] = term[k]! * (after / tile[k]!) / (counted ? ratio : 1);
      tile[k] = after;
      u += after;
    }
    used[m] = u;
  }
}

/**
 * Prime steps can strand a dim below a factor that would fit (P = 14 grown by 2 cannot take 7
 * more, though 7 alone fits): per dim whose remaining extent has two distinct primes or more, the
 * divisor that fits and saves most replaces the grown factor. (Along a prime power, prime steps
 * already reach the largest divisor that fits.) Footprints grow with the factor, so the scan
 * stops at the first divisor that overflows.
 */
function polish(p: TileProblem, l: number, allowed: number, temporal: Float64Array, stationary: number): void {
  for (let d = 0; d < 7; d++) {
    if (!((allowed >> d) & 1) || primes[d * MAX_PRIMES + 1] === 0) continue; // a prime power: nothing to do
    const current = temporal[l * 7 + d]!;
    let best = current;
    let bestGain = 0;
    const count = divisorsInto(rem[d]!, divs);
    for (let i = 0; i < count; i++) {
      const f = divs[i]!;
      if (f <= current) continue;
      const gain = stepGain(p, l, d, f / current, stationary);
      if (gain === -Infinity) break;
      if (gain > bestGain) {
        bestGain = gain;
        best = f;
      }
    }
    setFactor(p, l, d, best, temporal, stationary);
  }
}

