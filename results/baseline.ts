import { z } from 'zod';
import { DseError } from '../core/errors.ts';
import { readTextFile } from '../core/data-file.ts';
import { validate } from '../core/validate.ts';
import type { Design } from '../core/types.ts';
import { nonDominatedIndices } from './dominance.ts';
import { hypervolume } from './hypervolume.ts';
import { additiveEpsilon, igdPlus } from './indicators.ts';
import { normalizationOf, normalize, REFERENCE_POINT_NORMALIZED, referencePoint, type Normalization } from './normalize.ts';
import type { FrontFile } from './run-outputs.ts';
import { median } from './stats.ts';
import { describeSearchEffort, type SearchEffort } from './problem-hash.ts';

/**
 * Regression checks of Pareto fronts (`dse baseline`, `dse check`).
 *
 * A baseline is a committed file holding one front per seed, with the normalisation
 * (ideal and nadir of all its fronts together) and the reference point used for the
 * indicators. Later fronts are normalised with the BASELINE's normalisation, so the numbers
 * of every check are on the same scale as the baseline's own.
 *
 * Verdict (all in normalised units; see docs/CI.md):
 * - hypervolume: ratio current/baseline per seed present in both, median over those seeds;
 *   regress when the median is below 1 - hvTolerance.
 * - additive epsilon (current -> baseline): how far the current front must move, in every
 *   objective at once, to weakly dominate every baseline point; regress above epsTolerance.
 *   The baseline points the current front no longer weakly dominates are named.
 * - reported, not judged: additive epsilon the other way (how far the baseline is from
 *   covering the new front: the improvement), IGD+ of the current front to the baseline, and
 *   the new points that dominate baseline points.
 */

export const BASELINE_FORMAT = 'accel-dse-baseline';

export interface BaselinePoint {
  hash: string;
  design: Design;
  /** Raw objective values (minimised), in the baseline's objective order. */
  objectives: number[];
}

export interface BaselineFront {
  seed: number;
  /** The run's study hash (may include the seed, depending on how the run hashed it). */
  studyHash: string;
  /** How the run of this front searched (absent from baselines written before it was recorded). */
  search?: SearchEffort;
  /** Hypervolume of this front in the baseline's normalisation, up to its reference point. */
  hypervolume: number;
  points: BaselinePoint[];
}

export interface Baseline {
  format: typeof BASELINE_FORMAT;
  formatVersion: 1;
  /**
   * `problemHash` (results/problem-hash.ts) is what `dse check` compares; baselines written
   * before it existed lack it and are compared by `hashIgnoringSeed` (the same study but for its seed).
   */
  study: { name: string; hashIgnoringSeed: string; problemHash?: string };
  objectives: string[];
  /** Maximised objectives: their point values are negated (absent: all minimised, as in older baselines). */
  maximize?: string[];
  /** accel-dse version that produced the baseline runs. */
  toolVersion: string;
  createdAt: string;
  normalization: Normalization;
  referencePoint: number[];
  /** One per seed, ordered by seed. */
  fronts: BaselineFront[];
}

export interface Tolerances {
  /** Allowed relative loss of hypervolume, as a fraction (0.005 = 0.5%). */
  hvTolerance: number;
  /** Allowed additive epsilon, in normalised units (fractions of the baseline's range per objective). */
  epsTolerance: number;
}

export const DEFAULT_TOLERANCES: Tolerances = { hvTolerance: 0.005, epsTolerance: 0.005 };

/** Floating-point slack so an identical front never fails on rounding. */
const SLACK = 1e-12;

/** The part of a run's front a baseline or a check needs (front.json holds it). */
export type RunFront = Pick<FrontFile, 'study' | 'seed' | 'objectives' | 'toolVersion' | 'front'> & { maximize?: string[] | undefined };

