import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, type BenchSection, type BenchTable } from '../table.ts';
import { fixtures, runChild } from '../study-child-runs.ts';

/**
 * `npm run bench -- search`: trials per second of each searcher on a 10^12-design space (four
 * parameters of 1,000 values each) with a cheap workload (bench/fixtures/tiny-gemm.yaml), so the
 * searcher's own cost shows: the whole run, through the compiled runner with 2 workers, batches
 * of 64, median of 3 runs. Target: marl within 2x of random's trials/s.
 */
const SEARCHERS = ['random', 'grid', 'nsga2', 'marl', 'surrogate'];
const BUDGET = 2048;

function writeStudy(dir: string, algorithm: string): string {
  const layers = join(fixtures, 'tiny-gemm.yaml');
  const file = join(dir, `huge-${algorithm}.yaml`);
  writeFileSync(
    file,
    `name: huge-${algorithm}
workloads: [${JSON.stringify(layers)}]
space:
  peRows: {int: {min: 1, max: 1000}}
  peCols: {int: {min: 1, max: 1000}}
  glbKiB: {int: {min: 64, max: 64000, step: 64}}
  dramGBps: {int: {min: 1, max: 1000}}
objectives: [latencyS, energyPJ, areaMM2]
search: {algorithm: ${algorithm}, budget: ${BUDGET}, seed: 1, batchSize: 64}
`,
  );
  return file;
}

export const section: BenchSection = {
  name: 'search',
  async run(): Promise<BenchTable[]> {
    const tmp = mkdtempSync(join(tmpdir(), 'dse-bench-search-'));
    try {
      const rows: (string | number)[][] = [];
      const rate: Record<string, number> = {};
      for (const algorithm of SEARCHERS) {
        const study = writeStudy(tmp, algorithm);
        const whole: number[] = [];
        const steady: number[] = [];
        for (let rep = 0; rep < 3; rep++) {
          const r = runChild(study, 2, BUDGET, join(tmp, `${algorithm}-${rep}`));
          whole.push(r.trials / r.elapsedS);
          steady.push(r.steadyRate);
        }
        rate[algorithm] = median(whole);
        rows.push([algorithm, BUDGET, Math.round(median(whole)), Math.round(median(steady))]);
      }
      for (const row of rows) row.push((rate[row[0] as string]! / rate.random!).toFixed(2));
      return [
        {
          title: 'Searchers on a 10^12-design space (4 parameters of 1,000 values), tiny-gemm workload, 2 workers, batches of 64 (median of 3 runs)',
          columns: ['searcher', 'trials', 'whole-run trials/s', 'steady trials/s', 'vs random'],
          rows,
          notes: [
            `Target: marl within 2x of random (ratio >= 0.5). Measured: ${(rate.marl! / rate.random!).toFixed(2)}.`,
            'Whole run: trials / run time including worker start-up; steady: after the first batch.',
          ],
        },
      ];
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  },
};
