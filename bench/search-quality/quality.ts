import { nonDominatedIndices, type Points } from '../../results/dominance.ts';
import { normalizedHypervolume } from '../../results/hypervolume.ts';
import { igdPlus } from '../../results/indicators.ts';
import { normalizationOf, normalize, type Normalization } from '../../results/normalize.ts';
import { feasiblePoints, type TruthTable } from './truth-table.ts';

/** The true Pareto front of a space and the numbers every found front is measured against. */
export interface TrueFront {
  /** Design indexes of the front's points (duplicates in objective space all kept). */
  indexes: number[];
  points: number[][];
  /** The true front's own ideal and nadir: the one normalisation every found front is measured in. */
  normalization: Normalization;
  /** The true front's points in that normalisation (IGD+ reference set). */
  normalizedPoints: number[][];
  /** Its hypervolume there, reference point 1.1 in every objective. */
  hypervolume: number;
}

export function trueFrontOf(table: TruthTable): TrueFront {
  const { indexes, points } = feasiblePoints(table);
  if (points.length === 0) throw new Error('the space has no feasible design, so no front to measure against');
  const nd = nonDominatedIndices(points);
  const frontPoints = nd.map((i) => points[i]!);
  const normalization = normalizationOf(frontPoints);
  return {
    indexes: nd.map((i) => indexes[i]!),
    points: frontPoints,
    normalization,
    normalizedPoints: normalize(frontPoints, normalization),
    hypervolume: normalizedHypervolume(frontPoints, normalization),
  };
}

export interface FrontQuality {
  /** HV(found) / HV(true), both in the true front's normalisation with reference point 1.1: 1 is the whole front. */
  hvRatio: number;
  /** IGD+ of the found front to the true front, in the true front's normalisation: 0 is the whole front. */
  igdPlus: number;
  /** Points of the found front. */
  frontSize: number;
}

/** Quality of the feasible points a run found, measured against the true front. */
export function frontQuality(found: Points, truth: TrueFront): FrontQuality {
  if (found.length === 0) return { hvRatio: 0, igdPlus: Infinity, frontSize: 0 };
  const front = nonDominatedIndices(found).map((i) => found[i]!);
  const hv = normalizedHypervolume(front, truth.normalization);
  return {
    hvRatio: hv / truth.hypervolume,
    igdPlus: igdPlus(normalize(front, truth.normalization), truth.normalizedPoints),
    frontSize: front.length,
  };
}

export interface Summary {
  median: number;
  q1: number;
  q3: number;
  min: number;
  max: number;
}

/** Median, quartiles (linear interpolation between order statistics) and extremes. */
export function summarize(xs: readonly number[]): Summary {
  if (xs.length === 0) throw new Error('nothing to summarise');
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number): number => {
    const pos = q * (s.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    if (lo === hi) return s[lo]!;
    const a = s[lo]!;
    const b = s[hi]!;
    // Infinity - Infinity would give NaN; an infinite neighbour makes the quantile infinite.
    return !Number.isFinite(a) || !Number.isFinite(b) ? (pos - lo < 0.5 ? a : b) : a + (b - a) * (pos - lo);
  };
  return { median: at(0.5), q1: at(0.25), q3: at(0.75), min: s[0]!, max: s[s.length - 1]! };
}
