import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRunReportModel, writeReport, type ReportFormat } from '../../dse/report-writer.ts';
import { writeSyntheticRun } from '../../test/results/report/synthetic-run.ts';
import { median, type BenchSection, type BenchTable } from '../table.ts';

/**
 * `npm run bench -- report`: time and size of `dse report` on synthetic runs of 10^3, 10^5
 * and 10^6 trials (three objectives, 4 parameters). The journals are written to a temp dir
 * first and not timed. Targets for 10^6 trials: under 3 s and under 8 MB (HTML).
 */
const SIZES = [1_000, 100_000, 1_000_000];

async function timeReport(run: string, format: ReportFormat, repeats: number): Promise<{ seconds: number; bytes: number; out: string }> {
  const times: number[] = [];
  let out = '';
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    out = await writeReport({ runDirs: [run], format, out: join(run, `report.${format}`) });
    times.push((performance.now() - started) / 1000);
  }
  return { seconds: median(times), bytes: statSync(out).size, out };
}

export const section: BenchSection = {
  name: 'report',
  async run(): Promise<BenchTable[]> {
    const dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
    const rows: (string | number)[][] = [];
    try {
      for (const n of SIZES) {
        const run = writeSyntheticRun(join(dir, `run-${n}`), { trials: n, seed: 7 });
        const journalMB = statSync(join(run, 'journal.jsonl')).size / 1e6;
        const repeats = n >= 1_000_000 ? 2 : 3;
        // ml-cart's share: the design-rule tree and the importance trees, on their deterministic samples.
        const drivers = (await buildRunReportModel({ runDirs: [run] })).drivers;
        const fit = drivers ? `${drivers.trainRows}+${drivers.importanceRows} rows: ${Math.round(drivers.fitMs.rules)}+${Math.round(drivers.fitMs.importance)} ms` : '-';
        for (const format of ['html', 'md', 'ipynb'] as const) {
          const r = await timeReport(run, format, format === 'html' ? repeats : 1);
          rows.push([n, format, Number(journalMB.toFixed(1)), Number(r.seconds.toFixed(2)), Number((r.bytes / 1e6).toFixed(2)), fit]);
        }
        rmSync(run, { recursive: true, force: true });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return [
      {
        title: 'dse report on synthetic runs (3 objectives, one workload)',
        columns: ['trials', 'format', 'journal (MB)', 'time (s, median)', 'report (MB)', 'ml-cart fits (rules+importance)'],
        rows,
        notes: [
          'Targets at 10^6 trials: HTML under 3 s and under 8 MB. Time includes streaming the journal, the front,',
          'the sample, hypervolume convergence, re-evaluating the knee with the cost model, the ml-cart trees of',
          '"What drives the front" (fit times in the last column, measured once per size), rendering and writing.',
          'The Markdown report also writes its SVG figures (not counted in its size).',
          `Peak RSS of this process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB.`,
        ],
      },
    ];
  },
};
