import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ProgressHypervolume } from '../../dse/progress-hypervolume.ts';
import { rateAndEta } from '../../dse/progress.ts';
import { TrialFront } from '../../results/trial-front.ts';

test('the progress hypervolume never goes down while trials arrive, whatever they are', () => {
  fc.assert(
    fc.property(fc.array(fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 3, maxLength: 3 }), { minLength: 2, maxLength: 120 }), fc.integer({ min: 1, max: 20 }), (points, batch) => {
      const hv = new ProgressHypervolume();
      const front = new TrialFront<{ objectives: number[] }>();
      let last = -Infinity;
      for (let i = 0; i < points.length; i += batch) {
        for (const p of points.slice(i, i + batch)) {
          hv.observe(p);
          front.add({ objectives: p });
        }
        const v = hv.value(front.trials().map((t) => t.objectives));
        if (Number.isNaN(v)) continue;
        assert.ok(v >= last - 1e-12, `went down from ${last} to ${v}`);
        last = v;
      }
    }),
    { numRuns: 200 },
  );
});

test('rate and ETA ignore the first batch (worker start-up): a 10 s start then 1000 trials/s', () => {
  const start = { done: 100, elapsedS: 10 };
  assert.ok(Number.isNaN(rateAndEta(start, { done: 100, budget: 10_100, elapsedS: 10 }).etaS), 'nothing measured yet: no ETA');
  const r = rateAndEta(start, { done: 1100, budget: 10_100, elapsedS: 11 });
  assert.equal(r.rate, 1000);
  assert.equal(r.etaS, 9);
  assert.equal(rateAndEta(start, { done: 10_100, budget: 10_100, elapsedS: 20 }).etaS, 0);
});
