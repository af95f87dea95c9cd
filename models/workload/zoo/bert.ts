import { buildTransformer, type TransformerArch } from '../transformer.ts';
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
  const seqLen = params.seqLen as number;
  return buildTransformer('bert_base', params, BERT_ARCH, { batch: params.batch as number, phase: 'encode', tokens: seqLen, kvLength: seqLen, lmHeadRows: 'all' });
}

const BERT_ARCH: TransformerArch = {
  layers: LAYERS, hidden: HIDDEN, heads: HEADS, kvHeads: HEADS, headDim: HIDDEN / HEADS, ffn: FFN,
  norm: 'layernorm', normPlacement: 'post', normParams: false, mlp: 'gelu', rotary: false, causal: false,
  qkvBias: false, linearBias: false, embedding: null, patchFeatures: null, lmHead: null, finalNorm: false, moe: null,
  blockName: (l) => `layer${l}`,
};

export const bertBase: ZooEntry = {
  name: 'bert_base',
  description: 'BERT-base encoder (Devlin et al. 2019): 12 layers, hidden 768, 12 heads, FFN 3072',
  params: {
    batch: batchParam,
    seqLen: { kind: 'int', default: 128, min: 1, max: 512, description: 'tokens per sequence (BERT has 512 positions)' },
  },
  build: buildBert,
};
