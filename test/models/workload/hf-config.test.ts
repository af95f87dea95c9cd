import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { isDseError } from '../../../core/errors.ts';
import { opMacs, opWeightElements } from '../../../models/op-size.ts';
import type { AttentionOp, Workload } from '../../../models/types.ts';
import { hfConfigToWorkload } from '../../../models/workload/hf-config.ts';
import { loadWorkload } from '../../../models/workload/load-workload.ts';
import { validateGraph } from '../../../models/workload/validate-graph.ts';
import { buildZooWorkload } from '../../../models/workload/zoo/index.ts';

/*
 * Fixtures: the config.json files published on Hugging Face for meta-llama/Meta-Llama-3-8B,
 * mistralai/Mistral-7B-v0.1, mistralai/Mixtral-8x7B-v0.1, Qwen/Qwen2-0.5B and
 * openai-community/gpt2, copied field for field (test/models/workload/data/hf/<model>/config.json).
 * Parameter totals are the ones the Hub shows for each model's safetensors (and the model
 * cards): 8.03 B, 7.24 B, 46.7 B, 494 M and 124,439,808 (GPT-2 small, wte + wpe + 12 blocks
 * with biases and layernorms + ln_f, the LM head tied to wte).
 */
const DATA = fileURLToPath(new URL('./data/hf/', import.meta.url));
const fixture = (model: string): string => join(DATA, model, 'config.json');
const weights = (w: Workload): number => w.ops.reduce((s, op) => s + opWeightElements(op), 0);
const macs = (w: Workload): number => w.ops.reduce((s, op) => s + opMacs(op), 0);

function within(actual: number, expected: number, tol: number, what: string): void {
  const rel = Math.abs(actual - expected) / expected;
  assert.ok(rel <= tol, `${what}: ${actual} vs ${expected} (${(rel * 100).toFixed(3)}% off)`);
}

const PUBLISHED: [string, number][] = [
  ['meta-llama-3-8b', 8.03e9],
  ['mistral-7b-v0.1', 7.24e9],
  ['mixtral-8x7b-v0.1', 46.7e9],
  ['qwen2-0.5b', 494e6],
  ['gpt2', 124_439_808],
];

for (const [model, published] of PUBLISHED) {
  test(`${model}/config.json: a valid graph whose weightElements are within 1% of the published ${published.toLocaleString('en-US')}`, () => {
    const w = loadWorkload(fixture(model), { phase: 'decode', context: 512, batch: 2 });
    validateGraph(w);
    assert.equal(w.name, model);
    within(weights(w), published, 0.01, model);
  });
}

test('GPT-2 from its config counts exactly 124,439,808 parameters (embeddings, biases, layernorms; tied head once)', () => {
  assert.equal(weights(loadWorkload(fixture('gpt2'))), 124_439_808);
});

test('Llama-3-8B from config.json is the zoo llama3_8b: same MACs and parameters', () => {
  const runs: Record<string, string | number>[] = [{ phase: 'decode', context: 4096, batch: 8 }, { phase: 'prefill', seqLen: 300 }];
  for (const params of runs) {
    const hf = loadWorkload(fixture('meta-llama-3-8b'), params);
    const zoo = buildZooWorkload('llama3_8b', params);
    assert.equal(macs(hf), macs(zoo));
    assert.equal(weights(hf), weights(zoo));
  }
});

test('Qwen2 has q/k/v biases and a tied LM head; GQA with 2 KV heads', () => {
  const w = loadWorkload(fixture('qwen2-0.5b'), { context: 100 });
  const q = w.ops.find((op) => op.name === 'layers.0.attn.q')!;
  assert.ok(q.kind === 'matmul' && q.bias === true);
  const o = w.ops.find((op) => op.name === 'layers.0.attn.o')!;
  assert.ok(o.kind === 'matmul' && !o.bias);
  const a = w.ops.find((op): op is AttentionOp => op.kind === 'attention')!;
  assert.deepEqual([a.heads, a.kvHeads, a.headDim], [14, 2, 64]);
  // The tied table is counted once: by the LM head, not by the lookup.
  const embed = w.ops.find((op) => op.kind === 'embedding')!;
  assert.equal(opWeightElements(embed), 0);
});

test("Mistral's sliding window caps the keys a decode step attends to at 4096; Mixtral has none", () => {
  const mistral = loadWorkload(fixture('mistral-7b-v0.1'), { phase: 'decode', context: 8192 });
  assert.equal(mistral.ops.find((op): op is AttentionOp => op.kind === 'attention')!.seqKV, 4096);
  const mixtral = loadWorkload(fixture('mixtral-8x7b-v0.1'), { phase: 'decode', context: 8192 });
  assert.equal(mixtral.ops.find((op): op is AttentionOp => op.kind === 'attention')!.seqKV, 8192);
});

const base = (): Record<string, unknown> => JSON.parse(readFileSync(fixture('meta-llama-3-8b'), 'utf8'));

test('bad configs are DseErrors naming the field and the file', () => {
  const cases: [Record<string, unknown>, string, RegExp][] = [
    [{ ...base(), architectures: ['FalconForCausalLM'] }, 'architectures', /unknown architecture 'FalconForCausalLM'/],
    [{ ...base(), architectures: 'LlamaForCausalLM' }, 'architectures', /one architecture/],
    [{ ...base(), hidden_size: undefined }, 'hidden_size', /missing/],
    [{ ...base(), num_hidden_layers: 0 }, 'num_hidden_layers', /positive integer/],
    [{ ...base(), intermediate_size: '14336' }, 'intermediate_size', /positive integer/],
    [{ ...base(), num_key_value_heads: 5 }, 'num_key_value_heads', /does not divide/],
    [{ ...base(), hidden_act: 'gelu' }, 'hidden_act', /not supported/],
    [{ ...base(), tie_word_embeddings: 'no' }, 'tie_word_embeddings', /true or false/],
    [{ ...base(), architectures: ['MixtralForCausalLM'], num_local_experts: 2, num_experts_per_tok: 3 }, 'num_experts_per_tok', /exceeds/],
  ];
  for (const [config, path, message] of cases) {
    assert.throws(() => hfConfigToWorkload(config, 'x/config.json'), (e) => isDseError(e) && e.path === path && e.file === 'x/config.json' && message.test(e.message), path);
  }
  assert.throws(() => hfConfigToWorkload(base(), 'x/config.json', { context: 9000 }), (e) => isDseError(e) && e.path === 'params.context');
  assert.throws(() => hfConfigToWorkload(base(), 'x/config.json', { resolution: 1 }), (e) => isDseError(e) && e.path === 'params.resolution');
});
