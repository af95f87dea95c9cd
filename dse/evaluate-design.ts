import { DseError, isDseError } from '../core/errors.ts';
import { stableHash } from '../core/hash.ts';
import type { ConstraintViolation, Design, Trial } from '../core/types.ts';
import { evaluateWorkload } from '../models/cost/evaluate.ts';
import type { Hardware, TrafficPlan, Workload, WorkloadMetrics } from '../models/types.ts';
import { loadWorkload } from '../models/workload/load-workload.ts';
import type { StudySpec } from './study-schema.ts';
import { designViolations, metricViolations, parseConstraints, type ParsedConstraints } from './study-constraints.ts';
import { DEFAULT_HARDWARE } from '../models/hardware.ts';
import { planFor, type SchedulePlanner } from './schedule-plan.ts';
import { assignBitwidths } from './mixed-precision.ts';
import { parseObjectives, type ObjectiveSpec } from './study-objectives.ts';
import { architectureTarget, readStudyArchitecture, type StudyArchitecture } from './study-architecture.ts';
import { MapperCache, type MapperObjective } from '../models/arch/mapper.ts';
import { costOnArchitecture, isArchitectureTarget, type ArchitectureTarget } from '../models/arch/workload-cost.ts';
import { workloadCounts, type WorkloadCounts } from './workload-throughput.ts';
import { aggregateMetrics, metricLayout, metricsRecord, type MetricLayout } from './study-metrics.ts';
import { DesignHardware } from './design-hardware.ts';

/** What evaluating one design yields: a trial without its position in the run. */
export type Outcome = Omit<Trial, 'seq'>;

/** Everything a worker needs to evaluate designs of one study, built once per worker. */
export interface EvalContext {
  spec: StudySpec;
  workloads: EvalWorkload[];
  objectives: ObjectiveSpec[];
  constraints: ParsedConstraints;
  planner: SchedulePlanner;
  /** The metrics every trial records, in journal order. */
  metrics: MetricLayout;
  /** Each objective's index in `metrics` (-1: a metric the study's trials do not have). */
  objectiveAt: number[];
  /** Designs' flat hardware, validated once per parameter value. */
  hardware: DesignHardware;
  /** The study's architecture and the worker's mapper cache, when it names one (else the flat hardware model). */
  architecture?: { study: StudyArchitecture; objective: MapperObjective; cache: MapperCache };
}

/** A study workload as evaluation sees it. */
export interface EvalWorkload {
  workload: Workload;
  weight: number;
  /** Its name in per-workload metrics (`latencyS@<label>`). */
  label: string;
  counts: WorkloadCounts;
}

export function createEvalContext(spec: StudySpec): EvalContext {
  const workloads = spec.workloads.map((w) => {
    const workload = loadWorkload(w.name, w.params);
    return { workload, weight: spec.aggregate === 'weighted' ? w.weight : 1, label: w.label ?? workload.name, counts: workloadCounts(workload) };
  });
  const labels = workloads.map((w) => w.label);
  const objectives = parseObjectives(spec.objectives, labels);
  const metrics = metricLayout(workloads);
  return {
    spec,
    workloads,
    objectives,
    constraints: parseConstraints(spec.constraints, new Set(Object.keys(DEFAULT_HARDWARE)), labels),
    planner: { solver: spec.schedule.solver, timeLimitS: spec.schedule.timeLimitS },
    metrics,
    objectiveAt: objectives.map((o) => metrics.index.get(o.name) ?? -1),
    hardware: new DesignHardware(),
    ...(spec.architecture !== undefined
      ? { architecture: { study: readStudyArchitecture(spec.architecture), objective: spec.mapper?.objective ?? 'edp', cache: new MapperCache() } }
      : {}),
  };
}

export function designHash(design: Design): string {
  return stableHash(design);
}

