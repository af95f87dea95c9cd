import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { baselineToJson, compareToBaseline, DEFAULT_TOLERANCES, makeBaseline, readBaseline, type RunFront } from '../../results/baseline.ts';
import { parseTolerance } from '../../dse/commands/check.ts';
import { isDseError } from '../../core/errors.ts';
import { paretoFront } from '../../results/pareto-front.ts';
import type { Trial } from '../../core/types.ts';

/*
 * `dse check` must fail whenever an objective got worse by more than the tolerance, whatever
 * the shape of the baseline front: one point (one objective, or one dominating design), a
 * front spanning many orders of magnitude, a near-duplicate point masking another.
 */

function trial(i: number, objectives: number[]): Trial {
  return { seq: i, hash: `h${i}`, design: { peRows: i }, status: 'ok', metrics: {}, objectives };
}

function run(points: number[][], names: string[]): RunFront {
  return {
    study: { name: 'p', hash: 'p-1', hashIgnoringSeed: 'p' },
    seed: 1,
    objectives: names,
    toolVersion: '0.1.0',
    front: points.map((p, i) => trial(i, p)),
  };
}

function worsen(points: number[][], objective: number, factor: number): number[][] {
  return points.map((p) => p.map((v, j) => (j === objective ? v * factor : v)));
}

const names = (d: number): string[] => ['latencyS', 'energyPJ', 'areaMM2', 'dramBytes'].slice(0, d);

test('one objective: latency x1.5, x2 and x3 regress (the baseline front is one point)', () => {
  const base = makeBaseline([run([[0.004]], names(1))]);
  for (const f of [1.5, 2, 3, 10]) {
    const r = compareToBaseline([run([[0.004 * f]], names(1))], base);
    assert.equal(r.verdict, 'regress', `x${f}: ${JSON.stringify(r.reasons)}`);
  }
  assert.equal(compareToBaseline([run([[0.004]], names(1))], base).verdict, 'pass');
});

test('two objectives, one dominating design: latency x2 regresses', () => {
  const base = makeBaseline([run([[0.004, 2e9]], names(2))]);
  const r = compareToBaseline([run([[0.008, 2e9]], names(2))], base);
  assert.equal(r.verdict, 'regress', JSON.stringify(r.reasons));
});

test('a near-duplicate point does not hide a x1.5 latency regression of the front', () => {
  // B nearly dominates A and C; in units of the range, the best latency is ~0 and moves by ~0.
  const pts = [[0.001, 2], [0.001001, 1.000001], [1.001, 1]];
  const base = makeBaseline([run(pts, names(2))]);
  const r = compareToBaseline([run(worsen(pts, 0, 1.5), names(2))], base);
  assert.equal(r.verdict, 'regress', JSON.stringify(r.reasons));
  assert.ok(r.reasons.some((x) => /relative/.test(x) && /latencyS/.test(x)), r.reasons.join('\n'));
});

test('property: any front, any objective worsened by a factor above the tolerance, fails the check', () => {
  const value = fc.double({ min: 1e-9, max: 1e12, noNaN: true, noDefaultInfinity: true });
  const problem = fc.integer({ min: 1, max: 4 }).chain((d) =>
    fc.record({
      d: fc.constant(d),
      points: fc.array(fc.array(value, { minLength: d, maxLength: d }), { minLength: 1, maxLength: 12 }),
      objective: fc.integer({ min: 0, max: d - 1 }),
      // Just above the tolerance, up to x100.
      excess: fc.double({ min: 1e-6, max: 100, noNaN: true }),
      tolerance: fc.constantFrom(0, 0.005, 0.05, 0.2),
    }),
  );
  fc.assert(
    fc.property(problem, ({ d, points, objective, excess, tolerance }) => {
      const front = paretoFront(points.map((p, i) => trial(i, p))).map((t) => t.objectives!);
      const base = makeBaseline([run(front, names(d))]);
      const factor = (1 + tolerance) * (1 + excess);
      const r = compareToBaseline([run(worsen(front, objective, factor), names(d))], base, { hvTolerance: tolerance, epsTolerance: tolerance });
      assert.equal(r.verdict, 'regress', `factor ${factor} on objective ${objective} of ${JSON.stringify(front)}`);
      // And the unchanged front passes.
      assert.equal(compareToBaseline([run(front, names(d))], base, { hvTolerance: tolerance, epsTolerance: tolerance }).verdict, 'pass');
    }),
    { seed: 15, numRuns: 300 },
  );
});

// ---- baseline validation ----

function withBaselineFile(edit: (b: Record<string, any>) => void, fn: (file: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'dse-baseline-'));
  try {
    const b = JSON.parse(baselineToJson(makeBaseline([run([[1, 4], [2, 2], [4, 1]], names(2))])));
    edit(b);
    const file = join(dir, 'b.json');
    writeFileSync(file, JSON.stringify(b));
    fn(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function rejects(edit: (b: Record<string, any>) => void, pattern: RegExp): void {
  withBaselineFile(edit, (file) => {
    assert.throws(() => readBaseline(file), (e: unknown) => isDseError(e) && pattern.test(e.toLine()) && e.toLine().includes(file));
  });
}

test('readBaseline rejects baselines that would make every check pass', () => {
  rejects((b) => (b.referencePoint = [1e308, 1e308]), /referencePoint/);
  rejects((b) => (b.fronts[0].hypervolume = -1), /hypervolume/);
  rejects((b) => (b.fronts[0].hypervolume = 0), /hypervolume/);
  rejects((b) => (b.fronts[0].hypervolume = 1e9), /hypervolume/);
  rejects((b) => (b.fronts[0].points = []), /points/);
  rejects((b) => (b.normalization.nadir = [0.5, 0.5]), /nadir/);
  rejects((b) => (b.normalization = { ideal: [0, 0], nadir: [1e300, 1e300] }), /normalization/);
  rejects((b) => (b.fronts[0].points[0].objectives = [1, -Infinity]), /objectives/);
  withBaselineFile(() => {}, (file) => assert.equal(readBaseline(file).fronts[0]!.points.length, 3));
});

test('tolerances: 200% or 100% is refused, 0.5% and 0.005 are the same', () => {
  assert.equal(parseTolerance('0.5%', '--hv-tolerance'), 0.005);
  assert.equal(parseTolerance('0.005', '--hv-tolerance'), 0.005);
  for (const t of ['200%', '100%', '1', '2', '-1', 'NaN', 'Infinity']) {
    assert.throws(() => parseTolerance(t, '--hv-tolerance'), (e: unknown) => isDseError(e) && /--hv-tolerance/.test(e.toLine()), t);
  }
  assert.ok(DEFAULT_TOLERANCES.hvTolerance < 0.5);
});
