import { basename, dirname } from 'node:path';
import { DseError } from '../../core/errors.ts';
import type { Workload } from '../types.ts';
import type { TransformerArch } from './transformer.ts';
import { buildDecoder, decoderRunParams, llamaArch, type LlamaSizes } from './zoo/llama.ts';
import { resolveZooParams, type ParamValue, type ZooInfo } from './zoo/zoo-entry.ts';

/**
 * Hugging Face `config.json` import: the architecture from the config's standard fields, built
 * by the same transformer builder as the zoo, run with the study's `params` (phase, seqLen,
 * context, batch, kvBits, lmHead: the zoo's decoder parameters). Supported architectures are
 * those whose graph the builder reproduces; anything else is a DseError naming the field.
 */
export const HF_ARCHITECTURES = ['LlamaForCausalLM', 'MistralForCausalLM', 'MixtralForCausalLM', 'Qwen2ForCausalLM', 'GPT2LMHeadModel'] as const;
type HfArchitecture = (typeof HF_ARCHITECTURES)[number];

/** True when parsed JSON looks like a Hugging Face model config rather than a layer list. */
export function isHfConfig(data: unknown): boolean {
  return typeof data === 'object' && data !== null && !Array.isArray(data) && ('architectures' in data || 'model_type' in data);
}

/** Reads one field of the config, with the file and field in every error. */
class Fields {
  constructor(private readonly data: Record<string, unknown>, private readonly file: string, private readonly arch: string) {}

  fail(field: string, message: string): never {
    throw new DseError('bad_hf_config', message, { path: field, file: this.file });
  }

  int(field: string, fallback?: number): number {
    const v = this.data[field];
    if (v === undefined || v === null) {
      if (fallback !== undefined) return fallback;
      return this.fail(field, `missing: ${this.arch} needs ${field}`);
    }
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) this.fail(field, `must be a positive integer, got ${JSON.stringify(v)}`);
    return v as number;
  }

  bool(field: string, fallback: boolean): boolean {
    const v = this.data[field];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'boolean') this.fail(field, `must be true or false, got ${JSON.stringify(v)}`);
    return v as boolean;
  }

  oneOf(field: string, allowed: string[], fallback: string): string {
    const v = this.data[field] ?? fallback;
    if (typeof v !== 'string' || !allowed.includes(v)) this.fail(field, `${JSON.stringify(v)} is not supported (supported: ${allowed.join(', ')})`);
    return v as string;
  }
}

export interface HfModel {
  architecture: HfArchitecture;
  arch: TransformerArch;
  maxPositions: number;
  /** Keys a decode step attends to at most (Mistral's sliding window); null: the whole context. */
  slidingWindow: number | null;
}

