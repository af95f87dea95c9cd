import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeReport } from '../../../dse/report-writer.ts';
import { writeSyntheticRun } from './synthetic-run.ts';

/** `dse report A B C`: runs of one problem overlay their fronts; different problems get a part each. */
test('runs of one problem: one front per run in its colour, named by searcher, budget and seed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'report-runs-'));
  try {
    const a = writeSyntheticRun(join(dir, 'a'), { trials: 500, seed: 1 });
    const b = writeSyntheticRun(join(dir, 'b'), { trials: 300, seed: 2, algorithm: 'nsga2' });
    const html = readFileSync(await writeReport({ runDirs: [a, b], out: join(dir, 'r.html') }), 'utf8');
    const figs = JSON.parse(html.match(/<script type="application\/json" id="report-figures">([\s\S]*?)<\/script>/)![1]!) as Record<string, { data: { name?: string; mode?: string }[] }>;
    const names = figs['pareto-latencyS-energyPJ']!.data.map((t) => t.name ?? '');
    assert.ok(names.some((n) => /^random budget 500 seed 1 \(\d+ designs\)$/.test(n)), names.join(' | '));
    assert.ok(names.some((n) => /^nsga2 budget 300 seed 2 \(\d+ designs\)$/.test(n)), names.join(' | '));
    assert.ok(figs['convergence']!.data.some((t) => t.name === 'nsga2 budget 300 seed 2'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('runs of different problems: a part per problem, ids unique, never one front of both', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'report-problems-'));
  try {
    const a = writeSyntheticRun(join(dir, 'a'), { trials: 400, seed: 1, name: 'loose' });
    const b = writeSyntheticRun(join(dir, 'b'), { trials: 400, seed: 1, name: 'tight', areaLimitMM2: 20 });
    const html = readFileSync(await writeReport({ runDirs: [a, b], out: join(dir, 'r.html') }), 'utf8');
    for (const id of ['p1-study', 'p1-front', 'p1-drivers', 'p2-study', 'p2-front', 'p2-sensitivity']) assert.ok(html.includes(`<section class="cell" id="${id}">`), id);
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]!);
    assert.equal(new Set(ids).size, ids.length, 'element ids are unique');
    assert.equal((html.match(/<select class="colour-by"/g) ?? []).length, 2, 'a colour menu per problem');
    const md = readFileSync(await writeReport({ runDirs: [a, b], out: join(dir, 'r.md') }), 'utf8');
    assert.match(md, /^## Problem 1 \(loose\) · 2\. The Pareto front$/m);
    assert.match(md, /^## Problem 2 \(tight\) · 2\. The Pareto front$/m);
    await assert.rejects(writeReport({ runDirs: [a, b], out: join(dir, 'r.ipynb') }), /different problems/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
