import { DseError } from '../core/errors.ts';
import { dimensionOf, type Points } from './dominance.ts';

/**
 * Quality indicators of an approximation front A against a reference front Z (all objectives
 * minimised). For every one of them LOWER IS BETTER, and a value at or below the "perfect"
 * mark means every reference point is weakly dominated by some point of A:
 *
 * | indicator               | definition                                         | perfect at |
 * |-------------------------|----------------------------------------------------|------------|
 * | igdPlus                 | mean over z of min over a of d+(a, z),             | 0          |
 * |                         | d+(a, z) = sqrt(sum_i max(a_i - z_i, 0)^2)         |            |
 * | additiveEpsilon         | max over z of min over a of max_i (a_i - z_i)      | <= 0       |
 * | multiplicativeEpsilon   | max over z of min over a of max_i (a_i / z_i)      | <= 1       |
 *
 * IGD+ is Ishibuchi et al. (EMO 2015), weakly Pareto compliant; the epsilon indicators are
 * Zitzler et al. (2003): the smallest eps such that every z is weakly dominated by some a
 * shifted by eps (a - eps <= z), resp. scaled by it (a / eps <= z, positive values only).
 * A negative additive epsilon (below-one multiplicative) means A is strictly better than Z.
 * The indicators are computed in the units given: normalise both fronts with one
 * normalisation first (normalize.ts) when objectives have different scales.
 * An empty A gives +Infinity; an empty Z is an error (nothing to measure against).
 *
 * Speed: each inner "min over a" is a branch-and-bound search in a k-d tree over A. All three
 * per-pair measures only grow when a grows, so the measure at a node's lower corner (the
 * componentwise minimum of its points) bounds every point below it. The epsilon indicators
 * also stop a search as soon as it finds a value not above the running maximum, which cannot
 * change the result. Far below the naive |A|*|Z|*d on fronts (see docs/PARETO.md).
 */

const IGD_PLUS = 0;
const ADDITIVE = 1;
const MULTIPLICATIVE = 2;
type Measure = typeof IGD_PLUS | typeof ADDITIVE | typeof MULTIPLICATIVE;

/** IGD+ of `approx` against `reference`: mean modified distance; 0 is perfect, lower is better. */
export function igdPlus(approx: Points, reference: Points): number {
  const d = checkPair(approx, reference);
  if (approx.length === 0) return Infinity;
  const tree = new MinCornerTree(approx, d);
  let sum = 0;
  for (const z of reference) sum += Math.sqrt(tree.minimum(IGD_PLUS, z, 0));
  return sum / reference.length;
}

/** Additive epsilon: the smallest eps with every reference point weakly dominated by a shifted approx point. Lower is better; <= 0 means A covers Z. */
export function additiveEpsilon(approx: Points, reference: Points): number {
  return epsilon(approx, reference, ADDITIVE);
}

/**
 * Multiplicative epsilon: the smallest eps with every reference point z weakly dominated by
 * some a / eps. All values must be positive. Lower is better; <= 1 means A covers Z.
 */
export function multiplicativeEpsilon(approx: Points, reference: Points): number {
  const check = (points: Points, what: string): void =>
    points.forEach((p, i) =>
      p.forEach((v, j) => {
        if (!(v > 0)) throw new DseError('non_positive_objective', `multiplicative epsilon needs positive objective values, got ${v}`, { path: `${what}[${i}][${j}]` });
      }),
    );
  checkPair(approx, reference);
  check(approx, 'approx');
  check(reference, 'reference');
  return epsilon(approx, reference, MULTIPLICATIVE);
}

function epsilon(approx: Points, reference: Points, measure: Measure): number {
  const d = checkPair(approx, reference);
  if (approx.length === 0) return Infinity;
  const tree = new MinCornerTree(approx, d);
  let worst = -Infinity;
  for (const z of reference) {
    // A search that finds a value <= worst may stop: this z cannot raise the maximum.
    const v = tree.minimum(measure, z, worst);
    if (v > worst) worst = v;
  }
  return worst;
}

function checkPair(approx: Points, reference: Points): number {
  if (reference.length === 0) throw new DseError('empty_front', 'the reference front is empty', { path: 'reference' });
  const d = dimensionOf(reference, undefined, 'reference');
  dimensionOf(approx, d, 'approx');
  return d;
}

/** Points per leaf: small enough to prune well, large enough that leaves scan contiguous memory. */
const LEAF_SIZE = 8;

/**
 * k-d tree over a point set for "minimum over the set of a measure that grows with the
 * point". Each node keeps the componentwise minimum of its points; splits are at the median
 * of the widest objective. Coordinates are copied into one flat array in tree order.
 */
class MinCornerTree {
  private readonly d: number;
  private readonly coords: Float64Array;
  private readonly lo: Float64Array;
  private readonly start: Int32Array;
  private readonly end: Int32Array;
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  private readonly stackNode: Int32Array;
  private readonly stackBound: Float64Array;

