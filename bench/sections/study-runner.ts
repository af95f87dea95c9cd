import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchSection, BenchTable } from '../table.ts';
import { median } from '../table.ts';

/**
 * The study runner: pool throughput with 1 and 2 workers on a resnet50 study, and the peak
 * memory of long random runs on a cheap workload. Each run is a child process
 * (`bench/run-study-child.ts`) so its peak RSS is its own.
 */
const child = fileURLToPath(new URL('../run-study-child.ts', import.meta.url));
const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));

interface ChildResult {
  trials: number;
  elapsedS: number;
  maxRssMB: number;
  frontSize: number;
}

function runChild(study: string, workers: number, budget: number, dir: string): ChildResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', child, study, String(workers), String(budget), dir], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`bench child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildResult;
}

function writeStudy(dir: string, name: string, workload: string, budget: number, batchSize: number): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `name: ${name}
workloads: [${JSON.stringify(workload)}]
space:
  peRows: {int: {min: 1, max: 128}}
  peCols: {int: {min: 1, max: 128}}
  dataflow: {categorical: [os, ws, is]}
  glbKiB: {pow2: {min: 8, max: 8192}}
  weightBits: [4, 8, 16]
objectives: [latencyS, energyPJ, areaMM2]
search: {algorithm: random, budget: ${budget}, seed: 1, batchSize: ${batchSize}}
`,
  );
  return file;
}

export const section: BenchSection = {
  name: 'study-runner',
  async run(): Promise<BenchTable[]> {
    const tmp = mkdtempSync(join(tmpdir(), 'dse-bench-runner-'));
    try {
      const resnet = writeStudy(tmp, 'pool-resnet50', 'resnet50', 4000, 200);
      const rows: (string | number)[][] = [];
      const rate: Record<number, number> = {};
      for (const workers of [1, 2]) {
        const rates: number[] = [];
        for (let rep = 0; rep < 3; rep++) {
          const r = runChild(resnet, workers, 4000, join(tmp, `pool-${workers}-${rep}`));
          rates.push(r.trials / r.elapsedS);
        }
        rate[workers] = median(rates);
        rows.push([workers, 4000, Math.round(rate[workers]!), (rate[workers]! / rate[1]!).toFixed(2)]);
      }
      const pool: BenchTable = {
        title: 'Pool throughput: resnet50 study, random search (median of 3 runs)',
        columns: ['workers', 'trials', 'trials/s', 'speed-up vs 1 worker'],
        rows,
        notes: [`Target: 2 workers >= 1.7x one worker. Measured: ${(rate[2]! / rate[1]!).toFixed(2)}x.`],
      };

      const tiny = join(fixtures, 'tiny-gemm.yaml');
      const memRows: (string | number)[][] = [];
      for (const budget of [100_000, 1_000_000]) {
        const study = writeStudy(tmp, `mem-${budget}`, tiny, budget, 1000);
        const dir = join(tmp, `mem-${budget}`);
        const r = runChild(study, 2, budget, dir);
        memRows.push([budget.toLocaleString('en-US'), r.elapsedS.toFixed(1), Math.round(r.trials / r.elapsedS), r.maxRssMB.toFixed(0), r.frontSize]);
        rmSync(dir, { recursive: true, force: true });
      }
      const memory: BenchTable = {
        title: 'Peak memory of long random runs (cheap 2-GEMM workload, 2 workers, batches of 1000)',
        columns: ['trials', 'time (s)', 'trials/s', 'peak RSS (MB, whole process)', 'front size'],
        rows: memRows,
        notes: ['Target: under 300 MB for 1,000,000 trials, flat in the number of trials.'],
      };
      return [pool, memory];
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  },
};
