import { GraphBuilder } from '../graph-builder.ts';
import type { Workload } from '../../types.ts';
import { batchParam, type ParamValue, type ZooEntry } from './zoo-entry.ts';

const LAYERS = 12;
const HIDDEN = 768;
const HEADS = 12;
const FFN = 3072;

/**
 * BERT-base encoder (Devlin et al. 2019), post-layernorm. The network input is the embedded
 * sequence [batch, seqLen, 768] (the embedding lookup does no MACs); Q, K and V are three
 * linear layers; one attention op covers all 12 heads (its softmax included); the pooler and
 * task heads are not part of the encoder and are left out.
 */
function buildBert(params: Record<string, ParamValue>): Workload {
  const batch = params.batch as number;
  const seq = params.seqLen as number;
  const g = new GraphBuilder('bert_base', params);
  let x = g.input('embeddings', [batch, seq, HIDDEN]);
  for (let l = 0; l < LAYERS; l++) {
    const p = `layer${l}`;
    const q = g.linear(`${p}.attn.q`, x, { outFeatures: HIDDEN });
    const k = g.linear(`${p}.attn.k`, x, { outFeatures: HIDDEN });
    const v = g.linear(`${p}.attn.v`, x, { outFeatures: HIDDEN });
    const a = g.attention(`${p}.attn`, q, k, v, { heads: HEADS, causal: false });
    const o = g.linear(`${p}.attn.out`, a, { outFeatures: HIDDEN });
    const r1 = g.add(`${p}.attn.add`, o, x);
    const h = g.eltwise(`${p}.attn.layernorm`, 'layernorm', [r1]);
    let f = g.linear(`${p}.ffn.in`, h, { outFeatures: FFN });
    f = g.eltwise(`${p}.ffn.gelu`, 'gelu', [f]);
    f = g.linear(`${p}.ffn.out`, f, { outFeatures: HIDDEN });
    const r2 = g.add(`${p}.ffn.add`, f, h);
    x = g.eltwise(`${p}.ffn.layernorm`, 'layernorm', [r2]);
  }
  return g.build();
}

export const bertBase: ZooEntry = {
  name: 'bert_base',
  description: 'BERT-base encoder (Devlin et al. 2019): 12 layers, hidden 768, 12 heads, FFN 3072',
  params: {
    batch: batchParam,
    seqLen: { kind: 'int', default: 128, min: 1, max: 512, description: 'tokens per sequence (BERT has 512 positions)' },
  },
  build: buildBert,
};
