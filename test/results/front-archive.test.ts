import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { FrontArchive, kneeIndex } from '../../results/front-archive.ts';
import { dominates } from '../../results/dominance.ts';
import { DseError } from '../../core/errors.ts';

/**
 * Brute force from the definition: the indices of added vectors that nothing added dominates,
 * keeping only the first of identical vectors, in order of addition.
 */
function bruteFront(added: number[][]): number[] {
  return added
    .map((_, i) => i)
    .filter((i) => !added.some((q) => dominates(q, added[i]!)))
    .filter((i) => !added.slice(0, i).some((q) => q.every((v, k) => v === added[i]![k])));
}

test('after any sequence of adds the archive is the brute-force front of everything added (first of equal vectors kept)', () => {
  const adds = fc
    .integer({ min: 1, max: 5 })
    .chain((d) => fc.array(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: d, maxLength: d }), { maxLength: 80 }));
  fc.assert(
    fc.property(adds, (added) => {
      const archive = new FrontArchive<number>();
      const entered = added.map((p, i) => archive.add(p, i));
      const expected = bruteFront(added);
      assert.deepEqual(archive.items(), expected);
      assert.deepEqual(archive.points(), expected.map((i) => added[i]));
      assert.equal(archive.size, expected.length);
      // add() answers whether the vector was not covered by the front held at that moment.
      added.forEach((p, i) => {
        const before = added.slice(0, i);
        const covered = before.some((q) => q.every((v, k) => v <= p[k]!));
        assert.equal(entered[i], !covered, `add ${i}`);
      });
    }),
    { numRuns: 500 },
  );
});

test('isDominated answers, before each add, whether something added earlier dominates the vector', () => {
  const adds = fc
    .integer({ min: 1, max: 4 })
    .chain((d) => fc.array(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: d, maxLength: d }), { maxLength: 60 }));
  fc.assert(
    fc.property(adds, (added) => {
      const archive = new FrontArchive<number>();
      added.forEach((p, i) => {
        const expected = added.slice(0, i).some((q) => dominates(q, p));
        assert.equal(archive.isDominated(Float64Array.from(p)), expected, `before add ${i}`);
        archive.add(p, i);
      });
    }),
    { numRuns: 500 },
  );
});

test('ties: the first item with a given objective vector wins', () => {
  const a = new FrontArchive<string>();
  assert.equal(a.add([1, 2], 'first'), true);
  assert.equal(a.add([1, 2], 'second'), false);
  assert.equal(a.add([2, 1], 'other'), true);
  assert.deepEqual(a.items(), ['first', 'other']);
  const b = new FrontArchive<string>();
  b.add([1, 2, 3], 'first');
  b.add([1, 2, 3], 'second');
  assert.deepEqual(b.entries(), [{ objectives: [1, 2, 3], item: 'first' }]);
});

test('archive copies vectors and rejects malformed ones', () => {
  const a = new FrontArchive<number>();
  const v = [1, 1];
  a.add(v, 0);
  v[0] = 99;
  assert.deepEqual(a.points(), [[1, 1]]);
  a.points()[0]![0] = 42;
  assert.deepEqual(a.points(), [[1, 1]]);
  assert.throws(() => a.add([1, 2, 3], 1), (e: unknown) => e instanceof DseError && e.code === 'objective_dimension');
  assert.throws(() => a.add([NaN, 0], 1), (e: unknown) => e instanceof DseError && e.code === 'objective_nan');
});

test('kneeIndex: closest to the ideal point of the front normalised to its own ideal and nadir', () => {
  // Front (0,100) (30,20) (50,10) (100,0): ideal (0,0), nadir (100,100).
  // Normalised: (0,1) (0.3,0.2) (0.5,0.1) (1,0); squared distances 1, 0.13, 0.26, 1 -> index 1.
  assert.equal(kneeIndex([[0, 100], [30, 20], [50, 10], [100, 0]]), 1);
  // Scale matters only through the range: multiplying objective 1 by 1000 changes nothing.
  assert.equal(kneeIndex([[0, 100000], [30, 20000], [50, 10000], [100, 0]]), 1);
  // Symmetric tie between (0.4,0.6) and (0.6,0.4): lowest index wins.
  assert.equal(kneeIndex([[0, 1], [0.6, 0.4], [0.4, 0.6], [1, 0]]), 1);
  assert.equal(kneeIndex([]), -1);
  assert.equal(kneeIndex([[3, 4]]), 0);
});
