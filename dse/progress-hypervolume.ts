import { normalizedHypervolume } from '../results/hypervolume.ts';
import type { Normalization } from '../results/normalize.ts';

/**
 * The hypervolume shown while a run goes: the front normalised by the bounds of every feasible
 * trial seen so far (so it does not jump when the front's own extremes move), recomputed at
 * most every `everyMs` so that million-trial runs do not spend their time on it.
 */
export class ProgressHypervolume {
  private ideal: number[] | undefined;
  private nadir: number[] | undefined;
  private lastAt = -Infinity;
  private last = 0;

  constructor(private readonly everyMs = 500) {}

  observe(objectives: readonly number[]): void {
    if (!this.ideal || !this.nadir) {
      this.ideal = [...objectives];
      this.nadir = [...objectives];
      return;
    }
    for (let i = 0; i < objectives.length; i++) {
      const x = objectives[i]!;
      if (x < this.ideal[i]!) this.ideal[i] = x;
      if (x > this.nadir[i]!) this.nadir[i] = x;
    }
  }

  value(front: number[][], force = false): number {
    const now = Date.now();
    if (!force && now - this.lastAt < this.everyMs) return this.last;
    this.lastAt = now;
    if (!this.ideal || !this.nadir || front.length === 0) return (this.last = 0);
    const n: Normalization = { ideal: this.ideal, nadir: this.nadir };
    this.last = normalizedHypervolume(front, n);
    return this.last;
  }
}
