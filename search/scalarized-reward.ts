/**
 * Turns objective vectors (all minimised) into one reward for a weight vector, by the
 * augmented Chebyshev scalarisation against the running ideal point:
 *
 *   f~_i = (t(f_i) - ideal_i) / (nadir_i - ideal_i)        (running min / max over feasible trials)
 *   g    = max_i w_i f~_i + rho * sum_i w_i f~_i,           reward = -g, in [-(1 + rho), 0]
 *
 * Every Pareto-optimal point minimises g for some w (the max term reaches non-convex parts of
 * a front, which a weighted sum cannot; the small rho term breaks ties towards Pareto-optimal
 * points). t is log when `scale` is 'log' and every value seen for that objective is > 0
 * (hardware objectives span orders of magnitude; a linear min-max would squash all but the
 * extremes to 0), otherwise the identity.
 *
 * Infeasible and failed trials get fixed penalties below every feasible reward:
 * infeasible -(1 + rho) - 0.5 - 0.5 * v / (1 + v) for total relative violation v (so less
 * violation is better), failed -(1 + rho) - 1.
 */
export class ScalarizedReward {
  readonly rho: number;
  readonly scale: 'log' | 'linear';
  private rawMin: number[] = [];
  private rawMax: number[] = [];
  private logMin: number[] = [];
  private logMax: number[] = [];
  private allPositive: boolean[] = [];

  constructor(rho: number, scale: 'log' | 'linear') {
    this.rho = rho;
    this.scale = scale;
  }

  get objectiveCount(): number {
    return this.rawMin.length;
  }

  /** Widens the running ideal and nadir with a feasible objective vector. */
  observe(objectives: readonly number[]): void {
    if (this.rawMin.length === 0) {
      const m = objectives.length;
      this.rawMin = new Array<number>(m).fill(Infinity);
      this.rawMax = new Array<number>(m).fill(-Infinity);
      this.logMin = new Array<number>(m).fill(Infinity);
      this.logMax = new Array<number>(m).fill(-Infinity);
      this.allPositive = new Array<boolean>(m).fill(true);
    }
    objectives.forEach((x, i) => {
      this.rawMin[i] = Math.min(this.rawMin[i]!, x);
      this.rawMax[i] = Math.max(this.rawMax[i]!, x);
      if (x > 0) {
        this.logMin[i] = Math.min(this.logMin[i]!, Math.log(x));
        this.logMax[i] = Math.max(this.logMax[i]!, Math.log(x));
      } else this.allPositive[i] = false;
    });
  }

  /** Objectives normalised to [0, 1] by the running ideal and nadir (0 on a zero range). */
  normalize(objectives: readonly number[]): number[] {
    return objectives.map((x, i) => {
      const useLog = this.scale === 'log' && this.allPositive[i] && x > 0;
      const t = useLog ? Math.log(x) : x;
      const lo = useLog ? this.logMin[i]! : this.rawMin[i]!;
      const hi = useLog ? this.logMax[i]! : this.rawMax[i]!;
      const range = hi - lo;
      if (!(range > 0) || !Number.isFinite(range)) return 0;
      return Math.min(1, Math.max(0, (t - lo) / range));
    });
  }

  feasible(objectives: readonly number[], weights: readonly number[]): number {
    const f = this.normalize(objectives);
    let max = -Infinity;
    let sum = 0;
    f.forEach((x, i) => {
      const wx = weights[i]! * x;
      if (wx > max) max = wx;
      sum += wx;
    });
    return -(max + this.rho * sum);
  }

  infeasible(violation: number): number {
    return -(1 + this.rho) - 0.5 - (0.5 * violation) / (1 + violation);
  }

  failed(): number {
    return -(1 + this.rho) - 1;
  }
}
