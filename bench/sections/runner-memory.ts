import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchSection, BenchTable } from '../table.ts';
import { fixtures, runChild, writeStudy } from '../study-child-runs.ts';

/** Peak memory of long random runs on a cheap workload: flat in the number of trials. */
export const section: BenchSection = {
  name: 'runner-memory',
  async run(): Promise<BenchTable[]> {
    const tmp = mkdtempSync(join(tmpdir(), 'dse-bench-mem-'));
    try {
      const tiny = join(fixtures, 'tiny-gemm.yaml');
      const rows: (string | number)[][] = [];
      for (const budget of [100_000, 1_000_000]) {
        const study = writeStudy(tmp, `mem-${budget}`, tiny, budget, 1000);
        const dir = join(tmp, `mem-${budget}`);
        const r = runChild(study, 2, budget, dir);
        rows.push([budget.toLocaleString('en-US'), r.elapsedS.toFixed(1), Math.round(r.trials / r.elapsedS), r.maxRssMB.toFixed(0), r.frontSize]);
        rmSync(dir, { recursive: true, force: true });
      }
      return [
        {
          title: 'Peak memory of long random runs (cheap 2-GEMM workload, 2 workers, batches of 1000)',
          columns: ['trials', 'time (s)', 'trials/s', 'peak RSS (MB, whole process)', 'front size'],
          rows,
          notes: ['Target: under 300 MB for 1,000,000 trials, flat in the number of trials.'],
        },
      ];
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  },
};
