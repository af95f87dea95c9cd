import { DseError } from '../../../core/errors.ts';
import { buildTransformer, type TransformerArch } from '../transformer.ts';
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
 * - decode: one new token. Its K and V rows are appended to the KV cache (persistent tensors,
 *   off chip unless the whole cache fits in half the on-chip buffer): the k/v projections'
 *   outputs are that append (read by no op), and the attention reads the cache after the
 *   append, `seqLen + 1` keys and values, as network inputs `<layer>.attn.k_cache` / `.v_cache`.
 *   So decode pays for reading the whole cache.
 * - Built by the shared transformer builder (models/workload/transformer.ts); the Hugging Face
 *   import of GPT-2's config.json lists embeddings, biases and norm gains too.
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
  return buildTransformer('gpt2', params, GPT2_ARCH, {
    batch,
    phase: decode ? 'decode' : 'prefill',
    tokens: decode ? 1 : seqLen,
    kvLength: decode ? seqLen + 1 : seqLen,
    lmHeadRows: params.lmHead === 'all' ? 'all' : 'last',
  });
}

/** GPT-2 small as the zoo has always built it: embedded tokens in, no biases or norm gains listed. */
const GPT2_ARCH: TransformerArch = {
  layers: GPT2_LAYERS, hidden: GPT2_HIDDEN, heads: GPT2_HEADS, kvHeads: GPT2_HEADS, headDim: GPT2_HIDDEN / GPT2_HEADS, ffn: GPT2_FFN,
  norm: 'layernorm', normPlacement: 'pre', normParams: false, mlp: 'gelu', rotary: false, causal: true,
  qkvBias: false, linearBias: false, embedding: null, patchFeatures: null, lmHead: { vocab: GPT2_VOCAB, tied: false }, finalNorm: true, moe: null,
  blockName: (l) => `h${l}`,
};

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
