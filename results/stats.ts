/**
 * Small descriptive statistics shared by results/ (baseline checks, report tables and model).
 */

/** Median of a list (the mean of the two middle values for an even count); NaN when empty. */
export function median(xs: readonly number[]): number {
  return medianOfSorted(sortedNumbers(xs));
}

/** The q-quantile (0..1) with linear interpolation between order statistics (numpy's default); NaN when empty. */
export function quantile(xs: readonly number[], q: number): number {
  return quantileOfSorted(sortedNumbers(xs), q);
}

/** A sorted copy, ascending (a typed array sorts numbers without a comparator call per pair). Sort once, then read several statistics. */
export function sortedNumbers(xs: ArrayLike<number>): Float64Array {
  return Float64Array.from(xs).sort();
}

/** `median` of values already sorted ascending. */
export function medianOfSorted(s: ArrayLike<number>): number {
  if (s.length === 0) return NaN;
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

/** `quantile` of values already sorted ascending. */
export function quantileOfSorted(s: ArrayLike<number>, q: number): number {
  if (s.length === 0) return NaN;
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}
