import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { hypervolume, hypervolumeContributions, hypervolumeImprovement, normalizedHypervolume } from '../../results/hypervolume.ts';
import { Prng } from '../../core/prng.ts';

/**
 * Independent oracle: inclusion-exclusion over all non-empty subsets T of the points inside
 * the reference box, HV = sum (-1)^(|T|+1) vol[max(T), ref]. Exponential, so small sets only.
 */
function inclusionExclusion(points: number[][], ref: number[]): number {
  const inside = points.filter((p) => p.every((v, i) => v < ref[i]!));
  const n = inside.length;
  let total = 0;
  for (let mask = 1; mask < 1 << n; mask++) {
    const corner = ref.map(() => -Infinity);
    let size = 0;
    for (let k = 0; k < n; k++) {
      if (!(mask & (1 << k))) continue;
      size++;
      inside[k]!.forEach((v, i) => (corner[i] = Math.max(corner[i]!, v)));
    }
    const vol = corner.reduce((acc, v, i) => acc * (ref[i]! - v), 1);
    total += size % 2 === 1 ? vol : -vol;
  }
  return total;
}

function close(actual: number, expected: number, what = ''): void {
  const tol = 1e-9 * Math.max(1, Math.abs(expected));
  assert.ok(Math.abs(actual - expected) <= tol, `${what} ${actual} != ${expected}`);
}

test('2-D hand case: staircase of three points, plus a dominated point, a duplicate and one outside the reference', () => {
  // ref (4,4); sorted by the first objective the slabs are
  //   (1,3): (4-1)*(4-3) = 3;  (2,2): (4-2)*(3-2) = 2;  (3,1): (4-3)*(2-1) = 1;  total 6.
  // (3,3) is dominated by (2,2), (2,2) repeated, (5,0) is beyond ref in objective 0: all add nothing.
  assert.equal(hypervolume([[1, 3], [2, 2], [3, 1]], [4, 4]), 6);
  assert.equal(hypervolume([[3, 3], [1, 3], [2, 2], [5, 0], [3, 1], [2, 2]], [4, 4]), 6);
  // A point on the reference boundary (not strictly better) adds nothing: (0,4) with ref (4,4).
  assert.equal(hypervolume([[0, 4]], [4, 4]), 0);
  assert.equal(hypervolume([], [4, 4]), 0);
});

test('3-D hand case: three points, inclusion-exclusion done by hand', () => {
  // ref (4,4,4); boxes of (1,1,3), (1,3,1), (3,1,1): 3*3*1 = 9 each, 27 in all.
  // Pairwise corners (1,3,3), (3,1,3), (3,3,1): volume 3*1*1 = 3 each, 9 in all.
  // Triple corner (3,3,3): 1*1*1 = 1.  HV = 27 - 9 + 1 = 19.
  assert.equal(hypervolume([[1, 1, 3], [1, 3, 1], [3, 1, 1]], [4, 4, 4]), 19);
  // Adding (2,2,2): a point x of its box [2,4]^3 is already covered by (1,1,3) iff x3 >= 3, by
  // (1,3,1) iff x2 >= 3, by (3,1,1) iff x1 >= 3; so it adds exactly [2,3)^3, volume 1: 19 + 1 = 20.
  assert.equal(hypervolume([[1, 1, 3], [1, 3, 1], [3, 1, 1], [2, 2, 2]], [4, 4, 4]), 20);
  // One box alone: (0,1,2) to (3,3,3) is 3*2*1 = 6; a dominated (1,1,2) and a duplicate add nothing.
  assert.equal(hypervolume([[0, 1, 2], [1, 1, 2], [0, 1, 2]], [3, 3, 3]), 6);
});

test('5-D hand cases', () => {
  // Five points, each all ones except a zero in one objective; ref (2,2,2,2,2).
  // The union is the cube [1,2]^5 (volume 1) plus five disjoint slabs where one objective is in
  // [0,1) and the rest in [1,2] (volume 1 each): 6. Inclusion-exclusion agrees:
  // 5*2 - C(5,2)*1 + C(5,3)*1 - C(5,4)*1 + C(5,5)*1 = 10 - 10 + 10 - 5 + 1 = 6.
  const unitish = [0, 1, 2, 3, 4].map((k) => [1, 1, 1, 1, 1].map((v, i) => (i === k ? 0 : v)));
  close(hypervolume(unitish, [2, 2, 2, 2, 2]), 6);
  // Two points, ref (3,3,3,3,3): (1,1,1,1,1) has 2^5 = 32; (0,2,2,2,2) has 3*1*1*1*1 = 3;
  // their corner (1,2,2,2,2) has 2*1*1*1*1 = 2; HV = 32 + 3 - 2 = 33.
  close(hypervolume([[1, 1, 1, 1, 1], [0, 2, 2, 2, 2]], [3, 3, 3, 3, 3]), 33);
  // The origin against ref (1,2,3,4,5): 1*2*3*4*5 = 120.
  close(hypervolume([[0, 0, 0, 0, 0]], [1, 2, 3, 4, 5]), 120);
});