export function makeBaseline(runs: readonly RunFront[], opts: { createdAt?: string } = {}): Baseline {
  if (runs.length === 0) throw new DseError('baseline_no_runs', 'name at least one run directory');
  const first = runs[0]!;
  const seeds = new Set<number>();
  for (const r of runs) {
    checkSameProblem(first, 'the first run', r, `the run with seed ${r.seed}`);
    if (seeds.has(r.seed)) throw new DseError('baseline_duplicate_seed', `two runs have seed ${r.seed}; a baseline holds one front per seed (merge shards first)`);
    seeds.add(r.seed);
  }
  const sorted = [...runs].sort((a, b) => a.seed - b.seed);
  const allPoints = sorted.flatMap((r) => r.front.map((t) => t.objectives!));
  if (allPoints.length === 0) {
    throw new DseError('baseline_empty', 'every front is empty (no feasible design): there is nothing for a baseline to protect');
  }
  const normalization = normalizationOf(allPoints);
  const ref = referencePoint(first.objectives.length);
  const fronts = sorted.map((r) => {
    // Kept non-dominated, one point per design, so a check may take each front as it is.
    const points = unionFront(r.front.map((t) => ({ hash: t.hash, design: t.design, objectives: [...t.objectives!] })));
    return { seed: r.seed, studyHash: r.study.hash, ...(r.study.search ? { search: r.study.search } : {}), hypervolume: hvOf(points.map((p) => p.objectives), normalization, ref), points };
  });
  return {
    format: BASELINE_FORMAT,
    formatVersion: 1,
    study: {
      name: first.study.name,
      hashIgnoringSeed: first.study.hashIgnoringSeed,
      ...(first.study.problemHash !== undefined ? { problemHash: first.study.problemHash } : {}),
    },
    objectives: [...first.objectives],
    ...(first.maximize?.length ? { maximize: [...first.maximize] } : {}),
    toolVersion: first.toolVersion,
    createdAt: opts.createdAt ?? new Date().toISOString(),
    normalization,
    referencePoint: ref,
    fronts,
  };
}

type ProblemOf = { study: { hashIgnoringSeed: string; problemHash?: string | undefined }; objectives: string[] };

/**
 * Refuses to compare fronts of different problems (exit 2). Fronts of one problem compare
 * whatever their searcher, budget, seed or batch size. A side written before problem hashes
 * existed, with nothing to derive one from, falls back to the older rule: the same study but
 * for its seed.
 */
function checkSameProblem(a: ProblemOf, aName: string, b: ProblemOf, bName: string, file?: string): void {
  if (a.objectives.join(',') !== b.objectives.join(',')) {
    throw new DseError('check_objectives_differ', `objectives do not match: ${aName} has [${a.objectives.join(', ')}], ${bName} has [${b.objectives.join(', ')}]`, { file });
  }
  const pa = a.study.problemHash;
  const pb = b.study.problemHash;
  if (pa !== undefined && pb !== undefined) {
    if (pa !== pb) {
      throw new DseError(
        'check_different_problem',
        `${aName} and ${bName} solve different problems (problem hash ${pa} vs ${pb}: their workloads, architecture, space, fixed values, objectives, constraints, schedule or mixed-precision settings, or accel-dse version differ); only runs of the same problem can be compared`,
        { file },
      );
    }
    return;
  }
  if (a.study.hashIgnoringSeed !== b.study.hashIgnoringSeed) {
    throw new DseError(
      'check_different_study',
      `${aName} is of study ${a.study.hashIgnoringSeed} but ${bName} is of study ${b.study.hashIgnoringSeed} (study hashes ignoring the seed; one side predates problem hashes, so only the same study can be compared): not the same study`,
      { file },
    );
  }
}

function hvOf(points: number[][], norm: Normalization, ref: number[]): number {
  return points.length === 0 ? 0 : hypervolume(normalize(points, norm), ref);
}

// ---- comparison ----

export interface SeedComparison {
  seed: number;
  baselineHv: number;
  currentHv: number;
  /** currentHv / baselineHv (1 when both are 0). */
  ratio: number;
}

export interface LostPoint extends BaselinePoint {
  /** Smallest additive shift that would bring the current front to this point (normalised units). */
  shortfall: number;
  /** The objective in which the closest current point falls short the most. */
  worstObjective: string;
}

export interface CheckResult {
  verdict: 'pass' | 'regress';
  /** Why it regressed (empty on pass), one line each, naming what regressed. */
  reasons: string[];
  /** Things worth knowing that do not fail the check. */
  notes: string[];
  tolerances: Tolerances;
  objectives: string[];
  /** The baseline's maximised objectives (point values negated), for showing them the natural way. */
  maximize?: string[];
  hypervolume: {
    /** The seeds compared (present in both); when none are, every baseline front against every current one. */
    perSeed: SeedComparison[];
    medianRatio: number;
    seedsMatched: boolean;
  };
  /** Current -> baseline: > 0 means some baseline point is no longer reached. */
  additiveEpsilon: number;
  /** Baseline -> current: > 0 means the current front reaches points the baseline did not. */
  additiveEpsilonReverse: number;
  /** IGD+ from the baseline points to the current front (0 when every baseline point is weakly dominated). */
  igdPlus: number;
  lostPoints: LostPoint[];
  /** Current points that dominate at least one baseline point. */
  improvements: BaselinePoint[];
  counts: { baselinePoints: number; currentPoints: number };
}

