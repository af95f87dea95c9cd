import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { journalTrials, runCli } from './cli-helpers.ts';

const ALEXNET = 'test/golden/data/onnx/alexnet.onnx';
const DATA = 'test/models/workload/onnx/data';

test('dse workloads alexnet.onnx --json reports 654,560,384 MACs (ZigZag file, onnx shape inference)', () => {
  const r = runCli(['workloads', ALEXNET, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { name: string; macs: number; opCounts: Record<string, number> };
  assert.equal(j.name, 'alexnet');
  assert.equal(j.macs, 654_560_384);
  const table = runCli(['workloads', ALEXNET]);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^alexnet \{\}: 654\.6 M MACs/);
});

test('dse eval --workload model.onnx: an ONNX ResNet-18 costs exactly what the zoo one does', () => {
  const totals = (workload: string): Record<string, number> => {
    const r = runCli(['eval', '--hardware', 'configs/hardware/edge-32x32.yaml', '--workload', workload, '--param', 'batch=2', '--json']);
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as { totals: Record<string, number> }).totals;
  };
  const onnx = totals(`${DATA}/resnet18.onnx`);
  const zoo = totals('resnet18');
  for (const k of ['macs', 'latencyCycles', 'energyPJ', 'dramBytes', 'areaMM2']) assert.equal(onnx[k], zoo[k], k);
});

test('a study with workloads: [model.onnx] and params runs end to end; unknownOps: free warns', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dse-onnx-'));
  const model = fileURLToPath(new URL(`../../${DATA}/unknown_op.onnx`, import.meta.url));
  const encoder = fileURLToPath(new URL(`../../${DATA}/encoder_block.onnx`, import.meta.url));
  const study = join(dir, 'study.yaml');
  writeFileSync(
    study,
    [
      'name: onnx-study',
      'workloads:',
      `  - {name: ${JSON.stringify(encoder)}, params: {batch: 1, seqLen: 64}}`,
      `  - {name: ${JSON.stringify(model)}, params: {unknownOps: free}}`,
      'space:',
      '  peRows: [8, 16]',
      '  peCols: [8, 16]',
      'objectives: [latencyS, energyPJ]',
      'search: {algorithm: grid, budget: 4, seed: 1}',
      '',
    ].join('\n'),
  );
  const v = runCli(['validate', study]);
  assert.equal(v.code, 0, v.stderr);
  assert.match(v.stderr, /^warning: .*unknown_op\.onnx: passed over as free \(unknownOps: free\): topk \(TopK\)$/m);
  const out = join(dir, 'run');
  const r = runCli(['run', study, '--out', out, '--workers', '1']);
  assert.equal(r.code, 0, r.stderr);
  const trials = [...journalTrials(join(out, 'journal.jsonl')).values()];
  assert.equal(trials.length, 4);
  for (const t of trials) assert.equal(t.status, 'ok', JSON.stringify(t));
  // Both workloads are costed: the encoder at seqLen 64 (QKV, QK^T + AV, projection, MLP) plus
  // unknown_op.onnx's one 8x3x3x3 conv over a 6x6 output.
  const encoderMacs = 64 * 768 * 3 * 768 + 2 * 12 * 64 * 64 * 64 + 64 * 768 * 768 + 2 * 64 * 768 * 3072;
  for (const t of trials) assert.equal(t.metrics!.macs, encoderMacs + 8 * 27 * 36);
});

test('bad ONNX on the command line: one line naming file, node and op; exit 2', () => {
  const unknown = runCli(['workloads', `${DATA}/unknown_op.onnx`]);
  assert.equal(unknown.code, 2);
  assert.equal(unknown.stderr.trim().split('\n').length, 1, unknown.stderr);
  assert.match(unknown.stderr, /^error: .*unknown_op\.onnx: .*node 'topk' \(op TopK\) cannot be costed/);
  const cut = join(mkdtempSync(join(tmpdir(), 'dse-onnx-')), 'cut.onnx');
  writeFileSync(cut, Buffer.from([0x08, 0x07, 0x3a, 0xff, 0x01]));
  const truncated = runCli(['eval', '--hardware', 'configs/hardware/edge-32x32.yaml', '--workload', cut]);
  assert.equal(truncated.code, 2);
  assert.match(truncated.stderr, /^error: .*cut\.onnx: not a readable ONNX model/);
  assert.equal(truncated.stderr.trim().split('\n').length, 1, truncated.stderr);
  for (const [file, message] of [
    ['bad_cycle.onnx', /the graph has a cycle/],
    ['bad_no_input_shape.onnx', /graph input 'x' has no shape/],
    ['bad_shape_mismatch.onnx', /node 'conv' \(Conv\): input has 4 channels/],
  ] as const) {
    const r = runCli(['workloads', `${DATA}/${file}`]);
    assert.equal(r.code, 2, file);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`^error: .*${file.replace('.', '\\.')}: .*${message.source}`));
  }
  const unbound = runCli(['workloads', `${DATA}/encoder_block.onnx`, '--param', 'batch=1']);
  assert.equal(unbound.code, 2);
  assert.match(unbound.stderr, /symbolic dim 'seqLen'/);
});
