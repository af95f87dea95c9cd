import type { Trial } from '../core/types.ts';
import { FrontArchive } from './front-archive.ts';

/**
 * The front of a run, kept incrementally: every feasible trial that no other dominates,
 * including designs whose objectives are identical (each is an equally good choice). So the
 * front is a function of the set of trials, not of the order they arrived in, and a run, its
 * merged shards and `paretoFront` of its journal agree exactly.
 *
 * The archive holds one entry per distinct vector; twins wait in a map keyed by the vector,
 * pruned to the vectors still on the front whenever it grows past twice the front's size.
 */
export class TrialFront {
  private readonly archive = new FrontArchive<Trial>();
  private readonly twins = new Map<string, Trial[]>();

  get size(): number {
    let n = 0;
    for (const o of this.archive.points()) n += this.twins.get(key(o))?.length ?? 1;
    return n;
  }

  /** Offers a feasible trial (status 'ok' with objectives). */
  add(trial: Trial): void {
    const objectives = trial.objectives!;
    const k = key(objectives);
    if (this.archive.add(objectives, trial)) {
      this.twins.set(k, [trial]);
      if (this.twins.size > 2 * this.archive.size + 64) this.prune();
    } else {
      // Rejected: dominated, or equal to a vector on the front (then it is a twin).
      this.twins.get(k)?.push(trial);
    }
  }

  /** The front's trials, by vector in order of arrival, twins by arrival. */
  trials(): Trial[] {
    return this.archive.points().flatMap((o) => this.twins.get(key(o)) ?? []);
  }

  /** The distinct objective vectors on the front. */
  points(): number[][] {
    return this.archive.points();
  }

  private prune(): void {
    const live = new Set(this.archive.points().map(key));
    for (const k of this.twins.keys()) if (!live.has(k)) this.twins.delete(k);
  }
}

function key(objectives: readonly number[]): string {
  return objectives.join(',');
}
