/**
 * Builds the report model from scanned runs: the combined front and its knee, the faint
 * cloud, convergence of each run's hypervolume, and the sensitivity medians. The anatomy of
 * the chosen design is computed by the caller (it needs the cost model, which results/ may
 * not import) and passed in as plain data.
 */
import { basename, resolve } from 'node:path';
import { DseError } from '../../core/errors.ts';
import type { ParamValue } from '../../core/types.ts';
import { readDataFile } from '../../core/data-file.ts';
import { dominates, nonDominatedIndices } from '../dominance.ts';
import { kneeIndex } from '../front-archive.ts';
import { hypervolume } from '../hypervolume.ts';
import { normalizationOf, normalize, referencePoint, type Normalization } from '../normalize.ts';
import { medianOfSorted, quantileOfSorted, sortedNumbers } from '../stats.ts';
import { headerProblemHash } from '../problem-hash.ts';
import type {
  AnatomyInfo, CloudPoint, ConvergenceInfo, ConvergenceSeries, ObjectiveInfo, ReportDesign, ReportModel, RunInfo, SensitivityCell, SensitivityInfo,
} from './model.ts';
import { runLabelsOf, type FrontEntryEvent, type RunScan, type SampledTrial } from './run-scan.ts';
import { domainValuesOf, searchOf, studyInfoOf } from './study-info.ts';
import { displayOf, formatNumber } from './units.ts';
import { driversOf } from './drivers.ts';

/** Points of the faint cloud kept in the model (feasible, infeasible). */
export const CLOUD_FEASIBLE = 6000;
export const CLOUD_INFEASIBLE = 1500;
/** Hypervolume is evaluated at most this many times per run (evenly over the front's changes). */
const MAX_CONVERGENCE_POINTS = 400;
/** A numeric parameter with more distinct values than this is binned for sensitivity. */
const MAX_SENSITIVITY_VALUES = 12;
const SENSITIVITY_BINS = 8;

export interface CombinedFront {
  objectives: string[];
  /** Maximised objectives (stored negated; shown the natural way). */
  maximize: string[];
  /** Non-dominated over all runs, duplicates (same design hash) collapsed, sorted by the objectives in order. */
  front: ReportDesign[];
  kneeIndex: number | null;
}

/** Checks the runs belong together and merges their fronts. */
export function combineRuns(scans: RunScan[]): CombinedFront {
  if (scans.length === 0) throw new DseError('no_runs', 'name at least one run directory');
  const objectives = scans[0]!.header.objectives;
  for (const s of scans.slice(1)) {
    if (s.header.objectives.join(',') !== objectives.join(',')) {
      throw new DseError('objectives_differ', `objectives ${s.header.objectives.join(', ')} differ from ${objectives.join(', ')} of ${scans[0]!.dir}; runs compared in one report must share objectives`, { file: s.dir });
    }
    // One combined front only means something for one problem (whatever the searchers).
    const first = scans[0]!;
    if (headerProblemHash(s.header) !== headerProblemHash(first.header)) {
      throw new DseError(
        'report_different_problems',
        `${s.dir} (study '${studyNameOf(s.header.study)}', problem ${headerProblemHash(s.header)}) and ${first.dir} (study '${studyNameOf(first.header.study)}', problem ${headerProblemHash(first.header)}) solve different problems; one report compares runs of one problem: write one report per run`,
        { file: s.dir },
      );
    }
  }
  const seen = new Set<string>();
  const all: ReportDesign[] = [];
  for (const s of scans) {
    for (const d of s.front) {
      if (seen.has(d.hash)) continue;
      seen.add(d.hash);
      all.push(d);
    }
  }
  const front = nonDominatedIndices(all.map((d) => d.objectives)).map((i) => all[i]!);
  front.sort((a, b) => {
    for (let i = 0; i < a.objectives.length; i++) if (a.objectives[i] !== b.objectives[i]) return a.objectives[i]! - b.objectives[i]!;
    return a.run - b.run || a.seq - b.seq;
  });
  const knee = front.length === 0 ? null : kneeIndex(front.map((d) => d.objectives));
  return { objectives, maximize: [...(scans[0]!.header.maximize ?? [])], front, kneeIndex: knee };
}

