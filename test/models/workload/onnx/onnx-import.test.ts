import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isDseError } from '../../../../core/errors.ts';
import { opMacs } from '../../../../models/op-size.ts';
import type { Workload } from '../../../../models/types.ts';
import { loadWorkload } from '../../../../models/workload/load-workload.ts';
import { KNOWN_OPS } from '../../../../models/workload/onnx/onnx-ops.ts';
import { onnxToWorkload } from '../../../../models/workload/onnx/onnx-to-workload.ts';
import { summarizeWorkload } from '../../../../models/workload/workload-summary.ts';

/*
 * The fixtures in data/ were written by data/write_fixtures.py with the ONNX project's Python
 * writer (onnx.helper), from the networks' published architectures, never by the importer or
 * the zoo. data/expected.json holds the Conv+Gemm MACs that onnx's own shape inference gives.
 */
const DATA = fileURLToPath(new URL('./data/', import.meta.url));
const ALEXNET = fileURLToPath(new URL('../../../golden/data/onnx/alexnet.onnx', import.meta.url));
const expected = JSON.parse(readFileSync(`${DATA}expected.json`, 'utf8')) as {
  models: Record<string, { convGemmMacs: number; nodes: number }> & { op_coverage: { valueInfo: Record<string, number[]> } };
};

function convAndMatmulMacs(w: Workload): number {
  return w.ops.filter((o) => o.kind === 'conv2d' || o.kind === 'matmul').reduce((s, o) => s + opMacs(o), 0);
}

function rejects(file: string, params: Record<string, string | number>, code: string, message: RegExp): void {
  assert.throws(
    () => loadWorkload(file, params),
    (e: unknown) => {
      assert.ok(isDseError(e), String(e));
      assert.equal(e.code, code);
      assert.equal(e.file, file);
      assert.match(e.message, message);
      assert.ok(!e.toLine().includes('\n'), 'one line');
      return true;
    },
  );
}

test('AlexNet from ZigZag (weights stripped) has 654,560,384 Conv+Gemm MACs (onnx shape inference, test/golden/data/onnx/README.md)', () => {
  const w = loadWorkload(ALEXNET);
  assert.equal(convAndMatmulMacs(w), 654_560_384);
  assert.equal(summarizeWorkload(w).macs, 654_560_384);
  const counts = summarizeWorkload(w).opCounts;
  // 5 convs, 3 Gemms, 3 max pools; Reshape and Dropout are free.
  assert.deepEqual([counts.conv2d, counts.matmul, counts.pool], [5, 3, 3]);
  // Grouped conv2 (group 2): 256 x 48 x 5 x 5 weights.
  const conv2 = w.ops.find((o) => o.name === 'Op4');
  assert.ok(conv2?.kind === 'conv2d' && conv2.groups === 2 && conv2.inC === 96);
});

for (const name of ['resnet18', 'resnet50', 'mobilenet_v2', 'vgg16']) {
  test(`${name} written with onnx.helper imports to the zoo's MACs and weights`, () => {
    const file = `${DATA}${name}.onnx`;
    const zoo = summarizeWorkload(loadWorkload(name));
    const w = loadWorkload(file, { batch: 1 });
    const s = summarizeWorkload(w);
    // Three independent counts agree: onnx's shape inference, the importer, the zoo's builder.
    assert.equal(s.macs, expected.models[name]!.convGemmMacs);
    assert.equal(s.macs, zoo.macs);
    assert.equal(s.weightElements, zoo.weightElements);
    // BatchNormalization folds into the convs: no op is left for it.
    assert.equal(s.opCounts.conv2d, zoo.opCounts.conv2d);
    // The symbolic batch dim scales the work.
    assert.equal(summarizeWorkload(loadWorkload(file, { batch: '4' })).macs, 4 * s.macs);
  });
}

