import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './cli-helpers.ts';

/**
 * Runs are compared by the problem they solve, not by how they searched it: an NSGA-II run
 * checks against an exhaustive grid's baseline of the same study, a run of another problem is
 * refused with exit 2, and `dse report` will not fold two problems into one front.
 */

function studyYaml(name: string, search: string, areaMaxMM2 = 4): string {
  return `name: ${name}
workloads:
  - gemm.yaml
space:
  peRows: [4, 8, 16, 32]
  peCols: [4, 8, 16, 32]
  dataflow: {categorical: [os, ws, is]}
  glbKiB: [16, 64, 256]
objectives: [latencyS, energyPJ, areaMM2]
constraints:
  areaMM2: {max: ${areaMaxMM2}}
search: ${search}
`;
}

const GEMM = `name: two-gemms
layers:
  - {name: fc1, type: linear, rows: 16, inFeatures: 64, outFeatures: 64}
  - {name: fc2, type: linear, rows: 16, inFeatures: 64, outFeatures: 32}
`;

test('dse check compares runs of one problem whatever the searcher, budget, seed and batch size; another problem exits 2', () => {
  const root = mkdtempSync(join(tmpdir(), 'dse-problem-'));
  try {
    writeFileSync(join(root, 'gemm.yaml'), GEMM);
    writeFileSync(join(root, 'grid.yaml'), studyYaml('gemm-grid', '{algorithm: grid, budget: 200, seed: 1, batchSize: 16}'));
    writeFileSync(join(root, 'nsga2.yaml'), studyYaml('gemm-nsga2', '{algorithm: nsga2, budget: 60, seed: 5, batchSize: 12}'));
    writeFileSync(join(root, 'other.yaml'), studyYaml('gemm-grid', '{algorithm: grid, budget: 200, seed: 1, batchSize: 16}', 2));
    const run = (study: string, out: string): void => {
      const r = runCli(['run', join(root, study), '-o', join(root, out), '--workers', '0', '--no-report'], { cwd: root });
      assert.equal(r.code, 0, r.stderr);
    };
    run('grid.yaml', 'grid');
    run('nsga2.yaml', 'nsga2');
    run('other.yaml', 'other');

    const grid = JSON.parse(readFileSync(join(root, 'grid', 'front.json'), 'utf8'));
    const nsga2 = JSON.parse(readFileSync(join(root, 'nsga2', 'front.json'), 'utf8'));
    const other = JSON.parse(readFileSync(join(root, 'other', 'front.json'), 'utf8'));
    assert.match(grid.study.problemHash, /^[0-9a-f]{16}$/);
    assert.equal(nsga2.study.problemHash, grid.study.problemHash, 'same problem, another searcher, budget, seed and batch size');
    assert.notEqual(nsga2.study.hash, grid.study.hash);
    assert.notEqual(other.study.problemHash, grid.study.problemHash, 'a tighter area limit is another problem');
    const journalHeader = JSON.parse(readFileSync(join(root, 'nsga2', 'journal.jsonl'), 'utf8').split('\n')[0]!);
    assert.equal(journalHeader.problemHash, nsga2.study.problemHash);
    assert.deepEqual(nsga2.study.search, { algorithm: 'nsga2', budget: 60, seed: 5, batchSize: 12 });

    const b = runCli(['baseline', join(root, 'grid'), '-o', join(root, 'grid.baseline.json')], { cwd: root });
    assert.equal(b.code, 0, b.stderr);
    const baseline = JSON.parse(readFileSync(join(root, 'grid.baseline.json'), 'utf8'));
    assert.equal(baseline.study.problemHash, grid.study.problemHash);

    // The grid saw every design, so the NSGA-II front is judged on its merits: 0 or 1, never 2.
    const c = runCli(['check', join(root, 'nsga2'), '--baseline', join(root, 'grid.baseline.json')], { cwd: root, env: { GITHUB_STEP_SUMMARY: '' } });
    assert.ok(c.code === 0 || c.code === 1, `exit ${c.code}: ${c.stderr}`);
    assert.match(c.stdout, /same problem, searched by: baseline grid, budget 200, seed 1, batch 16; current nsga2, budget 60, seed 5, batch 12/);
    // The grid run itself is the baseline's front: a clean pass.
    const self = runCli(['check', join(root, 'grid'), '--baseline', join(root, 'grid.baseline.json')], { cwd: root, env: { GITHUB_STEP_SUMMARY: '' } });
    assert.equal(self.code, 0, self.stderr);

    const d = runCli(['check', join(root, 'other'), '--baseline', join(root, 'grid.baseline.json')], { cwd: root, env: { GITHUB_STEP_SUMMARY: '' } });
    assert.equal(d.code, 2);
    assert.match(d.stderr, /solve different problems \(problem hash [0-9a-f]{16} vs [0-9a-f]{16}/);
    assert.equal(d.stderr.trim().split('\n').length, 1, d.stderr);

    // A baseline from before problem hashes (no problemHash, no search) still checks its own study.
    delete baseline.study.problemHash;
    for (const f of baseline.fronts) delete f.search;
    writeFileSync(join(root, 'old.baseline.json'), JSON.stringify(baseline));
    const old = runCli(['check', join(root, 'grid'), '--baseline', join(root, 'old.baseline.json')], { cwd: root, env: { GITHUB_STEP_SUMMARY: '' } });
    assert.equal(old.code, 0, old.stderr);
    // An old front.json (no problemHash) gets it from the journal beside it.
    delete nsga2.study.problemHash;
    delete nsga2.study.search;
    writeFileSync(join(root, 'nsga2', 'front.json'), JSON.stringify(nsga2));
    const derived = runCli(['check', join(root, 'nsga2'), '--baseline', join(root, 'grid.baseline.json')], { cwd: root, env: { GITHUB_STEP_SUMMARY: '' } });
    assert.ok(derived.code === 0 || derived.code === 1, `exit ${derived.code}: ${derived.stderr}`);

    // Merge unites runs of one problem; refuses another problem.
    const m = runCli(['merge', join(root, 'grid'), join(root, 'nsga2'), '-o', join(root, 'merged')], { cwd: root });
    assert.equal(m.code, 0, m.stderr);
    const mo = runCli(['merge', join(root, 'grid'), join(root, 'other'), '-o', join(root, 'merged2')], { cwd: root });
    assert.equal(mo.code, 2);
    assert.match(mo.stderr, /different problems/);

    // A report of one problem folds the runs into one front; of two problems it has a part per
    // problem (never one front of both); a notebook holds one problem and refuses two, naming each study.
    const r1 = runCli(['report', join(root, 'grid'), join(root, 'nsga2'), '-o', join(root, 'same.md')], { cwd: root });
    assert.equal(r1.code, 0, r1.stderr);
    const r2 = runCli(['report', join(root, 'nsga2'), join(root, 'other'), '-o', join(root, 'two.md')], { cwd: root });
    assert.equal(r2.code, 0, r2.stderr);
    const two = readFileSync(join(root, 'two.md'), 'utf8');
    assert.match(two, /^## Problem 1 \(gemm-nsga2\) · 1\. The study$/m);
    assert.match(two, /^## Problem 2 \(gemm-grid\) · 2\. The Pareto front$/m);
    const r3 = runCli(['report', join(root, 'nsga2'), join(root, 'other'), '-o', join(root, 'two.ipynb')], { cwd: root });
    assert.equal(r3.code, 2);
    assert.match(r3.stderr, /study 'gemm-grid'.*study 'gemm-nsga2'|study 'gemm-nsga2'.*study 'gemm-grid'/);
    assert.match(r3.stderr, /different problems/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