function studyNameOf(study: unknown): string {
  const name = (study as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : 'unnamed';
}

/**
 * The design to dissect: the knee by default (or when `id` is `knee`), or the front design
 * named by `id` (its hash, a unique prefix of it of at least 4 characters, or its seq).
 */
export function chooseDesign(combined: CombinedFront, id?: string): { design: ReportDesign; reason: string } | null {
  if (id === undefined || id === '' || id === 'knee') {
    if (combined.kneeIndex === null) return null;
    return { design: combined.front[combined.kneeIndex]!, reason: 'knee of the front (the design closest to the ideal point in normalised objectives)' };
  }
  const exact = combined.front.filter((d) => d.hash === id);
  let matches = exact;
  if (matches.length === 0 && /^\d+$/.test(id)) matches = combined.front.filter((d) => d.seq === Number(id));
  if (matches.length === 0 && id.length >= 4) matches = combined.front.filter((d) => d.hash.startsWith(id));
  if (matches.length === 0) {
    throw new DseError('design_not_on_front', `no front design has hash or seq ${id} (the front has ${combined.front.length} designs; see the report's table)`, { path: '--design' });
  }
  const hashes = new Set(matches.map((d) => d.hash));
  if (hashes.size > 1) {
    throw new DseError('design_ambiguous', `${id} matches ${hashes.size} front designs (${[...hashes].slice(0, 4).join(', ')}); give the full hash`, { path: '--design' });
  }
  return { design: matches[0]!, reason: `design chosen by --design ${id}` };
}

export interface ReferenceFront {
  file: string;
  points: number[][];
}

/**
 * Reads a reference front: a front.json of another run ({objectives, front: [{objectives}]}),
 * or a JSON/YAML list of objective vectors or of objects with `objectives`.
 */
export function readReferenceFront(file: string, objectives: string[]): ReferenceFront {
  const data = readDataFile(file);
  let list: unknown = data;
  if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
    const r = data as Record<string, unknown>;
    if (Array.isArray(r.objectives) && r.objectives.join(',') !== objectives.join(',')) {
      throw new DseError('objectives_differ', `reference front has objectives ${r.objectives.join(', ')}, the runs ${objectives.join(', ')}`, { file, path: 'objectives' });
    }
    list = r.front ?? r.points;
  }
  if (!Array.isArray(list)) throw new DseError('invalid_field', 'expected a list of objective vectors, or an object with `front`', { file, path: 'front' });
  const points = list.map((p, i) => {
    const v = Array.isArray(p) ? p : (p as { objectives?: unknown })?.objectives;
    if (!Array.isArray(v) || v.length !== objectives.length || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      throw new DseError('invalid_field', `expected ${objectives.length} finite objective values`, { file, path: `front.${i}` });
    }
    return v as number[];
  });
  return { file, points };
}

export interface BuildOptions {
  anatomy?: AnatomyInfo | null;
  reference?: ReferenceFront | null;
  /** Program name and version shown in the footer. */
  generatedBy?: string;
}

export function buildReportModel(scans: RunScan[], combined: CombinedFront, opts: BuildOptions = {}): ReportModel {
  const first = scans[0]!;
  const study = studyInfoOf(first.header.study, first.header.studyHash);
  const parameters = study.space.length
    ? study.space.map((s) => s.name)
    : [...new Set(combined.front.flatMap((d) => Object.keys(d.design)))].filter((p) => !(p in study.fixed));
  const objectives = objectiveInfos(combined);
  const frontHashes = new Set(combined.front.map((d) => d.hash));
  const feasibleSample = scans.flatMap((s) => s.feasibleSample);
  const cloud: CloudPoint[] = [
    ...stride(feasibleSample.filter((t) => !frontHashes.has(t.hash)), CLOUD_FEASIBLE).map((t) => cloudPoint(t, parameters, true)),
    ...stride(scans.flatMap((s) => s.infeasibleSample), CLOUD_INFEASIBLE).map((t) => cloudPoint(t, parameters, false)),
  ];
  const labels = runLabelsOf(scans);
  const runs: RunInfo[] = scans.map((s, i) => runInfoOf(s, labels[i]!));
  return {
    title: study.name,
    generatedBy: opts.generatedBy ?? `accel-dse ${first.header.version}`,
    study,
    runs,
    objectives,
    parameters,
    front: combined.front,
    kneeIndex: combined.kneeIndex,
    cloud,
    totalTrials: scans.reduce((a, s) => a + s.trials, 0),
    convergence: convergenceOf(scans, combined, opts.reference ?? null, labels),
    anatomy: opts.anatomy ?? null,
    sensitivity: sensitivityOf(scans, parameters, feasibleSample),
    runFronts: scans.map((s) => [...s.front].sort((a, b) => compareObjectives(a.objectives, b.objectives) || a.seq - b.seq)),
    runFrontsKeepTies: scans.some((s) => new Set(s.front.map((d) => d.objectives.join(','))).size < s.front.length),
    drivers: driversOf({
      parameters,
      objectives: combined.objectives,
      domains: domainValuesOf(first.header.study),
      front: combined.front,
      sample: feasibleSample,
    }),
  };
}