/** One workload costed on one design: the workload as costed (per-layer bitwidths when mixed precision chose them), its schedule and its metrics layer by layer. */
export interface WorkloadEvaluation {
  /** The workload with the bitwidths it was costed at. */
  workload: Workload;
  /** The fusion schedule's traffic plan; undefined when the design runs layer by layer (fusion none). */
  plan: TrafficPlan | undefined;
  metrics: WorkloadMetrics;
}

export interface CostOptions {
  planner: SchedulePlanner;
  mixedPrecision?: StudySpec['mixedPrecision'];
  /** false: only the workload's totals (`metrics.layers` empty), what a study's trial records. Default true. */
  layers?: boolean;
}

/**
 * The one way a design's hardware is costed on a workload, used by studies (the workers), the
 * library's `evaluate`, `dse eval` and the report's design anatomy: the hardware's fusion policy
 * schedules the workload, mixed precision (when asked) picks per-layer bitwidths under that
 * schedule, and the cost model costs every layer. An architecture (a study's `architecture:`)
 * is costed instead by the mapper and mapping model, layer by layer (no fusion, no mixed precision).
 */
export async function costWorkload(hw: Hardware | ArchitectureTarget, workload: Workload, opts: CostOptions): Promise<WorkloadEvaluation> {
  if (isArchitectureTarget(hw)) {
    if (opts.mixedPrecision) throw new DseError('unsupported_with_architecture', 'mixed precision is not supported with an architecture', { path: 'mixedPrecision' });
    return { workload, plan: undefined, metrics: costOnArchitecture(hw, workload) };
  }
  const plan = await planFor(opts.planner, hw, workload);
  const costed = opts.mixedPrecision ? await assignBitwidths(opts.mixedPrecision, opts.planner.solver, opts.planner.timeLimitS, hw, workload, plan) : workload;
  return { workload: costed, plan, metrics: evaluateWorkload(hw, costed, plan, { layers: opts.layers !== false }) };
}

/** An outcome with the detail behind it: each workload's evaluation, layer by layer (absent when the evaluation failed). */
export interface DesignEvaluation extends Outcome {
  workloads?: (WorkloadEvaluation & { weight: number; label: string; counts: WorkloadCounts })[];
}

/**
 * A design's outcome with its metrics as a vector of the study's metric layout
 * (dse/study-metrics.ts): what the workers turn straight into journal lines
 * (dse/trial-line.ts) and the library into a Trial's metrics record.
 */
export interface CompactOutcome {
  hash: string;
  design: Design;
  status: Trial['status'];
  /** The metrics in `ctx.metrics` order; absent when the evaluation failed. */
  values?: number[];
  objectives?: number[];
  violations?: ConstraintViolation[];
  error?: string;
}

/**
 * Evaluates one design on every workload of the study: its hardware is the study's fixed
 * values overlaid with the design; each workload is costed by `costWorkload`; metrics
 * aggregate over workloads. A throw becomes a failed trial, never a crash. With `detail`, each
 * workload's evaluation is kept (layer by layer) for the library and reports; the workers
 * leave it out.
 */