export function compareToBaseline(current: readonly RunFront[], baseline: Baseline, tolerances: Tolerances = DEFAULT_TOLERANCES): CheckResult {
  if (current.length === 0) throw new DseError('check_no_runs', 'name at least one run directory to check');
  for (const r of current) checkSameProblem(baseline, 'the baseline', r, `the run with seed ${r.seed}`);
  const { normalization: norm, referencePoint: ref } = baseline;

  // Hypervolume, per seed present in both.
  const baseBySeed = new Map(baseline.fronts.map((f) => [f.seed, f]));
  const matched = current.filter((r) => baseBySeed.has(r.seed)).sort((a, b) => a.seed - b.seed);
  const seedsMatched = matched.length > 0;
  const perSeed: SeedComparison[] = [];
  const currentHvBySeed = new Map<number, number>();
  for (const r of current) currentHvBySeed.set(r.seed, hvOf(r.front.map((t) => t.objectives!), norm, ref));
  if (seedsMatched) {
    for (const r of matched) perSeed.push(seedComparison(r.seed, baseBySeed.get(r.seed)!.hypervolume, currentHvBySeed.get(r.seed)!));
  } else {
    // No common seed: the medians of both sides stand for them.
    const b = median(baseline.fronts.map((f) => f.hypervolume));
    const c = median([...currentHvBySeed.values()]);
    perSeed.push(seedComparison(NaN, b, c));
  }
  const medianRatio = median(perSeed.map((s) => s.ratio));

  // Point-wise indicators, between the fronts of the compared seeds (all of them when none match).
  const baseFronts = seedsMatched ? matched.map((r) => baseBySeed.get(r.seed)!) : baseline.fronts;
  const curRuns = seedsMatched ? matched : current;
  // One baseline front is already a front (makeBaseline); several seeds' need their union filtered.
  const basePoints = baseFronts.length === 1 ? baseFronts[0]!.points : unionFront(baseFronts.flatMap((f) => f.points));
  const curPoints = unionFront(curRuns.flatMap((r) => r.front.map((t) => ({ hash: t.hash, design: t.design, objectives: t.objectives! }))));
  const baseN = normalize(basePoints.map((p) => p.objectives), norm);
  const curN = normalize(curPoints.map((p) => p.objectives), norm);

  let eps = 0;
  let epsReverse = 0;
  let igd = 0;
  if (baseN.length > 0 && curN.length > 0) {
    eps = additiveEpsilon(curN, baseN);
    epsReverse = additiveEpsilon(baseN, curN);
    igd = igdPlus(curN, distinctVectors(baseN));
  } else if (baseN.length > 0) {
    eps = Infinity;
    igd = Infinity;
  }

  // A baseline point is lost exactly when the epsilon is positive for it, and a new point that
  // dominates a baseline point is one the baseline does not weakly dominate (the baseline being
  // a front), so each search is needed only when its epsilon is positive.
  const lostPoints = eps > 0 ? findLost(basePoints, baseN, curN, baseline.objectives) : [];
  const improvements = epsReverse > 0 ? findImprovements(curPoints, curN, baseN) : [];

  // Relative epsilon: the same question in "how many percent worse" (see relativeCoordinates),
  // which a range-normalised epsilon cannot answer when the range is wide next to a value.
  const positive = baseline.objectives.map((_, j) => basePoints.every((p) => p.objectives[j]! > 0) && curPoints.every((p) => p.objectives[j]! > 0));
  const k = relativeUnit(tolerances.epsTolerance);
  const baseR = relativeCoordinates(basePoints, baseN, positive, k);
  const curR = relativeCoordinates(curPoints, curN, positive, k);
  const relEps = baseR.length > 0 && curR.length > 0 ? additiveEpsilon(curR, baseR) : 0;
  const relativeLost =
    relEps > tolerances.epsTolerance + SLACK ? findLost(basePoints, baseR, curR, baseline.objectives).filter((p) => p.shortfall > tolerances.epsTolerance + SLACK) : [];

  const reasons: string[] = [];
  const notes: string[] = [];
  const efforts = searchEffortNote(baseline, current);
  if (efforts) notes.push(efforts);
  if (!seedsMatched) {
    notes.push(
      `no seed in common (baseline: ${baseline.fronts.map((f) => f.seed).join(', ')}; current: ${current.map((r) => r.seed).join(', ')}): compared the median hypervolumes and the union fronts instead`,
    );
  }
  if (medianRatio < 1 - tolerances.hvTolerance - SLACK) {
    const which = seedsMatched ? `median over seed${perSeed.length > 1 ? 's' : ''} ${perSeed.map((s) => s.seed).join(', ')}` : 'medians';
    reasons.push(
      `hypervolume fell to ${pct(medianRatio)} of the baseline's (${which}), more than the ${pct(tolerances.hvTolerance)} tolerance allows`,
    );
  }
  if (eps > tolerances.epsTolerance + SLACK) {
    const shown = lostPoints.slice(0, 3).map((p) => `${p.hash} (short by ${fmt(p.shortfall)} in ${p.worstObjective})`);
    const more = lostPoints.length > shown.length ? ` and ${lostPoints.length - shown.length} more` : '';
    reasons.push(
      curN.length === 0
        ? `the front is empty: all ${basePoints.length} baseline points are lost`
        : `additive epsilon ${fmt(eps)} exceeds the ${fmt(tolerances.epsTolerance)} tolerance: ${lostPoints.length} baseline point${lostPoints.length === 1 ? ' is' : 's are'} no longer reached: ${shown.join(', ')}${more}`,
    );
  } else if (lostPoints.length > 0) {
    notes.push(`${lostPoints.length} baseline point${lostPoints.length === 1 ? ' is' : 's are'} no longer reached, within the epsilon tolerance`);
  }
  if (relativeLost.length > 0 && curN.length > 0) {
    const shown = relativeLost.slice(0, 3).map((p) => {
      const j = baseline.objectives.indexOf(p.worstObjective);
      const by = positive[j] ? `${pct(Math.expm1(p.shortfall * k))} worse` : `short by ${fmt(p.shortfall)} of the range`;
      return `${p.hash} (${by} in ${p.worstObjective})`;
    });
    const more = relativeLost.length > shown.length ? ` and ${relativeLost.length - shown.length} more` : '';
    reasons.push(
      `relative epsilon: ${relativeLost.length} baseline point${relativeLost.length === 1 ? ' is' : 's are'} reached only by a design more than ${pct(tolerances.epsTolerance)} worse: ${shown.join(', ')}${more}`,
    );
  }
  if (improvements.length > 0) {
    notes.push(`${improvements.length} new point${improvements.length === 1 ? ' dominates' : 's dominate'} baseline points; consider updating the baseline (docs/CI.md)`);
  }
  return {
    verdict: reasons.length > 0 ? 'regress' : 'pass',
    reasons,
    notes,
    tolerances: { ...tolerances },
    objectives: [...baseline.objectives],
    ...(baseline.maximize?.length ? { maximize: [...baseline.maximize] } : {}),
    hypervolume: { perSeed, medianRatio, seedsMatched },
    additiveEpsilon: eps,
    additiveEpsilonReverse: epsReverse,
    igdPlus: igd,
    lostPoints,
    improvements,
    counts: { baselinePoints: basePoints.length, currentPoints: curPoints.length },
  };
}

