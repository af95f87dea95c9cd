import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './cli-helpers.ts';

/** Layer lists whose operands do not fit together are refused when loaded: one line naming the layer and both shapes, exit 2. */
test('an add of 14,400 and 16,384 elements, and attention inputs of the wrong shape, exit 2 with one line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dse-shapes-'));
  try {
    // conv a: 32 x 15 x 15 = 7,200 per sample, x2 batch = 14,400; conv b: 32 x 16 x 16 x 2 = 16,384.
    writeFileSync(
      join(dir, 'bad-add.yaml'),
      `name: bad-add
defaults: {batch: 2}
layers:
  - {name: a, type: conv2d, inH: 32, inW: 32, inC: 3, outC: 32, kernel: 3, stride: 2, inputs: [input]}
  - {name: b, type: conv2d, inH: 32, inW: 32, inC: 3, outC: 32, kernel: 3, stride: 2, padding: 1, inputs: [input]}
  - {name: join, type: add, inputs: [a, b]}
`,
    );
    const add = runCli(['workloads', join(dir, 'bad-add.yaml')]);
    assert.equal(add.code, 2, add.stdout);
    assert.equal(add.stderr.trim().split('\n').length, 1, add.stderr);
    assert.match(add.stderr, /bad-add\.yaml: layers\.2\.inputs\.1: join: add joins 'a' \(shape \[2, 32, 15, 15\], 14400 elements\) and 'b' \(shape \[2, 32, 16, 16\], 16384 elements\)/);

    // A study naming the file fails validation the same way.
    writeFileSync(join(dir, 'study.yaml'), `name: s\nworkloads: [bad-add.yaml]\nspace: {peRows: [8, 16]}\nobjectives: [latencyS]\n`);
    const study = runCli(['validate', join(dir, 'study.yaml')]);
    assert.equal(study.code, 2);
    assert.match(study.stderr, /join: add joins 'a' \(shape \[2, 32, 15, 15\]/);

    // Same element count, other shape: q is [1, 64, 768] where the attention needs [1, 128, 384].
    writeFileSync(
      join(dir, 'bad-attention.yaml'),
      `name: bad-attention
layers:
  - {name: q, type: linear, rows: 64, inFeatures: 768, outFeatures: 768, inputs: [input]}
  - {name: kv, type: linear, rows: 128, inFeatures: 384, outFeatures: 384, inputs: [input]}
  - {name: attn, type: attention, heads: 6, headDim: 64, seqQ: 128, inputs: [q, kv, kv]}
`,
    );
    const att = runCli(['workloads', join(dir, 'bad-attention.yaml')]);
    assert.equal(att.code, 2, att.stdout);
    assert.equal(att.stderr.trim().split('\n').length, 1, att.stderr);
    assert.match(att.stderr, /layers\.2\.inputs\.0: attn: q input 'q' has shape \[1, 64, 768\], but the layer needs \[1, 128, 384\]/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
