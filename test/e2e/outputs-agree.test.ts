import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from './cli-helpers.ts';

/** True when `text` is `value` rounded to the significant digits `text` shows. */
function shownAs(text: string, value: number): boolean {
  const digits = text.replace(/^[-0.]+/, '').replace(/[^0-9]/g, '').length;
  return digits > 0 && Number(text) === Number(value.toPrecision(digits));
}

/**
 * One set of numbers everywhere: a run whose front holds many designs with identical
 * objectives (dramGBps changes none of the objectives) reports the same front size,
 * hypervolume and knee in its own output, summary.md, front.json, front.csv, the report,
 * the baseline made from it and `dse check` against that baseline. Designs with identical
 * objectives each count (docs/PARETO.md).
 */
test('front size, hypervolume and knee agree across run output, summary.md, front.json, front.csv, report, baseline and check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dse-agree-'));
  try {
    const workload = join(REPO_ROOT, 'configs', 'workloads', 'residual-cnn.yaml');
    writeFileSync(
      join(dir, 'study.yaml'),
      `name: twins
workloads: [${JSON.stringify(workload)}]
space:
  peRows: [8, 16, 32]
  peCols: [8, 16, 32]
  glbKiB: [16, 64, 256]
  dramGBps: [8, 16]
  fusion: [none, greedy, ilp]
fixed: {dataflow: ws}
objectives: [energyPJ, areaMM2, dramBytes]
search: {algorithm: grid, budget: 200, seed: 1, batchSize: 50}
`,
    );
    const run = runCli(['run', join(dir, 'study.yaml'), '-o', join(dir, 'run'), '--workers', '0', '--no-report'], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    const front = JSON.parse(readFileSync(join(dir, 'run', 'front.json'), 'utf8')) as {
      hypervolume: number;
      knee: string;
      front: { hash: string; seq: number; objectives: number[]; knee?: boolean }[];
    };
    const n = front.front.length;
    const distinct = new Set(front.front.map((t) => t.objectives.join(','))).size;
    assert.ok(distinct < n, `the study must put designs with identical objectives on the front (${n} designs, ${distinct} vectors)`);
    const hv3 = String(Number(front.hypervolume.toPrecision(3)));
    const hv4 = String(Number(front.hypervolume.toPrecision(4)));

    // dse run's closing line and its last progress line.
    assert.match(run.stdout, new RegExp(`front of ${n} designs, hypervolume ${hv4.replace('.', '\\.')} \\(normalised to the front, as in front.json\\), knee ${front.knee}`));
    const progress = run.stderr.trim().split('\n').filter((l) => l.startsWith('progress:')).pop()!;
    assert.match(progress, new RegExp(`front ${n} `));
    assert.match(progress, /HV [0-9.]+ \(start scale\)/);

    // summary.md.
    const summary = readFileSync(join(dir, 'run', 'summary.md'), 'utf8');
    assert.match(summary, new RegExp(`${n} non-dominated designs \\(designs with identical objectives each count\\)\\. Hypervolume ${hv3.replace('.', '\\.')}`));
    assert.match(summary, new RegExp(`## Knee\\n[\\s\\S]*\`${front.knee}\``));

    // front.json's knee flag and front.csv's knee column.
    assert.deepEqual(front.front.filter((t) => t.knee).map((t) => t.hash), [front.knee]);
    const csv = readFileSync(join(dir, 'run', 'front.csv'), 'utf8').trim().split('\n');
    assert.equal(csv.length, n + 1);
    const kneeCol = csv[0]!.split(',').indexOf('knee');
    assert.deepEqual(csv.slice(1).filter((l) => l.split(',')[kneeCol] === '1').map((l) => l.split(',')[1]), [front.knee]);

    // The report: front size, hypervolume at the end of the run, the knee.
    const report = runCli(['report', join(dir, 'run'), '-o', join(dir, 'report.md'), '--design', 'knee'], { cwd: dir });
    assert.equal(report.code, 0, report.stderr);
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    assert.match(md, new RegExp(`${n} designs on the front`));
    const convergence = md.split('\n').find((l) => l.startsWith('| twins') || /^\| grid (budget \d+ )?seed 1/.test(l))!;
    assert.ok(shownAs(convergence.split('|').map((c) => c.trim()).filter(Boolean).pop()!, front.hypervolume), convergence);
    const kneeSeq = front.front.find((t) => t.hash === front.knee)!.seq;
    assert.match(md, new RegExp(`\\| ${kneeSeq} \\(knee\\) \\|`));

    // The baseline and the check.
    const b = runCli(['baseline', join(dir, 'run'), '-o', join(dir, 'b.json')], { cwd: dir });
    assert.equal(b.code, 0, b.stderr);
    assert.match(b.stdout, new RegExp(`${n} points`));
    const baseline = JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8')) as { fronts: { hypervolume: number; points: unknown[] }[] };
    assert.equal(baseline.fronts[0]!.points.length, n);
    assert.ok(Math.abs(baseline.fronts[0]!.hypervolume - front.hypervolume) <= 1e-12 * front.hypervolume);
    const c = runCli(['check', join(dir, 'run'), '--baseline', join(dir, 'b.json')], { cwd: dir, env: { GITHUB_STEP_SUMMARY: '' } });
    assert.equal(c.code, 0, c.stderr);
    assert.match(c.stdout, new RegExp(`\\| front size \\| ${n} \\| ${n} \\|`));
    const hvRow = c.stdout.split('\n').find((l) => l.startsWith('| hypervolume, seed 1 |'))!.split('|').map((x) => x.trim());
    assert.ok(shownAs(hvRow[2]!, front.hypervolume) && shownAs(hvRow[3]!, front.hypervolume), hvRow.join(' | '));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
