/**
 * Designs as numeric rows for decision trees (ml-cart splits on `value < threshold` only), and
 * tree conditions back as words. A numeric parameter is one column (its value); a categorical
 * one is one 0/1 column per value (`dataflow = os`), so a split can single out any value,
 * not only the first or last in some arbitrary order.
 *
 * A numeric parameter with more than MAX_LEVELS values seen (an `int` range of thousands)
 * enters the trees as the level it falls in: MAX_LEVELS levels of equally many of its values,
 * each row carrying its level's lowest value. ml-cart tries a split between every pair of
 * neighbouring rows whose labels differ, so a column of thousands of values would give it
 * hundreds of splits to score per node, each scored over all rows (seconds per tree); a few
 * dozen levels keep the trees within the report's time, and a rule's bounds are still values
 * of the parameter (a level's lowest value, or the largest value seen below the next level).
 */
import type { ParamValue } from '../../core/types.ts';
import { formatNumber } from './units.ts';

export interface FeatureColumn {
  parameter: string;
  /** For a categorical parameter, the value this 0/1 column stands for; undefined for a numeric column. */
  value?: string;
}

export interface FeatureSpace {
  columns: FeatureColumn[];
  /** Values of each numeric parameter seen (sorted), to turn a threshold into a value of the domain. */
  numericValues: Map<string, number[]>;
  /** The lowest value of each level of each numeric parameter (sorted; all its values when they are at most MAX_LEVELS). */
  levels: Map<string, number[]>;
  /** Values of each categorical parameter in domain order. */
  categories: Map<string, string[]>;
}

/**
 * Columns for the parameters, from the designs that will be encoded (a parameter is numeric
 * when every value seen is a number). `domains` gives the domain order of categories.
 */
export function featureSpaceOf(parameters: string[], designs: Record<string, ParamValue>[], domains: Map<string, ParamValue[] | null>): FeatureSpace {
  const columns: FeatureColumn[] = [];
  const numericValues = new Map<string, number[]>();
  const levels = new Map<string, number[]>();
  const categories = new Map<string, string[]>();
  for (const p of parameters) {
    const seen = designs.map((d) => d[p]).filter((v): v is ParamValue => v !== undefined);
    if (seen.length === 0) continue;
    if (seen.every((v) => typeof v === 'number')) {
      const values = [...new Set(seen as number[])].sort((a, b) => a - b);
      numericValues.set(p, values);
      levels.set(p, values.length <= MAX_LEVELS ? values : Array.from({ length: MAX_LEVELS }, (_, k) => values[Math.floor((k * values.length) / MAX_LEVELS)]!));
      columns.push({ parameter: p });
    } else {
      const order = (domains.get(p) ?? []).map(String);
      const values = [...new Set(seen.map(String))].sort((a, b) => rank(order, a) - rank(order, b) || a.localeCompare(b));
      categories.set(p, values);
      for (const value of values) columns.push({ parameter: p, value });
    }
  }
  return { columns, numericValues, levels, categories };
}

/** Numeric values a tree column distinguishes at most (see the module comment). */
export const MAX_LEVELS = 32;

/** The lowest value of the level `v` falls in (levels sorted ascending; v at least the first). */
function levelOf(levels: number[], v: number): number {
  let lo = 0, hi = levels.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (levels[mid]! <= v) lo = mid;
    else hi = mid - 1;
  }
  return levels[lo]!;
}

function rank(order: string[], v: string): number {
  const i = order.indexOf(v);
  return i < 0 ? order.length : i;
}

export function encodeDesign(space: FeatureSpace, design: Record<string, ParamValue>): number[] {
  return space.columns.map((c) => {
    const v = design[c.parameter];
    if (c.value !== undefined) return String(v) === c.value ? 1 : 0;
    return typeof v === 'number' ? levelOf(space.levels.get(c.parameter)!, v) : Number.NaN;
  });
}

/** One parameter's constraint on a tree path: a numeric range or a set of allowed categories. */
export interface Condition {
  parameter: string;
  /** Numeric: smallest and largest allowed values seen in the data (inclusive). */
  min?: number;
  max?: number;
  /** Categorical: allowed values. */
  values?: string[];
}

/** A path's splits (column, threshold, side) merged into one condition per parameter, in parameter order. */
export function conditionsOf(space: FeatureSpace, splits: { column: number; threshold: number; greaterOrEqual: boolean }[]): Condition[] {
  const byParam = new Map<string, Condition>();
  for (const s of splits) {
    const col = space.columns[s.column]!;
    const p = col.parameter;
    if (col.value !== undefined) {
      const all = space.categories.get(p)!;
      const cur = byParam.get(p)?.values ?? all;
      // A 0/1 column: `>= threshold` means the design has this value, `<` that it has another.
      const next = s.greaterOrEqual ? cur.filter((v) => v === col.value) : cur.filter((v) => v !== col.value);
      byParam.set(p, { parameter: p, values: next });
    } else {
      const seen = space.numericValues.get(p)!;
      const cur = byParam.get(p) ?? { parameter: p, min: seen[0]!, max: seen[seen.length - 1]! };
      // The threshold lies between two levels: at or above it means from the upper level's
      // lowest value on, below it means up to the largest value seen under that level.
      const upper = space.levels.get(p)!.find((v) => v >= s.threshold);
      if (s.greaterOrEqual) {
        if (upper !== undefined && upper > cur.min!) cur.min = upper;
      } else {
        const below = upper === undefined ? seen : seen.filter((v) => v < upper);
        const hi = below[below.length - 1];
        if (hi !== undefined && hi < cur.max!) cur.max = hi;
      }
      byParam.set(p, cur);
    }
  }
  const order = space.columns.map((c) => c.parameter);
  return [...byParam.values()]
    .filter((c) => !isVacuous(space, c))
    .sort((a, b) => order.indexOf(a.parameter) - order.indexOf(b.parameter));
}

function isVacuous(space: FeatureSpace, c: Condition): boolean {
  if (c.values) return c.values.length === space.categories.get(c.parameter)!.length;
  const seen = space.numericValues.get(c.parameter)!;
  return c.min === seen[0] && c.max === seen[seen.length - 1];
}

/** `peRows ≥ 32`, `glbKiB ≤ 128`, `32 ≤ peCols ≤ 64`, `dataflow = os`, `dataflow in {os, ws}`. */
export function conditionText(space: FeatureSpace, c: Condition): string {
  if (c.values) {
    if (c.values.length === 0) return `${c.parameter} in {}`;
    return c.values.length === 1 ? `${c.parameter} = ${c.values[0]}` : `${c.parameter} in {${c.values.join(', ')}}`;
  }
  const seen = space.numericValues.get(c.parameter)!;
  const lo = c.min!, hi = c.max!;
  if (lo === hi) return `${c.parameter} = ${formatNumber(lo)}`;
  if (lo === seen[0]) return `${c.parameter} ≤ ${formatNumber(hi)}`;
  if (hi === seen[seen.length - 1]) return `${c.parameter} ≥ ${formatNumber(lo)}`;
  return `${formatNumber(lo)} ≤ ${c.parameter} ≤ ${formatNumber(hi)}`;
}

export function satisfies(design: Record<string, ParamValue>, conditions: Condition[]): boolean {
  return conditions.every((c) => {
    const v = design[c.parameter];
    if (c.values) return c.values.includes(String(v));
    return typeof v === 'number' && v >= c.min! && v <= c.max!;
  });
}