/** How each side searched (same problem, possibly another searcher, budget or batch size): shown, not judged. */
function searchEffortNote(baseline: Baseline, current: readonly RunFront[]): string | undefined {
  const side = (efforts: (SearchEffort | undefined)[]): string => {
    const texts = [...new Set(efforts.map((e) => (e ? describeSearchEffort(e) : 'not recorded')))];
    return texts.join('; ');
  };
  const base = side(baseline.fronts.map((f) => f.search));
  const cur = side(current.map((r) => r.study.search));
  if (!baseline.fronts.some((f) => f.search) && !current.some((r) => r.study.search)) return undefined;
  return `same problem, searched by: baseline ${base}; current ${cur}`;
}

/**
 * Coordinates in which worsening a positive objective by the factor 1 + t is a shift of t:
 * log(x) / k with k = log(1 + t) / t (k = 1 at t = 0), for every objective positive on both
 * sides; an objective with a value <= 0 somewhere (a quantisation error of exactly 0) keeps
 * its normalised coordinate. An additive epsilon above t in these coordinates therefore means
 * some baseline point is now reached only by a design more than t worse in some objective,
 * whatever the front's shape: one point, one objective, a range much wider than the values.
 */
function relativeCoordinates(points: readonly BaselinePoint[], normalized: number[][], positive: boolean[], k: number): number[][] {
  return points.map((p, i) => p.objectives.map((v, j) => (positive[j] ? Math.log(v) / k : normalized[i]![j]!)));
}

