import { dimensionOf, weaklyDominates, type Points } from './dominance.ts';
import { normalizationOf, normalize } from './normalize.ts';

/**
 * Incremental non-dominated archive (all objectives minimised): after any sequence of adds it
 * holds exactly the non-dominated set of everything added, one entry per distinct objective
 * vector. Memory is proportional to the front, not to the number of adds.
 *
 * Ties: a vector equal to one already held is rejected, so of several items with identical
 * objectives THE FIRST ONE ADDED WINS (it is never replaced by a later twin; it leaves only
 * when something dominating it arrives, and then every later twin is rejected too).
 *
 * `items()`, `points()` and `entries()` list the front in the order the entries were added
 * (oldest first), so the result does not depend on how the archive stores them.
 *
 * Cost per add: with 2 objectives the front is kept sorted by the first objective, so the
 * check is a binary search (O(log F) plus removals); with more, one pass over the front, O(F d).
 */
export class FrontArchive<T> {
  // Entries: objective vectors packed row by row in `coords` (2 objectives: sorted by the first
  // objective), their items, and the number of the add that brought each in.
  private coords = new Float64Array(0);
  private its: T[] = [];
  private seqs: number[] = [];
  private count = 0;
  private dim = -1;
  private added = 0;
  /** Position of the entry that last answered isDominated (a hint; see there). */
  private lastDominator = 0;

  /** `objectives` fixes the number of objectives up front; otherwise the first add does. */
  constructor(objectives?: number) {
    if (objectives !== undefined) this.dim = objectives;
  }

  /** Number of entries on the front. */
  get size(): number {
    return this.count;
  }

  /**
   * Offers an item with its objective vector (copied). Returns true if it entered the front
   * (removing the entries it dominates), false if an entry already held dominates or equals it.
   */
  add(objectives: readonly number[], item: T): boolean {
    if (this.dim < 0) this.dim = objectives.length;
    dimensionOf([objectives], this.dim, 'objectives');
    const seq = this.added++;
    return this.dim === 2 ? this.add2(objectives, item, seq) : this.addLinear(objectives, item, seq);
  }

  /**
   * True when an entry dominates `objectives` (at least as good everywhere, better somewhere):
   * then `add` would reject it. A vector equal to an entry is not dominated. Lets a caller skip
   * building an item for a vector that cannot enter; same cost as `add`'s own check.
   */
  isDominated(objectives: ArrayLike<number>): boolean {
    const n = this.count;
    const c = this.coords;
    if (this.dim === 2) {
      const x = objectives[0]!;
      const y = objectives[1]!;
      const lo = this.firstAtLeast2(x);
      // The entry before has the smallest second objective among those with a smaller first one.
      if (lo > 0 && c[2 * lo - 1]! <= y) return true;
      return lo < n && c[2 * lo]! === x && c[2 * lo + 1]! < y;
    }
    // Most vectors of a long run are dominated, and often by the entry that dominated the last
    // one: that entry is tried first (any dominating entry gives the same answer).
    if (this.lastDominator < n && this.dominatesAt(this.lastDominator, objectives)) return true;
    for (let i = 0; i < n; i++) {
      if (this.dominatesAt(i, objectives)) {
        this.lastDominator = i;
        return true;
      }
    }
    return false;
  }

  /** Whether entry i dominates p (d > 2 layout). */
  private dominatesAt(i: number, p: ArrayLike<number>): boolean {
    const d = this.dim;
    const c = this.coords;
    const off = i * d;
    let equal = true;
    for (let k = 0; k < d; k++) {
      const e = c[off + k]!;
      const v = p[k]!;
      if (e > v) return false;
      if (e < v) equal = false;
    }
    return !equal;
  }

  private addLinear(p: readonly number[], item: T, seq: number): boolean {
    const { dim: d, coords: c, its, seqs } = this;
    const n = this.count;
    let kept = 0;
    for (let i = 0; i < n; i++) {
      const off = i * d;
      let covers = true; // entry <= p everywhere
      let covered = true; // p <= entry everywhere
      for (let k = 0; k < d; k++) {
        const e = c[off + k]!;
        const v = p[k]!;
        if (e > v) covers = false;
        else if (e < v) covered = false;
        if (!covers && !covered) break;
      }
      // If an entry covers p, p dominates no entry (that entry would dominate it too), so
      // nothing has been removed yet when we return here.
      if (covers) return false;
      if (covered) continue; // dominated by p (not equal to it: that returned above)
      if (kept !== i) {
        c.copyWithin(kept * d, off, off + d);
        its[kept] = its[i]!;
        seqs[kept] = seqs[i]!;
      }
      kept++;
    }
    its.length = kept;
    seqs.length = kept;
    this.count = kept;
    this.insertAt(kept, p, item, seq);
    return true;
  }

