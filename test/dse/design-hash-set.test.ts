import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DesignHashSet } from '../../dse/design-hash-set.ts';
import { stableHash } from '../../core/hash.ts';

test('the design hash set answers as a Map of hash to first line would, through growth and for non-hash strings', () => {
  const set = new DesignHashSet();
  const map = new Map<string, number>();
  // Real design hashes (16 hex digits), each added twice, plus strings that are not hashes.
  const hashes = Array.from({ length: 100_000 }, (_, i) => stableHash({ i }));
  const keys = [...hashes, ...hashes.slice(0, 5_000), 'ABCDEF0123456789', 'abcdef0123456789', 'abc', '', '0123456789abcdefg', 'abcdef0123456789', 'abc'];
  keys.forEach((key, i) => {
    const line = i + 1;
    const expected = map.get(key);
    if (expected === undefined) map.set(key, line);
    assert.equal(set.add(key, line), expected, key);
  });
});

test('hashes equal in their low 32 bits are told apart', () => {
  const set = new DesignHashSet();
  assert.equal(set.add('00000001ffffffff', 2), undefined);
  assert.equal(set.add('00000002ffffffff', 3), undefined);
  assert.equal(set.add('00000002ffffffff', 4), 3);
  assert.equal(set.add('00000001ffffffff', 5), 2);
});
