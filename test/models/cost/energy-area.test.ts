/**
 * Energy and area tables against Horowitz, ISSCC 2014 (45 nm), and their monotonicity in
 * bitwidth and capacity.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { areaMM2 } from '../../../models/cost/area.ts';
import { evaluateWorkload } from '../../../models/cost/evaluate.ts';
import { normalizeHardware } from '../../../models/hardware.ts';
import { techModel } from '../../../models/tech/nodes.ts';
import type { Workload } from '../../../models/types.ts';

const close = (a: number, b: number, rel = 1e-9): boolean => Math.abs(a - b) <= rel * Math.abs(b);

test('45 nm figures reproduce Horowitz ISSCC 2014 at 8 and 32 bits', () => {
  const t = techModel('45nm');
  assert.ok(close(t.multiplierPJ(8, 8), 0.2));
  assert.ok(close(t.multiplierPJ(32, 32), 3.1));
  assert.ok(close(t.adderPJ(8), 0.03));
  assert.ok(close(t.adderPJ(32), 0.1));
  assert.ok(close(t.multiplierUM2(8, 8), 282));
  assert.ok(close(t.multiplierUM2(32, 32), 3495));
  assert.ok(close(t.adderUM2(8), 36));
  assert.ok(close(t.adderUM2(32), 137));
  assert.ok(close(t.sramAccessPJ(8 * 1024, 64), 10));
  assert.ok(close(t.sramAccessPJ(32 * 1024, 64), 20));
  assert.ok(close(t.sramAccessPJ(1024 * 1024, 64), 100));
  // Timeloop's LPDDR4: 512 pJ per 64-bit access.
  assert.equal(t.dramPJPerByte * 8, 512);
});

test('SRAM access energy grows with capacity and width; smaller nodes cost less', () => {
  fc.assert(
    fc.property(fc.integer({ min: 64, max: 1 << 26 }), fc.integer({ min: 1, max: 1 << 20 }), fc.integer({ min: 2, max: 32 }), (cap, extra, bits) => {
      const t = techModel('45nm');
      assert.ok(t.sramAccessPJ(cap + extra, bits) > t.sramAccessPJ(cap, bits));
      assert.ok(t.sramAccessPJ(cap, bits + 1) > t.sramAccessPJ(cap, bits));
      assert.ok(techModel('7nm').sramAccessPJ(cap, bits) < t.sramAccessPJ(cap, bits));
    }),
  );
});

const convNet: Workload = {
  name: 'tiny',
  params: {},
  tensors: {
    x: { id: 'x', elements: 3 * 32 * 32, kind: 'input' },
    a: { id: 'a', elements: 16 * 32 * 32, kind: 'activation' },
    b: { id: 'b', elements: 16 * 32 * 32, kind: 'activation' },
  },
  ops: [
    { kind: 'conv2d', name: 'c1', inputs: ['x'], output: 'a', batch: 1, inH: 32, inW: 32, inC: 3, outC: 16, kH: 3, kW: 3, strideH: 1, strideW: 1, padH: 1, padW: 1, groups: 1 },
    { kind: 'conv2d', name: 'c2', inputs: ['a'], output: 'b', batch: 1, inH: 32, inW: 32, inC: 16, outC: 16, kH: 3, kW: 3, strideH: 1, strideW: 1, padH: 1, padW: 1, groups: 1 },
  ],
};

test('energy and area increase with weight, activation and accumulator bitwidth', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 2, max: 31 }),
      fc.integer({ min: 2, max: 31 }),
      fc.constantFrom('os', 'ws', 'is'),
      fc.constantFrom(8, 64, 1024),
      fc.option(fc.constantFrom(16, 128, 2048), { nil: null }),
      (wb, ab, dataflow, sramKiB, glbKiB) => {
        const base = normalizeHardware({ weightBits: wb, activationBits: ab, dataflow, ifmapSramKiB: sramKiB, filterSramKiB: sramKiB, ofmapSramKiB: sramKiB, glbKiB });
        const e0 = evaluateWorkload(base, convNet).energyPJ;
        for (const change of [{ weightBits: wb + 1 }, { activationBits: ab + 1 }, { accumBits: base.accumBits + 8 }]) {
          const hw = { ...base, ...change };
          assert.ok(evaluateWorkload(hw, convNet).energyPJ > e0, `energy did not grow with ${JSON.stringify(change)}`);
          assert.ok(areaMM2(hw) > areaMM2(base));
        }
      },
    ),
    { numRuns: 150 },
  );
});

test('area grows with PEs, buffers and register file', () => {
  const hw = normalizeHardware({});
  for (const change of [{ peRows: 33 }, { peCols: 33 }, { ifmapSramKiB: 65 }, { rfBytes: 65 }]) {
    assert.ok(areaMM2({ ...hw, ...change }) > areaMM2(hw), JSON.stringify(change));
  }
  assert.ok(areaMM2({ ...hw, techNode: '16nm' }) < areaMM2(hw));
});
