import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Prng } from '../../core/prng.ts';
import type { JournalHeader, Trial } from '../../core/types.ts';
import { baselineToJson, compareToBaseline, makeBaseline, readBaseline, type RunFront } from '../../results/baseline.ts';
import { checkMarkdown } from '../../results/check-markdown.ts';
import { JournalWriter, forEachTrial, readJournal } from '../../results/journal.ts';
import { checkJUnit } from '../../results/junit.ts';
import { readFront, studyHashIgnoringSeed, writeRunOutputs } from '../../results/run-outputs.ts';
import { median, type BenchSection, type BenchTable } from '../table.ts';

/**
 * `dse check` on large fronts (target: under 1 s for 10,000 points in 3 objectives) and the
 * journal's write and read throughput.
 */

const FRONT_POINTS = 10_000;
const JOURNAL_TRIALS = 100_000;
const REPEATS = 5;

const study = {
  name: 'bench-check',
  workloads: [{ name: 'resnet18', params: {}, weight: 1 }],
  space: { peRows: { int: { min: 4, max: 64, step: 4 } }, peCols: { int: { min: 4, max: 64, step: 4 } }, glbKiB: { pow2: { min: 32, max: 4096 } }, dataflow: { categorical: ['os', 'ws', 'is'] } },
  fixed: {},
  objectives: ['latencyS', 'energyPJ', 'areaMM2'],
  constraints: {},
  search: { algorithm: 'random', budget: JOURNAL_TRIALS, seed: 1, batchSize: 64, options: {} },
};

const header: JournalHeader = {
  type: 'header',
  study,
  studyHash: 'bench00000000001',
  seed: 1,
  version: '0.1.0',
  objectives: ['latencyS', 'energyPJ', 'areaMM2'],
  createdAt: '2024-01-01T00:00:00.000Z',
};

function design(rng: Prng): Trial['design'] {
  return { peRows: 4 * (1 + rng.int(16)), peCols: 4 * (1 + rng.int(16)), glbKiB: 32 << rng.int(8), dataflow: rng.pick(['os', 'ws', 'is']) };
}

/**
 * A mutually non-dominated 3-objective front: points on the positive octant of a sphere
 * (a point below another in every objective would be closer to the origin), scaled to
 * plausible units. `jitter` perturbs each value by up to that relative amount.
 */
function sphereFront(n: number, seed: number, jitter = 0, base?: Trial[]): Trial[] {
  const rng = new Prng(seed);
  const out: Trial[] = [];
  for (let i = 0; i < n; i++) {
    let obj: number[];
    if (base) obj = base[i]!.objectives!.map((v) => v * (1 + jitter * (2 * rng.next() - 1)));
    else {
      const v = [Math.abs(rng.normal()), Math.abs(rng.normal()), Math.abs(rng.normal())];
      const r = Math.hypot(v[0]!, v[1]!, v[2]!) || 1;
      obj = [1e-3 * (0.1 + v[0]! / r), 1e9 * (0.1 + v[1]! / r), 10 * (0.1 + v[2]! / r)];
    }
    const metrics = { latencyS: obj[0]!, energyPJ: obj[1]!, areaMM2: obj[2]! };
    out.push({ seq: i, hash: base ? base[i]!.hash : `p${i.toString(16).padStart(15, '0')}`, design: base ? base[i]!.design : design(rng), status: 'ok', metrics, objectives: obj });
  }
  return out;
}

function runFront(front: Trial[], seed = 1): RunFront {
  return { study: { name: 'bench-check', hash: 'bench00000000001', hashIgnoringSeed: studyHashIgnoringSeed(study) }, seed, objectives: header.objectives, toolVersion: '0.1.0', front };
}

