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
  private readonly objs: number[][] = [];
  private readonly its: T[] = [];
  private readonly seqs: number[] = [];
  private dim = -1;
  private added = 0;

  /** `objectives` fixes the number of objectives up front; otherwise the first add does. */
  constructor(objectives?: number) {
    if (objectives !== undefined) this.dim = objectives;
  }

  /** Number of entries on the front. */
  get size(): number {
    return this.objs.length;
  }

  /**
   * Offers an item with its objective vector (copied). Returns true if it entered the front
   * (removing the entries it dominates), false if an entry already held dominates or equals it.
   */
  add(objectives: readonly number[], item: T): boolean {
    if (this.dim < 0) this.dim = objectives.length;
    dimensionOf([objectives], this.dim, 'objectives');
    const p = objectives.slice();
    const seq = this.added++;
    return this.dim === 2 ? this.add2(p, item, seq) : this.addLinear(p, item, seq);
  }

  private addLinear(p: number[], item: T, seq: number): boolean {
    const { objs, its, seqs } = this;
    let kept = 0;
    for (let i = 0; i < objs.length; i++) {
      const e = objs[i]!;
      // If an entry covers p, p dominates no entry (that entry would dominate it too), so
      // nothing has been removed yet when we return here.
      if (weaklyDominates(e, p)) return false;
      if (weaklyDominates(p, e)) continue; // dominated by p (not equal: that returned above)
      objs[kept] = e;
      its[kept] = its[i]!;
      seqs[kept] = seqs[i]!;
      kept++;
    }
    objs.length = kept;
    its.length = kept;
    seqs.length = kept;
    objs.push(p);
    its.push(item);
    seqs.push(seq);
    return true;
  }

  /** 2 objectives: entries sorted by the first objective ascending, so the second is strictly descending. */
  private add2(p: number[], item: T, seq: number): boolean {
    const { objs } = this;
    const x = p[0]!;
    const y = p[1]!;
    // First entry with first objective >= x.
    let lo = 0;
    let hi = objs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (objs[mid]![0]! < x) lo = mid + 1;
      else hi = mid;
    }
    // The entry before has the smallest second objective among those with a smaller first one.
    if (lo > 0 && objs[lo - 1]![1]! <= y) return false;
    // The entry at lo may share x: if its y is <= p's it covers p.
    if (lo < objs.length && objs[lo]![0]! === x && objs[lo]![1]! <= y) return false;
    // Entries from lo on with y >= p's are dominated by p (their x >= p's); they are contiguous.
    let end = lo;
    while (end < objs.length && objs[end]![1]! >= y) end++;
    objs.splice(lo, end - lo, p);
    this.its.splice(lo, end - lo, item);
    this.seqs.splice(lo, end - lo, seq);
    return true;
  }

  /** Positions of the entries in order of addition. */
  private entryOrder(): number[] {
    const order = this.seqs.map((_, i) => i);
    if (this.dim === 2) order.sort((a, b) => this.seqs[a]! - this.seqs[b]!);
    return order;
  }

  /** The items on the front, oldest first. */
  items(): T[] {
    return this.entryOrder().map((i) => this.its[i]!);
  }

  /** The objective vectors on the front (copies), oldest first, aligned with `items()`. */
  points(): number[][] {
    return this.entryOrder().map((i) => this.objs[i]!.slice());
  }

  /** Objective vectors with their items, oldest first. */
  entries(): { objectives: number[]; item: T }[] {
    return this.entryOrder().map((i) => ({ objectives: this.objs[i]!.slice(), item: this.its[i]! }));
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