function relativeUnit(t: number): number {
  return t > 0 ? Math.log1p(t) / t : 1;
}

function seedComparison(seed: number, baselineHv: number, currentHv: number): SeedComparison {
  const ratio = baselineHv > 0 ? currentHv / baselineHv : currentHv > 0 ? Infinity : 1;
  return { seed, baselineHv, currentHv, ratio };
}

/**
 * The non-dominated points of a union of fronts, one per design: designs with identical
 * objectives all stay (the tie policy of every output, docs/PARETO.md), a design present in
 * several fronts counts once.
 */
function unionFront(points: BaselinePoint[]): BaselinePoint[] {
  const seen = new Set<string>();
  const unique = points.filter((p) => {
    if (seen.has(p.hash)) return false;
    seen.add(p.hash);
    return true;
  });
  return nonDominatedIndices(unique.map((p) => p.objectives)).map((i) => unique[i]!);
}

/** One copy of each distinct vector: indicators that average over points count an objective vector once, however many designs share it. */
function distinctVectors(points: number[][]): number[][] {
  const seen = new Set<string>();
  return points.filter((p) => {
    const k = p.join(',');
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Baseline points not weakly dominated by any current point, with how far each is missed.
 *
 * Which points: the baseline is a front, so a baseline point is dominated inside the union
 * (current + baseline) only by a current point; the points of the union's non-dominated set
 * (dominance.ts, O(n log n) in 2 and 3 objectives) that are baseline points and have no
 * exact copy among the current points are the lost ones.
 * How far: the shortfall min over current points a of max_i (a_i - z_i), found by
 * `ShortfallIndex`.
 */
function findLost(base: BaselinePoint[], baseN: number[][], curN: number[][], objectives: string[]): LostPoint[] {
  if (baseN.length === 0) return [];
  const exact = new Set(curN.map((p) => p.join(',')));
  const nd = nonDominatedIndices([...curN, ...baseN]);
  const lostIdx = nd.filter((k) => k >= curN.length && !exact.has(baseN[k - curN.length]!.join(','))).map((k) => k - curN.length);
  if (lostIdx.length === 0) return [];
  if (curN.length === 0) return lostIdx.map((i) => ({ ...base[i]!, shortfall: Infinity, worstObjective: objectives[0] ?? '0' }));
  const index = new ShortfallIndex(curN);
  const lost = lostIdx.map((i) => {
    const { shortfall, objective } = index.query(baseN[i]!);
    return { ...base[i]!, shortfall, worstObjective: objectives[objective] ?? String(objective) };
  });
  return lost.sort((a, b) => b.shortfall - a.shortfall || (a.hash < b.hash ? -1 : 1));
}

/**
 * Answers "min over points a of max_i (a_i - z_i), and in which objective" for many z.
 * The points are put in Morton (Z-curve) order of their normalised coordinates and cut into
 * blocks of BLOCK consecutive points, which are then small regions of space; each block
 * keeps the componentwise minimum of its points, and max_i (min_i - z_i) bounds the value of
 * every point in it from below, so most blocks are skipped. Blocks are visited outwards from
 * z's own position on the curve, where good candidates are, so the bound bites early.
 */
const BLOCK = 16;

class ShortfallIndex {
  private readonly d: number;
  private readonly n: number;
  private readonly flat: Float64Array;
  private readonly corners: Float64Array;
  private readonly codes: Float64Array;
  private readonly lo: number[];
  private readonly span: number[];
  private readonly bits: number;
  private readonly scratch: number[];

  constructor(points: number[][]) {
    const d = points[0]!.length;
    this.d = d;
    this.n = points.length;
    this.bits = Math.max(1, Math.floor(48 / d));
    this.scratch = new Array<number>(d).fill(0);
    this.lo = new Array<number>(d).fill(Infinity);
    const hi = new Array<number>(d).fill(-Infinity);
    for (const p of points) {
      for (let j = 0; j < d; j++) {
        if (p[j]! < this.lo[j]!) this.lo[j] = p[j]!;
        if (p[j]! > hi[j]!) hi[j] = p[j]!;
      }
    }
    this.span = hi.map((h, j) => h - this.lo[j]! || 1);
    const codes = points.map((p) => this.code(p));
    const order = points.map((_, i) => i).sort((i, j) => codes[i]! - codes[j]!);
    this.flat = new Float64Array(this.n * d);
    this.codes = new Float64Array(this.n);
    order.forEach((i, r) => {
      this.flat.set(points[i]!, r * d);
      this.codes[r] = codes[i]!;
    });
    const blocks = Math.ceil(this.n / BLOCK);
    this.corners = new Float64Array(blocks * d).fill(Infinity);
    for (let r = 0; r < this.n; r++) {
      const c = Math.floor(r / BLOCK) * d;
      for (let j = 0; j < d; j++) if (this.flat[r * d + j]! < this.corners[c + j]!) this.corners[c + j] = this.flat[r * d + j]!;
    }
  }

  /** Morton code: the bits of the quantised coordinates interleaved (up to 48 bits, exact in a double). */
  private code(p: readonly number[]): number {
    const levels = 2 ** this.bits - 1;
    const q = this.scratch;
    for (let j = 0; j < this.d; j++) q[j] = Math.min(levels, Math.max(0, Math.floor(((p[j]! - this.lo[j]!) / this.span[j]!) * levels)));
    let code = 0;
    for (let b = this.bits - 1; b >= 0; b--) {
      const bit = 2 ** b;
      for (let j = 0; j < this.d; j++) code = code * 2 + (Math.floor(q[j]! / bit) & 1);
    }
    return code;
  }

  query(z: readonly number[]): { shortfall: number; objective: number } {
    const { d, flat, corners, n } = this;
    const blocks = corners.length / d;
    const home = Math.min(blocks - 1, Math.floor(upperBound(this.codes, this.code(z)) / BLOCK));
    let best = Infinity;
    let bestObj = 0;
    // Blocks in the order home, home-1, home+1, home-2, home+2, ...
    for (let step = 0; step < 2 * blocks; step++) {
      const blk = step === 0 ? home : step % 2 === 1 ? home - ((step + 1) >> 1) : home + (step >> 1);
      if (blk < 0 || blk >= blocks) continue;
      let bound = -Infinity;
      for (let j = 0; j < d; j++) {
        const v = corners[blk * d + j]! - z[j]!;
        if (v > bound) bound = v;
      }
      if (bound >= best) continue;
      const end = Math.min(n, (blk + 1) * BLOCK);
      for (let r = blk * BLOCK; r < end; r++) {
        let s = -Infinity;
        let k = 0;
        for (let j = 0; j < d; j++) {
          const v = flat[r * d + j]! - z[j]!;
          if (v > s) {
            s = v;
            k = j;
            if (s >= best) break;
          }
        }
        if (s < best) {
          best = s;
          bestObj = k;
        }
      }
    }
    return { shortfall: best, objective: bestObj };
  }
}

function upperBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Current points that dominate some baseline point. With objectives negated, "c dominates b"
 * becomes "-b dominates -c", so these are the current points that drop out of the
 * non-dominated set of the negated union (the current front itself being non-dominated).
 */
function findImprovements(cur: BaselinePoint[], curN: number[][], baseN: number[][]): BaselinePoint[] {
  if (curN.length === 0 || baseN.length === 0) return [];
  const neg = (p: number[]): number[] => p.map((v) => -v);
  const nd = new Set(nonDominatedIndices([...curN.map(neg), ...baseN.map(neg)]));
  const out: BaselinePoint[] = [];
  for (let i = 0; i < curN.length; i++) if (!nd.has(i)) out.push(cur[i]!);
  return out;
}

function pct(x: number): string {
  return `${Number((x * 100).toPrecision(4))}%`;
}

function fmt(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(3))) : String(x);
}

// ---- the baseline file ----

const pointSchema = z.object({
  hash: z.string().min(1),
  design: z.record(z.string(), z.union([z.number(), z.string()])),
  objectives: z.array(z.number()),
});
const baselineSchema = z.looseObject({
  format: z.literal(BASELINE_FORMAT),
  formatVersion: z.literal(1),
  study: z.looseObject({ name: z.string(), hashIgnoringSeed: z.string().min(1), problemHash: z.string().min(1).optional() }),
  objectives: z.array(z.string()).min(1),
  maximize: z.array(z.string()).optional(),
  toolVersion: z.string(),
  createdAt: z.string(),
  normalization: z.object({ ideal: z.array(z.number()), nadir: z.array(z.number()) }),
  referencePoint: z.array(z.number()),
  fronts: z
    .array(z.looseObject({ seed: z.number(), studyHash: z.string(), hypervolume: z.number(), points: z.array(pointSchema) }))
    .min(1, 'a baseline needs at least one front'),
});

/** JSON text of a baseline: one point per line, so a baseline update reads well in a diff. */
export function baselineToJson(b: Baseline): string {
  const { fronts, ...rest } = b;
  const head = JSON.stringify(rest, null, 2).replace(/\n}$/, '');
  const frontTexts = fronts.map((f) => {
    const { points, ...meta } = f;
    const metaText = JSON.stringify(meta).replace(/}$/, '');
    const pts = points.map((p) => `        ${JSON.stringify(p)}`).join(',\n');
    return `    ${metaText},\n      "points": [\n${pts}${pts ? '\n' : ''}      ]\n    }`;
  });
  return `${head},\n  "fronts": [\n${frontTexts.join(',\n')}\n  ]\n}\n`;
}

