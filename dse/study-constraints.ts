import { DseError } from '../core/errors.ts';
import type { ConstraintViolation, Design } from '../core/types.ts';

/** Metrics a constraint may bound (besides products of design parameters). */
export const CONSTRAINABLE_METRICS = ['latencyS', 'energyPJ', 'areaMM2', 'dramBytes', 'edp', 'quantError', 'utilization', 'latencyCycles'] as const;

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

export function parseConstraints(constraints: Record<string, Bound>, parameterNames: Set<string>): ParsedConstraints {
  const out: ParsedConstraints = { metric: [], design: [] };
  for (const [name, bound] of Object.entries(constraints)) {
    if ((CONSTRAINABLE_METRICS as readonly string[]).includes(name)) {
      out.metric.push({ name, bound });
      continue;
    }
    const factors = name.split('*').map((f) => f.trim());
    const unknown = factors.filter((f) => !parameterNames.has(f));
    if (factors.length === 0 || unknown.length > 0) {
      throw new DseError(
        'unknown_constraint',
        `'${unknown[0] ?? name}' is neither a metric (${CONSTRAINABLE_METRICS.join(', ')}) nor a hardware parameter`,
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

export function metricViolations(constraints: MetricConstraint[], metrics: Record<string, number>): ConstraintViolation[] {
  return constraints.flatMap((c) => violation(c.name, metrics[c.name] ?? NaN, c.bound));
}
