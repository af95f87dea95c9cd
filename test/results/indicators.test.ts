import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { additiveEpsilon, igdPlus, multiplicativeEpsilon } from '../../results/indicators.ts';
import { DseError } from '../../core/errors.ts';

// Brute-force oracles written straight from the definitions (Ishibuchi et al. 2015 for IGD+,
// Zitzler et al. 2003 for the epsilon indicators), all objectives minimised.
function bruteIgdPlus(A: number[][], Z: number[][]): number {
  const dPlus = (a: number[], z: number[]): number => Math.sqrt(a.reduce((s, ai, i) => s + Math.max(ai - z[i]!, 0) ** 2, 0));
  return Z.reduce((s, z) => s + Math.min(...A.map((a) => dPlus(a, z))), 0) / Z.length;
}
function bruteAdditive(A: number[][], Z: number[][]): number {
  return Math.max(...Z.map((z) => Math.min(...A.map((a) => Math.max(...a.map((ai, i) => ai - z[i]!))))));
}
function bruteMultiplicative(A: number[][], Z: number[][]): number {
  return Math.max(...Z.map((z) => Math.min(...A.map((a) => Math.max(...a.map((ai, i) => ai / z[i]!))))));
}

function close(actual: number, expected: number, what = ''): void {
  assert.ok(Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected)), `${what} ${actual} != ${expected}`);
}

test('hand case in 2-D', () => {
  // Reference front Z = (0,2) (1,1) (2,0); approximation A = (1,2) (2,1).
  // IGD+: z=(0,2): d+ to (1,2) = sqrt(1^2 + 0) = 1, to (2,1) = sqrt(2^2 + 0) = 2 -> 1
  //       z=(1,1): to (1,2) = sqrt(0 + 1) = 1, to (2,1) = 1 -> 1
  //       z=(2,0): to (1,2) = sqrt(0 + 2^2) = 2, to (2,1) = sqrt(0 + 1) = 1 -> 1;  mean 1.
  // Additive: z=(0,2): min(max(1,0), max(2,-1)) = 1; z=(1,1): min(1, 1) = 1; z=(2,0): min(2, 1) = 1 -> 1.
  const Z = [[0, 2], [1, 1], [2, 0]];
  const A = [[1, 2], [2, 1]];
  assert.equal(igdPlus(A, Z), 1);
  assert.equal(additiveEpsilon(A, Z), 1);
  // A covering Z exactly: IGD+ 0, additive epsilon 0, multiplicative 1.
  assert.equal(igdPlus(Z, Z), 0);
  assert.equal(additiveEpsilon(Z, Z), 0);
  // Multiplicative with Z' = (1,4) (2,2) (4,1) and A' = (2,4) (4,2): ratios
  // z=(1,4): min(max(2,1), max(4,0.5)) = 2; z=(2,2): min(max(1,2), max(2,1)) = 2; z=(4,1): min(4, max(1,2)) = 2.
  assert.equal(multiplicativeEpsilon([[2, 4], [4, 2]], [[1, 4], [2, 2], [4, 1]]), 2);
  assert.equal(multiplicativeEpsilon([[1, 4], [2, 2], [4, 1]], [[1, 4], [2, 2], [4, 1]]), 1);
  // A strictly better than Z: negative additive epsilon.
  assert.equal(additiveEpsilon([[-1, -1]], [[0, 0]]), -1);
});

const coord = fc.double({ min: 0.01, max: 10, noNaN: true });
const sets = fc.integer({ min: 1, max: 5 }).chain((d) =>
  fc.tuple(
    fc.array(fc.array(coord, { minLength: d, maxLength: d }), { minLength: 1, maxLength: 60 }),
    fc.array(fc.array(coord, { minLength: d, maxLength: d }), { minLength: 1, maxLength: 60 }),
  ),
);
// Integer grids give many ties, which exercise the pruning's equality cases.
const gridSets = fc.integer({ min: 1, max: 4 }).chain((d) =>
  fc.tuple(
    fc.array(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: d, maxLength: d }), { minLength: 1, maxLength: 80 }),
    fc.array(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: d, maxLength: d }), { minLength: 1, maxLength: 80 }),
  ),
);

test('IGD+ and both epsilons equal brute force on random sets (1 to 5 objectives)', () => {
  for (const arb of [sets, gridSets]) {
    fc.assert(
      fc.property(arb, ([A, Z]) => {
        close(igdPlus(A, Z), bruteIgdPlus(A, Z), 'igd+');
        close(additiveEpsilon(A, Z), bruteAdditive(A, Z), 'additive');
        close(multiplicativeEpsilon(A, Z), bruteMultiplicative(A, Z), 'multiplicative');
      }),
      { numRuns: 300 },
    );
  }
});

test('larger sets (tree with many levels) still equal brute force', () => {
  fc.assert(
    fc.property(
      fc.tuple(
        fc.array(fc.array(coord, { minLength: 3, maxLength: 3 }), { minLength: 300, maxLength: 600 }),
        fc.array(fc.array(coord, { minLength: 3, maxLength: 3 }), { minLength: 50, maxLength: 100 }),
      ),
      ([A, Z]) => {
        close(igdPlus(A, Z), bruteIgdPlus(A, Z), 'igd+');
        close(additiveEpsilon(A, Z), bruteAdditive(A, Z), 'additive');
      },
    ),
    { numRuns: 15 },
  );
});

test('empty sets and bad values', () => {
  assert.equal(igdPlus([], [[1, 1]]), Infinity);
  assert.equal(additiveEpsilon([], [[1, 1]]), Infinity);
  assert.throws(() => igdPlus([[1, 1]], []), (e: unknown) => e instanceof DseError && e.code === 'empty_front');
  assert.throws(() => additiveEpsilon([[1, 1, 1]], [[1, 1]]), (e: unknown) => e instanceof DseError && e.path === 'approx[0]');
  assert.throws(() => multiplicativeEpsilon([[1, 0]], [[1, 1]]), (e: unknown) => e instanceof DseError && e.path === 'approx[0][1]');
});