export function readBaseline(file: string): Baseline {
  const text = readTextFile(file);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new DseError('malformed_json', `malformed JSON: ${(e as Error).message}`, { file });
  }
  const b = validate(baselineSchema, data, { file }) as unknown as Baseline;
  const m = b.objectives.length;
  const dims: [string, number[]][] = [
    ['normalization.ideal', b.normalization.ideal],
    ['normalization.nadir', b.normalization.nadir],
    ['referencePoint', b.referencePoint],
  ];
  for (const [path, v] of dims) if (v.length !== m) throw new DseError('invalid_field', `has ${v.length} values, expected ${m} (one per objective)`, { file, path });
  b.fronts.forEach((f, i) =>
    f.points.forEach((p, j) => {
      if (p.objectives.length !== m) throw new DseError('invalid_field', `has ${p.objectives.length} objective values, expected ${m}`, { file, path: `fronts.${i}.points.${j}.objectives` });
    }),
  );
  checkConsistent(b, file);
  return b;
}

/**
 * A baseline is derived data: its normalisation, reference point and hypervolumes follow from
 * its points. An edited or forged file where they do not (a reference point of 1e308, a
 * hypervolume of 0, a worst value below the best) would make checks meaningless, often
 * always green, so it is refused rather than trusted.
 */
