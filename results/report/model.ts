/**
 * The report model: everything a report shows, as plain data (JSON-safe). It is built from
 * run directories by build-model.ts and drawn by the three renderers (html.ts, markdown.ts,
 * ipynb.ts), so the formats cannot disagree about a number.
 */
import type { ParamValue } from '../../core/types.ts';
import type { Condition } from './design-features.ts';

/** One objective, with how to show it (unit scale chosen once, shared by every format). */
export interface ObjectiveInfo {
  /** The study's objective name, e.g. `latencyS`. */
  name: string;
  /** Human label, e.g. `latency`. */
  label: string;
  /** Display unit, e.g. `ms`; empty when unitless. */
  unit: string;
  /** Display value = stored value * scale (for maximised objectives the scale is negative, so they show the natural way). */
  scale: number;
}

/** A design of the front (or any trial kept in full). Objectives are the stored (minimised) values. */
export interface ReportDesign {
  run: number;
  seq: number;
  hash: string;
  design: Record<string, ParamValue>;
  objectives: number[];
  /** Selected metrics for the table (dramBytes, utilization) when the trial carries them. */
  metrics: Record<string, number>;
}

/** A faint point of the cloud: a sampled trial, not on the front. */
export interface CloudPoint {
  run: number;
  seq: number;
  feasible: boolean;
  objectives: number[];
  /** Parameter values in `ReportModel.parameters` order. */
  values: ParamValue[];
}

export interface RunInfo {
  /** Directory as given on the command line (for display). */
  dir: string;
  /** Short label: the searcher and seed, or the directory name. */
  label: string;
  algorithm: string;
  budget: number | null;
  seed: number;
  version: string;
  createdAt: string;
  /** From the header's createdAt to the journal's last write, seconds; null when unknown. */
  wallTimeS: number | null;
  shard: { index: number; count: number } | null;
  trials: number;
  ok: number;
  infeasible: number;
  failed: number;
  frontSize: number;
  tornLastLine: boolean;
  /** Lines that were not valid trials and were left out. */
  skippedLines: number;
}

export interface StudyInfo {
  name: string;
  description: string;
  studyHash: string;
  workloads: { name: string; params: Record<string, ParamValue>; weight: number }[];
  aggregate: string;
  /** Each searched parameter with its domain as written (e.g. `pow2 8..256`), its value count, and its values when there are at most 64. */
  space: { name: string; domain: string; count: number; values: ParamValue[] | null }[];
  fixed: Record<string, ParamValue>;
  constraints: { name: string; text: string }[];
  searchOptions: Record<string, unknown>;
  batchSize: number | null;
}

export interface ConvergenceSeries {
  run: number;
  label: string;
  /** Evaluations (trials read, in journal order) and the hypervolume of the front after them. */
  evaluations: number[];
  hypervolume: number[];
}

export interface ConvergenceInfo {
  series: ConvergenceSeries[];
  /** Hypervolume of the reference front (`--reference`), same normalisation; null when none given. */
  referenceHypervolume: number | null;
  referenceFile: string | null;
  /** The normalisation the hypervolumes use: per objective ideal and nadir, and the reference point in normalised space. */
  ideal: number[];
  nadir: number[];
  refPoint: number[];
}

/** Per-layer numbers of one workload for the chosen design (plain data computed by the caller). */
export interface AnatomyLayer {
  name: string;
  kind: string;
  macs: number;
  computeCycles: number;
  stallCycles: number;
  latencyCycles: number;
  utilization: number;
  bound: string;
  energyBreakdownPJ: { mac: number; rf: number; sram: number; dram: number; other: number };
  dramReadBytes: number;
  dramWriteBytes: number;
}

export interface AnatomyWorkload {
  workload: string;
  latencyS: number;
  energyPJ: number;
  dramBytes: number;
  utilization: number;
  layers: AnatomyLayer[];
  /** Fusion groups (layer names run back to back on chip) when the schedule reports them. */
  fusionGroups: string[][] | null;
}

