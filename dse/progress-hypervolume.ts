import { normalizedHypervolume } from '../results/hypervolume.ts';

/**
 * The hypervolume shown while a run goes: the front normalised by the bounds of every feasible
 * trial seen so far, so it does not jump when the front's own extremes move. The study loop
 * asks for it only when it reports progress (at most every 200 ms).
 */
export class ProgressHypervolume {
  private ideal: number[] | undefined;
  private nadir: number[] | undefined;

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

  value(front: number[][]): number {
    if (!this.ideal || !this.nadir || front.length === 0) return 0;
    return normalizedHypervolume(front, { ideal: this.ideal, nadir: this.nadir });
  }
}
