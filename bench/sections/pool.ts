import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, type BenchSection, type BenchTable } from '../table.ts';
import { runChild, writeStudy } from '../study-child-runs.ts';

/** Pool throughput with 1 and 2 workers on a resnet50 study (median of 3 runs each). */
export const section: BenchSection = {
  name: 'pool',
  async run(): Promise<BenchTable[]> {
    const tmp = mkdtempSync(join(tmpdir(), 'dse-bench-pool-'));
    try {
      const budget = 100_000;
      const study = writeStudy(tmp, 'pool-resnet50', 'resnet50', budget, 200);
      const rows: (string | number)[][] = [];
      const rate: Record<number, number> = {};
      const whole: Record<number, number> = {};
      for (const workers of [1, 2]) {
        const steady: number[] = [];
        const overall: number[] = [];
        const cpuUs: number[] = [];
        for (let rep = 0; rep < 3; rep++) {
          const r = runChild(study, workers, budget, join(tmp, `pool-${workers}-${rep}`));
          steady.push(r.steadyRate);
          overall.push(r.trials / r.elapsedS);
          cpuUs.push((r.cpuS * 1e6) / r.trials);
        }
        rate[workers] = median(steady);
        whole[workers] = median(overall);
        rows.push([
          workers,
          budget,
          Math.round(rate[workers]!),
          (rate[workers]! / rate[1]!).toFixed(2),
          Math.round(whole[workers]!),
          (whole[workers]! / whole[1]!).toFixed(2),
          median(cpuUs).toFixed(1),
        ]);
      }
      return [
        {
          title: 'Pool throughput: resnet50 study, random search, batches of 200 (median of 3 runs)',
          columns: ['workers', 'trials', 'steady trials/s', 'steady speed-up', 'whole-run trials/s', 'whole-run speed-up', 'CPU us per trial (all threads)'],
          rows,
          notes: [
            `Target: 2 workers >= 1.7x one worker. Measured: ${(rate[2]! / rate[1]!).toFixed(2)}x steady (after the first batch), ${(whole[2]! / whole[1]!).toFixed(2)}x over the whole run including worker start-up.`,
            'Target: one worker >= 30,000 resnet50 trials/s (steady).',
          ],
        },
      ];
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  },
};
