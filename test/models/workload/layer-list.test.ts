import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { isDseError } from '../../../core/errors.ts';
import { opMacs, opWeightElements } from '../../../models/op-size.ts';
import type { Workload } from '../../../models/types.ts';
import { layerListToWorkload } from '../../../models/workload/layer-list.ts';
import { loadWorkload } from '../../../models/workload/load-workload.ts';

const configs = fileURLToPath(new URL('../../../configs/workloads/', import.meta.url));
const macs = (w: Workload): number => w.ops.reduce((s, op) => s + opMacs(op), 0);

function rejects(yamlText: string, path: string, pattern: RegExp): void {
  assert.throws(() => layerListToWorkload(parse(yamlText), 'net.yaml'), (e: unknown) => {
    assert.ok(isDseError(e), String(e));
    assert.equal(e.path, path);
    assert.match(e.message, pattern);
    assert.equal(e.file, 'net.yaml');
    return true;
  });
}

test('configs/workloads/residual-cnn.yaml: a DAG with a residual add, MACs as counted by hand', () => {
  const w = loadWorkload('residual-cnn.yaml', {}, configs);
  assert.equal(w.name, 'residual-cnn');
  assert.equal(w.ops.length, 10);
  const add = w.ops.find((o) => o.name === 'block_add')!;
  assert.deepEqual(add.inputs, ['block_conv2', 'stem_relu']);
  // stem 32*32 px * 32 filters * 3*3*3 = 884,736; each block conv 32*32*32*(32*9) = 9,437,184;
  // depthwise stride 2: 16*16*32*9 = 73,728; fc 32*10 = 320.
  assert.equal(macs(w), 884_736 + 2 * 9_437_184 + 73_728 + 320);
  // defaults.weightBits applies to every layer unless the layer overrides it.
  assert.equal(w.ops[0]!.weightBits, 8);
  assert.equal(w.ops.find((o) => o.name === 'fc')!.weightBits, 16);
  const dw = w.ops.find((o) => o.name === 'dw')!;
  assert.ok(dw.kind === 'conv2d' && dw.groups === 32 && dw.strideH === 2);
  assert.equal(w.tensors['stem.in0']!.kind, 'input');
  assert.equal(w.tensors['stem.in0']!.elements, 3 * 32 * 32);
});

test('configs/workloads/transformer-block.yaml: attention reads [q, k, v]; MACs as counted by hand', () => {
  const w = loadWorkload('transformer-block.yaml', {}, configs);
  const att = w.ops.find((o) => o.kind === 'attention')!;
  assert.deepEqual(att.inputs, ['q', 'k', 'v']);
  assert.ok(att.kind === 'attention' && att.seqKV === 256 && !att.causal);
  // 4 projections 256*512*512, FFN 2 * 256*512*2048, attention 8 heads * 256*256 pairs * 64 * 2.
  assert.equal(macs(w), 4 * 256 * 512 * 512 + 2 * 256 * 512 * 2048 + 8 * 256 * 256 * 64 * 2);
});

test('a layer list given as JSON data: batch, rectangular kernel, pool default stride, matmul with two inputs', () => {
  const w = layerListToWorkload(
    JSON.parse(`{"name": "j", "defaults": {"batch": 2}, "layers": [
      {"name": "c", "type": "conv2d", "inH": 10, "inW": 12, "inC": 4, "outC": 6, "kernel": [3, 5], "stride": [1, 2], "padding": [1, 2]},
      {"name": "p", "type": "pool", "mode": "max", "inH": 10, "inW": 6, "channels": 6, "kernel": 2},
      {"name": "mm", "type": "matmul", "m": 15, "n": 15, "k": 6, "inputs": ["p", "p"], "count": 1},
      {"name": "sm", "type": "softmax"}
    ]}`),
  );
  const c = w.ops[0]!;
  assert.ok(c.kind === 'conv2d' && c.batch === 2 && c.kH === 3 && c.kW === 5 && c.strideW === 2 && c.padW === 2);
  assert.deepEqual(w.tensors.c!.shape, [2, 6, 10, 6]);
  assert.deepEqual(w.tensors.p!.shape, [2, 6, 5, 3]);
  const mm = w.ops[2]!;
  assert.ok(mm.kind === 'matmul' && mm.count === 2 && !mm.weightOperand);
  assert.equal(w.ops[3]!.kind === 'eltwise' && w.ops[3]!.elements, 2 * 15 * 15);
});

