import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Prng, deriveSeed } from '../../core/prng.ts';
import { canonicalJson, stableHash } from '../../core/hash.ts';

test('same seed gives the same stream; different seeds differ', () => {
  const a = new Prng(42), b = new Prng(42), c = new Prng(43);
  const sa = Array.from({ length: 100 }, () => a.nextU32());
  const sb = Array.from({ length: 100 }, () => b.nextU32());
  const sc = Array.from({ length: 100 }, () => c.nextU32());
  assert.deepEqual(sa, sb);
  assert.notDeepEqual(sa, sc);
});

test('int(n) is uniform enough and in range', () => {
  const r = new Prng(7);
  const counts = new Array(10).fill(0);
  for (let i = 0; i < 100000; i++) counts[r.int(10)]++;
  for (const c of counts) assert.ok(c > 9500 && c < 10500, `bucket count ${c}`);
  for (let i = 0; i < 1000; i++) { const x = r.next(); assert.ok(x >= 0 && x < 1); }
});

test('derived seeds depend on every label', () => {
  assert.equal(deriveSeed(1, 'shard', 0), deriveSeed(1, 'shard', 0));
  assert.notEqual(deriveSeed(1, 'shard', 0), deriveSeed(1, 'shard', 1));
  assert.notEqual(deriveSeed(1, 'shard', 0), deriveSeed(2, 'shard', 0));
});

test('canonical JSON ignores key order; hash is stable', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: 2, c: 3 } }), '{"a":{"c":3,"d":2},"b":1}');
  assert.equal(stableHash({ x: 1, y: 'a' }), stableHash({ y: 'a', x: 1 }));
  assert.match(stableHash({}), /^[0-9a-f]{16}$/);
});
