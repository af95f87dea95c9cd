import { hypervolume } from '../results/hypervolume.ts';
import { normalize, referencePoint, type Normalization } from '../results/normalize.ts';

/**
 * The hypervolume shown while a run goes. It must never go down while the front only gets
 * better, so it is measured on one fixed scale: the ideal and nadir of the feasible trials seen
 * up to the first progress report in which every objective varies, frozen from then on, with
 * the usual reference point 1.1 on that scale. A front that improves (each new front weakly
 * dominates the old) can only gain volume in a fixed box; designs beyond the early nadir add
 * nothing, designs beyond the early ideal add more than 1 per objective.
 *
 * It is therefore not front.json's hypervolume, which normalises the final front to its own
 * ideal and nadir (docs/PARETO.md): the progress line says "start scale" beside it, and the
 * closing line of `dse run` prints front.json's number.
 */
export class ProgressHypervolume {
  private ideal: number[] | undefined;
  private nadir: number[] | undefined;
  private frozen: Normalization | undefined;

  observe(objectives: readonly number[]): void {
    if (this.frozen) return;
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

  /** Hypervolume of the front on the frozen scale; NaN until every objective has varied. */
  value(front: number[][]): number {
    if (!this.frozen) {
      if (!this.ideal || !this.nadir || this.ideal.some((lo, i) => !(this.nadir![i]! > lo))) return NaN;
      this.frozen = { ideal: this.ideal, nadir: this.nadir };
    }
    if (front.length === 0) return 0;
    return hypervolume(normalize(front, this.frozen), referencePoint(this.frozen.ideal.length));
  }
}
