import { DseError, isDseError } from '../core/errors.ts';
import { stableHash } from '../core/hash.ts';
import type { Design, Trial } from '../core/types.ts';
import { normalizeHardware } from '../models/hardware.ts';
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
import { throughputMetrics, workloadCounts, type WorkloadCounts } from './workload-throughput.ts';

/** What evaluating one design yields: a trial without its position in the run. */
export type Outcome = Omit<Trial, 'seq'>;

/** Everything a worker needs to evaluate designs of one study, built once per worker. */
export interface EvalContext {
  spec: StudySpec;
  workloads: EvalWorkload[];
  objectives: ObjectiveSpec[];
  constraints: ParsedConstraints;
  planner: SchedulePlanner;
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
  return {
    spec,
    workloads,
    objectives: parseObjectives(spec.objectives, labels),
    constraints: parseConstraints(spec.constraints, new Set(Object.keys(DEFAULT_HARDWARE)), labels),
    planner: { solver: spec.schedule.solver, timeLimitS: spec.schedule.timeLimitS },
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
  return { workload: costed, plan, metrics: evaluateWorkload(hw, costed, plan) };
}

/** An outcome with the detail behind it: each workload's evaluation, layer by layer (absent when the evaluation failed). */
export interface DesignEvaluation extends Outcome {
  workloads?: (WorkloadEvaluation & { weight: number })[];
}

/**
 * Evaluates one design on every workload of the study: its hardware is the study's fixed
 * values overlaid with the design; each workload is costed by `costWorkload`; metrics
 * aggregate over workloads. A throw becomes a failed trial, never a crash.
 */
export async function evaluateDesignDetail(ctx: EvalContext, design: Design): Promise<DesignEvaluation> {
  const hash = designHash(design);
  try {
    const values = { ...ctx.spec.fixed, ...design };
    const arch = ctx.architecture;
    const hw = arch ? architectureTarget(arch.study, values, arch.objective, arch.cache) : normalizeHardware(values);
    const workloads: (WorkloadEvaluation & { weight: number; label: string; counts: WorkloadCounts })[] = [];
    for (const { workload, weight, label, counts } of ctx.workloads) {
      const evaluation = await costWorkload(hw, workload, { planner: ctx.planner, mixedPrecision: ctx.spec.mixedPrecision });
      workloads.push({ ...evaluation, weight, label, counts });
    }
    const metrics = aggregateMetrics(isArchitectureTarget(hw) ? architectureChip(hw) : hw, workloads);
    // Maximised objectives are negated here, at the boundary: searchers and fronts minimise.
    const objectives = ctx.objectives.map((o) => (o.maximize ? -1 : 1) * (metrics[o.name] ?? NaN));
    if (objectives.some((x) => !Number.isFinite(x))) {
      throw new DseError('non_finite_metric', `objective is not finite: ${ctx.objectives.map((o) => `${o.name}=${metrics[o.name]}`).join(', ')}`);
    }
    // Any metric, not only the objectives: a constraint, a report or a later study may use it.
    const nonFinite = Object.entries(metrics).filter(([, v]) => !Number.isFinite(v));
    if (nonFinite.length > 0) {
      throw new DseError('non_finite_metric', `metric not finite: ${nonFinite.map(([k, v]) => `${k}=${v}`).join(', ')}`);
    }
    const violations = [
      ...designViolations(ctx.constraints.design, (isArchitectureTarget(hw) ? values : hw) as unknown as Record<string, unknown>),
      ...metricViolations(ctx.constraints.metric, metrics),
    ];
    return {
      hash,
      design,
      status: violations.length > 0 ? 'infeasible' : 'ok',
      metrics,
      objectives,
      ...(violations.length > 0 ? { violations } : {}),
      workloads,
    };
  } catch (e) {
    const message = isDseError(e) ? e.toLine() : e instanceof Error ? e.message : String(e);
    return { hash, design, status: 'failed', error: message };
  }
}

/** `evaluateDesignDetail` without the per-workload detail: what a trial records. */
export async function evaluateDesign(ctx: EvalContext, design: Design): Promise<Outcome> {
  const { workloads: _detail, ...outcome } = await evaluateDesignDetail(ctx, design);
  return outcome;
}

/** One workload's cost on a design, with what the study knows of it. */
export interface CostedWorkload {
  metrics: WorkloadMetrics;
  weight: number;
  label?: string;
  counts?: WorkloadCounts;
}

/** Metrics a trial keeps per workload, as `<metric>@<label>`. */
const PER_WORKLOAD = ['latencyS', 'energyPJ', 'dramBytes', 'edp', 'quantError', 'utilization', 'macs', 'latencyCycles'] as const;

/**
 * Study-level metrics from per-workload ones. Latency, energy, DRAM bytes, MACs and the
 * quantization proxy add up (weighted when the study says so); area belongs to the chip, not
 * the workload; EDP is the product of the aggregated energy and latency; utilisation is
 * MAC-weighted over all cycles. Throughput: the (weighted) inferences and tokens of all
 * workloads over their summed latency, energy per inference or token likewise; tokens only
 * when every workload has tokens. Each labelled workload's own (unweighted) metrics follow as
 * `<metric>@<label>`.
 */
export function aggregateMetrics(hw: Pick<Hardware, 'peRows' | 'peCols' | 'dramGBps'>, items: CostedWorkload[]): Record<string, number> {
  let latencyS = 0, energyPJ = 0, dramBytes = 0, compulsoryDramBytes = 0, quantError = 0, macs = 0, latencyCycles = 0;
  let areaMM2 = 0;
  const energy = { mac: 0, rf: 0, sram: 0, dram: 0, other: 0 };
  for (const { metrics: m, weight } of items) {
    latencyS += weight * m.latencyS;
    energyPJ += weight * m.energyPJ;
    dramBytes += weight * m.dramBytes;
    compulsoryDramBytes += weight * m.compulsoryDramBytes;
    quantError += weight * m.quantError;
    macs += weight * m.macs;
    latencyCycles += weight * m.latencyCycles;
    areaMM2 = Math.max(areaMM2, m.areaMM2);
    for (const k of Object.keys(energy) as (keyof typeof energy)[]) energy[k] += weight * m.energyBreakdownPJ[k];
  }
  const pes = hw.peRows * hw.peCols;
  const counted = items.every((i) => i.counts !== undefined);
  const total: WorkloadCounts = {
    inferences: items.reduce((s, i) => s + i.weight * (i.counts?.inferences ?? 0), 0),
    tokens: items.every((i) => i.counts && i.counts.tokens !== null) ? items.reduce((s, i) => s + i.weight * i.counts!.tokens!, 0) : null,
  };
  const perWorkload: Record<string, number> = {};
  for (const { metrics: m, label, counts } of items) {
    if (label === undefined || counts === undefined) continue;
    for (const k of PER_WORKLOAD) perWorkload[`${k}@${label}`] = k === 'edp' ? m.energyPJ * m.latencyS : m[k];
    for (const [k, v] of Object.entries(throughputMetrics(m.latencyS, m.energyPJ, counts))) perWorkload[`${k}@${label}`] = v;
  }
  return {
    latencyS,
    energyPJ,
    areaMM2,
    dramBytes,
    edp: energyPJ * latencyS,
    quantError,
    utilization: latencyCycles > 0 ? macs / (latencyCycles * pes) : 0,
    macs,
    latencyCycles,
    compulsoryDramBytes,
    nonCompulsoryDramBytes: dramBytes - compulsoryDramBytes,
    macEnergyPJ: energy.mac,
    rfEnergyPJ: energy.rf,
    sramEnergyPJ: energy.sram,
    dramEnergyPJ: energy.dram,
    otherEnergyPJ: energy.other,
    dramGBps: hw.dramGBps,
    ...(counted ? throughputMetrics(latencyS, energyPJ, total) : {}),
    ...perWorkload,
  };
}

/** An architecture's chip as aggregateMetrics sees it: its MACs as one row of PEs, DRAM GB/s from the DRAM level (0: unlimited). */
function architectureChip(t: ArchitectureTarget): Pick<Hardware, 'peRows' | 'peCols' | 'dramGBps'> {
  const dram = t.architecture.levels[0]!;
  const bw = dram.bandwidthWordsPerCycle;
  return { peRows: 1, peCols: t.architecture.compute.instances, dramGBps: bw === null ? 0 : (bw * dram.wordBits * t.clockMHz * 1e6) / 8 / 1e9 };
}
