import { DseError } from '../core/errors.ts';
import { dimensionOf, type Points } from './dominance.ts';

/**
 * Objective normalisation, made explicit so that every number computed in normalised space
 * (hypervolume, IGD+, the knee) can say which normalisation it used and be recomputed.
 *
 * Convention:
 * - `ideal[i]` and `nadir[i]` are the smallest and largest value of objective i over the
 *   points the normalisation is taken from (for a front, its ideal and nadir points).
 * - normalised value = (x - ideal) / scale, scale = nadir - ideal. An objective with zero range
 *   (all points equal in it: a one-point front, a single objective) uses the magnitude of its
 *   value, |ideal|, as the scale, so a later value twice as large sits at 1, not at 1e-9 as a
 *   scale of "1 second" would put it; only an objective that is exactly 0 everywhere keeps 1.
 *   The front then spans [0, 1] in every objective it varies in.
 * - Reference point for hypervolume: 1.1 in every objective of normalised space
 *   (REFERENCE_POINT_NORMALIZED), i.e. the nadir plus 10% of the range. The margin lets the
 *   extreme points of the front contribute volume; with the reference at the nadir they would
 *   contribute none. Normalised hypervolume therefore lies in [0, 1.1^d).
 * - To compare several fronts (a run against a baseline, shards against the merged run),
 *   normalise all of them with ONE normalisation (e.g. `normalizationOf` of the union, or the
 *   baseline's); numbers computed under different normalisations are not comparable.
 */
export interface Normalization {
  ideal: number[];
  nadir: number[];
}

/** Reference-point coordinate in normalised space (the same in every objective). */
export const REFERENCE_POINT_NORMALIZED = 1.1;

/** Per-objective minimum (ideal) and maximum (nadir) of the points. An empty set gives empty vectors. */
export function normalizationOf(points: Points): Normalization {
  const d = dimensionOf(points);
  const ideal = new Array<number>(d).fill(Infinity);
  const nadir = new Array<number>(d).fill(-Infinity);
  for (const p of points) {
    for (let i = 0; i < d; i++) {
      const v = p[i]!;
      if (v < ideal[i]!) ideal[i] = v;
      if (v > nadir[i]!) nadir[i] = v;
    }
  }
  for (let i = 0; i < d; i++) {
    if (!Number.isFinite(ideal[i]!) || !Number.isFinite(nadir[i]!)) {
      throw new DseError('non_finite_objective', `objective ${i} is not finite (ideal ${ideal[i]}, nadir ${nadir[i]}); cannot normalise`, { path: `points[*][${i}]` });
    }
  }
  return { ideal, nadir };
}

/** Divisor of each objective: nadir - ideal, or |ideal| where that range is zero (1 if that is 0 too). */
export function scaleOf(n: Normalization): number[] {
  return n.ideal.map((lo, i) => {
    const range = n.nadir[i]! - lo;
    if (range > 0) return range;
    return Math.abs(lo) > 0 ? Math.abs(lo) : 1;
  });
}

/** The points in normalised space: (x - ideal) / scale per objective (new arrays). */
export function normalize(points: Points, n: Normalization): number[][] {
  const d = n.ideal.length;
  if (n.nadir.length !== d) throw new DseError('objective_dimension', `normalisation has ${d} ideal and ${n.nadir.length} nadir values`, { path: 'normalization' });
  dimensionOf(points, d);
  const scale = scaleOf(n);
  return points.map((p) => p.map((v, i) => (v - n.ideal[i]!) / scale[i]!));
}

/** Inverse of `normalize`: back to objective units. */
export function denormalize(points: Points, n: Normalization): number[][] {
  const scale = scaleOf(n);
  return points.map((p) => p.map((v, i) => n.ideal[i]! + v * scale[i]!));
}

/** The hypervolume reference point in normalised space: REFERENCE_POINT_NORMALIZED in each of `objectives` objectives. */
export function referencePoint(objectives: number): number[] {
  return new Array<number>(objectives).fill(REFERENCE_POINT_NORMALIZED);
}

/** The same reference point in objective units: ideal + 1.1 * scale (nadir plus 10% of the range). */
export function referencePointIn(n: Normalization): number[] {
  const scale = scaleOf(n);
  return n.ideal.map((lo, i) => lo + REFERENCE_POINT_NORMALIZED * scale[i]!);
}
