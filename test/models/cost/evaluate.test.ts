import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compulsoryDramBytes, evaluateLayer, evaluateWorkload, explainLayer } from '../../../models/cost/evaluate.ts';
import { normalizeHardware } from '../../../models/hardware.ts';
import type { AttentionOp, Conv2dOp, EltwiseOp, MatmulOp, PoolOp, Workload } from '../../../models/types.ts';

const conv = (name: string, input: string, output: string, inC: number, outC: number, hw: number): Conv2dOp => ({
  kind: 'conv2d', name, inputs: [input], output, batch: 1, inH: hw, inW: hw, inC, outC, kH: 3, kW: 3,
  strideH: 1, strideW: 1, padH: 1, padW: 1, groups: 1,
});

// x -> c1 -> a -> c2 -> b; add(b, a) -> y; maxpool(y) -> z
const net: Workload = {
  name: 'block',
  params: {},
  tensors: {
    x: { id: 'x', elements: 16 * 28 * 28, kind: 'input' },
    a: { id: 'a', elements: 32 * 28 * 28, kind: 'activation' },
    b: { id: 'b', elements: 32 * 28 * 28, kind: 'activation' },
    y: { id: 'y', elements: 32 * 28 * 28, kind: 'activation' },
    z: { id: 'z', elements: 32 * 14 * 14, kind: 'activation' },
  },
  ops: [
    conv('c1', 'x', 'a', 16, 32, 28),
    conv('c2', 'a', 'b', 32, 32, 28),
    { kind: 'eltwise', name: 'add', fn: 'add', inputs: ['b', 'a'], output: 'y', elements: 32 * 28 * 28 } satisfies EltwiseOp,
    {
      kind: 'pool', name: 'pool', mode: 'max', inputs: ['y'], output: 'z', batch: 1, channels: 32, inH: 28, inW: 28,
      kH: 2, kW: 2, strideH: 2, strideW: 2, padH: 0, padW: 0,
    } satisfies PoolOp,
  ],
};

const big = normalizeHardware({ peRows: 16, peCols: 16, dataflow: 'ws', glbKiB: 1024, dramGBps: 16, clockMHz: 1000 });

test('latency is max(compute, memory) plus the exposed first load or last compute', () => {
  for (const dramGBps of [0.1, 1, 16, 1000]) {
    const hw = { ...big, dramGBps };
    const m = evaluateLayer(hw, net.ops[1]!, net);
    const mem = (m.dramReadBytes + m.dramWriteBytes) / ((dramGBps * 1e9) / (hw.clockMHz * 1e6));
    assert.ok(m.latencyCycles >= Math.max(m.computeCycles, mem));
    assert.ok(m.latencyCycles <= Math.ceil(Math.max(m.computeCycles, mem) + Math.min(m.computeCycles, mem)));
    assert.equal(m.stallCycles, m.latencyCycles - m.computeCycles);
    assert.equal(m.bound, mem > m.computeCycles ? 'memory' : 'compute');
  }
  assert.equal(evaluateLayer({ ...big, dramGBps: 0.1 }, net.ops[1]!, net).bound, 'memory');
  assert.equal(evaluateLayer({ ...big, dramGBps: 1000 }, net.ops[1]!, net).bound, 'compute');
});

test('everything fits in 1 MiB: each layer moves exactly its compulsory bytes', () => {
  const w = evaluateWorkload(big, net);
  const c1 = w.layers[0]!;
  assert.equal(c1.dramReadBytes, 16 * 28 * 28 + 32 * 16 * 9);
  assert.equal(c1.dramWriteBytes, 32 * 28 * 28);
  const add = w.layers[2]!;
  assert.equal(add.dramReadBytes, 2 * 32 * 28 * 28);
  assert.equal(add.dramWriteBytes, 32 * 28 * 28);
  // Vector unit: peCols lanes, one add per element.
  assert.equal(add.computeCycles, Math.ceil((32 * 28 * 28) / 16));
  const pool = w.layers[3]!;
  assert.equal(pool.computeCycles, Math.ceil((32 * 14 * 14 * 4) / 16));
  // Network input once, weights once, the final output once.
  assert.equal(w.compulsoryDramBytes, 16 * 28 * 28 + (32 * 16 * 9 + 32 * 32 * 9) + 32 * 14 * 14);
  assert.equal(compulsoryDramBytes(big, net), w.compulsoryDramBytes);
  assert.ok(w.dramBytes >= w.compulsoryDramBytes);
  assert.equal(w.latencyCycles, w.layers.reduce((s, l) => s + l.latencyCycles, 0));
  assert.ok(Math.abs(w.latencyS - w.latencyCycles / 1e9) < 1e-15);
  assert.ok(Math.abs(w.edp - w.energyPJ * w.latencyS) <= 1e-9 * w.edp);
  const parts = w.energyBreakdownPJ;
  assert.ok(Math.abs(parts.mac + parts.rf + parts.sram + parts.dram + parts.other - w.energyPJ) <= 1e-9 * w.energyPJ);
  assert.ok(parts.other > 0 && parts.mac > 0 && parts.dram > 0);
});