function compareObjectives(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function objectiveInfos(combined: CombinedFront): ObjectiveInfo[] {
  return combined.objectives.map((name, i) => {
    const vals = combined.front.map((d) => d.objectives[i]!).sort((a, b) => a - b);
    return displayOf(name, vals.length ? vals[vals.length >> 1]! : 1, combined.maximize.includes(name));
  });
}

/** Deterministic thinning: every (n/cap)-th item. */
function stride<T>(items: T[], cap: number): T[] {
  if (items.length <= cap) return items;
  const step = items.length / cap;
  return Array.from({ length: cap }, (_, i) => items[Math.floor(i * step)]!);
}

function cloudPoint(t: SampledTrial, parameters: string[], feasible: boolean): CloudPoint {
  return { run: t.run, seq: t.seq, feasible, objectives: t.objectives, values: parameters.map((p) => t.design[p] ?? '') };
}

function runInfoOf(s: RunScan, label: string): RunInfo {
  const search = searchOf(s.header.study);
  const started = Date.parse(s.header.createdAt);
  const wall = s.elapsedS ?? (Number.isFinite(started) ? Math.max(0, (s.journalMTimeMs - started) / 1000) : null);
  return {
    dir: s.dir,
    label,
    algorithm: search.algorithm,
    budget: search.budget,
    seed: s.header.seed,
    version: s.header.version,
    createdAt: s.header.createdAt,
    wallTimeS: wall,
    shard: s.header.shard ?? null,
    trials: s.trials,
    ok: s.ok,
    infeasible: s.infeasible,
    failed: s.failed,
    frontSize: s.front.length,
    tornLastLine: s.tornLastLine,
    skippedLines: s.skippedLines,
  };
}

/**
 * Hypervolume after each change of each run's front, under one normalisation: the ideal and
 * nadir of the union of all final fronts and the reference front, so the runs (and the
 * reference) are comparable; reference point 1.1 per objective (results/normalize.ts).
 */
function convergenceOf(scans: RunScan[], combined: CombinedFront, reference: ReferenceFront | null, labels: string[]): ConvergenceInfo | null {
  const m = combined.objectives.length;
  const union = [...scans.flatMap((s) => s.front.map((d) => d.objectives)), ...(reference?.points ?? [])];
  if (union.length === 0) return null;
  const norm = normalizationOf(union);
  const ref = referencePoint(m);
  const series: ConvergenceSeries[] = scans.map((s, i) => seriesOf(s, norm, ref, labels[i]!));
  return {
    series,
    referenceHypervolume: reference && reference.points.length ? hypervolume(normalize(reference.points, norm), ref) : null,
    referenceFile: reference ? basename(resolve(reference.file)) : null,
    ideal: norm.ideal,
    nadir: norm.nadir,
    refPoint: ref,
  };
}

function seriesOf(scan: RunScan, norm: Normalization, ref: number[], label: string): ConvergenceSeries {
  const log: FrontEntryEvent[] = scan.frontLog;
  const evaluations: number[] = [];
  const hv: number[] = [];
  // Which events to evaluate at: all of them, or an even spread (always including the last).
  const every = Math.max(1, Math.ceil(log.length / MAX_CONVERGENCE_POINTS));
  let current: number[][] = [];
  log.forEach((e, i) => {
    const p = e.objectives;
    // The front after this event: drop what the newcomer dominates, add it.
    current = current.filter((q) => !dominates(p, q));
    current.push(p);
    const last = i === log.length - 1;
    const nextSameEval = !last && log[i + 1]!.evaluation === e.evaluation;
    if ((i % every === 0 || last) && !nextSameEval) {
      evaluations.push(e.evaluation);
      hv.push(hypervolume(normalize(current, norm), ref));
    }
  });
  if (evaluations.length && evaluations[evaluations.length - 1]! < scan.trials) {
    evaluations.push(scan.trials);
    hv.push(hv[hv.length - 1]!);
  }
  return { run: scan.run, label, evaluations, hypervolume: hv };
}

/** Medians of each objective per value (or value bin) of each parameter, over sampled feasible trials. */
function sensitivityOf(scans: RunScan[], parameters: string[], sample: SampledTrial[]): SensitivityInfo | null {
  const feasibleTrials = scans.reduce((a, s) => a + s.ok, 0);
  if (sample.length === 0) return null;
  const m = sample[0]!.objectives.length;
  const domains = domainValuesOf(scans[0]!.header.study);
  const cells: SensitivityCell[] = [];
  for (const p of parameters) {
    const seen = [...new Set(sample.map((t) => t.design[p]).filter((v): v is ParamValue => v !== undefined))];
    if (seen.length < 2) continue; // a parameter with one value explains nothing
    const domain = domains.get(p) ?? null;
    const groups = groupsOf(seen, domain);
    const buckets = groups.map(() => [] as SampledTrial[]);
    const where = new Map<ParamValue, number>();
    groups.forEach((g, gi) => g.members.forEach((v) => where.set(v, gi)));
    for (const t of sample) {
      const gi = where.get(t.design[p] as ParamValue);
      if (gi !== undefined) buckets[gi]!.push(t);
    }
    // Each bucket's values of each objective sorted once, then read five times.
    const sorted = Array.from({ length: m }, (_, oi) => buckets.map((b) => sortedNumbers(b.map((t) => t.objectives[oi]!))));
    const stat = (read: (s: Float64Array) => number): (number | null)[][] => sorted.map((perBucket) => perBucket.map((s) => (s.length ? read(s) : null)));
    cells.push({
      parameter: p,
      labels: groups.map((g) => g.label),
      counts: buckets.map((b) => b.length),
      medians: stat(medianOfSorted),
      q1: stat((s) => quantileOfSorted(s, 0.25)),
      q3: stat((s) => quantileOfSorted(s, 0.75)),
      p5: stat((s) => quantileOfSorted(s, 0.05)),
      p95: stat((s) => quantileOfSorted(s, 0.95)),
    });
  }
  return { sampleSize: sample.length, sampleKeys: sample.map((t) => [t.run, t.seq]), feasibleTrials, parameters: cells };
}

interface ValueGroup {
  label: string;
  members: ParamValue[];
}

/** Values in domain order (numbers ascending otherwise); wide numeric ranges in equal-count bins. */
function groupsOf(seen: ParamValue[], domain: ParamValue[] | null): ValueGroup[] {
  let ordered: ParamValue[];
  if (seen.every((v) => typeof v === 'number')) ordered = [...seen].sort((a, b) => (a as number) - (b as number));
  else if (domain) {
    const rank = new Map(domain.map((v, i) => [v, i]));
    ordered = [...seen].sort((a, b) => (rank.get(a) ?? 1e9) - (rank.get(b) ?? 1e9) || String(a).localeCompare(String(b)));
  } else ordered = [...seen].sort((a, b) => String(a).localeCompare(String(b)));
  if (ordered.length <= MAX_SENSITIVITY_VALUES || !ordered.every((v) => typeof v === 'number')) {
    return ordered.map((v) => ({ label: typeof v === 'number' ? formatNumber(v) : v, members: [v] }));
  }
  const bins: ValueGroup[] = [];
  for (let b = 0; b < SENSITIVITY_BINS; b++) {
    const members = ordered.slice(Math.floor((b * ordered.length) / SENSITIVITY_BINS), Math.floor(((b + 1) * ordered.length) / SENSITIVITY_BINS));
    if (members.length === 0) continue;
    const lo = members[0] as number, hi = members[members.length - 1] as number;
    bins.push({ label: lo === hi ? formatNumber(lo) : `${formatNumber(lo)}–${formatNumber(hi)}`, members });
  }
  return bins;
}

