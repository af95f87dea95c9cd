import { DseError } from '../core/errors.ts';
import { compareNumbers, dimensionOf, nonDominatedIndices, type Points } from './dominance.ts';
import { normalize, referencePoint, type Normalization } from './normalize.ts';

/**
 * Exact hypervolume (all objectives minimised): the Lebesgue measure of the region dominated
 * by the points and bounded above by the reference point `ref`, i.e. of the union of the boxes
 * [p, ref]. Only points strictly better than `ref` in every objective add volume; dominated
 * and duplicate points add nothing and are allowed.
 *
 * - 1 objective: ref - min.
 * - 2 objectives: sort and sweep, O(n log n).
 * - 3 objectives: dimension sweep over the third objective keeping the 2-D staircase of the
 *   first two in an ordered set (Beume, Fonseca, Lopez-Ibanez, Paquete, Vahrenhold 2009),
 *   O(n log n). The ordered set is a bitset tree over the points' ranks (32-way, so
 *   predecessor/successor cost a few word operations).
 * - 4 or more: WFG (While, Bradstreet, Barone 2012): HV(S) = sum over p of the volume p adds
 *   to the points after it; with the points sorted worst-first in the last objective, that
 *   "limit set" is flat in the last objective, so each term is a (d-1)-dimensional
 *   hypervolume of its non-dominated part times a depth, recursing down to the 3-D sweep.
 */
export function hypervolume(points: Points, ref: readonly number[]): number {
  const d = ref.length;
  dimensionOf(points, d);
  checkReference(ref);
  return hvInside(insideOf(points, ref), ref, d);
}

/**
 * Hypervolume of the points in normalised space (see normalize.ts) with the standard
 * reference point 1.1 in every objective.
 */
export function normalizedHypervolume(points: Points, n: Normalization): number {
  return hypervolume(normalize(points, n), referencePoint(n.ideal.length));
}

/**
 * Exclusive contribution of each point (same order as `points`): HV(S) - HV(S without it).
 * Zero for points outside the reference box, dominated points and every copy of a duplicated
 * point. Computed as vol[p, ref] - HV({max(p, q) : q != p}), the volume of p's box that no
 * other point covers; cost n hypervolume computations of n points.
 */
export function hypervolumeContributions(points: Points, ref: readonly number[]): number[] {
  const d = ref.length;
  dimensionOf(points, d);
  checkReference(ref);
  const out = new Array<number>(points.length).fill(0);
  const insideIdx: number[] = [];
  for (let i = 0; i < points.length; i++) if (isInside(points[i]!, ref)) insideIdx.push(i);
  // Only non-dominated points can contribute (a dominated point's box lies in its dominator's).
  const inside = insideIdx.map((i) => points[i]!);
  for (const k of nonDominatedIndices(inside)) {
    const p = inside[k]!;
    const limit: number[][] = [];
    for (let j = 0; j < inside.length; j++) if (j !== k) limit.push(worse(p, inside[j]!));
    out[insideIdx[k]!] = Math.max(0, boxVolume(p, ref) - hvInside(limit, ref, d));
  }
  return out;
}

/**
 * How much `candidate` would add to the hypervolume of `front`: HV(front + candidate) -
 * HV(front), computed as vol[candidate, ref] - HV({max(candidate, f)}). Zero when the
 * candidate is weakly dominated by the front or not strictly better than `ref` everywhere.
 */
export function hypervolumeImprovement(front: Points, candidate: readonly number[], ref: readonly number[]): number {
  const d = ref.length;
  dimensionOf(front, d, 'front');
  dimensionOf([candidate], d, 'candidate');
  checkReference(ref);
  if (!isInside(candidate, ref)) return 0;
  const limit: number[][] = [];
  for (const f of front) if (isInside(f, ref)) limit.push(worse(candidate, f));
  return Math.max(0, boxVolume(candidate, ref) - hvInside(limit, ref, d));
}

function checkReference(ref: readonly number[]): void {
  if (ref.length === 0) throw new DseError('objective_dimension', 'the reference point has no objectives', { path: 'ref' });
  for (let i = 0; i < ref.length; i++) {
    if (Number.isNaN(ref[i])) throw new DseError('objective_nan', 'reference point value is NaN', { path: `ref[${i}]` });
  }
}