test('batch repeats activation products but not stored weights', () => {
  const list = (batch: number): Workload =>
    layerListToWorkload({
      name: 'b',
      defaults: { batch },
      layers: [
        { name: 'w', type: 'matmul', m: 4, n: 8, k: 16, count: 2, weightOperand: true, inputs: ['input'] },
        { name: 'fc', type: 'linear', rows: 2, inFeatures: 32, outFeatures: 5 },
      ],
    });
  const [one, four] = [list(1), list(4)];
  assert.equal(macs(four), 4 * macs(one));
  for (const i of [0, 1]) assert.equal(opWeightElements(four.ops[i]!), opWeightElements(one.ops[i]!));
  assert.equal(opWeightElements(one.ops[0]!), 2 * 16 * 8);
});

test('strict schema: unknown keys, unknown layer types and bad sizes name the field', () => {
  rejects('name: n\nlayers:\n  - {name: a, type: conv2d, inH: 8, inW: 8, inC: 3, outC: 8, kernel: 3, paddng: 1}', 'layers.0', /unknown key 'paddng'/);
  rejects('name: n\nlayers:\n  - {name: a, type: conv3d, inH: 8}', 'layers.0.type', /.+/);
  rejects('name: n\nlayers:\n  - {name: a, type: linear, inFeatures: 0, outFeatures: 3}', 'layers.0.inFeatures', /.+/);
  rejects('name: n\nlayer: 3\nlayers:\n  - {name: r, type: relu, elements: 4, inputs: [input]}', '', /unknown key 'layer'/);
  rejects('name: n\nlayers: []', 'layers', /at least one layer/);
  rejects('name: n\ndefaults: {batch: 1, bits: 8}\nlayers:\n  - {name: a, type: relu, elements: 4, inputs: [input]}', 'defaults', /unknown key 'bits'/);
});

test('wiring errors: later or unknown inputs, missing operands, size mismatches, reused names', () => {
  const conv = (name: string, extra = ''): string => `  - {name: ${name}, type: conv2d, inH: 8, inW: 8, inC: 4, outC: 4, kernel: 3, padding: 1${extra}}`;
  rejects(`name: n\nlayers:\n${conv('a')}\n${conv('b', ', inputs: [c]')}\n${conv('c')}`, 'layers.1.inputs.0', /'c' is not an earlier layer/);
  rejects(`name: n\nlayers:\n${conv('a')}\n  - {name: s, type: add}`, 'layers.1.inputs', /takes 2 inputs, got 1.*inputs/);
  rejects(`name: n\nlayers:\n${conv('a')}\n  - {name: f, type: linear, inFeatures: 100, outFeatures: 10}`, 'layers.1.inputs.0', /reads 'a' \(256 elements\) but its own sizes need 100/);
  rejects(`name: n\nlayers:\n${conv('a')}\n${conv('a')}`, 'layers.1.name', /used twice/);
  rejects(`name: n\nlayers:\n${conv('input')}`, 'layers.0.name', /reserved/);
  rejects(`name: n\nlayers:\n  - {name: r, type: relu}`, 'layers.0.elements', /give 'elements'/);
});

test('graph defects found after conversion point at the layer, not the op', () => {
  rejects('name: n\nlayers:\n  - {name: a, type: conv2d, inH: 4, inW: 4, inC: 6, outC: 8, kernel: 1, groups: 4}', 'layers.0.inC', /not divisible by groups 4/);
  rejects('name: n\nlayers:\n  - {name: a, type: conv2d, inH: 4, inW: 4, inC: 3, outC: 8, kernel: 7}', 'layers.0.kernel', /empty output.*kernel fit/);
});
