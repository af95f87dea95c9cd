import { DseError } from '../../core/errors.ts';
import type { Workload } from '../types.ts';
import { GraphBuilder } from './graph-builder.ts';

/**
 * One builder for every transformer in accel-dse: the zoo's BERT, GPT-2, Llama/Mixtral and
 * ViT, and Hugging Face config imports (models/workload/hf-config.ts). An architecture is a
 * TransformerArch (its sizes and choices); a run of it (prefill or one decode step, batch,
 * context) is a TransformerRun. docs/WORKLOADS.md describes the graphs.
 */
export interface TransformerArch {
  layers: number;
  hidden: number;
  heads: number;
  /** Key/value heads (grouped-query attention when fewer than heads). */
  kvHeads: number;
  headDim: number;
  /** MLP inner width (per expert for a mixture of experts). */
  ffn: number;
  norm: 'layernorm' | 'rmsnorm';
  /** pre: x + f(norm(x)) (GPT-2, Llama); post: norm(x + f(x)) (BERT). */
  normPlacement: 'pre' | 'post';
  /** Norm gains (and layernorm biases) listed as parameters (the original zoo BERT/GPT-2 leave them out). */
  normParams: boolean;
  /** gelu: up, GELU, down; swiglu: down(silu(gate(x)) * up(x)). */
  mlp: 'gelu' | 'swiglu';
  /** Rotary position embedding on q and k, as a vector op (2 multiplies and an add per element). */
  rotary: boolean;
  causal: boolean;
  /** Biases on q, k, v (Qwen2) and on every other linear layer (GPT-2). */
  qkvBias: boolean;
  linearBias: boolean;
  /**
   * Token (and learned position) embedding lookups; null: the network input is the embedded
   * sequence [batch, tokens, hidden], no table listed (the original zoo BERT and GPT-2).
   */
  embedding: { vocab: number; positions: number } | null;
  /**
   * ViT: the network input is raw patches [batch, tokens, patchFeatures] projected to `hidden`
   * by a linear layer with bias (the patch embedding, a stride-p convolution); null otherwise.
   */
  patchFeatures: number | null;
  /** LM head (or classifier) to `vocab` outputs; `tied`: it reuses the token embedding table (counted once). */
  lmHead: { vocab: number; tied: boolean; bias?: boolean } | null;
  /** A norm after the last block. */
  finalNorm: boolean;
  /** Mixture of experts in every block's MLP: a router, then topK of `experts` SwiGLU experts per token. */
  moe: { experts: number; topK: number } | null;
  /** Prefix of block l's op names. */
  blockName: (l: number) => string;
}

export interface TransformerRun {
  batch: number;
  phase: 'prefill' | 'decode' | 'encode';
  /** Tokens per sequence that go through the network: the prompt (prefill, encode), 1 (decode). */
  tokens: number;
  /** Keys each query sees: the prompt (prefill, encode) or the KV cache after the append (decode). */
  kvLength: number;
  /** Logits for the last token only (generation) or for every token. */
  lmHeadRows: 'last' | 'all';
  /** KV-cache bitwidth for the attention ops; unset: the design's kvBits. */
  kvBits?: number;
}

/**
 * Builds the graph. Decode: the new token's K and V rows (the k/v projections) are appended to
 * the KV cache, a persistent tensor per layer [batch, kvLength, kvHeads * headDim] that the
 * attention reads whole; the cost model keeps it on chip when it fits, else in DRAM.
 */