function isInside(p: readonly number[], ref: readonly number[]): boolean {
  for (let i = 0; i < ref.length; i++) if (!(p[i]! < ref[i]!)) return false;
  return true;
}

function insideOf(points: Points, ref: readonly number[]): (readonly number[])[] {
  const out: (readonly number[])[] = [];
  for (const p of points) if (isInside(p, ref)) out.push(p);
  return out;
}

/** Componentwise maximum: the corner where the boxes of a and b meet. */
function worse(a: readonly number[], b: readonly number[]): number[] {
  const out = new Array<number>(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! > b[i]! ? a[i]! : b[i]!;
  return out;
}

function boxVolume(p: readonly number[], ref: readonly number[], dims = ref.length): number {
  let v = 1;
  for (let i = 0; i < dims; i++) v *= ref[i]! - p[i]!;
  return v;
}

/** Hypervolume in the first `d` objectives of points all strictly inside the reference box. */
function hvInside(points: Points, ref: readonly number[], d: number): number {
  if (points.length === 0) return 0;
  if (d === 1) {
    let min = Infinity;
    for (const p of points) if (p[0]! < min) min = p[0]!;
    return ref[0]! - min;
  }
  if (d === 2) return hv2(points, ref);
  if (d === 3) return hv3(points, ref);
  return hvWfg(points, ref, d);
}

/** Sweep in the first objective; each point that lowers the second objective adds a slab. */
function hv2(points: Points, ref: readonly number[]): number {
  const n = points.length;
  const px = new Float64Array(n);
  const py = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    px[i] = points[i]![0]!;
    py[i] = points[i]![1]!;
  }
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((i, j) => compareNumbers(px[i]!, px[j]!) || compareNumbers(py[i]!, py[j]!));
  const r0 = ref[0]!;
  let lastY = ref[1]!;
  let volume = 0;
  for (const i of order) {
    const y = py[i]!;
    if (y < lastY) {
      volume += (r0 - px[i]!) * (lastY - y);
      lastY = y;
    }
  }
  return volume;
}

/**
 * 3-D dimension sweep. Points are taken in increasing third objective (ties lexicographically,
 * so a dominator always comes first); the area of the 2-D staircase of the first two
 * objectives is kept up to date as each point is inserted (and the staircase points it covers
 * are removed), and area times the gap to the next third-objective value is volume. A point
 * whose projection is already covered is skipped, so dominated points and duplicates are fine.
 */
function hv3(points: Points, ref: readonly number[]): number {
  const n = points.length;
  // Columns in typed arrays: the sorts below read them millions of times.
  const px = new Float64Array(n);
  const py = new Float64Array(n);
  const pz = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = points[i]!;
    px[i] = p[0]!;
    py[i] = p[1]!;
    pz[i] = p[2]!;
  }
  // Staircase slots: ranks in lexicographic (x, y, z) order, all distinct.
  const byXY = Array.from({ length: n }, (_, i) => i);
  byXY.sort((i, j) => compareNumbers(px[i]!, px[j]!) || compareNumbers(py[i]!, py[j]!) || compareNumbers(pz[i]!, pz[j]!) || i - j);
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  const rankOf = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const i = byXY[r]!;
    xs[r] = px[i]!;
    ys[r] = py[i]!;
    rankOf[i] = r;
  }
  const byZ = Array.from({ length: n }, (_, i) => i);
  byZ.sort((i, j) => compareNumbers(pz[i]!, pz[j]!) || rankOf[i]! - rankOf[j]!);

  const r0 = ref[0]!;
  const r1 = ref[1]!;
  const stairs = new RankSet(n);
  let area = 0;
  let volume = 0;
  let lastZ = pz[byZ[0]!]!;
  for (const i of byZ) {
    const z = pz[i]!;
    volume += area * (z - lastZ);
    lastZ = z;
    const r = rankOf[i]!;
    const x = xs[r]!;
    const y = ys[r]!;
    const pred = stairs.prev(r - 1);
    const predY = pred >= 0 ? ys[pred]! : r1;
    if (predY <= y) continue; // covered by a staircase point
    // Walk right over the staircase points p covers; the new area is, per segment, the gap
    // between the old staircase height and p's.
    let curX = x;
    let curY = predY;
    let gain = 0;
    let s = stairs.next(r + 1);
    while (s >= 0 && ys[s]! >= y) {
      gain += (xs[s]! - curX) * (curY - y);
      curX = xs[s]!;
      curY = ys[s]!;
      stairs.delete(s);
      s = stairs.next(s + 1);
    }
    gain += ((s >= 0 ? xs[s]! : r0) - curX) * (curY - y);
    area += gain;
    stairs.insert(r);
  }
  return volume + area * (ref[2]! - lastZ);
}

