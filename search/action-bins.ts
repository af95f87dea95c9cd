import type { Prng } from '../core/prng.ts';

/**
 * The actions of one `marl` agent over a parameter's values: each value its own action, or,
 * for an ordinal parameter with more values than `maxActions`, `maxActions` bins of
 * neighbouring values (sizes differing by at most one), the agent choosing a bin and the value
 * inside it drawn uniformly. Why: an agent's softmax costs O(actions) per sample and per
 * learning step, and a parameter such as `dramGBps: {int: {min: 1, max: 100000}}` made every
 * trial cost milliseconds of learning (3 trials/s on a 10^12-design space); neighbouring values
 * of an ordinal parameter behave alike, so a policy over bins learns from a few hundred trials
 * what a policy over 10^5 values, each tried about never, cannot.
 */
export class ActionBins {
  /** Number of values of the parameter. */
  readonly values: number;
  /** Number of actions (bins). */
  readonly count: number;

  constructor(values: number, maxActions: number) {
    this.values = values;
    this.count = Math.min(values, maxActions);
  }

  /** The bin holding value position i: floor(i * count / values). */
  binOf(i: number): number {
    return Math.floor((i * this.count) / this.values);
  }

  /** First value position of bin b (bin b holds [start(b), start(b + 1))). */
  private start(b: number): number {
    return Math.ceil((b * this.values) / this.count);
  }

  /** Number of values in bin b. */
  sizeOf(b: number): number {
    return this.start(b + 1) - this.start(b);
  }

  /** A value position in bin b, uniform; no draw when the bin is one value (so unbinned agents use the PRNG as before). */
  valueIn(b: number, prng: Prng): number {
    const size = this.sizeOf(b);
    return this.start(b) + (size === 1 ? 0 : prng.int(size));
  }
}
