import { stableHash } from '../core/hash.ts';
import type { JournalHeader } from '../core/types.ts';

/**
 * The *problem* a run solves, as opposed to how hard it looked.
 *
 * Two runs solve the same problem when they evaluate the same workloads (and their
 * aggregation), over the same space with the same fixed values (on the same architecture,
 * mapped with the same mapper settings, for architecture studies), minimise the same
 * objectives under the same constraints, with the same schedule and mixed-precision settings,
 * and with the same version of accel-dse (whose cost model gives the numbers). The searcher,
 * its settings, the budget, the seed and the batch size only say how a run searched: runs
 * that differ in them alone are comparable (`dse check`, `dse report`, `dse merge`).
 *
 * The study's name and description are labels, not part of the problem either. Files a study
 * names (workloads, architecture, tables) enter by their content, not their paths, so that
 * the hash is the same in every clone: dse/study-problem.ts computes a loaded study's hash
 * that way (`Study.problemHash`, which runs store) through `problemHash` below.
 */

/** Fields of a normalised study that define the problem (everything else is search effort or labels). */
export const PROBLEM_FIELDS = ['workloads', 'aggregate', 'space', 'fixed', 'objectives', 'constraints', 'schedule', 'mixedPrecision', 'architecture', 'mapper'] as const;

/**
 * Stable 16-hex-digit hash of the problem of a study and the accel-dse version whose model
 * evaluated it. Given a journal header's normalised study as it is, file paths count as they
 * are written: only journals from before problem hashes were stored are hashed that way.
 */
export function problemHash(study: unknown, toolVersion: string): string {
  const s = typeof study === 'object' && study !== null && !Array.isArray(study) ? (study as Record<string, unknown>) : {};
  const problem: Record<string, unknown> = { toolVersion };
  for (const k of PROBLEM_FIELDS) problem[k] = s[k];
  return stableHash(problem);
}

/** A journal header's problem hash: the stored one, or (journals written before it existed) derived from its study. */
export function headerProblemHash(header: Pick<JournalHeader, 'study' | 'version' | 'problemHash'>): string {
  return header.problemHash ?? problemHash(header.study, header.version);
}

/** How a run searched: shown beside comparisons, never compared. */
export interface SearchEffort {
  algorithm: string;
  budget: number | null;
  seed: number | null;
  batchSize: number | null;
}

export function searchEffortOf(study: unknown): SearchEffort {
  const s = typeof study === 'object' && study !== null ? ((study as Record<string, unknown>).search as Record<string, unknown> | undefined) : undefined;
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return {
    algorithm: typeof s?.algorithm === 'string' ? s.algorithm : 'unknown',
    budget: num(s?.budget),
    seed: num(s?.seed),
    batchSize: num(s?.batchSize),
  };
}

/** "nsga2, budget 2000, seed 1, batch 64" */
export function describeSearchEffort(e: SearchEffort): string {
  return [e.algorithm, e.budget !== null ? `budget ${e.budget}` : '', e.seed !== null ? `seed ${e.seed}` : '', e.batchSize !== null ? `batch ${e.batchSize}` : '']
    .filter(Boolean)
    .join(', ');
}
