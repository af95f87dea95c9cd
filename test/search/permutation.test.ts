import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Permutation } from '../../search/permutation.ts';

test('a bijection of [0, N) for many N, with its inverse', () => {
  for (const n of [0, 1, 2, 3, 4, 5, 7, 8, 15, 16, 17, 100, 255, 256, 257, 1000, 4097]) {
    const p = new Permutation(n, n * 31 + 1);
    const seen = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const x = p.at(i);
      assert.ok(Number.isInteger(x) && x >= 0 && x < n, `at(${i}) = ${x} for N = ${n}`);
      assert.equal(seen[x], 0, `value ${x} twice for N = ${n}`);
      seen[x] = 1;
      assert.equal(p.positionOf(x), i);
    }
  }
});

test('works at the 2^53 limit without forming inexact numbers', () => {
  for (const n of [2 ** 53, 2 ** 53 - 1, 10 ** 15 + 7]) {
    const p = new Permutation(n, 9);
    for (const i of [0, 1, 2, n - 1, Math.floor(n / 3)]) {
      const x = p.at(i);
      assert.ok(Number.isSafeInteger(x) && x >= 0 && x < n);
      assert.equal(p.positionOf(x), i);
    }
  }
  assert.throws(() => new Permutation(2 ** 53 + 2, 1), RangeError);
});

test('depends on the seed and looks shuffled', () => {
  const n = 10000;
  const a = new Permutation(n, 1);
  const b = new Permutation(n, 2);
  let same = 0;
  let fixedPoints = 0;
  let firstHalf = 0;
  for (let i = 0; i < n; i++) {
    if (a.at(i) === b.at(i)) same++;
    if (a.at(i) === i) fixedPoints++;
    if (i < n / 10 && a.at(i) < n / 2) firstHalf++;
  }
  // A random permutation has about 1 fixed point and agrees with another in about 1 place.
  assert.ok(same < 20, `agree in ${same} places`);
  assert.ok(fixedPoints < 20, `${fixedPoints} fixed points`);
  // Of the first 1,000 positions about half land in the lower half (binomial sd ~16).
  assert.ok(Math.abs(firstHalf - 500) < 100, `${firstHalf} of the first 1000 in the lower half`);
});