export function buildTransformer(name: string, params: Record<string, number | string>, a: TransformerArch, run: TransformerRun): Workload {
  if (a.heads % a.kvHeads !== 0) throw new DseError('bad_graph', `${a.heads} attention heads are not a multiple of ${a.kvHeads} key/value heads`, { path: 'num_key_value_heads' });
  const g = new GraphBuilder(name, params);
  const { batch, tokens } = run;
  const decode = run.phase === 'decode';
  const qWidth = a.heads * a.headDim;
  const kvWidth = a.kvHeads * a.headDim;
  const normGain = a.normParams ? (a.norm === 'layernorm' ? 2 * a.hidden : a.hidden) : 0;
  const norm = (n: string, x: string): string => g.eltwise(n, a.norm, [x], { paramElements: normGain });
  const linearBias = a.linearBias;

  let x: string;
  if (a.embedding) {
    const ids = g.input('token_ids', [batch, tokens]);
    // With tied embeddings the table is the LM head's weight: the lookup reads rows of it but stores nothing more.
    x = g.embedding('embed_tokens', ids, { vocab: a.embedding.vocab, dim: a.hidden, tiedToHead: a.lmHead?.tied === true });
    if (a.embedding.positions > 0) {
      const pos = g.embedding('embed_positions', g.input('position_ids', [batch, tokens]), { vocab: a.embedding.positions, dim: a.hidden });
      x = g.add('embed_add', x, pos);
    }
  } else if (a.patchFeatures !== null) {
    x = g.linear('patch_embed', g.input('patches', [batch, tokens, a.patchFeatures]), { outFeatures: a.hidden, bias: true });
  } else {
    x = g.input('embeddings', [batch, tokens, a.hidden]);
  }

  for (let l = 0; l < a.layers; l++) {
    const p = a.blockName(l);
    const h = a.normPlacement === 'pre' ? norm(`${p}.norm_attn`, x) : x;
    let q = g.linear(`${p}.attn.q`, h, { outFeatures: qWidth, bias: a.qkvBias });
    let k = g.linear(`${p}.attn.k`, h, { outFeatures: kvWidth, bias: a.qkvBias });
    let v = g.linear(`${p}.attn.v`, h, { outFeatures: kvWidth, bias: a.qkvBias });
    if (a.rotary) {
      q = g.eltwise(`${p}.attn.q_rotary`, 'rotary', [q]);
      k = g.eltwise(`${p}.attn.k_rotary`, 'rotary', [k]);
    }
    if (decode) {
      // The new rows are the cache's append; the attention reads the whole cache.
      g.persist(k);
      g.persist(v);
      k = g.input(`${p}.attn.k_cache`, [batch, run.kvLength, kvWidth], { persistent: true });
      v = g.input(`${p}.attn.v_cache`, [batch, run.kvLength, kvWidth], { persistent: true });
    }
    const att = g.attention(`${p}.attn`, q, k, v, {
      heads: a.heads, kvHeads: a.kvHeads, causal: a.causal, ...(run.kvBits !== undefined ? { kvBits: run.kvBits } : {}),
    });
    const o = g.linear(`${p}.attn.o`, att, { outFeatures: a.hidden, bias: linearBias });
    x = g.add(`${p}.attn.add`, o, x);
    let h2: string;
    if (a.normPlacement === 'pre') h2 = norm(`${p}.norm_mlp`, x);
    else x = h2 = norm(`${p}.norm_attn`, x);
    const f = a.moe ? moeMlp(g, p, h2, a, a.moe) : denseMlp(g, p, h2, a);
    x = g.add(`${p}.mlp.add`, f, x);
    if (a.normPlacement === 'post') x = norm(`${p}.norm_mlp`, x);
  }
  if (a.finalNorm) x = norm('norm_final', x);
  if (a.lmHead) {
    const lastOnly = run.lmHeadRows === 'last' && tokens > 1;
    g.linear('lm_head', x, { outFeatures: a.lmHead.vocab, bias: a.lmHead.bias === true, ...(lastOnly ? { rows: batch } : {}) });
  }
  return g.build();
}

function denseMlp(g: GraphBuilder, p: string, h: string, a: TransformerArch): string {
  if (a.mlp === 'gelu') {
    const up = g.linear(`${p}.mlp.up`, h, { outFeatures: a.ffn, bias: a.linearBias });
    const act = g.eltwise(`${p}.mlp.act`, 'gelu', [up]);
    return g.linear(`${p}.mlp.down`, act, { outFeatures: a.hidden, bias: a.linearBias });
  }
  const gate = g.linear(`${p}.mlp.gate`, h, { outFeatures: a.ffn, bias: a.linearBias });
  const up = g.linear(`${p}.mlp.up`, h, { outFeatures: a.ffn, bias: a.linearBias });
  const act = g.eltwise(`${p}.mlp.act`, 'silu', [gate]);
  const mul = g.eltwise(`${p}.mlp.mul`, 'mul', [act, up]);
  return g.linear(`${p}.mlp.down`, mul, { outFeatures: a.hidden, bias: a.linearBias });
}

/**
 * Mixtral's sparse MLP: a router (hidden -> experts logits, softmax and top-k on the vector
 * unit), then each token's topK SwiGLU experts; the down projection sums the experts' outputs
 * weighted by the router (the weighting is folded into the accumulation).
 */
function moeMlp(g: GraphBuilder, p: string, h: string, a: TransformerArch, moe: { experts: number; topK: number }): string {
  const logits = g.linear(`${p}.mlp.router`, h, { outFeatures: moe.experts });
  const routing = g.eltwise(`${p}.mlp.router_softmax`, 'softmax', [logits]);
  const e = { experts: moe.experts, topK: moe.topK };
  const gate = g.experts(`${p}.mlp.gate`, h, routing, { ...e, outFeatures: a.ffn, perExpertInput: false, combine: false });
  const up = g.experts(`${p}.mlp.up`, h, routing, { ...e, outFeatures: a.ffn, perExpertInput: false, combine: false });
  const act = g.eltwise(`${p}.mlp.act`, 'silu', [gate]);
  const mul = g.eltwise(`${p}.mlp.mul`, 'mul', [act, up]);
  return g.experts(`${p}.mlp.down`, mul, routing, { ...e, outFeatures: a.hidden, perExpertInput: true, combine: true });
}