test('a transformer block with symbolic batch and seqLen: heads reshaped through Shape/Gather/Concat, MACs as derived by hand', () => {
  const w = loadWorkload(`${DATA}encoder_block.onnx`, { batch: 2, seqLen: 128 });
  const [b, s, d, h, ff] = [2, 128, 768, 12, 3072];
  // QKV, QK^T and AV per head, output projection, two MLP layers.
  const want = b * s * d * 3 * d + 2 * b * h * s * s * (d / h) + b * s * d * d + 2 * b * s * d * ff;
  assert.equal(summarizeWorkload(w).macs, want);
  const qk = w.ops.find((o) => o.name === 'qk');
  assert.ok(qk?.kind === 'matmul' && !qk.weightOperand && qk.count === b * h && qk.m === s && qk.n === s && qk.k === d / h);
  const fns = w.ops.flatMap((o) => (o.kind === 'eltwise' ? [o.fn] : []));
  assert.deepEqual(fns, ['layernorm', 'add', 'mul', 'softmax', 'add', 'gelu']);
});

test('quantized patterns take their bitwidths from the integer types (QDQ, QLinearConv, QLinearMatMul, int4 weights)', () => {
  const w = loadWorkload(`${DATA}quantized.onnx`);
  const bits = Object.fromEntries(w.ops.map((o) => [o.name, [o.weightBits, o.activationBits]]));
  assert.deepEqual(bits, { conv_qdq: [8, 8], qlinear_conv: [8, 8], qlinear_matmul: [8, 8], matmul_int4: [4, 8] });
  // conv 16x3x3x3 over 16x16 outputs, conv 16x16x3x3 over 8x8, 1024x10, 10x10.
  assert.equal(summarizeWorkload(w).macs, 16 * 16 * 16 * 27 + 16 * 8 * 8 * 144 + 1024 * 10 + 10 * 10);
});