  constructor(points: Points, d: number) {
    const n = points.length;
    this.d = d;
    const raw = new Float64Array(n * d);
    points.forEach((p, i) => {
      for (let k = 0; k < d; k++) raw[i * d + k] = p[k]!;
    });
    const perm = new Int32Array(n);
    for (let i = 0; i < n; i++) perm[i] = i;
    const maxNodes = 2 * Math.ceil(n / (LEAF_SIZE / 2)) + 1;
    this.lo = new Float64Array(maxNodes * d);
    this.start = new Int32Array(maxNodes);
    this.end = new Int32Array(maxNodes);
    this.left = new Int32Array(maxNodes).fill(-1);
    this.right = new Int32Array(maxNodes).fill(-1);
    let nodes = 0;
    let depth = 0;
    const build = (s: number, e: number, level: number): number => {
      const node = nodes++;
      if (level > depth) depth = level;
      this.start[node] = s;
      this.end[node] = e;
      let widest = -1;
      let widestSpread = 0;
      for (let k = 0; k < d; k++) {
        let min = Infinity;
        let max = -Infinity;
        for (let t = s; t < e; t++) {
          const v = raw[perm[t]! * d + k]!;
          if (v < min) min = v;
          if (v > max) max = v;
        }
        this.lo[node * d + k] = min;
        if (max - min > widestSpread) {
          widestSpread = max - min;
          widest = k;
        }
      }
      if (e - s > LEAF_SIZE && widest >= 0) {
        const mid = (s + e) >>> 1;
        selectNth(perm, s, e, mid, raw, d, widest);
        this.left[node] = build(s, mid, level + 1);
        this.right[node] = build(mid, e, level + 1);
      }
      return node;
    };
    if (n > 0) build(0, n, 0);
    this.coords = new Float64Array(n * d);
    for (let t = 0; t < n; t++) for (let k = 0; k < d; k++) this.coords[t * d + k] = raw[perm[t]! * d + k]!;
    this.stackNode = new Int32Array(depth + 2);
    this.stackBound = new Float64Array(depth + 2);
  }

  /**
   * Minimum over the tree's points a of measure(a, z); returns as soon as a value <= `enough`
   * is found (that value is returned, not necessarily the minimum).
   */
  minimum(measure: Measure, z: readonly number[], enough: number): number {
    const { d, coords, lo, left, right, stackNode, stackBound } = this;
    let best = Infinity;
    let top = 0;
    stackNode[top] = 0;
    stackBound[top] = pairMeasure(measure, lo, 0, z, d);
    top++;
    while (top > 0) {
      top--;
      if (stackBound[top]! >= best) continue;
      const node = stackNode[top]!;
      const l = left[node]!;
      if (l < 0) {
        const e = this.end[node]!;
        for (let t = this.start[node]!; t < e; t++) {
          const v = pairMeasure(measure, coords, t * d, z, d);
          if (v < best) {
            best = v;
            if (best <= enough) return best;
          }
        }
        continue;
      }
      const r = right[node]!;
      const bl = pairMeasure(measure, lo, l * d, z, d);
      const br = pairMeasure(measure, lo, r * d, z, d);
      // Push the farther child first so the nearer one is searched first.
      if (bl <= br) {
        if (br < best) { stackNode[top] = r; stackBound[top++] = br; }
        if (bl < best) { stackNode[top] = l; stackBound[top++] = bl; }
      } else {
        if (bl < best) { stackNode[top] = l; stackBound[top++] = bl; }
        if (br < best) { stackNode[top] = r; stackBound[top++] = br; }
      }
    }
    return best;
  }
}

/** The per-pair measure of point a (at `offset` in `a`) against reference point z. */
function pairMeasure(measure: Measure, a: Float64Array, offset: number, z: readonly number[], d: number): number {
  if (measure === IGD_PLUS) {
    let s = 0;
    for (let k = 0; k < d; k++) {
      const diff = a[offset + k]! - z[k]!;
      if (diff > 0) s += diff * diff;
    }
    return s; // squared; the caller takes the root
  }
  let m = -Infinity;
  if (measure === ADDITIVE) {
    for (let k = 0; k < d; k++) {
      const diff = a[offset + k]! - z[k]!;
      if (diff > m) m = diff;
    }
  } else {
    for (let k = 0; k < d; k++) {
      const ratio = a[offset + k]! / z[k]!;
      if (ratio > m) m = ratio;
    }
  }
  return m;
}

/** Quickselect: reorders perm[s..e) so perm[nth] holds the point with the nth smallest value of objective k. */
function selectNth(perm: Int32Array, s: number, e: number, nth: number, raw: Float64Array, d: number, k: number): void {
  let lo = s;
  let hi = e - 1;
  const key = (t: number): number => raw[perm[t]! * d + k]!;
  while (hi > lo) {
    const pivot = key((lo + hi) >>> 1);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (key(i) < pivot) i++;
      while (key(j) > pivot) j--;
      if (i <= j) {
        const t = perm[i]!;
        perm[i] = perm[j]!;
        perm[j] = t;
        i++;
        j--;
      }
    }
    if (nth <= j) hi = j;
    else if (nth >= i) lo = i;
    else return;
  }
}
