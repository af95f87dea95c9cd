import { DseError } from '../../../core/errors.ts';
import type { Workload } from '../../types.ts';
import { buildTransformer, type TransformerArch } from '../transformer.ts';
import { batchParam, type ParamValue, type ZooEntry } from './zoo-entry.ts';

const PATCH = 16;

/**
 * ViT-B/16 (Dosovitskiy et al. 2021, Table 1: 12 layers, hidden 768, MLP 3072, 12 heads,
 * 86M parameters): the image cut into 16x16 patches, each projected to 768 by a linear layer
 * with bias (the stride-16 convolution of the patch embedding, same MACs), a class token,
 * a pre-layernorm encoder, a final layernorm and a 1000-way classifier on the class token.
 * The class token rides through the patch projection as a 197th row (768 x 768 MACs per image,
 * 0.003% of the total); the class token and position embedding parameters (0.2%) are not listed.
 */
function buildVit(params: Record<string, ParamValue>): Workload {
  const resolution = params.resolution as number;
  if (resolution % PATCH !== 0) throw new DseError('invalid_param', `resolution must be a multiple of the patch size ${PATCH}, got ${resolution}`, { path: 'params.resolution' });
  const tokens = (resolution / PATCH) ** 2 + 1;
  return buildTransformer('vit_b16', params, VIT_B16, { batch: params.batch as number, phase: 'encode', tokens, kvLength: tokens, lmHeadRows: 'last' });
}

const VIT_B16: TransformerArch = {
  layers: 12, hidden: 768, heads: 12, kvHeads: 12, headDim: 64, ffn: 3072,
  norm: 'layernorm', normPlacement: 'pre', normParams: true, mlp: 'gelu', rotary: false, causal: false,
  qkvBias: true, linearBias: true, embedding: null, patchFeatures: 3 * PATCH * PATCH,
  // The classifier reads one row per image (the class token), as 'last' reads one per sequence.
  lmHead: { vocab: 1000, tied: false, bias: true }, finalNorm: true, moe: null,
  blockName: (l) => `blocks.${l}`,
};

export const vitB16: ZooEntry = {
  name: 'vit_b16',
  description: 'ViT-B/16 (Dosovitskiy et al. 2021): 16x16 patches, 12-layer encoder, hidden 768, 12 heads, MLP 3072, 1000 classes',
  params: {
    batch: batchParam,
    resolution: { kind: 'int', default: 224, min: 32, max: 1024, description: 'input height and width in pixels (a multiple of 16)' },
  },
  build: buildVit,
};