test('bad ONNX files are one-line DseErrors naming the file, and the node and op where there is one', () => {
  rejects(`${DATA}bad_cycle.onnx`, {}, 'onnx_cycle', /cycle: nodes 'add_loop' \(Add\), 'relu_loop' \(Relu\)/);
  rejects(`${DATA}bad_no_input_shape.onnx`, {}, 'onnx_shape', /graph input 'x' has no shape/);
  rejects(`${DATA}bad_shape_mismatch.onnx`, {}, 'onnx_shape', /node 'conv' \(Conv\): input has 4 channels but the weight \[8, 3, 3, 3\]/);
  rejects(`${DATA}unknown_op.onnx`, {}, 'onnx_unknown_op', /node 'topk' \(op TopK\) cannot be costed.*unknownOps: free/);
  rejects(`${DATA}resnet18.onnx`, {}, 'onnx_symbolic_dim', /symbolic dim 'batch'.*--param batch=1/);
  rejects(`${DATA}resnet18.onnx`, { batch: 1, seqLen: 4 }, 'unknown_param', /no symbolic dim 'seqLen' \(it has: batch/);
  rejects(`${DATA}resnet18.onnx`, { batch: 0 }, 'invalid_param', /batch must be a positive integer/);
  rejects(`${DATA}resnet18.onnx`, { batch: 1, unknownOps: 'maybe' }, 'invalid_param', /unknownOps must be 'free' or 'error'/);
  const bytes = readFileSync(ALEXNET);
  for (const cut of [1, 100, 2000, bytes.length - 1]) {
    assert.throws(() => onnxToWorkload(bytes.subarray(0, cut), 'cut.onnx'), (e: unknown) => isDseError(e) && e.file === 'cut.onnx' && !e.message.includes('\n'), `cut at ${cut}`);
  }
  assert.throws(() => onnxToWorkload(new Uint8Array(0), 'empty.onnx'), /empty file/);
  rejects(`${DATA}absent.onnx`, {}, 'file_not_found', /file not found/);
});

test('unknownOps: free passes over an op it cannot cost, taking its output shape from value_info, and says so', () => {
  const r = onnxToWorkload(readFileSync(`${DATA}unknown_op.onnx`), 'unknown_op.onnx', { unknownOps: 'free' });
  assert.deepEqual(r.workload.ops.map((o) => o.name), ['conv', 'relu']);
  // The relu reads TopK's [1, 4, 6, 6] output, which comes from memory like a network input.
  assert.equal(r.workload.tensors.top?.kind, 'input');
  assert.equal(r.workload.tensors.top?.elements, 4 * 6 * 6);
  assert.equal(r.workload.params.unknownOps, 'free');
  assert.equal(r.warnings.length, 1);
  assert.match(r.warnings[0]!, /unknown_op\.onnx: passed over as free.*topk \(TopK\)/);
});

test("shape inference agrees with onnx's on every value of a model covering auto_pad, dilations, asymmetric pads, ConvTranspose, ceil_mode, Slice, Split, Pad...", () => {
  // op_coverage.onnx carries the value_info of onnx.shape_inference (strict mode); the importer
  // refuses a file whose declared shapes differ from its own inference, so importing it checks them all.
  const w = loadWorkload(`${DATA}op_coverage.onnx`);
  const declared = expected.models.op_coverage.valueInfo;
  assert.ok(Object.keys(declared).length >= 20);
  for (const op of w.ops) {
    const want = declared[op.output];
    if (want) assert.deepEqual(w.tensors[op.output]!.shape, want, op.name);
  }
  const ops = Object.fromEntries(w.ops.map((o) => [o.name, o]));
  // MACs by the ONNX definitions: output elements x input channels per group x kernel taps;
  // ConvTranspose: input pixels x input channels x output channels per group x taps.
  assert.equal(opMacs(ops.conv_same_upper!), 2 * 8 * 17 * 16 * 3 * 9);
  assert.equal(opMacs(ops.conv_dilated!), 2 * 8 * 17 * 16 * 8 * 9);
  assert.equal(opMacs(ops.conv_asym_pads!), 2 * 8 * 9 * 16 * 8 * 4);
  assert.equal(opMacs(ops.conv_depthwise_valid!), 2 * 8 * 5 * 12 * 25);
  assert.equal(opMacs(ops.conv_transpose!), 2 * 5 * 12 * 8 * 4 * 16);
  assert.equal(opMacs(ops.gemm_trans_a!), 10 * 6 * 36);
  assert.equal(opMacs(ops.matmul_broadcast!), 3 * 5 * 6 * 7 * 4);
  assert.equal(opMacs(ops.conv_1d!), 2 * 6 * 20 * 4 * 3);
  assert.equal(opMacs(ops.matmul_vector!), 2 * 8 * 10);
  // Free ops leave no op behind; Concat of activations is a copy.
  for (const free of ['slice', 'split', 'pad', 'flatten', 'unsqueeze', 'squeeze', 'expand', 'reshape', 'transpose']) assert.ok(!(free in ops), free);
  assert.ok(ops.concat?.kind === 'eltwise' && ops.concat.fn === 'concat' && ops.concat.inputs.length === 2);
  // A sorted file keeps its node order.
  assert.deepEqual(w.ops.slice(0, 3).map((o) => o.name), ['conv_same_upper', 'conv_dilated', 'conv_asym_pads']);
});

test('a value_info that contradicts the inferred shape is refused; nodes out of order are sorted', () => {
  rejects(`${DATA}bad_declared_shape.onnx`, {}, 'onnx_shape', /node 'conv_dilated' \(Conv\): output 'c_dil' has shape \[2, 8, 17, 16\] but the file declares \[2, 8, 18, 16\]/);
  const sorted = loadWorkload(`${DATA}resnet18.onnx`, { batch: 1 });
  const unsorted = loadWorkload(`${DATA}resnet18_unsorted.onnx`, { batch: 1 });
  assert.equal(summarizeWorkload(unsorted).macs, summarizeWorkload(sorted).macs);
  assert.deepEqual(unsorted.ops.map((o) => o.kind).sort(), sorted.ops.map((o) => o.kind).sort());
});

test('docs/WORKLOADS.md names every ONNX operator the importer knows', () => {
  const docs = readFileSync(fileURLToPath(new URL('../../../../docs/WORKLOADS.md', import.meta.url)), 'utf8');
  const section = docs.slice(docs.indexOf('## ONNX models'));
  for (const op of KNOWN_OPS) assert.match(section, new RegExp(`\\b${op}\\b`), op);
});
