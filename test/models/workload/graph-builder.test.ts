import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDseError } from '../../../core/errors.ts';
import { opMacs } from '../../../models/op-size.ts';
import type { Workload } from '../../../models/types.ts';
import { GraphBuilder } from '../../../models/workload/graph-builder.ts';
import { validateGraph } from '../../../models/workload/validate-graph.ts';

/** A residual block: x -> conv -> relu -> conv -> add(x) -> pool -> fc. */
function residual(): Workload {
  const g = new GraphBuilder('block', { batch: 2 });
  const x = g.input('x', [2, 16, 8, 8]);
  let y = g.conv('c1', x, { outC: 16, k: 3 });
  y = g.eltwise('r1', 'relu', [y]);
  y = g.conv('c2', y, { outC: 16, k: 3 });
  y = g.add('add', y, x);
  y = g.globalAvgPool('gap', y);
  g.linear('fc', y, { inFeatures: 16, outFeatures: 10 });
  return g.build();
}

function rejects(w: Workload, path: string, pattern: RegExp, file?: string): void {
  assert.throws(() => validateGraph(w, file), (e: unknown) => {
    assert.ok(isDseError(e), String(e));
    assert.equal(e.path, path);
    assert.match(e.message, pattern);
    assert.equal(e.file, file);
    return true;
  });
}

test('the builder derives sizes from input shapes (PyTorch output rule) and keeps call order', () => {
  const w = residual();
  validateGraph(w);
  assert.deepEqual(w.ops.map((o) => o.name), ['c1', 'r1', 'c2', 'add', 'gap', 'fc']);
  assert.deepEqual(w.tensors.c1!.shape, [2, 16, 8, 8]);
  assert.equal(w.tensors.x!.kind, 'input');
  assert.equal(w.tensors.c1!.kind, 'activation');
  assert.deepEqual(w.tensors.gap!.shape, [2, 16, 1, 1]);
  assert.deepEqual(w.ops[3]!.inputs, ['c2', 'x']);
  // conv: 2 images * 8*8 outputs * 16 filters * 16*3*3 = 294912 MACs each (hand count).
  assert.equal(opMacs(w.ops[0]!), 294_912);
  const fc = w.ops[5]!;
  assert.ok(fc.kind === 'matmul' && fc.m === 2 && fc.k === 16 && fc.n === 10 && fc.weightOperand);
});

test('stride, padding, groups and depthwise', () => {
  const g = new GraphBuilder('t');
  const x = g.input('x', [1, 32, 15, 15]);
  const s = g.conv('s2', x, { outC: 64, k: 3, stride: 2 }); // pad 1: floor((15+2-3)/2)+1 = 8
  assert.deepEqual(g.shape(s), [1, 64, 8, 8]);
  const v = g.conv('valid', x, { outC: 8, k: 5, pad: 0 }); // 11
  assert.deepEqual(g.shape(v), [1, 8, 11, 11]);
  const gr = g.conv('grouped', x, { outC: 64, k: 1, groups: 4 });
  const d = g.depthwise('dw', x, { k: 3 });
  const w = g.build();
  validateGraph(w);
  const grouped = w.ops.find((o) => o.name === 'grouped')!;
  assert.equal(opMacs(grouped), 15 * 15 * 64 * 8);
  const dw = w.ops.find((o) => o.name === d)!;
  assert.ok(dw.kind === 'conv2d' && dw.groups === 32 && dw.inC === 32 && dw.outC === 32);
  assert.ok(gr);
});

test('attention takes [q, k, v]; heads split the width; k may be longer than q (a KV cache)', () => {
  const g = new GraphBuilder('att');
  const q = g.input('q', [2, 4, 128]);
  const k = g.input('k', [2, 9, 128]);
  const v = g.input('v', [2, 9, 128]);
  const a = g.attention('a', q, k, v, { heads: 4, causal: false });
  const m = g.matmul('bmm', a, a, { m: 4, n: 4, k: 32, count: 8 });
  const w = g.build();
  validateGraph(w);
  const op = w.ops[0]!;
  assert.ok(op.kind === 'attention');
  assert.deepEqual([op.batch, op.heads, op.seqQ, op.seqKV, op.headDim], [2, 4, 4, 9, 32]);
  assert.deepEqual(op.inputs, ['q', 'k', 'v']);
  assert.deepEqual(g.shape(a), [2, 4, 128]);
  assert.ok(w.ops[1]!.kind === 'matmul' && !w.ops[1]!.weightOperand && w.ops[1]!.count === 8 && m === 'bmm');
  assert.throws(() => g.attention('bad', q, k, v, { heads: 5, causal: false }), /divisible/);
});

test('the builder refuses a reused id, an unknown input and mismatched add operands', () => {
  const g = new GraphBuilder('t');
  const x = g.input('x', [1, 4, 4, 4]);
  g.conv('c', x, { outC: 8, k: 1 });
  assert.throws(() => g.conv('c', x, { outC: 8, k: 1 }), (e: unknown) => isDseError(e) && /used twice/.test(e.message));
  assert.throws(() => g.eltwise('r', 'relu', ['nope']), (e: unknown) => isDseError(e) && /no tensor 'nope'/.test(e.message));
  assert.throws(() => g.add('a', 'c', x), (e: unknown) => isDseError(e) && /differ in size/.test(e.message));
});

test('validateGraph names the op and field of each defect, and the file', () => {
  const base = residual();
  const mut = (f: (w: Workload) => void): Workload => {
    const w = structuredClone(base);
    f(w);
    return w;
  };
  rejects(mut((w) => (w.ops[2]!.name = 'c1')), 'ops[2].name', /'c1' is used twice/);
  rejects(mut((w) => (w.ops[0]!.inputs = ['ghost'])), 'ops[0].inputs[0]', /'ghost' does not exist/, 'net.yaml');
  rejects(mut((w) => ([w.ops[0], w.ops[1]] = [w.ops[1]!, w.ops[0]!])), 'ops[0].inputs[0]', /not produced by an earlier op/);
  rejects(mut((w) => ((w.ops[0] as { inC: number }).inC = 0)), 'ops[0].inC', /positive integer/);
  rejects(mut((w) => ((w.ops[0] as { kH: number }).kH = 2.5)), 'ops[0].kH', /positive integer/);
  rejects(mut((w) => ((w.ops[0] as { groups: number }).groups = 3)), 'ops[0].inC', /not divisible by groups 3/);
  rejects(mut((w) => (w.ops[3]!.inputs = ['c2', 'c2', 'c2'])), 'ops[3].inputs', /add takes 1 to 2 inputs/);
  rejects(mut((w) => (w.ops[1]!.output = 'x')), 'ops[1].output', /network input/);
  rejects(mut((w) => (w.ops[2]!.output = 'c1')), 'ops[2].output', /produced twice/);
  rejects(mut((w) => (w.tensors.c1!.elements = -1)), 'tensors.c1.elements', /positive integer/);
  rejects(mut((w) => ((w.ops[0] as { padH: number }).padH = -1)), 'ops[0].padH', />= 0/);
  rejects(mut((w) => ((w.ops[0] as { kH: number; padH: number }).kH = 11)), 'ops[0].kH', /does not fit/);
  rejects(mut((w) => (w.ops[0]!.weightBits = 0)), 'ops[0].weightBits', /1\.\.32/);
  rejects(mut((w) => (w.ops = [])), 'ops', /no ops/);
});
