import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEFAULT_HARDWARE } from '../../../models/hardware.ts';
import type { Workload } from '../../../models/types.ts';
import { chooseBitwidths, solveMultipleChoiceKnapsack, type KnapsackItem } from '../../../search/schedule/bitwidths.ts';
import { solveHighs } from '../../../search/schedule/solve-highs.ts';
import { solveJslp } from '../../../search/schedule/solve-jslp.ts';

function bruteForce(layers: KnapsackItem[][], budget: number): number {
  let best = Infinity;
  const rec = (l: number, cost: number, err: number): void => {
    if (err > budget * (1 + 1e-9)) return;
    if (l === layers.length) { best = Math.min(best, cost); return; }
    for (const it of layers[l]!) rec(l + 1, cost + it.cost, err + it.error);
  };
  rec(0, 0, 0);
  return best;
}

const itemArb = fc.record({ cost: fc.integer({ min: 1, max: 1000 }), error: fc.integer({ min: 0, max: 100 }).map((e) => e / 1000) });
const layersArb = fc.array(fc.array(itemArb, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 6 });

test('bitwidth knapsack equals brute force (HiGHS, proven) on small cases', async () => {
  await fc.assert(
    fc.asyncProperty(layersArb, fc.double({ min: 0, max: 0.5, noNaN: true }), async (layers, budget) => {
      const want = bruteForce(layers, budget);
      const r = await solveMultipleChoiceKnapsack(layers, budget, solveHighs);
      if (want === Infinity) { assert.equal(r.feasible, false); return; }
      assert.equal(r.feasible, true);
      assert.equal(r.proven, true);
      assert.equal(r.cost, want);
      assert.ok(r.error <= budget * (1 + 1e-9));
    }),
    { numRuns: 60, seed: 3 },
  );
});

test('javascript-lp-solver gives the same knapsack optimum', async () => {
  await fc.assert(
    fc.asyncProperty(layersArb, fc.double({ min: 0, max: 0.5, noNaN: true }), async (layers, budget) => {
      const want = bruteForce(layers, budget);
      const r = await solveMultipleChoiceKnapsack(layers, budget, solveJslp);
      if (want === Infinity) { assert.equal(r.feasible, false); return; }
      assert.equal(r.cost, want);
    }),
    { numRuns: 30, seed: 4 },
  );
});

test('bitwidths chosen through the cost model: a looser error budget never costs more energy', async () => {
  const w: Workload = {
    name: 'two-convs', params: {},
    tensors: {
      x: { id: 'x', elements: 16 * 16 * 16, kind: 'input' },
      a: { id: 'a', elements: 32 * 16 * 16, kind: 'activation' },
      b: { id: 'b', elements: 32 * 16 * 16, kind: 'activation' },
    },
    ops: [
      { kind: 'conv2d', name: 'c1', inputs: ['x'], output: 'a', batch: 1, inH: 16, inW: 16, inC: 16, outC: 32, kH: 3, kW: 3, strideH: 1, strideW: 1, padH: 1, padW: 1, groups: 1 },
      { kind: 'conv2d', name: 'c2', inputs: ['a'], output: 'b', batch: 1, inH: 16, inW: 16, inC: 32, outC: 32, kH: 3, kW: 3, strideH: 1, strideW: 1, padH: 1, padW: 1, groups: 1 },
    ],
  };
  const choices = [{ weightBits: 4, activationBits: 8 }, { weightBits: 8, activationBits: 8 }, { weightBits: 16, activationBits: 16 }];
  let previous = Infinity;
  for (const budget of [1e-4, 1e-3, 1e-2, 1]) {
    const r = await chooseBitwidths(DEFAULT_HARDWARE, w, { choices, objective: 'energy', maxQuantError: budget, solver: solveHighs });
    if (!r.feasible) continue;
    assert.ok(r.quantError <= budget * (1 + 1e-9));
    assert.ok(r.objectiveValue <= previous);
    assert.deepEqual(Object.keys(r.bits), ['c1', 'c2']);
    assert.equal(r.workload.ops[0]!.weightBits, r.bits.c1!.weightBits);
    previous = r.objectiveValue;
  }
  assert.ok(Number.isFinite(previous), 'the loosest budget is feasible');
});
