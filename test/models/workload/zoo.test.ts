import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDseError } from '../../../core/errors.ts';
import { opMacs, opWeightElements } from '../../../models/op-size.ts';
import type { Conv2dOp, Workload } from '../../../models/types.ts';
import { buildZooWorkload, listZoo } from '../../../models/workload/zoo/index.ts';
import { validateGraph } from '../../../models/workload/validate-graph.ts';

const macs = (w: Workload): number => w.ops.reduce((s, op) => s + opMacs(op), 0);
const weights = (w: Workload): number => w.ops.reduce((s, op) => s + opWeightElements(op), 0);

function assertWithin(actual: number, expected: number, tol: number, what: string): void {
  const rel = Math.abs(actual - expected) / expected;
  assert.ok(rel <= tol, `${what}: ${actual} vs published ${expected} (${(rel * 100).toFixed(2)}% off, allowed ${tol * 100}%)`);
}

// Source: the commonly published multiply-accumulate counts at batch 1 (ResNet-18 1.82 G,
// ResNet-50 4.1 G, MobileNetV2 1.0/224 300 M, BERT-base at sequence 128 11.2 G, VGG-16 15.5 G).
const PUBLISHED_MACS: [string, Record<string, number | string>, number][] = [
  ['resnet18', {}, 1.82e9],
  ['resnet50', {}, 4.1e9],
  ['mobilenet_v2', {}, 300e6],
  ['bert_base', { seqLen: 128 }, 11.2e9],
  ['vgg16', {}, 15.5e9],
];

for (const [name, params, published] of PUBLISHED_MACS) {
  test(`${name} MACs agree within 2% with the reference README's published figure`, () => {
    assertWithin(macs(buildZooWorkload(name, params)), published, 0.02, name);
  });
}

test('MobileNetV2 at width 1.4 agrees with Sandler et al. 2018 (Table 4: 585M multiply-adds)', () => {
  assertWithin(macs(buildZooWorkload('mobilenet_v2', { width: 1.4 })), 585e6, 0.02, 'mobilenet_v2 x1.4');
});

test('BERT-base linear layers do 84.9 M MACs per token (reference README)', () => {
  const w = buildZooWorkload('bert_base', { seqLen: 128 });
  const linear = w.ops.filter((op) => op.kind === 'matmul').reduce((s, op) => s + opMacs(op), 0);
  assertWithin(linear / 128, 84.9e6, 0.005, 'bert linear MACs per token');
});

// Source: torchvision model documentation (num_params of the ImageNet weights). Those counts
// include biases and batch-norm parameters, which opWeightElements leaves out (< 1.5%).
const PUBLISHED_PARAMS: [string, number][] = [
  ['resnet18', 11_689_512],
  ['resnet50', 25_557_032],
  ['mobilenet_v2', 3_504_872],
  ['vgg16', 138_357_544],
];
for (const [name, published] of PUBLISHED_PARAMS) {
  test(`${name} weight count agrees with torchvision's parameter count within 1.5%`, () => {
    assertWithin(weights(buildZooWorkload(name)), published, 0.015, name);
  });
}

test('every zoo network at its defaults is a valid graph with a network input; classifiers end in fc 1000', () => {
  const head: Record<string, number | undefined> = { resnet18: 1000, resnet50: 1000, mobilenet_v2: 1000, vgg16: 1000, gpt2: 50257, bert_base: undefined, vit_b16: 1000, llama: 128256, llama3_8b: 128256, llama3_70b: 128256, mixtral_8x7b: 32000 };
  for (const z of listZoo()) {
    const w = buildZooWorkload(z.name);
    validateGraph(w);
    assert.ok(Object.values(w.tensors).some((t) => t.kind === 'input'), z.name);
    const last = w.ops[w.ops.length - 1]!;
    if (head[z.name] === undefined) {
      assert.equal(last.kind === 'eltwise' && last.fn, 'layernorm', 'the BERT encoder ends with a layernorm');
    } else {
      assert.ok(last.kind === 'matmul' && last.weightOperand && last.n === head[z.name], z.name);
    }
  }
});

test('ResNet residual adds take two inputs, one of them from before the block (a real DAG)', () => {
  for (const [name, blocks, projections] of [['resnet18', 8, 3], ['resnet50', 16, 4]] as const) {
    const w = buildZooWorkload(name);
    const adds = w.ops.filter((op) => op.kind === 'eltwise' && op.fn === 'add');
    assert.equal(adds.length, blocks, name);
    const position = new Map(w.ops.map((op, i) => [op.output, i]));
    for (const add of adds) {
      assert.equal(add.inputs.length, 2);
      const [a, b] = add.inputs.map((id) => position.get(id)!);
      // The shortcut comes from the block input (or its projection), not the op just before the add.
      assert.ok(Math.min(a!, b!) < w.ops.indexOf(add) - 1, `${name} ${add.name} is not a skip connection`);
      assert.equal(w.tensors[add.inputs[0]!]!.elements, w.tensors[add.inputs[1]!]!.elements);
    }
    const down = w.ops.filter((op) => op.name.endsWith('.downsample')) as Conv2dOp[];
    assert.equal(down.length, projections, `${name} projection shortcuts`);
    for (const d of down) assert.equal(d.kH, 1);
  }
});

