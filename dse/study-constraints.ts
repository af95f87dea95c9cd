import { DseError } from '../core/errors.ts';
import { OBJECTIVE_NAMES, type ConstraintViolation, type Design } from '../core/types.ts';
import { metricNameProblem } from './study-objectives.ts';

export interface Bound {
  max?: number | undefined;
  min?: number | undefined;
}

/** A bound on a metric, checked after evaluation. */
export interface MetricConstraint {
  name: string;
  bound: Bound;
}

/** A bound on a product of design parameters (`peRows*peCols`), checked before evaluation. */
export interface DesignConstraint {
  name: string;
  factors: string[];
  bound: Bound;
}

export interface ParsedConstraints {
  metric: MetricConstraint[];
  design: DesignConstraint[];
}

/**
 * Splits a study's constraints into metric bounds (a metric of OBJECTIVE_NAMES or
 * latencyCycles, optionally `@<workload label>`) and bounds on products of parameters.
 */
export function parseConstraints(constraints: Record<string, Bound>, parameterNames: Set<string>, labels: readonly string[] = []): ParsedConstraints {
  const out: ParsedConstraints = { metric: [], design: [] };
  for (const [name, bound] of Object.entries(constraints)) {
    const metric = name.replace(/^latencyCycles(?=@|$)/, 'latencyS');
    if (name.includes('@') || metricNameProblem(metric, labels) === null) {
      const problem = metricNameProblem(metric, labels);
      if (problem) throw new DseError('unknown_constraint', problem, { path: `constraints.${name}` });
      out.metric.push({ name, bound });
      continue;
    }
    const factors = name.split('*').map((f) => f.trim());
    const unknown = factors.filter((f) => !parameterNames.has(f));
    if (factors.length === 0 || unknown.length > 0) {
      throw new DseError(
        'unknown_constraint',
        `'${unknown[0] ?? name}' is neither a metric (${OBJECTIVE_NAMES.join(', ')}, latencyCycles; per workload: <metric>@<label>) nor a hardware parameter`,
        { path: `constraints.${name}` },
      );
    }
    out.design.push({ name, factors, bound });
  }
  return out;
}

function violation(name: string, value: number, bound: Bound): ConstraintViolation[] {
  const v: ConstraintViolation[] = [];
  if (bound.max !== undefined && !(value <= bound.max)) v.push({ name, value, limit: bound.max, kind: 'max' });
  if (bound.min !== undefined && !(value >= bound.min)) v.push({ name, value, limit: bound.min, kind: 'min' });
  return v;
}

/** Violations of the design-only constraints; `hardware` is the design merged with fixed values and defaults. */
export function designViolations(constraints: DesignConstraint[], hardware: Record<string, unknown>): ConstraintViolation[] {
  return constraints.flatMap((c) => {
    const value = c.factors.reduce((p, f) => p * Number(hardware[f]), 1);
    return violation(c.name, value, c.bound);
  });
}

/** Violations of the metric constraints; `metric(name)` is a trial's value of a metric, NaN when it has none. */
export function metricViolations(constraints: MetricConstraint[], metric: (name: string) => number): ConstraintViolation[] {
  return constraints.flatMap((c) => violation(c.name, metric(c.name), c.bound));
}