export interface AnatomyInfo {
  /** Why this design: `knee of the front` or `chosen by --design`. */
  reason: string;
  design: ReportDesign;
  workloads: AnatomyWorkload[];
  /** When the anatomy could not be computed (e.g. the cost model rejected the design). */
  error: string | null;
}

/** Median of one objective for each value (or value bin) of one parameter. */
export interface SensitivityCell {
  parameter: string;
  /** Value labels in domain order (a bin label like `64–128` for wide numeric domains). */
  labels: string[];
  counts: number[];
  /** medians[objectiveIndex][valueIndex], stored (minimised) units; null for an empty bin. */
  medians: (number | null)[][];
  /** Quartiles and 5th/95th percentiles, same shape as `medians` (the box and whiskers of a box plot). */
  q1: (number | null)[][];
  q3: (number | null)[][];
  p5: (number | null)[][];
  p95: (number | null)[][];
}

export interface SensitivityInfo {
  /** Feasible trials the medians are computed over (all of them or a deterministic sample). */
  sampleSize: number;
  /** Those trials as [run, seq] (the notebook recomputes the boxes from them). */
  sampleKeys: [number, number][];
  feasibleTrials: number;
  parameters: SensitivityCell[];
}

/** A leaf of the rule tree that predicts "on or near the front", scored on the run. */
export interface DesignRule {
  /** `peRows ≥ 32 and dataflow = os`. */
  text: string;
  conditions: Condition[];
  /** Front designs (all of them, not a sample) that satisfy the rule. */
  frontCovered: number;
  /** Trials of the sample that satisfy it, and how many of those are on or near the front. */
  sampleMatched: number;
  sampleMatchedNear: number;
}

/** Importance of each parameter (in `DriversInfo.parameters` order, summing to 1) for one objective. */
export interface ImportanceInfo {
  objective: string;
  values: number[];
}

/** "What drives the front" (results/report/drivers.ts). */
export interface DriversInfo {
  /** Near-front: within epsilon times the front's extent of the front, in every objective. */
  epsilon: number;
  frontDesigns: number;
  /** The uniform feasible sample the trees and scores use, and how many of it are on or near the front. */
  sampleSize: number;
  nearFrontInSample: number;
  rules: DesignRule[];
  /** Why there are no rules, when there are none. */
  rulesNote: string | null;
  trainRows: number;
  heldOutRows: number;
  heldOutAccuracy: number | null;
  /** Share of held-out front and near-front designs the tree predicts as such. */
  heldOutRecall: number | null;
  /** ml-cart fit time (rules: one tree; importance: one tree per objective), milliseconds. */
  fitMs: { rules: number; importance: number };
  importanceRows: number;
  parameters: string[];
  importance: ImportanceInfo[];
  /** Parameters that cannot move an objective in the model (designs differing only in them have equal values). */
  noEffect: { parameter: string; objective: string; pairs: number }[];
  /** Default and possible parameters to colour points by. */
  colorBy: string | null;
  colorChoices: string[];
}

export interface ReportModel {
  title: string;
  generatedBy: string;
  study: StudyInfo;
  runs: RunInfo[];
  objectives: ObjectiveInfo[];
  parameters: string[];
  /** Non-dominated feasible designs over all runs, sorted by the first objective. */
  front: ReportDesign[];
  /** Index into `front` of the knee (null when the front is empty). */
  kneeIndex: number | null;
  cloud: CloudPoint[];
  /** Trials of all runs, and how many of them the cloud shows. */
  totalTrials: number;
  convergence: ConvergenceInfo | null;
  anatomy: AnatomyInfo | null;
  sensitivity: SensitivityInfo | null;
  drivers: DriversInfo | null;
  /** Each run's own front (runs compared in one report overlay them), sorted by the objectives. */
  runFronts: ReportDesign[][];
  /** Whether a run's front keeps designs with equal objective vectors (else the first one recorded stands for them); the notebook follows suit. */
  runFrontsKeepTies: boolean;
}
