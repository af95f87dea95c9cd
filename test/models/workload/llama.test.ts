import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDseError } from '../../../core/errors.ts';
import { opMacs, opWeightElements } from '../../../models/op-size.ts';
import type { AttentionOp, Workload } from '../../../models/types.ts';
import { buildZooWorkload } from '../../../models/workload/zoo/index.ts';
import { validateGraph } from '../../../models/workload/validate-graph.ts';

/*
 * Published parameter totals:
 *   Llama-3-8B 8.03 B and Llama-3-70B 70.6 B: Meta's model cards (meta-llama/Meta-Llama-3-8B,
 *     -70B on Hugging Face, "8.03B params" / "70.6B params" in the safetensors metadata).
 *   Mixtral-8x7B 46.7 B total, 12.9 B active per token: Jiang et al. 2024, "Mixtral of Experts"
 *     (arXiv:2401.04088), section 1 and the Mistral AI announcement.
 *   ViT-B/16 86 M: Dosovitskiy et al. 2021, Table 1; torchvision's vit_b_16 documentation lists
 *     86,567,656 parameters and 17.56 GFLOPS (torchvision counts a multiply-add as one flop).
 * Architecture numbers (vocabulary and hidden sizes, layers, heads) are those of each model's
 * config.json on Hugging Face; the tests use them only to derive the attention and embedding
 * terms, never the totals.
 */
const weights = (w: Workload): number => w.ops.reduce((s, op) => s + opWeightElements(op), 0);
const macs = (w: Workload): number => w.ops.reduce((s, op) => s + opMacs(op), 0);
/** Parameters a token uses: every weight, but only topK of E experts of a mixture. */
const activeWeights = (w: Workload): number =>
  w.ops.reduce((s, op) => s + opWeightElements(op) * (op.kind === 'matmul' && op.moe ? op.moe.topK / op.moe.experts : 1), 0);

function within(actual: number, expected: number, tol: number, what: string): void {
  const rel = Math.abs(actual - expected) / expected;
  assert.ok(rel <= tol, `${what}: ${actual} vs ${expected} (${(rel * 100).toFixed(3)}% off, allowed ${tol * 100}%)`);
}

const PRESETS = [
  { name: 'llama3_8b', total: 8.03e9, active: 8.03e9, layers: 32, heads: 32, kvHeads: 8, headDim: 128, vocab: 128256, hidden: 4096 },
  { name: 'llama3_70b', total: 70.6e9, active: 70.6e9, layers: 80, heads: 64, kvHeads: 8, headDim: 128, vocab: 128256, hidden: 8192 },
  { name: 'mixtral_8x7b', total: 46.7e9, active: 12.9e9, layers: 32, heads: 32, kvHeads: 8, headDim: 128, vocab: 32000, hidden: 4096 },
];

for (const p of PRESETS) {
  test(`${p.name}: weightElements within 1% of the published ${p.total / 1e9} B parameters (embeddings and untied LM head included)`, () => {
    const w = buildZooWorkload(p.name, { phase: 'decode', context: 128 });
    validateGraph(w);
    within(weights(w), p.total, 0.01, `${p.name} total`);
    within(activeWeights(w), p.active, 0.01, `${p.name} active per token`);
  });

  test(`${p.name}: decode MACs per token within 2% of active parameters (less the lookup table) plus attention`, () => {
    // FLOPs per token = 2 x MACs: Kaplan et al. 2020's 2N (one multiply-add per weight) plus the
    // attention's QK^T and AV, each heads x headDim x context MACs per layer. The token
    // embedding is a lookup (no multiply), so its vocab x hidden table leaves N.
    for (const [context, batch] of [[4096, 1], [512, 8]] as const) {
      const w = buildZooWorkload(p.name, { phase: 'decode', context, batch });
      const attention = 2 * p.layers * p.heads * p.headDim * context;
      const expected = p.active - p.vocab * p.hidden + attention;
      within(macs(w) / batch, expected, 0.02, `${p.name} MACs per token at context ${context}`);
      const att = w.ops.filter((op): op is AttentionOp => op.kind === 'attention');
      assert.equal(att.length, p.layers);
      for (const a of att) assert.deepEqual([a.seqQ, a.seqKV, a.heads, a.kvHeads, a.headDim], [1, context, p.heads, p.kvHeads, p.headDim]);
      // The KV cache: per layer, K and V of kvHeads x headDim per position, persistent state.
      const cache = w.tensors[att[0]!.inputs[1]!]!;
      assert.equal(cache.elements, batch * context * p.kvHeads * p.headDim);
      assert.equal(cache.persistent, true);
    }
  });
}

test('llama presets are also reachable as {name: llama, params: {preset}}, with the same graph', () => {
  const a = buildZooWorkload('llama', { preset: 'mixtral_8x7b', context: 256 });
  const b = buildZooWorkload('mixtral_8x7b', { context: 256 });
  assert.equal(weights(a), weights(b));
  assert.equal(macs(a), macs(b));
});

test('prefill: the prompt attends causally, the LM head computes the last token only', () => {
  const w = buildZooWorkload('llama3_8b', { phase: 'prefill', seqLen: 1000, batch: 2 });
  const a = w.ops.find((op): op is AttentionOp => op.kind === 'attention')!;
  assert.deepEqual([a.seqQ, a.seqKV, a.causal, a.batch], [1000, 1000, true, 2]);
  const head = w.ops.find((op) => op.name === 'lm_head')!;
  assert.equal(opMacs(head), 2 * 4096 * 128256);
});

test('a context longer than the model has positions, or an unknown parameter, is a DseError naming the parameter', () => {
  for (const [params, path] of [[{ context: 9000 }, 'params.context'], [{ phase: 'prefill', seqLen: 8193 }, 'params.seqLen'], [{ heads: 3 }, 'params.heads']] as const) {
    assert.throws(() => buildZooWorkload('llama3_8b', params), (e) => isDseError(e) && e.path === path);
  }
});

test('kvBits: a workload value is set on every attention op; "design" leaves it to the hardware', () => {
  const fixed = buildZooWorkload('llama3_8b', { context: 64, kvBits: 4 });
  assert.ok(fixed.ops.every((op) => op.kind !== 'attention' || op.kvBits === 4));
  const free = buildZooWorkload('llama3_8b', { context: 64 });
  assert.ok(free.ops.every((op) => op.kind !== 'attention' || op.kvBits === undefined));
});

test('vit_b16: 86.6 M parameters and 17.56 G MACs at 224x224 (torchvision, within 1%)', () => {
  const w = buildZooWorkload('vit_b16');
  validateGraph(w);
  within(weights(w), 86_567_656, 0.01, 'vit_b16 parameters');
  within(macs(w), 17.56e9, 0.01, 'vit_b16 MACs');
  const a = w.ops.find((op): op is AttentionOp => op.kind === 'attention')!;
  assert.deepEqual([a.seqQ, a.seqKV, a.causal], [197, 197, false]);
});