const smallSet = (d: number) =>
  fc.array(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: d, maxLength: d }), { minLength: 0, maxLength: 9 });
const realSet = (d: number) =>
  fc.array(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: d, maxLength: d }), { minLength: 0, maxLength: 9 });

for (const d of [2, 3, 4, 5]) {
  test(`hypervolume equals inclusion-exclusion on random sets, ${d} objectives`, () => {
    const refInt = new Array<number>(d).fill(5); // some points lie on or beyond it
    fc.assert(fc.property(smallSet(d), (points) => close(hypervolume(points, refInt), inclusionExclusion(points, refInt))), { numRuns: 150 });
    const refReal = new Array<number>(d).fill(1.05);
    fc.assert(fc.property(realSet(d), (points) => close(hypervolume(points, refReal), inclusionExclusion(points, refReal))), { numRuns: 150 });
  });
}

test('contributions and improvement equal differences of inclusion-exclusion volumes', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 2, max: 5 }).chain((d) => smallSet(d).map((pts) => ({ d, pts }))),
      ({ d, pts }) => {
        const ref = new Array<number>(d).fill(5);
        const whole = inclusionExclusion(pts, ref);
        const contrib = hypervolumeContributions(pts, ref);
        pts.forEach((_, i) => close(contrib[i]!, whole - inclusionExclusion(pts.filter((_, j) => j !== i), ref), `contribution ${i}`));
        if (pts.length > 0) {
          const [candidate, ...rest] = pts;
          close(hypervolumeImprovement(rest, candidate!, ref), whole - inclusionExclusion(rest, ref), 'improvement');
        }
      },
    ),
    { numRuns: 200 },
  );
});

test('the 3-D sweep agrees with WFG on larger random sets (a 4th constant objective turns 3-D into 4-D)', () => {
  const rng = new Prng(11);
  for (let trial = 0; trial < 20; trial++) {
    const n = 50 + rng.int(150);
    const pts = Array.from({ length: n }, () => [rng.next(), rng.next(), rng.next()].map((v) => Math.round(v * 20) / 20));
    const ref = [1.1, 1.1, 1.1];
    // With a 4th objective equal to 0 everywhere and ref 1 there, HV4 = HV3 * 1, computed by WFG.
    close(hypervolume(pts.map((p) => [...p, 0]), [...ref, 1]), hypervolume(pts, ref));
    // And reordering objectives must not change the value.
    close(hypervolume(pts.map(([a, b, c]) => [c!, a!, b!]), ref), hypervolume(pts, ref));
  }
});

test('normalizedHypervolume uses the 1.1 reference in normalised space', () => {
  // Front (0,10) (5,5) (10,0): ideal (0,0), nadir (10,10); normalised (0,1) (0.5,0.5) (1,0).
  // Slabs with ref (1.1,1.1): 1.1*0.1 + 0.6*0.5 + 0.1*0.5 = 0.11 + 0.30 + 0.05 = 0.46.
  close(normalizedHypervolume([[0, 10], [5, 5], [10, 0]], { ideal: [0, 0], nadir: [10, 10] }), 0.46);
});

/**
 * Second independent oracle for many points: on an integer grid, count unit cells. A cell with
 * lower corner c is covered iff some point is <= c, i.e. there is a point at c or the cell
 * below it in some objective is covered (a 3-D prefix OR).
 */
function gridVolume3(points: number[][], size: number): number {
  const idx = (a: number, b: number, c: number): number => (a * size + b) * size + c;
  const covered = new Uint8Array(size * size * size);
  for (const [a, b, c] of points) if (a! < size && b! < size && c! < size) covered[idx(a!, b!, c!)] = 1;
  let count = 0;
  for (let a = 0; a < size; a++)
    for (let b = 0; b < size; b++)
      for (let c = 0; c < size; c++) {
        const k = idx(a, b, c);
        if (!covered[k] && ((a > 0 && covered[idx(a - 1, b, c)]) || (b > 0 && covered[idx(a, b - 1, c)]) || (c > 0 && covered[idx(a, b, c - 1)]))) covered[k] = 1;
        count += covered[k]!;
      }
  return count;
}

test('3-D sweep equals cell counting on thousands of grid points near a plane (many on the front)', () => {
  const rng = new Prng(5);
  const size = 48;
  for (const n of [1500, 4000]) {
    const pts = Array.from({ length: n }, () => {
      const a = rng.int(size);
      const b = rng.int(size - a);
      return [a, b, Math.max(0, size - 1 - a - b - rng.int(3))];
    });
    assert.equal(hypervolume(pts, [size, size, size]), gridVolume3(pts, size));
  }
});