/** WFG with slicing on the last objective (see the file comment). */
function hvWfg(points: Points, ref: readonly number[], d: number): number {
  // Rows here have exactly d values: the top call checked them, limit sets are built sliced.
  const front = uniqueRows(nonDominatedIndices(points).map((i) => points[i]!));
  const last = d - 1;
  front.sort((a, b) => compareNumbers(b[last]!, a[last]!));
  let volume = 0;
  for (let k = 0; k < front.length; k++) {
    const p = front[k]!;
    const depth = ref[last]! - p[last]!;
    // Later points are no worse in the last objective, so max(p, q) has p's last value there.
    const limit: number[][] = [];
    for (let j = k + 1; j < front.length; j++) limit.push(worse(p, front[j]!).slice(0, last));
    volume += depth * (boxVolume(p, ref, last) - hvInside(limit, ref, last));
  }
  return volume;
}

/** Rows with exact duplicates removed (first kept); input order otherwise kept. */
function uniqueRows(rows: (readonly number[])[]): (readonly number[])[] {
  const seen = new Set<string>();
  const out: (readonly number[])[] = [];
  for (const r of rows) {
    const key = r.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(r);
  }
  return out;
}

/**
 * Ordered set of integers 0..n-1 as a tree of 32-bit words: bit i of level l is set when
 * word i of level l-1 is non-zero. Insert, delete, next (smallest >= i) and prev (largest <= i)
 * touch one word per level (log32 n levels).
 */
class RankSet {
  private readonly levels: Uint32Array[] = [];
  private readonly n: number;

  constructor(n: number) {
    this.n = n;
    let size = Math.max(1, n);
    do {
      size = Math.ceil(size / 32);
      this.levels.push(new Uint32Array(size));
    } while (size > 1);
  }

  insert(i: number): void {
    for (const level of this.levels) {
      const w = i >>> 5;
      const before = level[w]!;
      level[w] = before | (1 << (i & 31));
      if (before !== 0) return; // the parents already know this word is non-empty
      i = w;
    }
  }

  delete(i: number): void {
    for (const level of this.levels) {
      const w = i >>> 5;
      const after = level[w]! & ~(1 << (i & 31));
      level[w] = after;
      if (after !== 0) return;
      i = w;
    }
  }

  next(i: number): number {
    if (i < 0) i = 0;
    if (i >= this.n) return -1;
    let l = 0;
    for (;;) {
      const level = this.levels[l]!;
      const w = i >>> 5;
      if (w >= level.length) return -1;
      const word = level[w]! & (0xffffffff << (i & 31));
      if (word !== 0) {
        i = (w << 5) | lowestBit(word);
        break;
      }
      if (l + 1 === this.levels.length) return -1;
      i = w + 1;
      l++;
    }
    while (l > 0) {
      l--;
      i = (i << 5) | lowestBit(this.levels[l]![i]!);
    }
    return i;
  }

  prev(i: number): number {
    if (i >= this.n) i = this.n - 1;
    if (i < 0) return -1;
    let l = 0;
    for (;;) {
      const level = this.levels[l]!;
      const w = i >>> 5;
      const b = i & 31;
      const word = level[w]! & (b === 31 ? 0xffffffff : (1 << (b + 1)) - 1);
      if (word !== 0) {
        i = (w << 5) | highestBit(word);
        break;
      }
      if (w === 0 || l + 1 === this.levels.length) return -1;
      i = w - 1;
      l++;
    }
    while (l > 0) {
      l--;
      i = (i << 5) | highestBit(this.levels[l]![i]!);
    }
    return i;
  }
}

function lowestBit(word: number): number {
  return 31 - Math.clz32(word & -word);
}

function highestBit(word: number): number {
  return 31 - Math.clz32(word);
}
