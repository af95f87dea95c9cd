import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Design } from '../core/types.ts';
import { evaluateToBatch } from '../dse/evaluate-batch.ts';
import { createEvalContext, evaluateCompact, type EvalContext } from '../dse/evaluate-design.ts';
import { loadStudy, type Study } from '../dse/load-study.ts';
import { evaluateWorkload } from '../models/cost/evaluate.ts';
import { createSearcher } from '../search/registry.ts';
import { writeStudy } from './study-child-runs.ts';
import { median, type BenchTable } from './table.ts';

const DESIGNS = 12_000;
const ROUNDS = 5;

/**
 * A pool worker's per-trial work on the pool benchmark's resnet50 study, measured in this
 * thread (CPU time, median of rounds over the same distinct designs): the cost model alone, the
 * design's evaluation around it (hardware, aggregation, objectives, constraints, hash), and the
 * whole path with the journal lines written and UTF-8 encoded, in chunks as the pool sends them.
 */
export async function workerPathTable(): Promise<BenchTable> {
  const tmp = mkdtempSync(join(tmpdir(), 'dse-bench-worker-path-'));
  let study: Study;
  try {
    study = loadStudy(writeStudy(tmp, 'pool-resnet50', 'resnet50', DESIGNS, 200));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const designs = createSearcher('random', { parameters: study.parameters, fixed: study.fixed, seed: 1, budget: DESIGNS }).ask(DESIGNS);
  const ctx = createEvalContext(study.spec);
  const workload = ctx.workloads[0]!.workload;
  const parts: [string, () => Promise<unknown>][] = [
    ['cost model (workload totals)', async () => designs.forEach((d) => evaluateWorkload(ctx.hardware.of({ ...study.fixed, ...d }), workload, undefined, { layers: false }))],
    ['design evaluation (cost model included)', async () => { for (const d of designs) await evaluateCompact(ctx, d); }],
    ['worker path (evaluation and journal lines)', () => inChunks(ctx, designs)],
  ];
  const us: number[][] = parts.map(() => []);
  for (let round = 0; round <= ROUNDS; round++) {
    for (let p = 0; p < parts.length; p++) {
      const c0 = process.cpuUsage();
      await parts[p]![1]();
      const c = process.cpuUsage(c0);
      // Round 0 warms up.
      if (round > 0) us[p]!.push((c.user + c.system) / DESIGNS);
    }
  }
  const rows = parts.map(([name], p) => [name, median(us[p]!).toFixed(1), Math.round(1e6 / median(us[p]!))]);
  return {
    title: `Worker path per resnet50 trial, in one thread (CPU time, ${DESIGNS.toLocaleString('en-US')} distinct designs, median of ${ROUNDS} rounds)`,
    columns: ['part', 'CPU us per trial', 'trials per CPU-s'],
    rows,
    notes: ['CPU time counts this process only, so other load on the machine affects it less than wall time.'],
  };
}

async function inChunks(ctx: EvalContext, designs: Design[]): Promise<void> {
  for (let i = 0; i < designs.length; i += 100) await evaluateToBatch(ctx, designs.slice(i, i + 100), (j) => i + j);
}
