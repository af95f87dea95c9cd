import type { Hardware, WorkloadMetrics } from '../models/types.ts';
import type { WorkloadCounts } from './workload-throughput.ts';

/**
 * The metrics a trial of a study records, as one vector whose layout is fixed by the study
 * (its workloads' labels and whether they have tokens), so a trial's metrics are computed into
 * an array of numbers and every consumer (objectives, constraints, the journal line, the library's
 * metrics record) finds a metric at an index known before the first design. Key order is the
 * journal's: chip-level aggregates, study throughput, then each workload's own `<metric>@<label>`.
 */

/** What the aggregation knows of a study workload. */
export interface MetricWorkload {
  label: string;
  weight: number;
  counts: WorkloadCounts;
}

export interface MetricLayout {
  /** Metric names in journal order. */
  names: readonly string[];
  /** Index of each name in `names`. */
  index: ReadonlyMap<string, number>;
  /** Whether every workload has tokens (then the study has tokensPerS and energyPerTokenPJ). */
  tokens: boolean;
  /** Index of each workload's first `<metric>@<label>`; its metrics follow in PER_WORKLOAD order. */
  workloadAt: readonly number[];
}

const AGGREGATE = [
  'latencyS', 'energyPJ', 'areaMM2', 'dramBytes', 'edp', 'quantError', 'utilization', 'macs', 'latencyCycles',
  'compulsoryDramBytes', 'nonCompulsoryDramBytes', 'macEnergyPJ', 'rfEnergyPJ', 'sramEnergyPJ', 'dramEnergyPJ', 'otherEnergyPJ', 'dramGBps',
] as const;
/** Metrics a trial keeps per workload, as `<metric>@<label>`, before its throughput metrics. */
const PER_WORKLOAD = ['latencyS', 'energyPJ', 'dramBytes', 'edp', 'quantError', 'utilization', 'macs', 'latencyCycles'] as const;
const THROUGHPUT = ['inferencesPerS', 'energyPerInferencePJ'] as const;
const TOKEN_THROUGHPUT = ['tokensPerS', 'energyPerTokenPJ'] as const;

export function metricLayout(workloads: readonly MetricWorkload[]): MetricLayout {
  const tokens = workloads.every((w) => w.counts.tokens !== null);
  const names: string[] = [...AGGREGATE, ...THROUGHPUT, ...(tokens ? TOKEN_THROUGHPUT : [])];
  const workloadAt: number[] = [];
  for (const w of workloads) {
    workloadAt.push(names.length);
    for (const k of [...PER_WORKLOAD, ...THROUGHPUT, ...(w.counts.tokens !== null ? TOKEN_THROUGHPUT : [])]) names.push(`${k}@${w.label}`);
  }
  const index = new Map(names.map((n, i) => [n, i]));
  if (index.size !== names.length) throw new Error(`workload labels are not distinct: ${workloads.map((w) => w.label).join(', ')}`);
  return { names, index, tokens, workloadAt };
}

/**
 * Study-level metrics from per-workload ones (`metrics[i]` is that of `workloads[i]`, the
 * workloads the layout was made for), as a vector of `layout`. Latency, energy, DRAM bytes, MACs and the quantization proxy add up (weighted when
 * the study says so); area belongs to the chip, not the workload; EDP is the product of the
 * aggregated energy and latency; utilisation is MAC-weighted over all cycles. Throughput: the
 * (weighted) inferences and tokens of all workloads over their summed latency, energy per
 * inference or token likewise; tokens only when every workload has tokens. Each workload's own
 * (unweighted) metrics follow as `<metric>@<label>`.
 */
export function aggregateMetrics(
  layout: MetricLayout,
  chip: Pick<Hardware, 'peRows' | 'peCols' | 'dramGBps'>,
  workloads: readonly MetricWorkload[],
  metrics: readonly WorkloadMetrics[],
): number[] {
  const out = new Array<number>(layout.names.length).fill(0);
  let latencyS = 0, energyPJ = 0, dramBytes = 0, compulsoryDramBytes = 0, quantError = 0, macs = 0, latencyCycles = 0;
  let areaMM2 = 0;
  let mac = 0, rf = 0, sram = 0, dram = 0, other = 0;
  let inferences = 0, tokens = 0;
  for (let i = 0; i < workloads.length; i++) {
    const m = metrics[i]!;
    const { weight, counts } = workloads[i]!;
    latencyS += weight * m.latencyS;
    energyPJ += weight * m.energyPJ;
    dramBytes += weight * m.dramBytes;
    compulsoryDramBytes += weight * m.compulsoryDramBytes;
    quantError += weight * m.quantError;
    macs += weight * m.macs;
    latencyCycles += weight * m.latencyCycles;
    areaMM2 = Math.max(areaMM2, m.areaMM2);
    const e = m.energyBreakdownPJ;
    mac += weight * e.mac;
    rf += weight * e.rf;
    sram += weight * e.sram;
    dram += weight * e.dram;
    other += weight * e.other;
    inferences += weight * counts.inferences;
    if (layout.tokens) tokens += weight * counts.tokens!;
    let at = layout.workloadAt[i]!;
    out[at++] = m.latencyS;
    out[at++] = m.energyPJ;
    out[at++] = m.dramBytes;
    out[at++] = m.energyPJ * m.latencyS;
    out[at++] = m.quantError;
    out[at++] = m.utilization;
    out[at++] = m.macs;
    out[at++] = m.latencyCycles;
    at = throughputInto(out, at, m.latencyS, m.energyPJ, counts.inferences, counts.tokens);
  }
  let at = 0;
  out[at++] = latencyS;
  out[at++] = energyPJ;
  out[at++] = areaMM2;
  out[at++] = dramBytes;
  out[at++] = energyPJ * latencyS;
  out[at++] = quantError;
  const pes = chip.peRows * chip.peCols;
  out[at++] = latencyCycles > 0 ? macs / (latencyCycles * pes) : 0;
  out[at++] = macs;
  out[at++] = latencyCycles;
  out[at++] = compulsoryDramBytes;
  out[at++] = dramBytes - compulsoryDramBytes;
  out[at++] = mac;
  out[at++] = rf;
  out[at++] = sram;
  out[at++] = dram;
  out[at++] = other;
  out[at++] = chip.dramGBps;
  throughputInto(out, at, latencyS, energyPJ, inferences, layout.tokens ? tokens : null);
  return out;
}

/**
 * Throughput and energy per unit of `latencyS` and `energyPJ` spent on `inferences` (and
 * `tokens`, unless null), written from `at` in THROUGHPUT then TOKEN_THROUGHPUT order; returns
 * the next index.
 */
function throughputInto(out: number[], at: number, latencyS: number, energyPJ: number, inferences: number, tokens: number | null): number {
  out[at++] = latencyS > 0 ? inferences / latencyS : 0;
  out[at++] = energyPJ / inferences;
  if (tokens !== null) {
    out[at++] = latencyS > 0 ? tokens / latencyS : 0;
    out[at++] = energyPJ / tokens;
  }
  return at;
}

/** A metrics vector as the record a trial carries (`metrics` in the journal and the library). */
export function metricsRecord(layout: MetricLayout, values: readonly number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < layout.names.length; i++) out[layout.names[i]!] = values[i]!;
  return out;
}
