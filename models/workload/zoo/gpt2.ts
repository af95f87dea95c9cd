import { DseError } from '../../../core/errors.ts';
import { GraphBuilder } from '../graph-builder.ts';
import type { Workload } from '../../types.ts';
import { batchParam, type ParamValue, type ZooEntry } from './zoo-entry.ts';

export const GPT2_LAYERS = 12;
export const GPT2_HIDDEN = 768;
export const GPT2_HEADS = 12;
export const GPT2_FFN = 3072;
export const GPT2_VOCAB = 50257;
export const GPT2_CONTEXT = 1024;

/**
 * GPT-2 small (Radford et al. 2019), pre-layernorm decoder with causal attention.
 *
 * - The network input is the embedded tokens [batch, tokens, 768] (token plus position
 *   embedding lookups do no MACs). Q, K, V are three linear layers (GPT-2 fuses them into one
 *   768x2304 layer; the MACs are the same).
 * - prefill: `seqLen` tokens attend causally to each other.
 * - decode: one new token. Its K and V rows are appended to the KV cache, which lives off chip:
 *   the k/v projections' outputs are that append (written out, read by no op), and the
 *   attention reads the cache after the append, `seqLen + 1` keys and values, as network
 *   inputs `<layer>.attn.k_cache` / `.v_cache`. So decode pays for reading the whole cache.
 * - LM head (768 x 50257, tied to the token embedding): with `lmHead: last` only the last
 *   token's logits are computed (what generation needs); `all` computes every position's
 *   (what training or scoring does). Decode has one token either way.
 */
function buildGpt2(params: Record<string, ParamValue>): Workload {
  const batch = params.batch as number;
  const seqLen = params.seqLen as number;
  const decode = params.phase === 'decode';
  if (decode && seqLen + 1 > GPT2_CONTEXT) {
    throw new DseError('invalid_param', `gpt2 decode attends seqLen+1 keys and GPT-2's context is ${GPT2_CONTEXT}, so seqLen must be <= ${GPT2_CONTEXT - 1} (got ${seqLen})`, { path: 'params.seqLen' });
  }
  const tokens = decode ? 1 : seqLen;
  const g = new GraphBuilder('gpt2', params);
  let x = g.input('embeddings', [batch, tokens, GPT2_HIDDEN]);
  for (let l = 0; l < GPT2_LAYERS; l++) {
    const p = `h${l}`;
    const h1 = g.eltwise(`${p}.ln_1`, 'layernorm', [x]);
    const q = g.linear(`${p}.attn.q`, h1, { outFeatures: GPT2_HIDDEN });
    let k = g.linear(`${p}.attn.k`, h1, { outFeatures: GPT2_HIDDEN });
    let v = g.linear(`${p}.attn.v`, h1, { outFeatures: GPT2_HIDDEN });
    if (decode) {
      k = g.input(`${p}.attn.k_cache`, [batch, seqLen + 1, GPT2_HIDDEN]);
      v = g.input(`${p}.attn.v_cache`, [batch, seqLen + 1, GPT2_HIDDEN]);
    }
    const a = g.attention(`${p}.attn`, q, k, v, { heads: GPT2_HEADS, causal: true });
    const o = g.linear(`${p}.attn.proj`, a, { outFeatures: GPT2_HIDDEN });
    x = g.add(`${p}.attn.add`, o, x);
    const h2 = g.eltwise(`${p}.ln_2`, 'layernorm', [x]);
    let f = g.linear(`${p}.mlp.fc`, h2, { outFeatures: GPT2_FFN });
    f = g.eltwise(`${p}.mlp.gelu`, 'gelu', [f]);
    f = g.linear(`${p}.mlp.proj`, f, { outFeatures: GPT2_HIDDEN });
    x = g.add(`${p}.mlp.add`, f, x);
  }
  x = g.eltwise('ln_f', 'layernorm', [x]);
  const lastOnly = params.lmHead === 'last' && tokens > 1;
  g.linear('lm_head', x, { outFeatures: GPT2_VOCAB, ...(lastOnly ? { rows: batch } : {}) });
  return g.build();
}

export const gpt2: ZooEntry = {
  name: 'gpt2',
  description: 'GPT-2 small (Radford et al. 2019): 12-layer causal decoder, hidden 768, 12 heads, LM head to 50257; prefill or one decode step',
  params: {
    batch: batchParam,
    phase: { kind: 'choice', default: 'prefill', values: ['prefill', 'decode'], description: 'prefill: seqLen prompt tokens; decode: one token with a KV cache of seqLen' },
    seqLen: { kind: 'int', default: GPT2_CONTEXT, min: 1, max: GPT2_CONTEXT, description: 'prompt length (prefill) or KV-cache length (decode, at most 1023)' },
    lmHead: { kind: 'choice', default: 'last', values: ['last', 'all'], description: "prefill computes logits for the last token only, or for all" },
  },
  build: buildGpt2,
};
