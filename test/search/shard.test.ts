import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canonicalJson, stableHash } from '../../core/hash.ts';
import type { Design, Parameter } from '../../core/types.ts';
import { grid } from '../../search/grid.ts';
import { random } from '../../search/random.ts';
import type { Searcher, SearcherOptions } from '../../search/searcher.ts';

/** Shards of grid and random partition exactly the designs of the unsharded run. */

function drain(searcher: Searcher, batch: number): string[] {
  const out: string[] = [];
  for (;;) {
    const designs = searcher.ask(batch);
    if (designs.length === 0) return out;
    for (const d of designs) out.push(canonicalJson(d));
    searcher.tell([]);
  }
}

const spaceArb = fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 }).map((sizes): Parameter[] =>
  sizes.map((k, j) => ({ name: `p${j}`, values: Array.from({ length: k }, (_, i) => (j % 2 === 0 ? i * 2 : `v${i}`)) })),
);

for (const [name, factory] of [['grid', grid], ['random', random]] as const) {
  test(`${name}: shards are disjoint and their union is the unsharded run`, () => {
    fc.assert(
      fc.property(
        spaceArb,
        fc.integer({ min: 0, max: 1500 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer(),
        (parameters, budget, count, admissibleRule, batch, seed) => {
          // admissibleRule 0: everything admissible; otherwise a hash-based subset of about (rule)/4 of the space.
          const isAdmissible = admissibleRule === 0 ? undefined : (d: Design) => parseInt(stableHash(d).slice(0, 2), 16) % 4 < admissibleRule;
          const base: SearcherOptions = { parameters, fixed: { clockMHz: 500 }, seed, budget: budget % 300, ...(isAdmissible ? { isAdmissible } : {}) };
          const whole = drain(factory(base), batch);
          assert.equal(new Set(whole).size, whole.length, 'no design twice');
          const parts = Array.from({ length: count }, (_, index) => drain(factory({ ...base, shard: { index, count } }), batch));
          const union = parts.flat();
          assert.equal(new Set(union).size, union.length, 'shards are disjoint');
          assert.deepEqual([...union].sort(), [...whole].sort(), 'union equals the unsharded run');
        },
      ),
      { numRuns: 150, seed: 20240601 },
    );
  });
}

test('random: the unsharded run evaluates the first B admissible designs of the permutation, in order', () => {
  const parameters: Parameter[] = [
    { name: 'a', values: [1, 2, 3, 4, 5, 6, 7, 8] },
    { name: 'b', values: ['x', 'y', 'z'] },
  ];
  const isAdmissible = (d: Design): boolean => d.a !== 3;
  const all = drain(random({ parameters, fixed: {}, seed: 5, budget: 1000, isAdmissible }), 4);
  assert.equal(all.length, 21); // 7 admissible a-values x 3
  const first10 = drain(random({ parameters, fixed: {}, seed: 5, budget: 10, isAdmissible }), 3);
  assert.deepEqual(first10, all.slice(0, 10));
});
