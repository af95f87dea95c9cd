import { DseError } from '../core/errors.ts';
import { CHIP_METRICS, OBJECTIVE_NAMES } from '../core/types.ts';

/** An objective as a study gives it: a metric name (minimised) or `{maximize: name}`. */
export type ObjectiveInput = string | { maximize: string };

export interface ObjectiveSpec {
  /** The metric's key in a trial's metrics: `tokensPerS` or `latencyS@bert_base`. */
  name: string;
  /** Maximised objectives are negated in trials (every searcher and front minimises). */
  maximize: boolean;
}

/**
 * Why `name` is not a metric a study may optimise or constrain (null when it is): a metric of
 * OBJECTIVE_NAMES, optionally `@label` with one of the study's workload labels (chip metrics
 * such as areaMM2 have no per-workload form).
 */
export function metricNameProblem(name: string, labels: readonly string[]): string | null {
  const at = name.indexOf('@');
  const metric = at < 0 ? name : name.slice(0, at);
  if (!(OBJECTIVE_NAMES as readonly string[]).includes(metric)) return `unknown metric '${metric}' (known: ${OBJECTIVE_NAMES.join(', ')})`;
  if (at < 0) return null;
  const label = name.slice(at + 1);
  if ((CHIP_METRICS as readonly string[]).includes(metric)) return `${metric} belongs to the chip, not to one workload`;
  if (!labels.includes(label)) return `no workload is labelled '${label}' (labels: ${labels.join(', ')})`;
  return null;
}

/** Normalises and checks a study's objectives against its workload labels. */
export function parseObjectives(raw: readonly ObjectiveInput[], labels: readonly string[]): ObjectiveSpec[] {
  const out: ObjectiveSpec[] = raw.map((o, i) => {
    const spec = typeof o === 'string' ? { name: o, maximize: false } : { name: o.maximize, maximize: true };
    const problem = metricNameProblem(spec.name, labels);
    if (problem) throw new DseError('unknown_objective', problem, { path: `objectives.${i}` });
    return spec;
  });
  const names = out.map((o) => o.name);
  const twice = names.findIndex((n, i) => names.indexOf(n) !== i);
  if (twice >= 0) throw new DseError('objective_twice', `objective '${names[twice]}' is given twice`, { path: `objectives.${twice}` });
  return out;
}

/** The names of the maximised objectives, for run outputs that show values the natural way. */
export function maximizedNames(objectives: readonly ObjectiveSpec[]): string[] {
  return objectives.filter((o) => o.maximize).map((o) => o.name);
}
