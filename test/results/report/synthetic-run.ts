/**
 * Synthetic run directories for report tests and the report benchmark: a journal with a
 * header and trials whose objectives follow simple made-up trends of the design (bigger
 * arrays are faster and larger), so fronts, knees and sensitivities are non-trivial. The
 * numbers are not a cost model's; they only exercise the report. The journal is otherwise one
 * a run could have written, since reports check every line (dse/journal-trust.ts): each hash is
 * its design's, every design is in the study's space and none comes twice.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { stableHash } from '../../../core/hash.ts';
import { Prng } from '../../../core/prng.ts';
import type { JournalHeader, Trial } from '../../../core/types.ts';

export interface SyntheticRunOptions {
  trials: number;
  seed?: number;
  name?: string;
  algorithm?: string;
  objectives?: string[];
  /** Chance of a failed trial. */
  failedRate?: number;
  /** Area above which a trial is infeasible (mm²). */
  areaLimitMM2?: number;
}

const PE = [8, 16, 32, 64];
const GLB = [64, 128, 256, 512];
const DATAFLOW = ['os', 'ws', 'is'];
/** Designs of the first four parameters: each block of this many trials takes every one once, in a shuffled order. */
const COMBOS = PE.flatMap((peRows) => PE.flatMap((peCols) => GLB.flatMap((glbKiB) => DATAFLOW.map((dataflow) => ({ peRows, peCols, glbKiB, dataflow })))));
/** dramGBps tells the blocks apart, so designs never repeat (up to this many blocks: 1.5 million trials). */
const DRAM_GBPS_VALUES = 8192;

export function syntheticStudy(opts: SyntheticRunOptions): Record<string, unknown> {
  return {
    name: opts.name ?? 'synthetic study',
    workloads: [{ name: 'resnet18', params: { resolution: 224 }, weight: 1 }],
    aggregate: 'sum',
    space: { peRows: { pow2: { min: 8, max: 64 } }, peCols: { pow2: { min: 8, max: 64 } }, glbKiB: GLB, dataflow: { categorical: DATAFLOW }, dramGBps: { int: { min: 1, max: DRAM_GBPS_VALUES } } },
    fixed: { clockMHz: 500 },
    objectives: opts.objectives ?? ['latencyS', 'energyPJ', 'areaMM2'],
    constraints: { areaMM2: { max: opts.areaLimitMM2 ?? 40 } },
    search: { algorithm: opts.algorithm ?? 'random', budget: opts.trials, seed: opts.seed ?? 1, batchSize: 64, options: {} },
  };
}

export function syntheticHeader(opts: SyntheticRunOptions): JournalHeader {
  const study = syntheticStudy(opts);
  return {
    type: 'header',
    study,
    studyHash: 'synthetic0000000',
    seed: opts.seed ?? 1,
    version: '0.1.0',
    objectives: (study.objectives as string[]),
    createdAt: '2025-01-01T00:00:00.000Z',
  };
}

/** The i-th synthetic trial of a run (deterministic in seed and i); `order` is its block's shuffled order of COMBOS. */
function syntheticTrial(i: number, prng: Prng, opts: SyntheticRunOptions, order: number[]): Trial {
  const block = Math.floor(i / COMBOS.length);
  if (block >= DRAM_GBPS_VALUES) throw new Error(`a synthetic run has at most ${DRAM_GBPS_VALUES * COMBOS.length} trials`);
  const design = { ...COMBOS[order[i % COMBOS.length]!]!, dramGBps: 1 + block };
  const hash = stableHash(design);
  if (prng.next() < (opts.failedRate ?? 0.01)) return { seq: i, hash, design, status: 'failed', error: 'synthetic failure' };
  const pes = design.peRows * design.peCols;
  const df = design.dataflow === 'ws' ? 0.9 : design.dataflow === 'os' ? 1 : 1.15;
  const noise = (): number => Math.exp(0.25 * prng.normal());
  const latencyS = (2e-3 * 1024 / pes) * (1 + 64 / design.glbKiB) * df * noise();
  const energyPJ = 4e9 * (1 + 128 / design.glbKiB) * (1 + pes / 4096) * noise();
  const areaMM2 = 0.02 * pes + 0.03 * design.glbKiB + 1;
  const metrics: Record<string, number> = {
    latencyS, energyPJ, areaMM2,
    dramBytes: 2e7 * (1 + 256 / design.glbKiB) * noise(),
    edp: latencyS * energyPJ,
    quantError: 0.01,
    utilization: Math.min(1, 0.3 + 0.7 * (1 / df) * noise() * 0.6),
  };
  const objectives = (opts.objectives ?? ['latencyS', 'energyPJ', 'areaMM2']).map((o) => metrics[o]!);
  const limit = opts.areaLimitMM2 ?? 40;
  const infeasible = areaMM2 > limit;
  return {
    seq: i, hash, design,
    status: infeasible ? 'infeasible' : 'ok',
    metrics, objectives,
    ...(infeasible ? { violations: [{ name: 'areaMM2', value: areaMM2, limit, kind: 'max' as const }] } : {}),
  };
}

/** Writes `<dir>/journal.jsonl` (streamed in batches, so a million trials never sit in memory). */
export function writeSyntheticRun(dir: string, opts: SyntheticRunOptions): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'journal.jsonl');
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, JSON.stringify(syntheticHeader(opts)) + '\n');
    const prng = new Prng(opts.seed ?? 1);
    const order = COMBOS.map((_, k) => k);
    let buf = '';
    for (let i = 0; i < opts.trials; i++) {
      if (i % COMBOS.length === 0) prng.shuffle(order);
      buf += JSON.stringify(syntheticTrial(i, prng, opts, order)) + '\n';
      if (buf.length > 1 << 20) {
        writeSync(fd, buf);
        buf = '';
      }
    }
    if (buf) writeSync(fd, buf);
  } finally {
    closeSync(fd);
  }
  return dir;
}
