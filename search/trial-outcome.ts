import type { Trial } from '../core/types.ts';

/**
 * Total constraint violation of a trial, for Deb's feasibility rules: 0 when feasible, the sum
 * of relative excesses (|value - limit| / max(|limit|, 1e-12)) when infeasible, +Infinity when
 * the evaluation failed (a failed design is worse than any infeasible one). An infeasible trial
 * that lists no violations counts as a tiny positive violation so it still ranks behind every
 * feasible one.
 */
export function violationOf(trial: Trial): number {
  if (trial.status === 'ok') return 0;
  if (trial.status === 'failed' || !trial.objectives) return Infinity;
  let total = 0;
  for (const v of trial.violations ?? []) {
    const excess = v.kind === 'max' ? v.value - v.limit : v.limit - v.value;
    if (excess > 0) total += excess / Math.max(Math.abs(v.limit), 1e-12);
  }
  return Number.isFinite(total) && total > 0 ? total : 1e-9;
}

/** Objective values usable for ranking: present, finite, and of the expected length. */
export function usableObjectives(trial: Trial): number[] | undefined {
  const o = trial.objectives;
  if (trial.status === 'failed' || !o || o.length === 0) return undefined;
  return o.every((x) => Number.isFinite(x)) ? o : undefined;
}
