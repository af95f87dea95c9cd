import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from './cli-helpers.ts';

/** `dse eval` on a front design's hardware gives the metrics `dse run` recorded for it. */
test('dse eval --json on a fused front design equals its front.json row', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dse-eval-path-'));
  try {
    const workload = join(REPO_ROOT, 'configs', 'workloads', 'residual-cnn.yaml');
    writeFileSync(
      join(dir, 'study.yaml'),
      `name: eval-path
workloads: [${JSON.stringify(workload)}]
space:
  peRows: [8, 16, 32]
  glbKiB: [16, 64]
  fusion: [greedy, ilp]
fixed: {peCols: 16, dataflow: os, clockMHz: 700}
objectives: [latencyS, energyPJ, dramBytes]
search: {algorithm: grid, budget: 12, seed: 1, batchSize: 6}
`,
    );
    const run = runCli(['run', join(dir, 'study.yaml'), '-o', join(dir, 'run'), '--workers', '0', '--no-report']);
    assert.equal(run.code, 0, run.stderr);
    const front = JSON.parse(readFileSync(join(dir, 'run', 'front.json'), 'utf8')) as { front: { design: Record<string, unknown>; metrics: Record<string, number> }[] };
    const row = front.front[0]!;
    writeFileSync(join(dir, 'hw.yaml'), Object.entries({ peCols: 16, dataflow: 'os', clockMHz: 700, ...row.design }).map(([k, v]) => `${k}: ${v}`).join('\n') + '\n');
    const ev = runCli(['eval', '-H', join(dir, 'hw.yaml'), '-w', workload, '--json']);
    assert.equal(ev.code, 0, ev.stderr);
    const totals = (JSON.parse(ev.stdout) as { totals: Record<string, number> }).totals;
    for (const k of ['latencyS', 'energyPJ', 'dramBytes', 'areaMM2', 'quantError']) assert.equal(totals[k], row.metrics[k], k);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
