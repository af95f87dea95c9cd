import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseArchitecture } from '../../../models/arch/architecture-file.ts';
import { costVectorStream, elementOpEnergyPJ, stagingLevel, vectorLanes } from '../../../models/arch/vector-op-cost.ts';
import { eltwiseStream, embeddingStream, poolStream } from '../../../models/arch/vector-op-streams.ts';
import type { EltwiseOp, PoolOp, Workload } from '../../../models/types.ts';

/*
 * The rule for ops without MACs on an architecture (docs/COST_MODEL.md "Ops without MACs on an
 * architecture"), checked against numbers worked out by hand below from the rule's text and the
 * architecture's own prices (an inline table with round numbers, so every product is checkable on
 * paper). The per-operation energies come from Horowitz, ISSCC 2014 (45 nm): 8-bit add 0.03 pJ,
 * 32-bit add 0.1 pJ, 8x8-bit multiply 0.2 pJ.
 */

function arch(extra: Record<string, unknown> = {}) {
  return parseArchitecture({
    architecture: {
      name: 'hand',
      levels: [
        { name: 'DRAM', class: 'DRAM', wordBits: 8, blockWords: 4, keeps: ['W', 'I', 'O'], bandwidthWordsPerCycle: 2 },
        { name: 'Buf', class: 'SRAM', instances: 2, capacityWords: 1024, wordBits: 8, blockWords: 8, keeps: ['W', 'I'], bandwidthWordsPerCycle: 4, spatialDims: ['K'] },
        { name: 'Acc', class: 'SRAM', instances: 16, capacityWords: 64, wordBits: 32, blockWords: 1, keeps: ['O'] },
      ],
      compute: { name: 'MAC', instances: 16, macBits: 8 },
      components: {
        DRAM: { read: 40, fill: 40, update: 48 },
        Buf: { read: 2, fill: 3, update: 5 },
        Acc: { read: 1, fill: 1, update: 1 },
        MAC: { mac: 0.6 },
      },
      ...extra,
    },
  });
}

const sum: Workload = {
  name: 'w',
  params: {},
  tensors: {
    a: { id: 'a', elements: 1000, kind: 'input', shape: [1, 10, 100] },
    b: { id: 'b', elements: 1000, kind: 'input', shape: [1, 10, 100] },
    y: { id: 'y', elements: 1000, kind: 'activation', shape: [1, 10, 100] },
  },
  ops: [],
};

test('lanes: round(sqrt(MACs)) by default (a square array\'s columns), or the architecture\'s vector.lanes', () => {
  assert.equal(vectorLanes(arch()), 4);
  assert.equal(vectorLanes(arch({ vector: { lanes: 10 } })), 10);
  assert.equal(vectorLanes({ ...arch(), compute: { ...arch().compute, instances: 168 } }), 13); // Eyeriss's 12 x 14
  assert.throws(() => arch({ vector: { lanes: 0 } }), (e: { path?: string }) => e.path === 'architecture.vector.lanes');
  assert.throws(() => arch({ vector: { width: 4 } }), (e: { path?: string }) => e.path === 'architecture.vector.width');
});

test('per-element energies: the architecture\'s MAC energy split as Horowitz\'s 45 nm adder and multiplier', () => {
  // 0.6 pJ MAC; 45 nm MAC = 0.2 (8x8 mul) + 0.1 (32-bit add) = 0.3 pJ: add 0.6 x 0.03/0.3, mul 0.6 x 0.2/0.3.
  const e = elementOpEnergyPJ(arch());
  assert.ok(Math.abs(e.addPJ - 0.06) < 1e-12, String(e.addPJ));
  assert.ok(Math.abs(e.mulPJ - 0.4) < 1e-12, String(e.mulPJ));
  // The built-in 45 nm pricing gives Horowitz's own figures.
  const builtin = parseArchitecture({ architecture: { levels: [{ name: 'DRAM', class: 'DRAM', keeps: ['W', 'I', 'O'] }, { name: 'B', capacityKiB: 64 }], compute: { instances: 4, macBits: 8 } } });
  const b = elementOpEnergyPJ(builtin);
  assert.ok(Math.abs(b.addPJ - 0.03) < 1e-12 && Math.abs(b.mulPJ - 0.2) < 1e-12, JSON.stringify(b));
});

test('an element-wise add of two 1000-element tensors, worked out by hand', () => {
  const a = arch();
  const op: EltwiseOp = { kind: 'eltwise', name: 'add', fn: 'add', inputs: ['a', 'b'], output: 'y', elements: 1000 };
  const c = costVectorStream(a, eltwiseStream(op, sum, vectorLanes(a)));
  // Staging: Buf (the outermost on-chip level keeping I; 2 x 1024 words hold the 4-word working set).
  assert.equal(c.staging, 1);
  // DRAM reads 2000, writes (updates) 1000; Buf filled 2000, read 2000 by the lanes + 1000 to drain, updated 1000.
  assert.deepEqual(c.accesses, [
    { level: 0, reads: 2000, fills: 0, updates: 1000 },
    { level: 1, reads: 3000, fills: 2000, updates: 1000 },
  ]);
  // Lanes: 1000 adds / 4 lanes = 250 cycles. DRAM: 3000 words / 2 per cycle = 1500. Buf: 6000 words
  // over 2 instances = 3000 each / 4 per cycle = 750. The op takes 1500 cycles, DRAM-bound.
  assert.equal(c.computeCycles, 250);
  assert.equal(c.cycles, 1500);
  assert.equal(c.bound, 'DRAM');
  // DRAM: ceil(2000/4) = 500 reads x 40 + 250 updates x 48 = 20000 + 12000 = 32000 pJ.
  // Buf, per instance: 1500 reads -> ceil(1500/8) = 188 x 2 pJ; 1000 fills -> 125 x 3 pJ;
  // 500 updates -> 63 x 5 pJ; times 2 instances: 752 + 750 + 630 = 2132 pJ.
  // Adds: 1000 x 0.06 = 60 pJ. Total 34192 pJ.
  assert.ok(Math.abs(c.levelEnergyPJ[0]! - 32000) < 1e-9, String(c.levelEnergyPJ[0]));
  assert.ok(Math.abs(c.levelEnergyPJ[1]! - 2132) < 1e-9, String(c.levelEnergyPJ[1]));
  assert.equal(c.levelEnergyPJ[2], 0);
  assert.ok(Math.abs(c.opEnergyPJ - 60) < 1e-9);
  assert.ok(Math.abs(c.energyPJ - 34192) < 1e-9, String(c.energyPJ));
});

