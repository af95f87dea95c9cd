import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { scheduleWorkload } from '../../../search/schedule/index.ts';
import type { Workload } from '../../../models/types.ts';
import { dagArb, dagWorkload, type DagSpec } from './random-dag.ts';
import { enumerateOptimum } from './enumerate.ts';

// The ILP's optimum must equal exhaustive enumeration (every topological order times every
// keep/drop choice per tensor gap, test/search/schedule/enumerate.ts) on random DAGs of up to
// 8 ops, in both oversized-op modes. With the exact shortcuts on, the cut decomposition and
// the lower-bound shortcut settle most random DAGs without a solver; with
// `exactShortcuts: false` the whole graph goes to the ILP, so the formulation itself is checked.
const LIMIT = 100_000;

interface Case { w: Workload; capacity: number; spec: DagSpec }

function makeCase(spec: DagSpec, capPct: number): Case {
  const w = dagWorkload(spec);
  const total = Object.values(w.tensors).reduce((s, t) => s + t.elements, 0);
  return { w, spec, capacity: Math.round(4 + (capPct / 100) * total) };
}

test('ILP optimum equals exhaustive enumeration on random DAGs (up to 8 ops): decomposed path, and whole graph with HiGHS and javascript-lp-solver', async () => {
  let checked = 0;
  let jslpChecked = 0;
  await fc.assert(
    fc.asyncProperty(dagArb(8), fc.integer({ min: 0, max: 100 }), fc.constantFrom('stream' as const, 'infeasible' as const), fc.nat(), async (spec, capPct, mode, pick) => {
      const { w, capacity } = makeCase(spec, capPct);
      const oracle = enumerateOptimum(w, capacity, mode, LIMIT);
      fc.pre(oracle.work <= LIMIT);
      const msg = `capacity ${capacity} mode ${mode} ${JSON.stringify(spec)}`;
      const base = { capacityBytes: capacity, activationBits: 8, policy: 'ilp' as const, oversizedOps: mode, timeLimitS: 20 };
      // Default route: exact cuts and the lower-bound shortcut, solver only where needed.
      const d = await scheduleWorkload(w, { ...base, solver: 'highs' });
      // Whole graph as one ILP: the solver always runs.
      const h = await scheduleWorkload(w, { ...base, solver: 'highs', exactShortcuts: false });
      if (oracle.best === Infinity) {
        assert.equal(d.feasible, false);
        assert.equal(h.feasible, false);
        return;
      }
      const optimum = oracle.best - oracle.compulsory;
      assert.equal(d.feasible, true);
      assert.equal(d.proven, true, d.note);
      assert.equal(d.nonCompulsoryDramBytes, optimum, `decomposed: ${msg}`);
      assert.ok(d.peakOnChipBytes <= capacity);

      assert.equal(h.feasible, true);
      assert.equal(h.pieces, 1, 'the whole graph is one piece');
      assert.ok(h.solverCalls > 0, `HiGHS was not called: ${msg}`);
      assert.equal(h.solver, 'highs', h.note);
      assert.equal(h.proven, true, h.note);
      assert.equal(h.nonCompulsoryDramBytes, optimum, `whole graph, HiGHS: ${msg}`);
      assert.ok(h.peakOnChipBytes <= capacity);
      checked++;
      // javascript-lp-solver is much slower on the larger models: run it on a quarter of the cases.
      if (pick % 4 !== 0) return;
      const j = await scheduleWorkload(w, { ...base, solver: 'jslp', exactShortcuts: false });
      assert.ok(j.solverCalls > 0, `jslp was not called: ${msg}`);
      assert.equal(j.proven, false, 'jslp never claims a proof');
      assert.equal(j.nonCompulsoryDramBytes, optimum, `whole graph, jslp: ${msg}`);
      assert.equal(j.nonCompulsoryDramBytes, h.nonCompulsoryDramBytes, `jslp vs highs: ${msg}`);
      jslpChecked++;
    }),
    { numRuns: 70, seed: 20240611 },
  );
  assert.ok(checked >= 40, `only ${checked} cases were small and feasible enough to check`);
  assert.ok(jslpChecked >= 10, `only ${jslpChecked} cases checked with jslp`);
});

test('javascript-lp-solver reaches the same optimum as HiGHS on the decomposed path', async () => {
  await fc.assert(
    fc.asyncProperty(dagArb(6), fc.integer({ min: 0, max: 100 }), async (spec, capPct) => {
      const { w, capacity } = makeCase(spec, capPct);
      const h = await scheduleWorkload(w, { capacityBytes: capacity, activationBits: 8, policy: 'ilp', solver: 'highs' });
      const j = await scheduleWorkload(w, { capacityBytes: capacity, activationBits: 8, policy: 'ilp', solver: 'jslp', timeLimitS: 20 });
      if (j.solverCalls > 0) assert.equal(j.proven, false, 'jslp never claims a proof');
      assert.equal(j.nonCompulsoryDramBytes, h.nonCompulsoryDramBytes, JSON.stringify(spec));
    }),
    { numRuns: 25, seed: 7 },
  );
});