function checkConsistent(b: Baseline, file: string): void {
  const bad = (path: string, message: string): DseError => new DseError('baseline_inconsistent', `${message}; regenerate the baseline with \`dse baseline\``, { file, path });
  const ref = referencePoint(b.objectives.length);
  if (b.referencePoint.some((v, i) => v !== ref[i])) throw bad('referencePoint', `is [${b.referencePoint.join(', ')}], but baselines use ${REFERENCE_POINT_NORMALIZED} in every objective`);
  b.fronts.forEach((f, i) => {
    if (f.points.length === 0) throw bad(`fronts.${i}.points`, 'is empty: a baseline front holds at least one point');
    f.points.forEach((p, j) => {
      const k = p.objectives.findIndex((v) => !Number.isFinite(v));
      if (k >= 0) throw bad(`fronts.${i}.points.${j}.objectives.${k}`, `is ${p.objectives[k]}, expected a finite number`);
    });
  });
  const expected = normalizationOf(b.fronts.flatMap((f) => f.points.map((p) => p.objectives)));
  for (const key of ['ideal', 'nadir'] as const) {
    b.normalization[key].forEach((v, i) => {
      if (!close(v, expected[key][i]!)) {
        throw bad(`normalization.${key}.${i}`, `is ${v}, but the ${key === 'ideal' ? 'best' : 'worst'} value of objective ${b.objectives[i]} over the points is ${expected[key][i]}`);
      }
    });
  }
  b.fronts.forEach((f, i) => {
    const hv = hvOf(f.points.map((p) => p.objectives), b.normalization, b.referencePoint);
    if (!(f.hypervolume > 0) || !close(f.hypervolume, hv)) throw bad(`fronts.${i}.hypervolume`, `is ${f.hypervolume}, but the front's points give ${hv}`);
  });
}

/** Equal up to the rounding of a JSON round trip or of a sum taken in another order. */
function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b), Number.MIN_VALUE);
}
