import { DseError } from '../../../core/errors.ts';
import type { Workload } from '../../types.ts';
import { buildTransformer, type TransformerArch } from '../transformer.ts';
import { batchParam, type ParamValue, type ZooEntry, type ZooParamSpec } from './zoo-entry.ts';

/** The sizes of a Llama-family decoder (what a Hugging Face config.json gives). */
export interface LlamaSizes extends Pick<TransformerArch, 'layers' | 'hidden' | 'heads' | 'kvHeads' | 'headDim' | 'ffn'> {
  vocab: number;
  maxPositions: number;
  tiedEmbeddings: boolean;
  qkvBias: boolean;
  moe: { experts: number; topK: number } | null;
}

/**
 * Published architectures (each model's config.json on Hugging Face):
 *   meta-llama/Meta-Llama-3-8B, meta-llama/Meta-Llama-3-70B, mistralai/Mixtral-8x7B-v0.1.
 */
export const LLAMA_PRESETS: Record<string, LlamaSizes> = {
  llama3_8b: { layers: 32, hidden: 4096, heads: 32, kvHeads: 8, headDim: 128, ffn: 14336, vocab: 128256, maxPositions: 8192, tiedEmbeddings: false, qkvBias: false, moe: null },
  llama3_70b: { layers: 80, hidden: 8192, heads: 64, kvHeads: 8, headDim: 128, ffn: 28672, vocab: 128256, maxPositions: 8192, tiedEmbeddings: false, qkvBias: false, moe: null },
  mixtral_8x7b: { layers: 32, hidden: 4096, heads: 32, kvHeads: 8, headDim: 128, ffn: 14336, vocab: 32000, maxPositions: 32768, tiedEmbeddings: false, qkvBias: false, moe: { experts: 8, topK: 2 } },
};

/**
 * The Llama block as Llama 2/3, Mistral, Mixtral and Qwen2 share it: pre-RMSNorm, grouped-query
 * attention with rotary position embedding, SwiGLU MLP (or a mixture of SwiGLU experts), a
 * final RMSNorm and an LM head, tied to the token embedding or not.
 */
export function llamaArch(s: LlamaSizes): TransformerArch {
  return {
    layers: s.layers, hidden: s.hidden, heads: s.heads, kvHeads: s.kvHeads, headDim: s.headDim, ffn: s.ffn,
    norm: 'rmsnorm', normPlacement: 'pre', normParams: true, mlp: 'swiglu', rotary: true, causal: true,
    qkvBias: s.qkvBias, linearBias: false, embedding: { vocab: s.vocab, positions: 0 }, patchFeatures: null,
    lmHead: { vocab: s.vocab, tied: s.tiedEmbeddings }, finalNorm: true, moe: s.moe,
    blockName: (l) => `layers.${l}`,
  };
}

/** The run parameters every decoder LLM takes (zoo presets and Hugging Face configs alike). */
export function decoderRunParams(maxPositions: number): Record<string, ZooParamSpec> {
  return {
    batch: { ...batchParam, description: 'sequences decoded together (decode) or prompts (prefill)' },
    phase: { kind: 'choice', default: 'decode', values: ['prefill', 'decode'], description: 'prefill: seqLen prompt tokens; decode: one new token per sequence against a KV cache of context tokens' },
    seqLen: { kind: 'int', default: Math.min(2048, maxPositions), min: 1, max: maxPositions, description: 'prompt tokens (prefill)' },
    context: { kind: 'int', default: Math.min(4096, maxPositions), min: 1, max: maxPositions, description: 'KV-cache length a decode step attends to, the new token included (decode)' },
    kvBits: { kind: 'choice', default: 'design', values: ['design', 2, 3, 4, 5, 6, 8, 16], description: "KV-cache bitwidth; 'design': the design's kvBits (activationBits when unset)" },
    lmHead: { kind: 'choice', default: 'last', values: ['last', 'all'], description: 'prefill computes logits for the last token only, or for all' },
  };
}

/** Builds a decoder from its architecture and resolved run parameters. */
export function buildDecoder(name: string, arch: TransformerArch, maxPositions: number, params: Record<string, ParamValue>): Workload {
  const decode = params.phase === 'decode';
  const length = (decode ? params.context : params.seqLen) as number;
  if (length > maxPositions) {
    throw new DseError('invalid_param', `${name} has ${maxPositions} positions, got ${length}`, { path: decode ? 'params.context' : 'params.seqLen' });
  }
  return buildTransformer(name, params, arch, {
    batch: params.batch as number,
    phase: decode ? 'decode' : 'prefill',
    tokens: decode ? 1 : length,
    kvLength: length,
    lmHeadRows: params.lmHead === 'all' ? 'all' : 'last',
    ...(params.kvBits !== undefined && params.kvBits !== 'design' ? { kvBits: Number(params.kvBits) } : {}),
  });
}

function presetEntry(name: string, description: string): ZooEntry {
  const sizes = LLAMA_PRESETS[name]!;
  return {
    name,
    description,
    params: decoderRunParams(sizes.maxPositions),
    build: (params) => buildDecoder(name, llamaArch(sizes), sizes.maxPositions, params),
  };
}

export const llama3_8b = presetEntry('llama3_8b', 'Llama-3-8B (Meta 2024): 32 layers, hidden 4096, 32 query / 8 KV heads, SwiGLU 14336, vocab 128256; prefill or one decode step');
export const llama3_70b = presetEntry('llama3_70b', 'Llama-3-70B (Meta 2024): 80 layers, hidden 8192, 64 query / 8 KV heads, SwiGLU 28672, vocab 128256; prefill or one decode step');
export const mixtral8x7b = presetEntry('mixtral_8x7b', 'Mixtral-8x7B (Mistral AI 2023): 32 layers, hidden 4096, 32/8 heads, 8 SwiGLU experts (top-2) of 14336, vocab 32000');

const LARGEST_CONTEXT = Math.max(...Object.values(LLAMA_PRESETS).map((p) => p.maxPositions));

/** The family with the preset as a parameter: `{name: llama, params: {preset: llama3_70b}}`. */
export const llama: ZooEntry = {
  name: 'llama',
  description: `Llama-family decoder (GQA, rotary, SwiGLU or mixture of experts, RMSNorm); preset: ${Object.keys(LLAMA_PRESETS).join(', ')}`,
  params: {
    preset: { kind: 'choice', default: 'llama3_8b', values: Object.keys(LLAMA_PRESETS), description: 'which published architecture' },
    ...decoderRunParams(LARGEST_CONTEXT),
  },
  build: (params) => {
    const sizes = LLAMA_PRESETS[params.preset as string]!;
    return buildDecoder('llama', llamaArch(sizes), sizes.maxPositions, params);
  },
};
