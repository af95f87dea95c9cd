import type { Trial } from '../core/types.ts';
import { nonDominatedIndices } from './dominance.ts';

/**
 * The Pareto front (all objectives minimised) of a set of objective vectors, or of trials: the
 * feasible ('ok') trials that no other feasible trial dominates. For notebook and script users.
 */
export function paretoFront(points: number[][]): number[][];
export function paretoFront(trials: Trial[]): Trial[];
export function paretoFront(items: number[][] | Trial[]): number[][] | Trial[] {
  if (items.length === 0) return [];
  if (Array.isArray(items[0])) {
    const points = items as number[][];
    return nonDominatedIndices(points).map((i) => points[i]!);
  }
  const feasible = (items as Trial[]).filter((t) => t.status === 'ok' && t.objectives);
  return nonDominatedIndices(feasible.map((t) => t.objectives!)).map((i) => feasible[i]!);
}
