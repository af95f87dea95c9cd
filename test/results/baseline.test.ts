import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baselineToJson, compareToBaseline, makeBaseline, readBaseline, type RunFront } from '../../results/baseline.ts';
import { checkMarkdown } from '../../results/check-markdown.ts';
import { checkJUnit } from '../../results/junit.ts';
import { isDseError } from '../../core/errors.ts';
import { paretoFront } from '../../results/pareto-front.ts';
import fc from 'fast-check';
import type { Trial } from '../../core/types.ts';

/*
 * Hand-computed cases. Baseline front (latencyS, energyPJ): A=(1,4), B=(2,2), C=(4,1).
 * Its ideal is (1,1) and nadir (4,4), so the normalised points are A=(0,1), B=(1/3,1/3),
 * C=(1,0) and the reference point is (1.1,1.1). Hypervolume, sweeping in the first objective:
 *   A: (1/3 - 0) * (1.1 - 1)   = 1/30
 *   B: (1 - 1/3) * (1.1 - 1/3) = 46/90
 *   C: (1.1 - 1) * (1.1 - 0)   = 0.11
 *   total = 49/90 + 0.11 = 0.654444...
 */
const OBJ = ['latencyS', 'energyPJ'];
const HV_BASE = 49 / 90 + 0.11;

function pt(hash: string, x: number, y: number): Trial {
  return { seq: 0, hash, design: { peRows: x * 8, dataflow: 'ws' }, status: 'ok', metrics: { latencyS: x, energyPJ: y }, objectives: [x, y] };
}

function run(front: Trial[], seed = 1, study = 'study-a', objectives = OBJ): RunFront {
  return { study: { name: 'toy', hash: `${study}-${seed}`, hashIgnoringSeed: study }, seed, objectives, toolVersion: '0.1.0', front };
}

const A = pt('A', 1, 4);
const B = pt('B', 2, 2);
const C = pt('C', 4, 1);
const baseline = makeBaseline([run([A, B, C])], { createdAt: '2024-01-01T00:00:00.000Z' });

test('baseline records the normalisation, reference point and hypervolume (hand-computed)', () => {
  assert.deepEqual(baseline.normalization, { ideal: [1, 1], nadir: [4, 4] });
  assert.deepEqual(baseline.referencePoint, [1.1, 1.1]);
  assert.equal(baseline.fronts.length, 1);
  assert.ok(Math.abs(baseline.fronts[0]!.hypervolume - HV_BASE) < 1e-12, `hv ${baseline.fronts[0]!.hypervolume}`);
  assert.deepEqual(baseline.fronts[0]!.points.map((p) => p.hash), ['A', 'B', 'C']);
});

test('the identical front passes with ratio 1, epsilon 0, nothing lost', () => {
  const r = compareToBaseline([run([C, A, B])], baseline);
  assert.equal(r.verdict, 'pass');
  assert.deepEqual(r.reasons, []);
  assert.ok(Math.abs(r.hypervolume.medianRatio - 1) < 1e-12);
  assert.equal(r.additiveEpsilon, 0);
  assert.equal(r.additiveEpsilonReverse, 0);
  assert.equal(r.igdPlus, 0);
  assert.equal(r.lostPoints.length, 0);
  assert.equal(r.improvements.length, 0);
});