export async function evaluateCompact(ctx: EvalContext, design: Design, detail: true): Promise<CompactOutcome & { workloads?: DesignEvaluation['workloads'] }>;
export async function evaluateCompact(ctx: EvalContext, design: Design, detail?: false): Promise<CompactOutcome>;
export async function evaluateCompact(ctx: EvalContext, design: Design, detail = false): Promise<CompactOutcome & { workloads?: DesignEvaluation['workloads'] }> {
  const hash = designHash(design);
  try {
    const values = { ...ctx.spec.fixed, ...design };
    const arch = ctx.architecture;
    const hw = arch ? architectureTarget(arch.study, values, arch.objective, arch.cache) : ctx.hardware.of(values);
    const costed: WorkloadMetrics[] = [];
    const workloads: NonNullable<DesignEvaluation['workloads']> = [];
    for (const w of ctx.workloads) {
      const evaluation = await costWorkload(hw, w.workload, { planner: ctx.planner, mixedPrecision: ctx.spec.mixedPrecision, layers: detail });
      costed.push(evaluation.metrics);
      if (detail) workloads.push({ ...evaluation, weight: w.weight, label: w.label, counts: w.counts });
    }
    const metrics = aggregateMetrics(ctx.metrics, isArchitectureTarget(hw) ? architectureChip(hw) : hw, ctx.workloads, costed);
    // Maximised objectives are negated here, at the boundary: searchers and fronts minimise.
    const objectives = ctx.objectiveAt.map((at, i) => (ctx.objectives[i]!.maximize ? -1 : 1) * (at < 0 ? NaN : metrics[at]!));
    if (objectives.some((x) => !Number.isFinite(x))) {
      const shown = ctx.objectives.map((o, i) => `${o.name}=${ctx.objectiveAt[i]! < 0 ? undefined : metrics[ctx.objectiveAt[i]!]}`);
      throw new DseError('non_finite_metric', `objective is not finite: ${shown.join(', ')}`);
    }
    // Any metric, not only the objectives: a constraint, a report or a later study may use it.
    if (!metrics.every(Number.isFinite)) {
      const nonFinite = ctx.metrics.names.flatMap((name, i) => (Number.isFinite(metrics[i]) ? [] : [`${name}=${metrics[i]}`]));
      throw new DseError('non_finite_metric', `metric not finite: ${nonFinite.join(', ')}`);
    }
    const violations = [
      ...designViolations(ctx.constraints.design, (isArchitectureTarget(hw) ? values : hw) as unknown as Record<string, unknown>),
      ...metricViolations(ctx.constraints.metric, (name) => metricAt(metrics, ctx.metrics.index.get(name) ?? -1)),
    ];
    return {
      hash,
      design,
      status: violations.length > 0 ? 'infeasible' : 'ok',
      values: metrics,
      objectives,
      ...(violations.length > 0 ? { violations } : {}),
      ...(detail ? { workloads } : {}),
    };
  } catch (e) {
    const message = isDseError(e) ? e.toLine() : e instanceof Error ? e.message : String(e);
    return { hash, design, status: 'failed', error: message };
  }
}

function metricAt(values: readonly number[], at: number): number {
  return at < 0 ? NaN : values[at]!;
}

/** A compact outcome as a trial records it: the metrics vector as a record. */
export function outcomeOf(ctx: EvalContext, c: CompactOutcome): Outcome {
  if (c.values === undefined) return { hash: c.hash, design: c.design, status: c.status, error: c.error! };
  return {
    hash: c.hash,
    design: c.design,
    status: c.status,
    metrics: metricsRecord(ctx.metrics, c.values),
    objectives: c.objectives!,
    ...(c.violations ? { violations: c.violations } : {}),
  };
}

/** A design's outcome with each workload's evaluation, layer by layer: the library's `evaluate`, reports. */
export async function evaluateDesignDetail(ctx: EvalContext, design: Design): Promise<DesignEvaluation> {
  const c = await evaluateCompact(ctx, design, true);
  return { ...outcomeOf(ctx, c), ...(c.workloads ? { workloads: c.workloads } : {}) };
}

/** What a trial records of a design (the same evaluation, without the per-workload detail). */
export async function evaluateDesign(ctx: EvalContext, design: Design): Promise<Outcome> {
  return outcomeOf(ctx, await evaluateCompact(ctx, design));
}

/** An architecture's chip as aggregateMetrics sees it: its MACs as one row of PEs, DRAM GB/s from the DRAM level (0: unlimited). */
function architectureChip(t: ArchitectureTarget): Pick<Hardware, 'peRows' | 'peCols' | 'dramGBps'> {
  const dram = t.architecture.levels[0]!;
  const bw = dram.bandwidthWordsPerCycle;
  return { peRows: 1, peCols: t.architecture.compute.instances, dramGBps: bw === null ? 0 : (bw * dram.wordBits * t.clockMHz * 1e6) / 8 / 1e9 };
}
