import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from './cli-helpers.ts';

test('dse workloads --json lists the zoo with MACs, default parameters and op counts', () => {
  const r = runCli(['workloads', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const zoo = JSON.parse(r.stdout) as { name: string; macs: number; ops: number; defaults: Record<string, unknown>; opCounts: Record<string, number>; params: Record<string, { default: unknown }> }[];
  assert.deepEqual(zoo.map((z) => z.name), ['resnet18', 'resnet50', 'mobilenet_v2', 'vgg16', 'bert_base', 'gpt2', 'vit_b16', 'llama', 'llama3_8b', 'llama3_70b', 'mixtral_8x7b']);
  const by = new Map(zoo.map((z) => [z.name, z]));
  // Published MACs at batch 1 (the figures test/models/workload/zoo.test.ts names).
  for (const [name, published] of [['resnet18', 1.82e9], ['resnet50', 4.1e9], ['mobilenet_v2', 300e6], ['vgg16', 15.5e9], ['bert_base', 11.2e9]] as const) {
    const m = by.get(name)!.macs;
    assert.ok(Math.abs(m - published) / published < 0.02, `${name}: ${m}`);
  }
  for (const z of zoo) {
    assert.equal(Object.values(z.opCounts).reduce((a, b) => a + b, 0), z.ops, z.name);
    for (const [k, p] of Object.entries(z.params)) assert.equal(z.defaults[k], p.default, `${z.name}.${k}`);
  }
  assert.equal(by.get('bert_base')!.defaults.seqLen, 128);
  assert.equal(by.get('gpt2')!.defaults.phase, 'prefill');
  assert.equal(by.get('mobilenet_v2')!.opCounts.conv2d, 52);
});

test('dse workloads shows one workload per layer; bad names and parameters exit 2 with one line', () => {
  const one = runCli(['workloads', 'configs/workloads/residual-cnn.yaml']);
  assert.equal(one.code, 0, one.stderr);
  assert.match(one.stdout, /residual-cnn .*19\.83 M MACs/);
  assert.match(one.stdout, /block_add +eltwise add .* block_conv2 stem_relu/);
  const bad = runCli(['workloads', 'resnet34']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^error: .*unknown workload 'resnet34'.*resnet18/);
  const badParam = runCli(['workloads', 'gpt2', '--param', 'phase=train']);
  assert.equal(badParam.code, 2);
  assert.match(badParam.stderr, /params\.phase/);
});
