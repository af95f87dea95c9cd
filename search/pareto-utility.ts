import { nondominatedSort } from '../results/dominance.ts';

/** What the utility ranking needs of one evaluated episode. */
export interface RankedOutcome {
  /** Objectives (minimised) of a feasible trial; undefined when infeasible or failed. */
  objectives: number[] | undefined;
  /** 0 when feasible; total relative violation when infeasible; +Infinity when failed. */
  violation: number;
  /** Tie-break inside a Pareto front (smaller is better), e.g. the Chebyshev value under the episode's own weights. */
  tieBreak: number;
}

/**
 * Rank-based utilities of a set of outcomes, centred to mean 0 and scaled to unit standard deviation
 * (the fitness shaping of natural evolution strategies, Wierstra et al. 2014):
 *
 * 1. order: feasible outcomes by non-dominated front (Deb's sort over all of them), inside a
 *    front by `tieBreak`; then infeasible by violation; failed last;
 * 2. the outcome at position i of n gets max(0, log(n/2 + 1) - log(i + 1)): the better half
 *    gets positive weight, decreasing with rank; the worse half 0;
 * 3. subtract the mean and divide by the standard deviation.
 *
 * Why ranks rather than raw scalarised values: a raw reward depends on a running normalisation
 * that shifts as the ideal and nadir move, and a few extreme designs dominate its scale; a rank
 * against everything evaluated so far is invariant to any monotone change of the objectives
 * and rewards exactly what the search wants: being on (or near) the current front.
 * Returns zeros when every outcome ties (nothing to learn).
 */
export function paretoRankUtilities(outcomes: readonly RankedOutcome[]): number[] {
  const n = outcomes.length;
  const feasible: number[] = [];
  const other: number[] = [];
  outcomes.forEach((o, i) => (o.violation === 0 && o.objectives ? feasible : other).push(i));
  const order: number[] = [];
  const fronts = nondominatedSort(feasible.map((i) => outcomes[i]!.objectives!));
  for (const front of fronts) {
    const members = front.map((k) => feasible[k]!);
    members.sort((a, b) => outcomes[a]!.tieBreak - outcomes[b]!.tieBreak || a - b);
    order.push(...members);
  }
  other.sort((a, b) => outcomes[a]!.violation - outcomes[b]!.violation || a - b);
  order.push(...other);
  const raw = new Array<number>(n).fill(0);
  const top = Math.log(n / 2 + 1);
  order.forEach((i, pos) => (raw[i] = Math.max(0, top - Math.log(pos + 1))));
  const mean = raw.reduce((a, b) => a + b, 0) / Math.max(1, n);
  const variance = raw.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, n);
  if (!(variance > 1e-12)) return new Array<number>(n).fill(0);
  const sd = Math.sqrt(variance);
  return raw.map((x) => (x - mean) / sd);
}
