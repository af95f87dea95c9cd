import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDseError } from '../../../core/errors.ts';
import { readJournal } from '../../../results/journal.ts';
import { chooseDesign, combineRuns, readReferenceFront } from '../../../results/report/build-model.ts';
import { scanRun } from '../../../results/report/run-scan.ts';
import { modelOf } from './helpers.ts';
import { writeSyntheticRun } from './synthetic-run.ts';

const OBJ = ['latencyS', 'energyPJ'];

/** Two-objective hypervolume by the textbook sweep (independent of results/hypervolume.ts), points already normalised. */
function hv2(points: number[][], ref: number[]): number {
  const pts = points.filter((p) => p[0]! < ref[0]! && p[1]! < ref[1]!).sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  let area = 0, bestY = ref[1]!;
  for (const [x, y] of pts) {
    if (y! < bestY) {
      area += (ref[0]! - x!) * (bestY - y!);
      bestY = y!;
    }
  }
  return area;
}

function bruteFront(points: number[][]): number[][] {
  const dom = (a: number[], b: number[]): boolean => a.every((x, i) => x <= b[i]!) && a.some((x, i) => x < b[i]!);
  return points.filter((p) => !points.some((q) => dom(q, p)));
}

test('several runs: one convergence line each, same normalisation, reference front hypervolume', () => {
  const dir = mkdtempSync(join(tmpdir(), 'report-cmp-'));
  try {
    const a = writeSyntheticRun(join(dir, 'a'), { trials: 500, seed: 21, objectives: OBJ, algorithm: 'random' });
    const b = writeSyntheticRun(join(dir, 'b'), { trials: 300, seed: 22, objectives: OBJ, algorithm: 'nsga2' });
    const okPoints = (run: string): number[][] => readJournal(join(run, 'journal.jsonl')).trials.filter((t) => t.status === 'ok').map((t) => t.objectives!);
    const fa = bruteFront(okPoints(a)), fb = bruteFront(okPoints(b));
    const union = bruteFront([...fa, ...fb]);
    const refFile = join(dir, 'reference.json');
    writeFileSync(refFile, JSON.stringify({ objectives: OBJ, front: union.map((p) => ({ objectives: p })) }));

    const model = modelOf([a, b], { reference: readReferenceFront(refFile, OBJ) });
    assert.equal(model.front.length, union.length);
    const conv = model.convergence!;
    assert.equal(conv.series.length, 2);
    assert.deepEqual(conv.series.map((s) => s.evaluations[s.evaluations.length - 1]), [500, 300]);
    // Normalisation over every run's front and the reference together (so a weaker run's front
    // still counts inside the box); reference point 1.1 (results/normalize.ts convention).
    const all = [...fa, ...fb, ...union];
    const lo = [0, 1].map((i) => Math.min(...all.map((p) => p[i]!)));
    const hi = [0, 1].map((i) => Math.max(...all.map((p) => p[i]!)));
    const norm = (p: number[]): number[] => p.map((v, i) => (v - lo[i]!) / (hi[i]! - lo[i]!));
    assert.deepEqual(conv.ideal, lo);
    assert.deepEqual(conv.nadir, hi);
    const expectA = hv2(fa.map(norm), [1.1, 1.1]);
    const expectB = hv2(fb.map(norm), [1.1, 1.1]);
    const expectRef = hv2(union.map(norm), [1.1, 1.1]);
    const final = (i: number): number => conv.series[i]!.hypervolume[conv.series[i]!.hypervolume.length - 1]!;
    assert.ok(Math.abs(final(0) - expectA) < 1e-9, `${final(0)} vs ${expectA}`);
    assert.ok(Math.abs(final(1) - expectB) < 1e-9, `${final(1)} vs ${expectB}`);
    assert.ok(Math.abs(conv.referenceHypervolume! - expectRef) < 1e-9);
    for (const s of conv.series) {
      assert.ok(s.hypervolume.every((v, i) => i === 0 || v >= s.hypervolume[i - 1]! - 1e-12), 'hypervolume never falls');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the design to dissect: knee by default, by seq or hash prefix, a clear error otherwise', () => {
  const dir = mkdtempSync(join(tmpdir(), 'report-cmp-'));
  try {
    const run = writeSyntheticRun(join(dir, 'a'), { trials: 400, seed: 3 });
    const combined = combineRuns([scanRun(run, 0)]);
    const knee = chooseDesign(combined)!;
    assert.equal(knee.design, combined.front[combined.kneeIndex!]);
    const other = combined.front.find((d) => d !== knee.design)!;
    assert.equal(chooseDesign(combined, String(other.seq))!.design, other);
    assert.equal(chooseDesign(combined, other.hash.slice(0, 10))!.design, other);
    assert.throws(() => chooseDesign(combined, 'zzzzzzzz'), (e: unknown) => isDseError(e) && e.code === 'design_not_on_front');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('runs with different objectives cannot share a report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'report-cmp-'));
  try {
    const a = writeSyntheticRun(join(dir, 'a'), { trials: 50, seed: 1, objectives: OBJ });
    const b = writeSyntheticRun(join(dir, 'b'), { trials: 50, seed: 2 });
    assert.throws(() => combineRuns([scanRun(a, 0), scanRun(b, 1)]), (e: unknown) => isDseError(e) && e.code === 'objectives_differ');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('runs of one problem share a report whatever their searcher and seed; runs of different problems are refused, naming both studies', () => {
  const dir = mkdtempSync(join(tmpdir(), 'report-cmp-'));
  try {
    const a = writeSyntheticRun(join(dir, 'a'), { trials: 50, seed: 1, algorithm: 'random' });
    const b = writeSyntheticRun(join(dir, 'b'), { trials: 80, seed: 2, algorithm: 'nsga2' });
    const c = writeSyntheticRun(join(dir, 'c'), { trials: 50, seed: 1, name: 'tighter', areaLimitMM2: 20 });
    assert.ok(combineRuns([scanRun(a, 0), scanRun(b, 1)]).front.length > 0);
    assert.throws(
      () => combineRuns([scanRun(a, 0), scanRun(c, 1)]),
      (e: unknown) => isDseError(e) && e.code === 'report_different_problems' && /study 'tighter'/.test(e.message) && /study 'synthetic study'/.test(e.message),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
