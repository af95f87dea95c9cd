import { Prng } from '../../core/prng.ts';
import { evaluateLayer, evaluateWorkload } from '../../models/cost/evaluate.ts';
import { normalizeHardware } from '../../models/hardware.ts';
import { loadWorkload } from '../../models/workload/load-workload.ts';
import type { Hardware, Workload } from '../../models/types.ts';
import { median, type BenchSection, type BenchTable } from '../table.ts';
import { workerPathTable } from '../worker-path.ts';

/**
 * Cost-model speed on one thread: layer evaluations per second and whole-network evaluations
 * per second. Every iteration evaluates a different design from a pool of random designs
 * (array shape, dataflow, buffers split or shared, bitwidths, bandwidth, node), so no cache can
 * serve a repeated question. Median of repeated timed rounds.
 */
const DESIGNS = 257;
const ROUNDS = 9;
const TARGET_RESNET50_PER_S = 10_000;
/** llama3_70b decode is 80 identical blocks: costing the repeated block once keeps it under 1 ms. */
const TARGET_LLAMA70B_DECODE_US = 1000;

function randomDesigns(seed: number): Hardware[] {
  const r = new Prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[r.int(xs.length)]!;
  const out: Hardware[] = [];
  for (let i = 0; i < DESIGNS; i++) {
    const shared = r.next() < 0.5;
    out.push(
      normalizeHardware({
        peRows: pick([8, 12, 16, 32, 64, 128]),
        peCols: pick([8, 14, 16, 32, 64, 128]),
        dataflow: pick(['os', 'ws', 'is'] as const),
        ifmapSramKiB: pick([16, 32, 64, 128, 256]),
        filterSramKiB: pick([16, 32, 64, 128, 256]),
        ofmapSramKiB: pick([16, 32, 64, 128, 256]),
        glbKiB: shared ? pick([64, 128, 256, 512, 1024, 4096]) : null,
        rfBytes: pick([8, 16, 64, 256]),
        dramGBps: pick([4, 8, 16, 25.6, 51.2]),
        clockMHz: pick([200, 500, 800, 1000]),
        weightBits: pick([4, 8, 16]),
        activationBits: pick([4, 8, 16]),
        techNode: pick(['45nm', '28nm', '16nm', '7nm']),
      }),
    );
  }
  return out;
}

/**
 * Runs `fn(i)` for i = 0.. until about `ms` have passed; returns calls per second of wall time
 * and of this process's CPU time (the latter is the fairer figure on a shared, loaded machine).
 */
function rate(fn: (i: number) => unknown, ms: number): { wall: number; cpu: number } {
  let n = 0;
  let sink = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < ms) {
    for (let k = 0; k < 16; k++, n++) sink += fn(n) ? 1 : 0;
    t = performance.now();
  }
  const c = process.cpuUsage(c0);
  if (sink < 0) throw new Error('unreachable');
  return { wall: (n * 1000) / (t - t0), cpu: (n * 1e6) / Math.max(1, c.user + c.system) };
}

function measure(fn: (i: number) => unknown, ms: number): { wall: number; cpu: number } {
  rate(fn, ms); // warm-up
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let k = 0; k < ROUNDS; k++) {
    const r = rate(fn, ms);
    walls.push(r.wall);
    cpus.push(r.cpu);
  }
  return { wall: median(walls), cpu: median(cpus) };
}

export const section: BenchSection = {
  name: 'cost-model',
  async run(): Promise<BenchTable[]> {
    const designs = randomDesigns(20240611);
    const nets: Workload[] = [
      loadWorkload('resnet50'),
      loadWorkload('bert_base'),
      loadWorkload('llama3_70b', { phase: 'decode', context: 4096, batch: 1 }),
      loadWorkload('llama3_70b', { phase: 'decode', context: 4096, batch: 16 }),
      loadWorkload('mixtral_8x7b', { phase: 'decode', context: 4096, batch: 8 }),
    ];
    const rows: (string | number)[][] = [];
    const notes: string[] = [];
    for (const w of nets) {
      const ops = w.ops;
      const layerRate = measure((i) => evaluateLayer(designs[i % DESIGNS]!, ops[i % ops.length]!, w), 200);
      const netRate = measure((i) => evaluateWorkload(designs[i % DESIGNS]!, w), 300);
      const label = w.params.phase ? `${w.name} ${w.params.phase} b${w.params.batch}` : w.name;
      rows.push([label, ops.length, Math.round(layerRate.wall), Math.round(netRate.wall), Math.round(netRate.cpu), (1e6 / netRate.wall).toFixed(1)]);
      if (w.name === 'llama3_70b') {
        const us = 1e6 / netRate.wall;
        notes.push(`Target: ${label} evaluation under ${TARGET_LLAMA70B_DECODE_US} us per design: ${us < TARGET_LLAMA70B_DECODE_US ? 'met' : 'NOT met'} (${us.toFixed(0)} us).`);
      }
      if (w.name === 'resnet50') {
        const r = Math.round(netRate.wall).toLocaleString('en-US');
        notes.push(
          `Target: >= ${TARGET_RESNET50_PER_S.toLocaleString('en-US')} resnet50 evaluations/s on one thread (wall clock): ${netRate.wall >= TARGET_RESNET50_PER_S ? 'met' : 'NOT met'} (${r}/s).`,
        );
      }
    }
    notes.push(`Each call uses the next of ${DESIGNS} random designs; median of ${ROUNDS} rounds after a warm-up.`);
    return [
      {
        title: 'Cost model speed (one thread)',
        columns: ['workload', 'ops', 'layer evals/s', 'network evals/s', 'network evals/CPU-s', 'us per network'],
        rows,
        notes,
      },
      await workerPathTable(),
    ];
  },
};