test('MobileNetV2 depthwise convs have groups == inC == outC, and stride-1 same-width blocks add', () => {
  const w = buildZooWorkload('mobilenet_v2');
  const dw = w.ops.filter((op): op is Conv2dOp => op.kind === 'conv2d' && op.groups > 1);
  assert.equal(dw.length, 17);
  for (const op of dw) {
    assert.equal(op.groups, op.inC);
    assert.equal(op.outC, op.inC);
  }
  // Table 2 of the paper: repeats 1,2,3,4,3,3,1 -> blocks after the first of each group add: 0+1+2+3+2+2+0.
  assert.equal(w.ops.filter((op) => op.kind === 'eltwise' && op.fn === 'add').length, 10);
});

test('BERT-base: per layer Q, K, V linears feed one 12-head attention op; FFN has gelu; residual adds and layernorms', () => {
  const w = buildZooWorkload('bert_base', { seqLen: 64, batch: 2 });
  const att = w.ops.filter((op) => op.kind === 'attention');
  assert.equal(att.length, 12);
  for (const a of att) {
    if (a.kind !== 'attention') continue;
    assert.deepEqual([a.batch, a.heads, a.seqQ, a.seqKV, a.headDim, a.causal], [2, 12, 64, 64, 64, false]);
    const producers = a.inputs.map((id) => w.ops.find((op) => op.output === id)!);
    assert.deepEqual(producers.map((p) => p.kind === 'matmul' && p.weightOperand && p.n === 768), [true, true, true]);
  }
  const count = (fn: string): number => w.ops.filter((op) => op.kind === 'eltwise' && op.fn === fn).length;
  assert.equal(count('gelu'), 12);
  assert.equal(count('add'), 24);
  assert.equal(count('layernorm'), 24);
  assert.equal(w.ops.filter((op) => op.kind === 'matmul').length, 72);
});

test('batch scales MACs exactly; resolution scales CNN MACs about with its square', () => {
  for (const z of listZoo()) {
    const one = macs(buildZooWorkload(z.name));
    const four = macs(buildZooWorkload(z.name, { batch: 4 }));
    assert.equal(four, 4 * one, z.name);
  }
  const r224 = macs(buildZooWorkload('resnet50'));
  const r448 = macs(buildZooWorkload('resnet50', { resolution: 448 }));
  assertWithin(r448 / r224, 4, 0.02, 'resnet50 448 vs 224');
});

test('zoo parameters: defaults filled, numeric strings accepted, unknown or out-of-range rejected naming the parameter', () => {
  assert.deepEqual(buildZooWorkload('bert_base').params, { batch: 1, seqLen: 128 });
  assert.equal(buildZooWorkload('bert_base', { seqLen: '256' }).params.seqLen, 256);
  const bad: [string, Record<string, number | string>, string, RegExp][] = [
    ['resnet18', { seqLen: 128 }, 'params.seqLen', /no parameter 'seqLen'.*batch, resolution/],
    ['bert_base', { seqLen: 513 }, 'params.seqLen', /1\.\.512/],
    ['bert_base', { seqLen: 12.5 }, 'params.seqLen', /integer/],
    ['resnet50', { resolution: 16 }, 'params.resolution', /32\.\.2048/],
    ['mobilenet_v2', { width: 0.8 }, 'params.width', /one of/],
    ['gpt2', { phase: 'train' }, 'params.phase', /"prefill", "decode"/],
  ];
  for (const [name, params, path, msg] of bad) {
    assert.throws(() => buildZooWorkload(name, params), (e: unknown) => isDseError(e) && e.path === path && msg.test(e.message), `${name} ${JSON.stringify(params)}`);
  }
});

test('unknown zoo name lists the zoo', () => {
  assert.throws(() => buildZooWorkload('resnet34'), (e: unknown) => isDseError(e) && /resnet18, resnet50, mobilenet_v2, vgg16, bert_base, gpt2/.test(e.message));
});

test('listZoo is plain JSON with defaults inside the allowed values', () => {
  const zoo = listZoo();
  assert.deepEqual(JSON.parse(JSON.stringify(zoo)), zoo);
  for (const z of zoo) {
    assert.ok(z.description.length > 0);
    for (const [k, p] of Object.entries(z.params)) {
      if (p.kind === 'int') assert.ok(p.default >= p.min && p.default <= p.max, `${z.name}.${k}`);
      else assert.ok(p.values.includes(p.default), `${z.name}.${k}`);
    }
  }
});
