import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { denormalize, normalizationOf, normalize, referencePoint, referencePointIn, REFERENCE_POINT_NORMALIZED } from '../../results/normalize.ts';
import { DseError } from '../../core/errors.ts';

test('normalisation by hand: ideal and nadir per objective; zero range maps to 0 with the value as scale', () => {
  const pts = [[2, 10, 5], [4, 30, 5], [3, 20, 5]];
  const n = normalizationOf(pts);
  assert.deepEqual(n, { ideal: [2, 10, 5], nadir: [4, 30, 5] });
  // (x - ideal) / (nadir - ideal); the third objective has range 0 so it uses its magnitude, 5.
  assert.deepEqual(normalize(pts, n), [[0, 0, 0], [1, 1, 0], [0.5, 0.5, 0]]);
  assert.deepEqual(referencePoint(3), [1.1, 1.1, 1.1]);
  assert.equal(REFERENCE_POINT_NORMALIZED, 1.1);
  // In objective units: ideal + 1.1 * scale = (2 + 2.2, 10 + 22, 5 + 5.5).
  assert.deepEqual(referencePointIn(n), [2 + 2.2, 10 + 22, 5 + 5.5]);
  // Only an objective that is 0 throughout keeps scale 1.
  assert.deepEqual(referencePointIn(normalizationOf([[0], [0]])), [1.1]);
  assert.deepEqual(normalizationOf([]), { ideal: [], nadir: [] });
});

test('normalised points lie in [0, 1] and denormalize inverts normalize', () => {
  const pts = fc.integer({ min: 1, max: 4 }).chain((d) => fc.array(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: d, maxLength: d }), { minLength: 1, maxLength: 30 }));
  fc.assert(
    fc.property(pts, (points) => {
      const n = normalizationOf(points);
      const z = normalize(points, n);
      for (const p of z) for (const v of p) assert.ok(v >= 0 && v <= 1 + 1e-12, `${v}`);
      denormalize(z, n).forEach((p, i) => p.forEach((v, k) => assert.ok(Math.abs(v - points[i]![k]!) <= 1e-9 * Math.max(1, Math.abs(points[i]![k]!)))));
    }),
  );
});

test('non-finite values cannot be normalised', () => {
  assert.throws(() => normalizationOf([[1, Infinity]]), (e: unknown) => e instanceof DseError && e.code === 'non_finite_objective');
  assert.throws(() => normalize([[1, 2, 3]], { ideal: [0, 0], nadir: [1, 1] }), (e: unknown) => e instanceof DseError && e.code === 'objective_dimension');
});
