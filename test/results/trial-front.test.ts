import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Trial } from '../../core/types.ts';
import { TrialFront } from '../../results/trial-front.ts';
import { paretoFront } from '../../results/pareto-front.ts';

// Small integer objectives make ties (identical vectors) and dominance common.
const trialsArb = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 2 })), { minLength: 1, maxLength: 80 })
  .map((rows) => rows.map((o, i): Trial => ({ seq: i, hash: `h${i}`, design: { i }, status: 'ok', objectives: o })));

test('the incremental front equals the brute-force front, ties included, in any order', () => {
  fc.assert(
    fc.property(trialsArb, fc.integer(), (trials, seed) => {
      const expected = paretoFront(trials).map((t) => t.hash).sort();
      const shuffled = [...trials].sort((a, b) => ((a.seq * 7919 + seed) % 97) - ((b.seq * 7919 + seed) % 97));
      for (const order of [trials, shuffled, [...trials].reverse()]) {
        const f = new TrialFront();
        for (const t of order) f.add(t);
        assert.deepEqual(f.trials().map((t) => t.hash).sort(), expected);
        assert.equal(f.size, expected.length);
      }
    }),
    { numRuns: 300 },
  );
});

test('twins of a vector that later leaves the front leave with it', () => {
  const f = new TrialFront();
  const t = (seq: number, o: number[]): Trial => ({ seq, hash: `h${seq}`, design: {}, status: 'ok', objectives: o });
  f.add(t(0, [2, 2]));
  f.add(t(1, [2, 2]));
  f.add(t(2, [3, 1]));
  assert.deepEqual(f.trials().map((x) => x.hash), ['h0', 'h1', 'h2']);
  f.add(t(3, [1, 1]));
  assert.deepEqual(f.trials().map((x) => x.hash), ['h3']);
  f.add(t(4, [2, 2]));
  assert.deepEqual(f.trials().map((x) => x.hash), ['h3']);
});
