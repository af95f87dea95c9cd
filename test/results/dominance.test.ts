import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { crowdingDistance, dominates, nonDominatedIndices, nondominatedSort } from '../../results/dominance.ts';
import { DseError } from '../../core/errors.ts';

// Small integer coordinates make ties and duplicates common, which is where sweeps go wrong.
const vec = (d: number) => fc.array(fc.integer({ min: 0, max: 4 }), { minLength: d, maxLength: d });
const pointSet = (d: number, maxLength = 40) => fc.array(vec(d), { minLength: 0, maxLength });
const dims = fc.integer({ min: 1, max: 5 });

/** Straight from the definition: not dominated by any other point. */
function bruteNonDominated(points: number[][]): number[] {
  return points.map((_, i) => i).filter((i) => !points.some((q, j) => j !== i && dominates(q, points[i]!)));
}

/** Peel fronts by the definition. */
function bruteFronts(points: number[][]): number[][] {
  let left = points.map((_, i) => i);
  const fronts: number[][] = [];
  while (left.length > 0) {
    const f = left.filter((i) => !left.some((j) => j !== i && dominates(points[j]!, points[i]!)));
    fronts.push(f);
    left = left.filter((i) => !f.includes(i));
  }
  return fronts;
}

test('dominates: a hand case', () => {
  assert.equal(dominates([1, 2], [1, 3]), true);
  assert.equal(dominates([1, 3], [1, 2]), false);
  assert.equal(dominates([1, 2], [1, 2]), false); // equal vectors do not dominate
  assert.equal(dominates([0, 5], [1, 2]), false); // incomparable
});

test('dominance is irreflexive, antisymmetric and transitive', () => {
  fc.assert(
    fc.property(dims.chain((d) => fc.tuple(vec(d), vec(d), vec(d))), ([a, b, c]) => {
      assert.equal(dominates(a, a), false);
      if (dominates(a, b)) assert.equal(dominates(b, a), false);
      if (dominates(a, b) && dominates(b, c)) assert.equal(dominates(a, c), true);
    }),
    { numRuns: 2000 },
  );
});

test('nonDominatedIndices equals the brute-force non-dominated set (1 to 5 objectives, ties and duplicates)', () => {
  fc.assert(
    fc.property(dims.chain((d) => pointSet(d)), (points) => {
      assert.deepEqual(nonDominatedIndices(points), bruteNonDominated(points));
    }),
    { numRuns: 600 },
  );
});

test('nonDominatedIndices on continuous values and on larger sets', () => {
  const coord = fc.double({ min: -1, max: 1, noNaN: true, noDefaultInfinity: true });
  fc.assert(
    fc.property(
      fc.integer({ min: 2, max: 4 }).chain((d) => fc.array(fc.array(coord, { minLength: d, maxLength: d }), { maxLength: 150 })),
      (points) => {
        assert.deepEqual(nonDominatedIndices(points), bruteNonDominated(points));
      },
    ),
    { numRuns: 100 },
  );
});

test('nonDominatedIndices handles infinite values', () => {
  const I = Infinity;
  assert.deepEqual(nonDominatedIndices([[I, 1], [0, I], [I, I]]), [0, 1]);
  assert.deepEqual(nonDominatedIndices([[0, I], [0, I]]), [0, 1]);
  assert.deepEqual(nonDominatedIndices([[0, 0, I], [1, 1, I], [2, 0, 0]]), [0, 2]);
  assert.deepEqual(nonDominatedIndices([[0, 0, I], [0, 0, I]]), [0, 1]);
  assert.deepEqual(nonDominatedIndices([[0, I, I], [1, 0, 0]]), [0, 1]);
});

test('nonDominatedIndices rejects NaN and ragged input with the offending index', () => {
  assert.throws(() => nonDominatedIndices([[1, 2], [NaN, 1]]), (e: unknown) => e instanceof DseError && e.path === 'points[1][0]');
  assert.throws(() => nonDominatedIndices([[1, 2], [1, 2, 3]]), (e: unknown) => e instanceof DseError && e.code === 'objective_dimension');
});

test('nondominatedSort equals peeling fronts by the definition', () => {
  fc.assert(
    fc.property(dims.chain((d) => pointSet(d)), (points) => {
      assert.deepEqual(nondominatedSort(points), bruteFronts(points));
    }),
    { numRuns: 500 },
  );
});

test('crowdingDistance: hand-computed front', () => {
  // Front (0,4) (1,2) (2,1) (4,0); ranges 4 and 4.
  // Objective 0 sorted: 0,1,2,4 -> (1,2) gets (2-0)/4 = 0.5, (2,1) gets (4-1)/4 = 0.75.
  // Objective 1 sorted: 0,1,2,4 -> (2,1) gets (2-0)/4 = 0.5, (1,2) gets (4-1)/4 = 0.75.
  // Totals: 1.25 each for the interior points, Infinity for the extremes.
  const points = [[9, 9], [1, 2], [4, 0], [0, 4], [2, 1]];
  assert.deepEqual(crowdingDistance(points, [1, 2, 3, 4]), [1.25, Infinity, Infinity, 1.25]);
  assert.deepEqual(crowdingDistance(points, [1, 2]), [Infinity, Infinity]);
  // Zero range in one objective adds nothing: (0,1) (1,1) (3,1): interior gets (3-0)/3 = 1.
  assert.deepEqual(crowdingDistance([[0, 1], [1, 1], [3, 1]], [0, 1, 2]), [Infinity, 1, Infinity]);
});
