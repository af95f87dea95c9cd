import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from './cli-helpers.ts';

/*
 * A baseline committed in one clone checks in another: the same study and workload files in
 * two folders (as two checkouts, or a laptop and a CI runner) pose one problem, through the
 * real CLI. Editing a workload file makes it another problem.
 */

const STUDY = `name: clone-study
workloads:
  - workloads/residual-cnn.yaml
  - workloads/scalesim-sample-gemm.csv
space:
  peRows: {pow2: {min: 8, max: 32}}
  dataflow: {categorical: [os, ws]}
objectives: [latencyS, energyPJ]
search: {algorithm: grid, budget: 6, seed: 1, batchSize: 6}
`;

function checkout(dir: string, edit: (layers: string) => string = (l) => l): void {
  mkdirSync(join(dir, 'workloads'), { recursive: true });
  writeFileSync(join(dir, 'study.yaml'), STUDY);
  writeFileSync(join(dir, 'workloads/residual-cnn.yaml'), edit(readFileSync(join(REPO_ROOT, 'configs/workloads/residual-cnn.yaml'), 'utf8')));
  writeFileSync(join(dir, 'workloads/scalesim-sample-gemm.csv'), readFileSync(join(REPO_ROOT, 'configs/workloads/scalesim-sample-gemm.csv'), 'utf8'));
}

test('dse check of a run in one folder against the baseline of the same study in another passes; an edited workload file is another problem', () => {
  const root = mkdtempSync(join(tmpdir(), 'dse-clones-'));
  try {
    const [a, b, edited] = [join(root, 'clone-a'), join(root, 'ci/checkout/clone-b'), join(root, 'clone-c')];
    checkout(a);
    checkout(b);
    checkout(edited, (l) => l.replace('inFeatures: 32, outFeatures: 10', 'inFeatures: 32, outFeatures: 100'));
    for (const dir of [a, b, edited]) {
      // Each run from inside its own checkout, with a relative study path, as CI does.
      const r = runCli(['run', 'study.yaml', '-o', 'runs/pr', '--no-report'], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
    }
    const front = (dir: string): { study: { problemHash: string }; front: unknown[] } => JSON.parse(readFileSync(join(dir, 'runs/pr/front.json'), 'utf8'));
    assert.equal(front(b).study.problemHash, front(a).study.problemHash);

    const base = runCli(['baseline', 'runs/pr', '-o', 'front.baseline.json'], { cwd: a });
    assert.equal(base.code, 0, base.stderr);
    const check = runCli(['check', join(b, 'runs/pr'), '--baseline', join(a, 'front.baseline.json')], { cwd: b });
    assert.equal(check.code, 0, check.stdout + check.stderr);
    assert.match(check.stdout, /same problem/);

    const other = runCli(['check', join(edited, 'runs/pr'), '--baseline', join(a, 'front.baseline.json')], { cwd: edited });
    assert.equal(other.code, 2, other.stdout + other.stderr);
    assert.match(other.stderr, /solve different problems/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
