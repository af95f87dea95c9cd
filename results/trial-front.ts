import type { Trial } from '../core/types.ts';
import { FrontArchive } from './front-archive.ts';

/**
 * The front of a run, kept incrementally: every feasible trial that no other dominates,
 * including designs whose objectives are identical (each is an equally good choice; the tie
 * policy of every output, docs/PARETO.md). So the
 * front is a function of the set of trials, not of the order they arrived in, and a run, its
 * merged shards and `paretoFront` of its journal agree exactly.
 *
 * The archive holds one entry per distinct vector (its first trial); later twins wait in a map
 * keyed by a numeric hash of the vector's bits, pruned to the vectors still on the front
 * whenever it grows past twice the front's size. This runs once per trial on the study loop's
 * thread, so it avoids building strings from floats.
 */
export class TrialFront<T extends { objectives?: readonly number[] } = Trial> {
  private readonly archive = new FrontArchive<T>();
  private readonly twins = new Map<number, T[][]>();

  /** Number of trials on the front (twins included). O(front). */
  get size(): number {
    let n = 0;
    for (const first of this.archive.items()) n += this.groupOf(first.objectives!)?.length ?? 1;
    return n;
  }

  /**
   * Offers a feasible trial (status 'ok' with objectives). Returns true when it is on the
   * front now: it entered, or it ties with a vector on the front.
   */
  add(trial: T): boolean {
    const objectives = trial.objectives!;
    if (this.archive.add(objectives, trial)) {
      const h = vectorHash(objectives);
      const groups = this.twins.get(h);
      if (groups) groups.push([trial]);
      else this.twins.set(h, [[trial]]);
      if (this.twins.size > 2 * this.archive.size + 64) this.prune();
      return true;
    }
    // Rejected: dominated, or equal to a vector on the front (then it is a twin).
    const group = this.groupOf(objectives);
    group?.push(trial);
    return group !== undefined;
  }

  /** True when a trial with these objectives could not enter the front (see FrontArchive.isDominated). */
  isDominated(objectives: ArrayLike<number>): boolean {
    return this.archive.isDominated(objectives);
  }

  /** The front's trials, by vector in order of arrival, twins by arrival. */
  trials(): T[] {
    return this.archive.items().flatMap((first) => this.groupOf(first.objectives!) ?? [first]);
  }

  /** The distinct objective vectors on the front. */
  points(): number[][] {
    return this.archive.points();
  }

  private groupOf(objectives: readonly number[]): T[] | undefined {
    return this.twins.get(vectorHash(objectives))?.find((g) => sameVector(g[0]!.objectives!, objectives));
  }

  private prune(): void {
    const live = new Set(this.archive.items());
    for (const [h, groups] of this.twins) {
      const kept = groups.filter((g) => live.has(g[0]!));
      if (kept.length === 0) this.twins.delete(h);
      else this.twins.set(h, kept);
    }
  }
}

const bits = new DataView(new ArrayBuffer(8));

/** FNV-1a over the IEEE-754 bits of the vector: equal vectors, equal hashes. */
function vectorHash(v: readonly number[]): number {
  let h = 0x811c9dc5;
  for (const x of v) {
    bits.setFloat64(0, x);
    h = Math.imul(h ^ bits.getUint32(0), 0x01000193);
    h = Math.imul(h ^ bits.getUint32(4), 0x01000193);
  }
  return h >>> 0;
}

function sameVector(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
