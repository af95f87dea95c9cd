import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDseError } from '../../../core/errors.ts';
import { listZoo, loadWorkload, workloadHash } from '../../../models/workload/load-workload.ts';

const configs = fileURLToPath(new URL('../../../configs/workloads/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'dse-workload-'));

test('a zoo name builds the zoo network with its parameters', () => {
  const w = loadWorkload('bert_base', { seqLen: 64 });
  assert.equal(w.name, 'bert_base');
  assert.deepEqual(w.params, { batch: 1, seqLen: 64 });
  assert.deepEqual(listZoo().map((z) => z.name), ['resnet18', 'resnet50', 'mobilenet_v2', 'vgg16', 'bert_base', 'gpt2', 'vit_b16', 'llama', 'llama3_8b', 'llama3_70b', 'mixtral_8x7b']);
});

test('an unknown name is a DseError listing the zoo', () => {
  assert.throws(() => loadWorkload('resnet101'), (e: unknown) => isDseError(e) && e.code === 'unknown_workload' && /resnet18, resnet50, mobilenet_v2/.test(e.message));
});

test('files resolve against baseDir and by extension (.yaml, .json, .csv)', () => {
  assert.equal(loadWorkload('residual-cnn.yaml', {}, configs).name, 'residual-cnn');
  assert.equal(loadWorkload(join(configs, 'scalesim-sample-gemm.csv'), {}, '/nowhere').ops.length, 2);
  const json = join(tmp, 'net.json');
  writeFileSync(json, JSON.stringify({ name: 'j', layers: [{ name: 'fc', type: 'linear', inFeatures: 8, outFeatures: 4 }] }));
  const w = loadWorkload('net.json', {}, tmp);
  assert.equal(w.ops[0]!.kind, 'matmul');
});

test('file errors name the file: missing file, bad YAML, params given to a file', () => {
  assert.throws(() => loadWorkload('missing.yaml', {}, tmp), (e: unknown) => isDseError(e) && e.code === 'file_not_found' && e.file === join(tmp, 'missing.yaml'));
  const bad = join(tmp, 'bad.yml');
  writeFileSync(bad, 'name: x\nlayers: [\n');
  assert.throws(() => loadWorkload(bad), (e: unknown) => isDseError(e) && e.file === bad && /malformed/.test(e.message));
  const csv = join(tmp, 'bad.csv');
  writeFileSync(csv, 'Layer name, M, N, K,\nfc, 1, 0, 5,\n');
  assert.throws(() => loadWorkload(csv), (e: unknown) => isDseError(e) && e.file === csv && e.path === 'line 2, N');
  assert.throws(() => loadWorkload('residual-cnn.yaml', { batch: 2 }, configs), (e: unknown) => isDseError(e) && e.path === 'params.batch');
});

test('workloadHash is stable for equal workloads and differs when a parameter does', () => {
  const a = workloadHash(loadWorkload('resnet18'));
  assert.equal(a, workloadHash(loadWorkload('resnet18', { resolution: 224 })));
  assert.notEqual(a, workloadHash(loadWorkload('resnet18', { resolution: 160 })));
  assert.match(a, /^[0-9a-f]{16}$/);
});

test('loaded workloads are plain JSON (they cross worker boundaries)', () => {
  for (const spec of ['gpt2', 'residual-cnn.yaml', 'scalesim-sample-conv.csv']) {
    const w = loadWorkload(spec, {}, configs);
    assert.deepEqual(JSON.parse(JSON.stringify(w)), w, spec);
  }
});
