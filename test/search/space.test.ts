import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDseError } from '../../core/errors.ts';
import type { Parameter } from '../../core/types.ts';
import { designAt, designFromVector, indexOf, isOrdinal, Space, spaceSize, vectorFromDesign } from '../../search/space.ts';

const params: Parameter[] = [
  { name: 'rows', values: [8, 16, 32] },
  { name: 'dataflow', values: ['os', 'ws'] },
  { name: 'glbKiB', values: [64, 128, 256, 512] },
];

test('mixed-radix order: first parameter slowest, last fastest; fixed values merged', () => {
  assert.equal(spaceSize(params), 24);
  assert.deepEqual(designAt(params, { clockMHz: 700 }, 0), { clockMHz: 700, rows: 8, dataflow: 'os', glbKiB: 64 });
  assert.deepEqual(designAt(params, {}, 1), { rows: 8, dataflow: 'os', glbKiB: 128 });
  assert.deepEqual(designAt(params, {}, 4), { rows: 8, dataflow: 'ws', glbKiB: 64 });
  assert.deepEqual(designAt(params, {}, 8), { rows: 16, dataflow: 'os', glbKiB: 64 });
  assert.deepEqual(designAt(params, {}, 23), { rows: 32, dataflow: 'ws', glbKiB: 512 });
});

test('index <-> design <-> vector round trips over the whole space', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 24; i++) {
    const d = designAt(params, { clockMHz: 1 }, i);
    assert.equal(indexOf(params, d), i);
    const v = vectorFromDesign(params, d)!;
    assert.deepEqual(designFromVector(params, { clockMHz: 1 }, v), d);
    seen.add(JSON.stringify(d));
  }
  assert.equal(seen.size, 24);
  assert.throws(() => indexOf(params, { rows: 9, dataflow: 'os', glbKiB: 64 }), (e: unknown) => isDseError(e) && e.path === 'space.rows');
  assert.equal(vectorFromDesign(params, { rows: '8', dataflow: 'os', glbKiB: 64 }), undefined, 'the string 8 is not the number 8');
});

test('indexes stay exact up to 2^53 designs; larger spaces are a DseError', () => {
  // 2^53 = (2^13)^4 * 2
  const wide = (k: number): Parameter => ({ name: `p${k}`, values: Array.from({ length: 2 ** 13 }, (_, i) => i) });
  const big: Parameter[] = [wide(0), wide(1), wide(2), wide(3), { name: 'last', values: [0, 1] }];
  const s = new Space(big);
  assert.equal(s.size, 2 ** 53);
  assert.ok(s.indexable);
  for (const i of [0, 1, 2 ** 52 + 12345, 2 ** 53 - 1]) assert.equal(s.indexOfVector(s.vectorAt(i)), i);
  assert.deepEqual(s.vectorAt(2 ** 53 - 1), [8191, 8191, 8191, 8191, 1]);
  const tooBig = new Space([...big, { name: 'extra', values: [0, 1] }]);
  assert.equal(tooBig.indexable, false);
  assert.throws(() => tooBig.designAt(0), (e: unknown) => isDseError(e) && e.code === 'space_too_large');
  assert.equal(tooBig.keyOf([1, 2, 3, 4, 1, 0]), '1,2,3,4,1,0');
});

test('ordinal parameters step to neighbours; categorical ones change to any other value', () => {
  const s = new Space(params);
  assert.deepEqual(s.ordinal, [true, false, true]);
  assert.equal(isOrdinal(params[1]!), false);
  const n = s.neighbours([0, 0, 2]).map((v) => v.join(','));
  assert.deepEqual(n, ['1,0,2', '0,1,2', '0,0,1', '0,0,3']);
  assert.deepEqual(s.step([2, 0, 3], 0, 5), [2, 0, 3]);
  assert.deepEqual(s.step([2, 0, 3], 2, -2), [2, 0, 1]);
});

test('repeated names or values are rejected', () => {
  assert.throws(() => new Space([{ name: 'a', values: [1, 1] }]), (e: unknown) => isDseError(e) && e.path === 'space.a.values.1');
  assert.throws(() => new Space([{ name: 'a', values: [1] }, { name: 'a', values: [2] }]), (e: unknown) => isDseError(e) && e.path === 'space.a');
});