test('a layernorm whose row does not fit on chip streams both passes from DRAM', () => {
  const a = arch();
  const w: Workload = {
    ...sum,
    tensors: { x: { id: 'x', elements: 8192, kind: 'input', shape: [2, 4096] }, y: { id: 'y', elements: 8192, kind: 'activation', shape: [2, 4096] } },
  };
  const op: EltwiseOp = { kind: 'eltwise', name: 'ln', fn: 'layernorm', inputs: ['x'], output: 'y', elements: 8192, paramElements: 8192 };
  const s = eltwiseStream(op, w, 4);
  // A row of 4096 words > Buf's 2 x 1024: no staging level; every lane read is a DRAM read:
  // x twice (statistics, then normalising) + the gain and bias once = 2 x 8192 + 8192.
  assert.equal(s.workingSetWords, 4096);
  assert.equal(stagingLevel(a, s.workingSetWords), null);
  const c = costVectorStream(a, s);
  assert.deepEqual(c.accesses, [{ level: 0, reads: 24576, fills: 0, updates: 8192 }]);
  // Lanes: 8192 x (3 adds + 3 muls) / 4 = 12288 cycles; DRAM: 32768 / 2 = 16384 cycles.
  assert.equal(c.computeCycles, 12288);
  assert.equal(c.cycles, 16384);
  // Energy: 6144 reads x 40 + 2048 updates x 48 + 8192 x (3 x 0.06 + 3 x 0.4) = 245760 + 98304 + 11304.96.
  assert.ok(Math.abs(c.energyPJ - 355368.96) < 1e-6, String(c.energyPJ));
  // With a bigger buffer the row stays on chip and DRAM is read once.
  const big = arch({ levels: [
    { name: 'DRAM', class: 'DRAM', wordBits: 8, blockWords: 4, keeps: ['W', 'I', 'O'], bandwidthWordsPerCycle: 2 },
    { name: 'Buf', class: 'SRAM', instances: 2, capacityWords: 4096, wordBits: 8, blockWords: 8, keeps: ['W', 'I'], bandwidthWordsPerCycle: 4 },
  ] });
  assert.deepEqual(costVectorStream(big, s).accesses[0], { level: 0, reads: 16384, fills: 0, updates: 8192 });
});

test('max pooling 3x3 stride 2 on 1x4x8x8: window reads from the staging level, the input once from DRAM; lanes bound when DRAM is wide', () => {
  const op: PoolOp = { kind: 'pool', name: 'p', mode: 'max', inputs: ['x'], output: 'y', batch: 1, channels: 4, inH: 8, inW: 8, kH: 3, kW: 3, strideH: 2, strideW: 2, padH: 1, padW: 1 };
  const s = poolStream(op, 4);
  // Output floor((8 + 2 - 3)/2) + 1 = 4: 4 x 4 x 4 = 64 outputs x 9 compares = 576.
  assert.deepEqual(s, { work: { adds: 576, muls: 0 }, inWords: 256, laneReadWords: 576, outWords: 64, workingSetWords: 24 });
  const wide = arch({ levels: [
    { name: 'DRAM', class: 'DRAM', wordBits: 8, blockWords: 4, keeps: ['W', 'I', 'O'], bandwidthWordsPerCycle: 64 },
    { name: 'Buf', class: 'SRAM', instances: 2, capacityWords: 1024, wordBits: 8, blockWords: 8, keeps: ['W', 'I'], bandwidthWordsPerCycle: 64 },
  ] });
  const c = costVectorStream(wide, s);
  // Lanes: 576 / 4 = 144 cycles; DRAM (256 + 64) / 64 = 5; Buf (640 + 256 + 64) / 2 / 64 = 7.5 -> 8.
  assert.equal(c.cycles, 144);
  assert.equal(c.bound, 'lanes');
});

test('an embedding lookup reads the ids and the gathered rows, never the table, and does no arithmetic', () => {
  const s = embeddingStream({ kind: 'embedding', name: 'e', inputs: ['ids'], output: 'x', tokens: 3, vocab: 50000, dim: 64 }, 4);
  assert.deepEqual(s, { work: { adds: 0, muls: 0 }, inWords: 3 + 3 * 64, laneReadWords: 195, outWords: 192, workingSetWords: 4 });
  const c = costVectorStream(arch(), s);
  // DRAM: (195 + 192) / 2 = 193.5 -> 194 cycles; no element ops.
  assert.equal(c.cycles, 194);
  assert.equal(c.opEnergyPJ, 0);
});
