import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDseError } from '../../../core/errors.ts';
import { opMacs, opWeightElements } from '../../../models/op-size.ts';
import type { AttentionOp, Workload } from '../../../models/types.ts';
import { buildZooWorkload } from '../../../models/workload/zoo/index.ts';
import { validateGraph } from '../../../models/workload/validate-graph.ts';

/*
 * Independent checks from GPT-2 small's published architecture (Radford et al. 2019;
 * n_layer 12, d_model 768, n_head 12, d_ff 3072, n_vocab 50257, n_ctx 1024) and the per-token
 * accounting of Kaplan et al. 2020, "Scaling Laws for Neural Language Models", Table 1:
 *   non-embedding parameters N = 2 d_model n_layer (2 d_attn + d_ff) = 84,934,656 ("85M"),
 *   forward FLOPs per token 2N (each weight is one multiply-add per token) plus de-embed
 *   2 d_model n_vocab, plus the attention context term.
 * So a token costs N linear MACs in the blocks and d_model * n_vocab in the LM head. Kaplan's
 * context term (2 n_layer n_ctx d_attn FLOPs) counts QK^T only; attention also does S V, the
 * same amount again, so one token attending to L keys costs 2 n_layer L d_model MACs.
 */
const L_LAYERS = 12;
const D = 768;
const FF = 3072;
const VOCAB = 50257;
const N_NON_EMBEDDING = 2 * D * L_LAYERS * (2 * D + FF);

const sum = (w: Workload, pick: (name: string, kind: string) => boolean): number =>
  w.ops.filter((op) => pick(op.name, op.kind)).reduce((s, op) => s + opMacs(op), 0);
const blockLinear = (w: Workload): number => sum(w, (n, k) => k === 'matmul' && n !== 'lm_head');
const lmHead = (w: Workload): number => sum(w, (n) => n === 'lm_head');
const attention = (w: Workload): number => sum(w, (_, k) => k === 'attention');
const total = (w: Workload): number => w.ops.reduce((s, op) => s + opMacs(op), 0);

test('Kaplan et al. 2020: N = 84.9M non-embedding parameters, which is the 85M published for GPT-2 small', () => {
  assert.equal(N_NON_EMBEDDING, 84_934_656);
  assert.ok(Math.abs(N_NON_EMBEDDING - 85e6) / 85e6 < 0.01);
});

test('decode: one token costs N block-linear MACs, d_model*n_vocab LM-head MACs and 2*n_layer*(L+1)*d_model attention MACs', () => {
  for (const seqLen of [1, 100, 1023]) {
    const w = buildZooWorkload('gpt2', { phase: 'decode', seqLen });
    validateGraph(w);
    assert.equal(blockLinear(w), N_NON_EMBEDDING);
    assert.equal(lmHead(w), D * VOCAB);
    assert.equal(attention(w), 2 * L_LAYERS * (seqLen + 1) * D);
    const att = w.ops.filter((op): op is AttentionOp => op.kind === 'attention');
    for (const a of att) {
      assert.deepEqual([a.seqQ, a.seqKV, a.heads, a.headDim, a.causal], [1, seqLen + 1, 12, 64, true]);
      // The attention reads the whole KV cache (after the append) as network inputs.
      assert.equal(w.tensors[a.inputs[1]!]!.kind, 'input');
      assert.equal(w.tensors[a.inputs[1]!]!.elements, (seqLen + 1) * D);
      assert.equal(w.tensors[a.inputs[2]!]!.elements, (seqLen + 1) * D);
    }
  }
});

test('prefill: L tokens cost L*N block-linear MACs and causal attention over L(L+1)/2 query-key pairs', () => {
  const L = 1024;
  const w = buildZooWorkload('gpt2');
  assert.equal(w.params.seqLen, L);
  assert.equal(blockLinear(w), L * N_NON_EMBEDDING);
  assert.equal(attention(w), 2 * L_LAYERS * D * ((L * (L + 1)) / 2));
  // lmHead 'last' (default): only the last token's logits; 'all': every position's.
  assert.equal(lmHead(w), D * VOCAB);
  assert.equal(lmHead(buildZooWorkload('gpt2', { lmHead: 'all' })), L * D * VOCAB);
});

test('prefill of L tokens = prefill of L-1 tokens + one decode step with a cache of L-1 (all logits)', () => {
  for (const L of [2, 17, 512]) {
    const longer = total(buildZooWorkload('gpt2', { seqLen: L, lmHead: 'all' }));
    const shorter = total(buildZooWorkload('gpt2', { seqLen: L - 1, lmHead: 'all' }));
    const step = total(buildZooWorkload('gpt2', { phase: 'decode', seqLen: L - 1 }));
    assert.equal(longer, shorter + step, `L=${L}`);
  }
});

test('weights plus token and position embeddings give the published 124M parameters of GPT-2 small', () => {
  // Source: the GPT-2 model card on Hugging Face (openai-community/gpt2: 124M parameters; the
  // paper's table says 117M; the released checkpoint has 124M). The LM head is tied to the token
  // embedding, so it is counted once.
  const w = buildZooWorkload('gpt2', { phase: 'decode', seqLen: 10 });
  const tied = w.ops.reduce((s, op) => s + opWeightElements(op), 0);
  const params = tied + 1024 * D;
  assert.ok(Math.abs(params - 124e6) / 124e6 < 0.01, `${params}`);
});

test('decode refuses a cache that would exceed the 1024-token context', () => {
  assert.throws(
    () => buildZooWorkload('gpt2', { phase: 'decode', seqLen: 1024 }),
    (e: unknown) => isDseError(e) && e.path === 'params.seqLen' && /1023/.test(e.message),
  );
});

test('batch multiplies every op, including the last-token LM head', () => {
  const one = buildZooWorkload('gpt2', { seqLen: 64 });
  const three = buildZooWorkload('gpt2', { seqLen: 64, batch: 3 });
  assert.equal(total(three), 3 * total(one));
  assert.equal(lmHead(three), 3 * D * VOCAB);
});