test('a traffic plan removes exactly the on-chip reads and writes', () => {
  const plain = evaluateWorkload(big, net);
  const plan = { onChipReads: { c2: ['a'], add: ['b', 'a'] }, onChipWrites: ['a', 'b'] };
  const fused = evaluateWorkload(big, net, plan);
  const act = 32 * 28 * 28;
  assert.equal(fused.layers[0]!.dramWriteBytes, plain.layers[0]!.dramWriteBytes - act);
  assert.equal(fused.layers[1]!.dramReadBytes, plain.layers[1]!.dramReadBytes - act);
  assert.equal(fused.layers[1]!.dramWriteBytes, 0);
  assert.equal(fused.layers[2]!.dramReadBytes, 0);
  assert.equal(fused.dramBytes, plain.dramBytes - 5 * act);
  assert.ok(fused.energyPJ < plain.energyPJ);
  assert.equal(fused.compulsoryDramBytes, plain.compulsoryDramBytes);
});

test('per-layer bitwidths override the hardware', () => {
  const op: Conv2dOp = { ...conv('c2', 'a', 'b', 32, 32, 28), weightBits: 4, activationBits: 16 };
  const withOverride = evaluateLayer(big, op, net);
  const asHardware = evaluateLayer({ ...big, weightBits: 4, activationBits: 16 }, conv('c2', 'a', 'b', 32, 32, 28), net);
  assert.deepEqual(withOverride, asHardware);
  assert.notDeepEqual(withOverride, evaluateLayer(big, conv('c2', 'a', 'b', 32, 32, 28), net));
});

test('a GEMM costs the same as a matmul and as the conv SCALE-Sim uses for it', () => {
  for (const dataflow of ['os', 'ws', 'is'] as const) {
    const hw = { ...big, dataflow, peRows: 8, peCols: 12 };
    const mm: MatmulOp = { kind: 'matmul', name: 'mm', inputs: ['x'], output: 'y', m: 100, n: 37, k: 300, count: 1, weightOperand: true };
    const asConv: Conv2dOp = {
      kind: 'conv2d', name: 'mm', inputs: ['x'], output: 'y', batch: 1, inH: 100, inW: 300, inC: 1, outC: 37, kH: 1, kW: 300,
      strideH: 1, strideW: 1, padH: 0, padW: 0, groups: 1,
    };
    const a = evaluateLayer(hw, mm, net);
    const b = evaluateLayer(hw, asConv, net);
    assert.equal(a.computeCycles, b.computeCycles);
    assert.equal(a.mappingEfficiency, b.mappingEfficiency);
    assert.equal(a.macs, 100 * 37 * 300);
    assert.equal(a.dramReadBytes, b.dramReadBytes); // both fit: A (or ifmap) and B (weights) once
  }
});

test('attention: two GEMMs per head on the array, softmax on the vector unit, schedule reported', () => {
  const att: AttentionOp = {
    kind: 'attention', name: 'att', inputs: ['q', 'k', 'v'], output: 'o', batch: 1, heads: 12, seqQ: 128, seqKV: 128, headDim: 64, causal: false,
  };
  const hw = normalizeHardware({ peRows: 32, peCols: 32, glbKiB: 512 });
  const { metrics, detail } = explainLayer(hw, att, net);
  assert.equal(metrics.macs, 12 * 128 * 128 * 64 * 2);
  assert.equal(detail.attention?.schedule, 'kvResident');
  assert.equal(metrics.dramReadBytes + metrics.dramWriteBytes, 12 * 4 * 128 * 64);
  const causal = evaluateLayer(hw, { ...att, causal: true }, net);
  assert.ok(causal.computeCycles < metrics.computeCycles);
  assert.ok(causal.macs < metrics.macs);
  const tiny = explainLayer({ ...hw, glbKiB: 16 }, { ...att, seqQ: 2048, seqKV: 2048 }, net);
  assert.notEqual(tiny.detail.attention?.schedule, 'kvResident');
  assert.ok(tiny.metrics.dramReadBytes + tiny.metrics.dramWriteBytes > 12 * 4 * 2048 * 64);
});

test('depthwise conv runs group by group', () => {
  const dw: Conv2dOp = { ...conv('dw', 'a', 'b', 32, 32, 28), groups: 32 };
  const one: Conv2dOp = { ...conv('dw', 'a', 'b', 1, 1, 28) };
  assert.equal(evaluateLayer(big, dw, net).computeCycles, 32 * evaluateLayer(big, one, net).computeCycles);
});

test('the model is deterministic', () => {
  assert.deepEqual(evaluateWorkload(big, net), evaluateWorkload(big, net));
});

test('smaller buffers never reduce DRAM traffic of the workload', () => {
  let last = -1;
  for (const glbKiB of [2048, 256, 64, 16, 4, 1]) {
    const d = evaluateWorkload({ ...big, glbKiB }, net).dramBytes;
    assert.ok(d >= last);
    last = d;
  }
  assert.ok(last > evaluateWorkload(big, net).compulsoryDramBytes);
});
