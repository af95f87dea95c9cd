import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { scheduleWorkload } from '../../../search/schedule/index.ts';
import { dagArb, dagWorkload } from './random-dag.ts';
import { enumerateOptimum } from './enumerate.ts';

// The ILP's proven optimum must equal exhaustive enumeration (every topological order times
// every keep/drop choice per tensor gap) on random DAGs of up to 8 ops, in both oversized-op modes.
const LIMIT = 100_000;

test('HiGHS ILP optimum equals exhaustive enumeration on random DAGs (up to 8 ops)', async () => {
  let checked = 0;
  await fc.assert(
    fc.asyncProperty(dagArb(8), fc.integer({ min: 0, max: 100 }), fc.constantFrom('stream' as const, 'infeasible' as const), async (spec, capPct, mode) => {
      const w = dagWorkload(spec);
      const total = Object.values(w.tensors).reduce((s, t) => s + t.elements, 0);
      const capacity = Math.round(4 + (capPct / 100) * total);
      const oracle = enumerateOptimum(w, capacity, mode, LIMIT);
      fc.pre(oracle.work <= LIMIT);
      const r = await scheduleWorkload(w, { capacityBytes: capacity, activationBits: 8, policy: 'ilp', solver: 'highs', oversizedOps: mode, timeLimitS: 20 });
      if (oracle.best === Infinity) {
        assert.equal(r.feasible, false);
        return;
      }
      assert.equal(r.feasible, true);
      assert.equal(r.proven, true, r.note);
      assert.equal(r.nonCompulsoryDramBytes, oracle.best - oracle.compulsory, `capacity ${capacity} ${JSON.stringify(spec)}`);
      assert.ok(r.peakOnChipBytes <= capacity);
      checked++;
    }),
    { numRuns: 80, seed: 20240611 },
  );
  assert.ok(checked >= 40, `only ${checked} cases were small enough to enumerate`);
});

test('javascript-lp-solver reaches the same optimum as HiGHS on small DAGs', async () => {
  await fc.assert(
    fc.asyncProperty(dagArb(6), fc.integer({ min: 0, max: 100 }), async (spec, capPct) => {
      const w = dagWorkload(spec);
      const total = Object.values(w.tensors).reduce((s, t) => s + t.elements, 0);
      const capacity = Math.round(4 + (capPct / 100) * total);
      const h = await scheduleWorkload(w, { capacityBytes: capacity, activationBits: 8, policy: 'ilp', solver: 'highs' });
      const j = await scheduleWorkload(w, { capacityBytes: capacity, activationBits: 8, policy: 'ilp', solver: 'jslp', timeLimitS: 20 });
      if (j.solverCalls > 0) assert.equal(j.proven, false, 'jslp never claims a proof');
      assert.equal(j.nonCompulsoryDramBytes, h.nonCompulsoryDramBytes, JSON.stringify(spec));
    }),
    { numRuns: 25, seed: 7 },
  );
});