test('removing a point regresses: hypervolume, epsilon and IGD+ by hand, and the lost point is named', () => {
  const r = compareToBaseline([run([A, C])], baseline);
  // Without B: A adds (1 - 0) * 0.1, C adds 0.11.
  assert.ok(Math.abs(r.hypervolume.perSeed[0]!.currentHv - 0.21) < 1e-12);
  assert.ok(Math.abs(r.hypervolume.medianRatio - 0.21 / HV_BASE) < 1e-12);
  // B=(1/3,1/3) is 2/3 away from both A and C in their worse objective.
  assert.ok(Math.abs(r.additiveEpsilon - 2 / 3) < 1e-12);
  // IGD+: A and C are at distance 0, B at sqrt(0 + (2/3)^2) = 2/3; the mean over 3 points is 2/9.
  assert.ok(Math.abs(r.igdPlus - 2 / 9) < 1e-12, `igd+ ${r.igdPlus}`);
  assert.equal(r.verdict, 'regress');
  assert.deepEqual(r.lostPoints.map((p) => p.hash), ['B']);
  assert.ok(r.reasons.some((x) => /^hypervolume fell to 32\.0\d*% of the baseline's/.test(x)), r.reasons.join('\n'));
  assert.ok(r.reasons.some((x) => /additive epsilon 0\.667 exceeds .* 1 baseline point is no longer reached: B /.test(x)), r.reasons.join('\n'));
});

test('worsening one objective of one point by 1% regresses, naming the point and the objective', () => {
  const worse = pt('B', 2, 2.02);
  const r = compareToBaseline([run([A, worse, C])], baseline);
  // B' normalised = (1/3, 0.34): its box loses (2/3) * 0.00666..; HV = 1/30 + (2/3)(0.76) + 0.11 = 0.65.
  assert.ok(Math.abs(r.hypervolume.perSeed[0]!.currentHv - 0.65) < 1e-12);
  assert.ok(Math.abs(r.additiveEpsilon - 0.02 / 3) < 1e-12);
  assert.equal(r.verdict, 'regress');
  assert.equal(r.lostPoints.length, 1);
  assert.equal(r.lostPoints[0]!.hash, 'B');
  assert.equal(r.lostPoints[0]!.worstObjective, 'energyPJ');
  assert.ok(r.reasons.some((x) => x.includes('B (short by 0.00667 in energyPJ)')), r.reasons.join('\n'));
  // Within looser tolerances the same front passes, the lost point still reported as a note.
  const loose = compareToBaseline([run([A, worse, C])], baseline, { hvTolerance: 0.01, epsTolerance: 0.01 });
  assert.equal(loose.verdict, 'pass');
  assert.ok(loose.notes.some((n) => /1 baseline point is no longer reached, within/.test(n)));
});

test('a better front passes and reports the new dominating points and the reverse epsilon', () => {
  const better = pt('B2', 1.5, 2); // dominates B
  const r = compareToBaseline([run([A, better, C])], baseline);
  assert.equal(r.verdict, 'pass');
  assert.equal(r.additiveEpsilon, 0);
  // B2 normalised = (1/6, 1/3); closest baseline point B is 1/6 behind it in the first objective.
  assert.ok(Math.abs(r.additiveEpsilonReverse - 1 / 6) < 1e-12);
  assert.deepEqual(r.improvements.map((p) => p.hash), ['B2']);
  assert.ok(r.hypervolume.medianRatio > 1);
});

test('three objectives, zero-range normalisation: one point worsened by 1% in one objective', () => {
  const p = (hash: string, z: number): Trial => ({ seq: 0, hash, design: {}, status: 'ok', objectives: [1, 1, z] });
  const objs = ['latencyS', 'energyPJ', 'areaMM2'];
  const b = makeBaseline([run([p('P', 1)], 1, 'three', objs)]);
  // Zero range uses scale 1: P maps to (0,0,0), HV = 1.1^3.
  assert.ok(Math.abs(b.fronts[0]!.hypervolume - 1.331) < 1e-12);
  const r = compareToBaseline([run([p('P', 1.01)], 1, 'three', objs)], b);
  // (0,0,0.01): HV = 1.1 * 1.1 * 1.09, ratio 1.09/1.1.
  assert.ok(Math.abs(r.hypervolume.medianRatio - 1.09 / 1.1) < 1e-12);
  assert.equal(r.verdict, 'regress');
  assert.equal(r.lostPoints[0]!.worstObjective, 'areaMM2');
});

test('stochastic searchers: the median ratio over the seeds present in both decides', () => {
  const seeds = [1, 2, 3];
  const multi = makeBaseline(seeds.map((s) => run([A, B, C], s)));
  assert.deepEqual(multi.fronts.map((f) => f.seed), [1, 2, 3]);
  const loose = { hvTolerance: 0.005, epsTolerance: 10 };
  // Seed 1 lost B (ratio 0.32), seeds 2 and 3 unchanged: median ratio 1 -> pass.
  const r = compareToBaseline([run([A, C], 1), run([A, B, C], 2), run([A, B, C], 3)], multi, loose);
  assert.deepEqual(r.hypervolume.perSeed.map((s) => s.seed), [1, 2, 3]);
  assert.ok(Math.abs(r.hypervolume.medianRatio - 1) < 1e-12);
  assert.equal(r.verdict, 'pass');
  // Two of three seeds lost B: median is the degraded ratio -> regress.
  const r2 = compareToBaseline([run([A, C], 1), run([A, C], 2), run([A, B, C], 3)], multi, loose);
  assert.equal(r2.verdict, 'regress');
  // A seed missing from the baseline is left out of the median; seeds 1 and 3 give (0.32 + 1) / 2.
  const r3 = compareToBaseline([run([A, C], 1), run([A, B, C], 3), run([A, C], 9)], multi, loose);
  assert.deepEqual(r3.hypervolume.perSeed.map((s) => s.seed), [1, 3]);
  assert.ok(Math.abs(r3.hypervolume.medianRatio - (0.21 / HV_BASE + 1) / 2) < 1e-12);
});

test('another study or other objectives are input errors, not regressions', () => {
  const isErr = (re: RegExp) => (e: unknown) => isDseError(e) && re.test(e.message);
  assert.throws(() => compareToBaseline([run([A], 1, 'study-b')], baseline), isErr(/not the same study/));
  assert.throws(() => compareToBaseline([run([pt('A', 1, 4)], 1, 'study-a', ['energyPJ', 'latencyS'])], baseline), isErr(/objectives do not match/));
  assert.throws(() => makeBaseline([run([A], 1), run([B], 1)]), isErr(/two runs have seed 1/));
});

test('the baseline file round-trips and a damaged one is refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dse-baseline-'));
  try {
    const file = join(dir, 'front.baseline.json');
    writeFileSync(file, baselineToJson(baseline));
    assert.deepEqual(readBaseline(file), baseline);
    writeFileSync(file, baselineToJson({ ...baseline, referencePoint: [1.1] }));
    assert.throws(() => readBaseline(file), (e: unknown) => isDseError(e) && e.path === 'referencePoint' && e.file === file);
    writeFileSync(file, '{"format": "accel-dse-baseline"');
    assert.throws(() => readBaseline(file), (e: unknown) => isDseError(e) && /malformed JSON/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the Markdown table and JUnit XML say what regressed', () => {
  const r = compareToBaseline([run([A, C])], baseline);
  const md = checkMarkdown(r);
  assert.match(md, /REGRESSION/);
  assert.match(md, /\| hypervolume ratio \| 100% \| 32\.0\d*% \| -67\.9\d*% \| >= 99\.5% \| \*\*regressed\*\* \|/);
  assert.match(md, /\| `B` \| 2 \| 2 \|/);
  const xml = checkJUnit(r);
  assert.match(xml, /<testsuite name="dse check" tests="3" failures="3"/);
  assert.match(xml, /<testcase classname="dse check" name="baseline point B"/);
  const ok = checkJUnit(compareToBaseline([run([A, B, C])], baseline));
  assert.match(ok, /failures="0"/);
  assert.doesNotMatch(ok, /<failure/);
});

test('lost points, their shortfall and the improvements agree with brute force (property)', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 2, max: 4 }).chain((d) =>
        fc.tuple(
          fc.constant(d),
          fc.array(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: d, maxLength: d }), { minLength: 1, maxLength: 40 }),
          fc.array(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: d, maxLength: d }), { minLength: 1, maxLength: 40 }),
        ),
      ),
      ([d, rawBase, rawCur]) => {
        const objs = ['latencyS', 'energyPJ', 'areaMM2', 'dramBytes'].slice(0, d);
        // Distinct points only: a baseline keeps one copy of a repeated objective vector.
        const asTrials = (pts: number[][], tag: string): Trial[] => paretoFront([...new Map(pts.map((p) => [p.join(','), p])).values()]).map((o, i) => ({ seq: i, hash: `${tag}${i}`, design: {}, status: 'ok' as const, objectives: o }));
        const b = makeBaseline([run(asTrials(rawBase, 'b'), 1, 'prop', objs)]);
        const curT = asTrials(rawCur, 'c');
        const r = compareToBaseline([run(curT, 1, 'prop', objs)], b);
        // Zero range: the scale is the value's magnitude, or 1 for an objective that is 0 throughout (normalize.ts).
        const scale = b.normalization.ideal.map((lo, j) => b.normalization.nadir[j]! - lo || Math.abs(lo) || 1);
        const norm = (p: number[]): number[] => p.map((v, j) => (v - b.normalization.ideal[j]!) / scale[j]!);
        const cur = curT.map((t) => norm(t.objectives!));
        const expectedLost = b.fronts[0]!.points.filter((p) => !cur.some((c) => c.every((v, j) => v <= norm(p.objectives)[j]!)));
        assert.deepEqual(r.lostPoints.map((p) => p.hash).sort(), expectedLost.map((p) => p.hash).sort());
        for (const p of r.lostPoints) {
          const z = norm(p.objectives);
          const brute = Math.min(...cur.map((c) => Math.max(...c.map((v, j) => v - z[j]!))));
          assert.ok(Math.abs(p.shortfall - brute) < 1e-12, `shortfall ${p.shortfall} vs ${brute}`);
        }
        const base = b.fronts[0]!.points.map((p) => norm(p.objectives));
        const dominatesB = (c: number[]): boolean => base.some((z) => c.every((v, j) => v <= z[j]!) && c.some((v, j) => v < z[j]!));
        assert.deepEqual(r.improvements.map((p) => p.hash).sort(), curT.filter((_, i) => dominatesB(cur[i]!)).map((t) => t.hash).sort());
      },
    ),
    { numRuns: 150 },
  );
});
