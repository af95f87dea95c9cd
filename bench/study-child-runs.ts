import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Runs whole studies for the runner's benchmarks, each in a child process
 * (`bench/run-study-child.mjs`, plain node on the compiled dist/) so its peak RSS is its own.
 */
const child = fileURLToPath(new URL('./run-study-child.mjs', import.meta.url));
export const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

interface ChildResult {
  trials: number;
  elapsedS: number;
  /** Trials per second after the first batch (worker start-up excluded). */
  steadyRate: number;
  maxRssMB: number;
  frontSize: number;
  /** CPU seconds of all the child's threads (study loop and workers). */
  cpuS: number;
}

export function runChild(study: string, workers: number, budget: number, dir: string): ChildResult {
  const r = spawnSync(process.execPath, [child, study, String(workers), String(budget), dir], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`bench child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ChildResult;
}

export function writeStudy(dir: string, name: string, workload: string, budget: number, batchSize: number): string {
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

