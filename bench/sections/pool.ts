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
      const study = writeStudy(tmp, 'pool-resnet50', 'resnet50', 4000, 200);
      const rows: (string | number)[][] = [];
      const rate: Record<number, number> = {};
      for (const workers of [1, 2]) {
        const rates: number[] = [];
        for (let rep = 0; rep < 3; rep++) {
          const r = runChild(study, workers, 4000, join(tmp, `pool-${workers}-${rep}`));
          rates.push(r.trials / r.elapsedS);
        }
        rate[workers] = median(rates);
        rows.push([workers, 4000, Math.round(rate[workers]!), (rate[workers]! / rate[1]!).toFixed(2)]);
      }
      return [
        {
          title: 'Pool throughput: resnet50 study, random search, whole run including worker start-up (median of 3 runs)',
          columns: ['workers', 'trials', 'trials/s', 'speed-up vs 1 worker'],
          rows,
          notes: [`Target: 2 workers >= 1.7x one worker. Measured: ${(rate[2]! / rate[1]!).toFixed(2)}x.`],
        },
      ];
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  },
};
