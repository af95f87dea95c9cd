import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateHardware } from '../../dse/evaluate.ts';
import { loadWorkload } from '../../models/workload/load-workload.ts';
import type { BenchSection, BenchTable } from '../table.ts';

/**
 * `npm run bench -- long-decoder`: `dse eval`'s path (evaluateHardware: schedule, then cost
 * layer by layer) on Llama-3-8B decode (context 8192) stretched to 640 and 2,560 blocks (10k
 * and 41k layers), for each fusion policy: the first design (building the schedule) and a
 * second one (the cached schedule). Target: time grows linearly with the layers (ratio near
 * 4 for 4x the blocks); the ILP's exact decomposition was quadratic (75 s at 5,120 blocks).
 */
const CONFIG = fileURLToPath(new URL('../../test/models/workload/data/hf/meta-llama-3-8b/config.json', import.meta.url));
const BLOCKS = [640, 2560];

export const section: BenchSection = {
  name: 'long-decoder',
  async run(): Promise<BenchTable[]> {
    const tmp = mkdtempSync(join(tmpdir(), 'dse-bench-decoder-'));
    try {
      const rows: (string | number)[][] = [];
      const first: Record<string, number[]> = {};
      for (const blocks of BLOCKS) {
        const file = join(tmp, `llama-${blocks}.json`);
        writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(CONFIG, 'utf8')), num_hidden_layers: blocks }));
        const workload = loadWorkload(file, { context: 8192 });
        for (const fusion of ['none', 'greedy', 'ilp'] as const) {
          const t0 = performance.now();
          await evaluateHardware({ peRows: 32, peCols: 32, fusion }, workload);
          const t1 = performance.now();
          await evaluateHardware({ peRows: 32, peCols: 64, fusion }, workload);
          const t2 = performance.now();
          (first[fusion] ??= []).push(t1 - t0);
          rows.push([blocks, workload.ops.length, fusion, Number(((t1 - t0) / 1000).toFixed(2)), Number(((t2 - t1) / 1000).toFixed(2))]);
        }
      }
      const ratios = Object.entries(first).map(([f, [a, b]]) => `${f} ${(b! / a!).toFixed(1)}x`);
      return [
        {
          title: 'dse eval on a long decoder: Llama-3-8B decode, context 8192, 640 and 2,560 blocks',
          columns: ['blocks', 'layers', 'fusion', 'first design (s)', 'second design (s)'],
          rows,
          notes: [`First design, 2,560 blocks over 640 (4x the layers; linear is 4x): ${ratios.join(', ')}.`],
        },
      ];
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  },
};
