/**
 * Types shared by search, results and the program: designs, trials, journals.
 * Plain JSON only.
 */

export type ParamValue = number | string;

/** One point of the space: parameter name -> value. Identified by `designHash` (core/hash.ts). */
export type Design = Record<string, ParamValue>;

/** An axis of the space after normalisation: its values in a stable order. */
export interface Parameter {
  name: string;
  values: ParamValue[];
}

/**
 * Metrics an objective or a constraint may name. Every one but the chip's own (areaMM2,
 * dramGBps) also exists per workload as `<metric>@<workload label>`. tokensPerS and
 * energyPerTokenPJ exist for workloads with tokens (decoders, encoders), the others always.
 */
export const OBJECTIVE_NAMES = [
  'latencyS', 'energyPJ', 'areaMM2', 'dramBytes', 'edp', 'quantError',
  'utilization', 'inferencesPerS', 'tokensPerS', 'energyPerInferencePJ', 'energyPerTokenPJ', 'dramGBps',
] as const;
export type ObjectiveName = (typeof OBJECTIVE_NAMES)[number];
/** Metrics that belong to the chip, not to a workload (no `@workload` form). */
export const CHIP_METRICS: readonly ObjectiveName[] = ['areaMM2', 'dramGBps'];

export type TrialStatus = 'ok' | 'infeasible' | 'failed';

export interface ConstraintViolation {
  /** The constrained quantity, e.g. `areaMM2` or `peRows*peCols`. */
  name: string;
  value: number;
  limit: number;
  kind: 'max' | 'min';
}

export interface Trial {
  /** Position in the run (0-based), in the order the searcher asked for it. */
  seq: number;
  hash: string;
  design: Design;
  status: TrialStatus;
  /** Aggregate metrics over the study's workloads (latencyS, energyPJ, areaMM2, dramBytes, edp, quantError, ...). */
  metrics?: Record<string, number>;
  /** The study's objective values in its objective order (all minimised). Present when status != 'failed'. */
  objectives?: number[];
  violations?: ConstraintViolation[];
  /** Error message when status == 'failed'. */
  error?: string;
}

export interface JournalHeader {
  type: 'header';
  /** The study after normalisation (defaults filled in). */
  study: unknown;
  studyHash: string;
  /**
   * Hash of the problem the run solves (results/problem-hash.ts): the study without its search
   * settings and labels, plus the accel-dse version. Journals written before it existed lack it;
   * readers derive it from `study` and `version`.
   */
  problemHash?: string;
  seed: number;
  version: string;
  objectives: string[];
  /** Objectives that are maximised (their values in trials are negated); absent: all minimised. */
  maximize?: string[];
  createdAt: string;
  shard?: { index: number; count: number };
}