function timeMs(fn: () => void, repeats = REPEATS): number {
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

async function checkTable(): Promise<BenchTable> {
  const base = sphereFront(FRONT_POINTS, 1);
  const baseline = makeBaseline([runFront(base)]);
  const cases: [string, Trial[]][] = [
    ['identical front', base],
    ['every value jittered by up to 0.1%', sphereFront(FRONT_POINTS, 2, 1e-3, base)],
    ['a different front (another seed)', sphereFront(FRONT_POINTS, 3)],
  ];
  const rows: (string | number)[][] = [];
  for (const [name, front] of cases) {
    let verdict = '';
    const ms = timeMs(() => {
      const r = compareToBaseline([runFront(front)], baseline);
      verdict = r.verdict;
    });
    rows.push([name, FRONT_POINTS, 3, ms, verdict]);
  }

  // The whole `dse check` path in process (read both files, compare, render) and the CLI itself.
  const dir = mkdtempSync(join(tmpdir(), 'dse-bench-check-'));
  try {
    const jittered = cases[1]![1];
    writeRunOutputs(join(dir, 'run'), { header, front: jittered, counts: { total: FRONT_POINTS, ok: FRONT_POINTS, infeasible: 0, failed: 0 } });
    const blFile = join(dir, 'bl.json');
    writeFileSync(blFile, baselineToJson(baseline));
    const inProcess = timeMs(() => {
      const r = compareToBaseline([readFront(join(dir, 'run'))], readBaseline(blFile));
      checkMarkdown(r);
      checkJUnit(r);
    });
    rows.push(['read files + compare + Markdown + JUnit (jittered)', FRONT_POINTS, 3, inProcess, '']);
    const bin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'dse.js');
    let code: number | null = null;
    const cli = timeMs(() => {
      code = spawnSync(process.execPath, [bin, 'check', join(dir, 'run'), '--baseline', blFile], { encoding: 'utf8', env: { ...process.env, GITHUB_STEP_SUMMARY: '' } }).status;
    }, 3);
    rows.push(['`dse check` CLI, wall time incl. Node start (jittered)', FRONT_POINTS, 3, cli, `exit ${code}`]);
    const startup = timeMs(() => {
      spawnSync(process.execPath, [bin, 'check', '--help'], { encoding: 'utf8' });
    }, 3);
    rows.push(['`dse check --help`: Node, tsx and command loading alone', 0, 3, startup, '']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    title: 'dse check: compareToBaseline on 3-objective fronts (median ms)',
    columns: ['case', 'points', 'objectives', 'ms', 'verdict'],
    rows,
    notes: ['Target: a check of a 10,000-point 3-objective front in under 1 s (the in-process and CLI rows).'],
  };
}

async function journalTable(): Promise<BenchTable> {
  const dir = mkdtempSync(join(tmpdir(), 'dse-bench-journal-'));
  try {
    const rng = new Prng(5);
    const trials: Trial[] = [];
    for (let i = 0; i < JOURNAL_TRIALS; i++) {
      const metrics = { latencyS: rng.next() * 1e-2, energyPJ: rng.next() * 1e10, areaMM2: rng.next() * 20, dramBytes: Math.floor(rng.next() * 1e9), edp: rng.next(), utilization: rng.next() };
      trials.push({ seq: i, hash: i.toString(16).padStart(16, '0'), design: design(rng), status: 'ok', metrics, objectives: [metrics.latencyS, metrics.energyPJ, metrics.areaMM2] });
    }
    let n = 0;
    const file = (): string => join(dir, `j${n}.jsonl`);
    const writeMs = timeMs(() => {
      n++;
      const w = JournalWriter.create(file(), header);
      for (let i = 0; i < trials.length; i += 64) w.append(trials.slice(i, i + 64));
      w.close();
    });
    const bytes = statSync(file()).size;
    const readMs = timeMs(() => {
      readJournal(file());
    });
    const streamMs = timeMs(() => {
      let count = 0;
      forEachTrial(file(), () => {
        count++;
      });
    });
    const row = (what: string, ms: number): (string | number)[] => [what, JOURNAL_TRIALS, ms, Math.round(JOURNAL_TRIALS / (ms / 1000)), (bytes / 2 ** 20 / (ms / 1000)).toFixed(0)];
    return {
      title: `journal throughput (${JOURNAL_TRIALS.toLocaleString('en-US')} trials, ${(bytes / 2 ** 20).toFixed(1)} MiB, median of ${REPEATS})`,
      columns: ['operation', 'trials', 'ms', 'trials/s', 'MiB/s'],
      rows: [row('append, batches of 64 (no fsync per batch)', writeMs), row('readJournal (all in memory)', readMs), row('forEachTrial (streaming)', streamMs)],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const section: BenchSection = {
  name: 'check',
  async run() {
    return [await checkTable(), await journalTable()];
  },
};