  /** 2 objectives: index of the first entry whose first objective is >= x (binary search over the sorted entries). */
  private firstAtLeast2(x: number): number {
    const c = this.coords;
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (c[2 * mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** 2 objectives: entries sorted by the first objective ascending, so the second is strictly descending. */
  private add2(p: readonly number[], item: T, seq: number): boolean {
    const c = this.coords;
    const n = this.count;
    const x = p[0]!;
    const y = p[1]!;
    const lo = this.firstAtLeast2(x);
    // The entry before has the smallest second objective among those with a smaller first one.
    if (lo > 0 && c[2 * lo - 1]! <= y) return false;
    // The entry at lo may share x: if its y is <= p's it covers p.
    if (lo < n && c[2 * lo]! === x && c[2 * lo + 1]! <= y) return false;
    // Entries from lo on with y >= p's are dominated by p (their x >= p's); they are contiguous.
    let end = lo;
    while (end < n && c[2 * end + 1]! >= y) end++;
    if (end > lo) {
      c.copyWithin(2 * lo, 2 * end, 2 * n);
      this.its.splice(lo, end - lo);
      this.seqs.splice(lo, end - lo);
      this.count = n - (end - lo);
    }
    this.insertAt(lo, p, item, seq);
    return true;
  }

  /** Inserts an entry at position `at` (0..count), growing the packed array by doubling. */
  private insertAt(at: number, p: readonly number[], item: T, seq: number): void {
    const d = this.dim;
    const n = this.count;
    if ((n + 1) * d > this.coords.length) {
      const grown = new Float64Array(Math.max(16 * d, 2 * this.coords.length));
      grown.set(this.coords.subarray(0, n * d));
      this.coords = grown;
    }
    if (at < n) this.coords.copyWithin((at + 1) * d, at * d, n * d);
    for (let k = 0; k < d; k++) this.coords[at * d + k] = p[k]!;
    if (at === n) {
      this.its.push(item);
      this.seqs.push(seq);
    } else {
      this.its.splice(at, 0, item);
      this.seqs.splice(at, 0, seq);
    }
    this.count = n + 1;
  }

  /** Positions of the entries in order of addition. */
  private entryOrder(): number[] {
    const order = Array.from({ length: this.count }, (_, i) => i);
    if (this.dim === 2) order.sort((a, b) => this.seqs[a]! - this.seqs[b]!);
    return order;
  }

  private vector(i: number): number[] {
    return Array.from(this.coords.subarray(i * this.dim, (i + 1) * this.dim));
  }

  /** The items on the front, oldest first. */
  items(): T[] {
    return this.entryOrder().map((i) => this.its[i]!);
  }

  /** The objective vectors on the front (copies), oldest first, aligned with `items()`. */
  points(): number[][] {
    return this.entryOrder().map((i) => this.vector(i));
  }

  /** Objective vectors with their items, oldest first. */
  entries(): { objectives: number[]; item: T }[] {
    return this.entryOrder().map((i) => ({ objectives: this.vector(i), item: this.its[i]! }));
  }
}

/**
 * The knee of a front, for reports: the index of the point closest (Euclidean) to the ideal
 * point after normalising the front to its own ideal (0) and nadir (1) per objective (see
 * normalize.ts), i.e. the most balanced compromise when every objective's range counts
 * equally. Ties go to the lowest index; an empty front gives -1; non-finite values are an error
 * (normalizationOf). If the input holds dominated
 * points they never win over their dominators (they are no closer to the ideal).
 */
export function kneeIndex(points: Points): number {
  if (points.length === 0) return -1;
  const n = normalizationOf(points);
  if (n.ideal.length === 0) return 0;
  const scaled = normalize(points, n);
  let best = 0;
  let bestDist = Infinity;
  scaled.forEach((p, i) => {
    const dist = p.reduce((s, v) => s + v * v, 0);
    if (dist < bestDist) {
      bestDist = dist;
      best = i;
    }
  });
  return best;
}
