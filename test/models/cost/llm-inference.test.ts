import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateLayer, evaluateWorkload, explainLayer, persistentState } from '../../../models/cost/evaluate.ts';
import { normalizeHardware } from '../../../models/hardware.ts';
import type { AttentionOp, MatmulOp, Workload } from '../../../models/types.ts';
import { buildTransformer, type TransformerArch } from '../../../models/workload/transformer.ts';
import { buildZooWorkload } from '../../../models/workload/zoo/index.ts';

/*
 * LLM inference in the cost model, each expectation derived here from first principles:
 * decode reads each layer's KV cache once per token (2 x kvHeads x headDim x context x kvBits/8
 * bytes per layer and sequence), grouped-query attention shares K/V across the query heads of
 * a group, a mixture of experts reads E (1 - (1 - k/E)^tokens) experts on average, and batched
 * decode reuses every weight across the batch.
 */

const OS = normalizeHardware({ dataflow: 'os' });

test('decode attention reads the KV cache once per token: 2 x kvHeads x headDim x context x kvBits/8 bytes per layer and sequence, plus q', () => {
  for (const [kvBits, batch] of [[16, 1], [4, 4]] as const) {
    const w = buildZooWorkload('llama3_8b', { context: 4096, kvBits, batch });
    const m = evaluateWorkload(OS, w);
    const att = m.layers.filter((l) => l.kind === 'attention');
    assert.equal(att.length, 32);
    const kvBytes = 2 * 8 * 128 * 4096 * (kvBits / 8) * batch;
    const qBytes = 32 * 128 * batch; // one query row per head at 8-bit activations
    for (const l of att) assert.equal(l.dramReadBytes, kvBytes + qBytes);
  }
});

const small = (kvHeads: number): TransformerArch => ({
  layers: 2, hidden: 512, heads: 8, kvHeads, headDim: 64, ffn: 1024, norm: 'rmsnorm', normPlacement: 'pre', normParams: true,
  mlp: 'swiglu', rotary: true, causal: true, qkvBias: false, linearBias: false, embedding: { vocab: 1000, positions: 0 },
  patchFeatures: null, lmHead: { vocab: 1000, tied: false }, finalNorm: true, moe: null, blockName: (l) => `layers.${l}`,
});

test('grouped-query attention: K/V traffic shrinks by heads/kvHeads, the attention MACs do not', () => {
  const run = { batch: 2, phase: 'decode' as const, tokens: 1, kvLength: 2048, lmHeadRows: 'last' as const };
  const attOf = (kvHeads: number) => {
    const w = buildTransformer('t', {}, small(kvHeads), run);
    const op = w.ops.find((o): o is AttentionOp => o.kind === 'attention')!;
    return { m: evaluateLayer(OS, op, w), t: explainLayer(OS, op, w).detail.attention! };
  };
  const mha = attOf(8);
  const gqa = attOf(2);
  assert.equal(gqa.m.macs, mha.m.macs);
  // Each K/V head is read once for its whole group: kvReadElements per kv head equals MHA's per head.
  assert.equal(gqa.t.kvReadElements, mha.t.kvReadElements);
  const q = 2 * 8 * 64; // batch x heads x headDim
  assert.equal(mha.m.dramReadBytes - q, 4 * (gqa.m.dramReadBytes - q));
});

test('mixture of experts: weights of E (1 - (1 - k/E)^tokens) distinct experts are read (uniform, independent routing)', () => {
  for (const batch of [1, 4, 64]) {
    const w = buildZooWorkload('mixtral_8x7b', { context: 64, batch });
    const op = w.ops.find((o): o is MatmulOp => o.name === 'layers.0.mlp.gate')!;
    const { detail, metrics } = explainLayer(OS, op, w);
    const expertBytes = 4096 * 14336; // one expert's gate projection at 8 bits
    const expected = 8 * (1 - Math.pow(1 - 2 / 8, batch));
    assert.ok(Math.abs(detail.tiling!.weightReadBytes / expertBytes - expected) < 1e-9, `batch ${batch}: ${detail.tiling!.weightReadBytes / expertBytes} experts vs ${expected}`);
    assert.equal(metrics.macs, batch * 2 * 4096 * 14336);
  }
  // batch 1 reads exactly its 2 experts; 64 tokens read essentially all 8.
  assert.equal(8 * (1 - Math.pow(0.75, 1)), 2);
});

test('batched decode reuses weights: linear layers are memory-bound at batch 1 and compute-bound at batch 64, tokens/s grows', () => {
  const run = (batch: number) => {
    const m = evaluateWorkload(OS, buildZooWorkload('llama3_8b', { context: 512, batch }));
    const linears = m.layers.filter((l) => l.kind === 'matmul');
    return { tokensPerS: batch / m.latencyS, memoryBound: linears.filter((l) => l.bound === 'memory').length / linears.length, dram: m.dramBytes };
  };
  const b1 = run(1);
  const b64 = run(64);
  assert.equal(b1.memoryBound, 1);
  assert.equal(b64.memoryBound, 0);
  assert.ok(b64.tokensPerS > 10 * b1.tokensPerS, `${b64.tokensPerS} vs ${b1.tokensPerS}`);
  // Weights are read once per step whatever the batch: 64 sequences move far less than 64x the bytes.
  assert.ok(b64.dram < 8 * b1.dram);
});

test('a KV cache that fits in half the buffer stays on chip: its reads leave DRAM, its bytes leave the tiles', () => {
  const run = { batch: 1, phase: 'decode' as const, tokens: 1, kvLength: 256, lmHeadRows: 'last' as const };
  const w = buildTransformer('t', {}, small(2), run);
  const cacheBytes = 2 * 2 * 2 * 64 * 256; // layers x (K, V) x kvHeads x headDim x context at 8 bits
  const big = normalizeHardware({ dataflow: 'os', glbKiB: 1024 });
  const tiny = normalizeHardware({ dataflow: 'os', glbKiB: 64 });
  assert.deepEqual(persistentState(big, w), { bytes: cacheBytes, onChip: true });
  assert.equal(persistentState(tiny, w).onChip, false);
  const attBytes = (hw: typeof big) => evaluateWorkload(hw, w).layers.filter((l) => l.kind === 'attention').reduce((s, l) => s + l.dramReadBytes, 0);
  assert.equal(attBytes(big), 2 * 8 * 64); // q only
  assert.equal(attBytes(tiny), cacheBytes + 2 * 8 * 64);
});

test('a repeated block is costed once: the workload total equals the sum of every op costed on its own', () => {
  const w: Workload = buildZooWorkload('mixtral_8x7b', { context: 300, batch: 3 });
  for (const hw of [OS, normalizeHardware({ peRows: 64, peCols: 16, glbKiB: 512, kvBits: 4 })]) {
    const m = evaluateWorkload(hw, w);
    let latency = 0;
    let energy = 0;
    let dram = 0;
    w.ops.forEach((op, i) => {
      const one = evaluateLayer(hw, op, w);
      assert.deepEqual(m.layers[i], one);
      latency += one.latencyCycles;
      energy += one.energyPJ;
      dram += one.dramReadBytes + one.dramWriteBytes;
    });
    assert.equal(m.latencyCycles, latency);
    assert.ok(Math.abs(m.energyPJ - energy) <= 1e-9 * energy);
    assert.equal(m.dramBytes, dram);
  }
});