/** Validates a parsed config.json and derives the architecture. */
export function parseHfConfig(data: unknown, file: string): HfModel {
  if (!isHfConfig(data)) throw new DseError('bad_hf_config', 'not a Hugging Face config (no architectures or model_type)', { path: 'architectures', file });
  const obj = data as Record<string, unknown>;
  const archs = obj.architectures;
  if (!Array.isArray(archs) || archs.length !== 1 || typeof archs[0] !== 'string') {
    throw new DseError('bad_hf_config', `must list one architecture, got ${JSON.stringify(archs)}`, { path: 'architectures', file });
  }
  const name = archs[0];
  if (!(HF_ARCHITECTURES as readonly string[]).includes(name)) {
    throw new DseError('bad_hf_config', `unknown architecture '${name}' (supported: ${HF_ARCHITECTURES.join(', ')})`, { path: 'architectures', file });
  }
  const architecture = name as HfArchitecture;
  const f = new Fields(obj, file, architecture);
  if (architecture === 'GPT2LMHeadModel') return gpt2Model(f);

  f.oneOf('hidden_act', ['silu'], 'silu');
  const hidden = f.int('hidden_size');
  const heads = f.int('num_attention_heads');
  const kvHeads = f.int('num_key_value_heads', heads);
  if (heads % kvHeads !== 0) f.fail('num_key_value_heads', `${kvHeads} does not divide num_attention_heads ${heads}`);
  const headDim = f.int('head_dim', hidden / heads);
  if (!Number.isInteger(headDim)) f.fail('num_attention_heads', `${heads} does not divide hidden_size ${hidden} and no head_dim is given`);
  const isMoe = architecture === 'MixtralForCausalLM';
  const experts = isMoe ? f.int('num_local_experts', 8) : 0;
  const topK = isMoe ? f.int('num_experts_per_tok', 2) : 0;
  if (isMoe && topK > experts) f.fail('num_experts_per_tok', `${topK} exceeds num_local_experts ${experts}`);
  if (architecture === 'LlamaForCausalLM') {
    if (f.bool('attention_bias', false)) f.fail('attention_bias', 'biases on every attention projection are not supported');
    if (f.bool('mlp_bias', false)) f.fail('mlp_bias', 'MLP biases are not supported');
  }
  const sizes: LlamaSizes = {
    layers: f.int('num_hidden_layers'),
    hidden,
    heads,
    kvHeads,
    headDim,
    ffn: f.int('intermediate_size'),
    vocab: f.int('vocab_size'),
    maxPositions: f.int('max_position_embeddings', architecture === 'LlamaForCausalLM' ? 2048 : 32768),
    tiedEmbeddings: f.bool('tie_word_embeddings', false),
    // Qwen2 always has q/k/v biases (and no others).
    qkvBias: architecture === 'Qwen2ForCausalLM',
    moe: isMoe ? { experts, topK } : null,
  };
  // Mistral and Mixtral attend to at most sliding_window keys; Qwen2 only with use_sliding_window.
  const windowed = architecture === 'MistralForCausalLM' || architecture === 'MixtralForCausalLM' || f.bool('use_sliding_window', false);
  const slidingWindow = windowed && obj.sliding_window !== null && obj.sliding_window !== undefined ? f.int('sliding_window') : null;
  return { architecture, arch: llamaArch(sizes), maxPositions: sizes.maxPositions, slidingWindow };
}

/** GPT-2 (GPT2LMHeadModel): learned positions, pre-layernorm, GELU MLP, biases everywhere, tied LM head. */
function gpt2Model(f: Fields): HfModel {
  f.oneOf('activation_function', ['gelu_new', 'gelu', 'gelu_fast', 'gelu_pytorch_tanh'], 'gelu_new');
  const hidden = f.int('n_embd');
  const heads = f.int('n_head');
  if (hidden % heads !== 0) f.fail('n_head', `${heads} does not divide n_embd ${hidden}`);
  const vocab = f.int('vocab_size');
  const positions = f.int('n_positions');
  const arch: TransformerArch = {
    layers: f.int('n_layer'), hidden, heads, kvHeads: heads, headDim: hidden / heads, ffn: f.int('n_inner', 4 * hidden),
    norm: 'layernorm', normPlacement: 'pre', normParams: true, mlp: 'gelu', rotary: false, causal: true,
    qkvBias: true, linearBias: true, embedding: { vocab, positions }, patchFeatures: null,
    lmHead: { vocab, tied: f.bool('tie_word_embeddings', true) }, finalNorm: true, moe: null,
    blockName: (l) => `h.${l}`,
  };
  return { architecture: 'GPT2LMHeadModel', arch, maxPositions: positions, slidingWindow: null };
}

/** The parameters a config takes (the zoo decoders'), for checking and listing. */
export function hfParamsInfo(model: HfModel, name: string): ZooInfo {
  return { name, description: `${model.architecture} from config.json`, params: decoderRunParams(model.maxPositions) };
}

/** Names the workload after the folder holding config.json (the model's name on the Hub), else the file. */
export function hfWorkloadName(file: string): string {
  const base = basename(file).replace(/\.json$/i, '');
  return base === 'config' ? basename(dirname(file)) || base : base;
}

/** Builds the workload of a parsed config.json with the study's params. */
export function hfConfigToWorkload(data: unknown, file: string, params: Record<string, ParamValue> = {}): Workload {
  const model = parseHfConfig(data, file);
  const name = hfWorkloadName(file);
  const resolved = resolveZooParams(hfParamsInfo(model, name), params, file);
  try {
    if (model.slidingWindow !== null && resolved.phase === 'decode') {
      // A decode step attends to the last sliding_window positions only (Mistral's rolling KV cache).
      const context = Math.min(resolved.context as number, model.slidingWindow);
      return buildDecoder(name, model.arch, model.maxPositions, { ...resolved, context });
    }
    return buildDecoder(name, model.arch, model.maxPositions, resolved);
  } catch (e) {
    throw e instanceof DseError ? e.inFile(file) : e;
  }
}

