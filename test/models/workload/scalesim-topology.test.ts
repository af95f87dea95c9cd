import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isDseError } from '../../../core/errors.ts';
import { convOutHW, opMacs } from '../../../models/op-size.ts';
import { isScaleSimTopology, parseScaleSimTopology } from '../../../models/workload/scalesim-topology.ts';
import { SCALESIM_SAMPLE } from '../../golden/scalesim-sample.ts';

const CONV_HEADER = 'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,';

function rejects(text: string, path: string, pattern: RegExp): void {
  assert.throws(() => parseScaleSimTopology(text, 'topo.csv'), (e: unknown) => {
    assert.ok(isDseError(e), String(e));
    assert.equal(e.file, 'topo.csv');
    assert.equal(e.path, path);
    assert.match(e.message, pattern);
    return true;
  });
}

test('MACs of every layer SCALE-Sim v2 ran in the reference sample equal its utilisation x cycles x PEs', () => {
  // Source: SCALE-Sim v2's own runs (scalesim-project/scale-sim-v2, commit 22f88b1, CALC
  // mode), copied into test/golden/scalesim-sample.ts. Its utilisation = Npx*K*M / (cycles*R*C),
  // so MACs = util * cycles * R * C, a count SCALE-Sim made with its own ceil output rule. GEMM
  // rows are listed there as the conv SCALE-Sim runs (H=M, W=K, Fw=K, C=1, N filters), so they
  // also check the GEMM reading.
  let checked = 0;
  for (const r of SCALESIM_SAMPLE) {
    const { H, W, Fh, Fw, C, M, stride: S } = r;
    const scalesimMacs = (r.utilPct / 100) * r.totalCycles * r.rows * r.cols;
    const text = r.mode === 'gemm' ? `Layer name, M, N, K,\nL, ${H}, ${M}, ${W},\n` : `${CONV_HEADER}\nL, ${H}, ${W}, ${Fh}, ${Fw}, ${C}, ${M}, ${S},\n`;
    const w = parseScaleSimTopology(text, 'row.csv');
    const ours = opMacs(w.ops[0]!);
    assert.ok(Math.abs(ours - scalesimMacs) / scalesimMacs < 1e-6, `${r.layer}: ${ours} vs ${scalesimMacs}`);
    checked++;
  }
  assert.ok(checked >= 20);
});

test("conv rows: no padding, SCALE-Sim's ceil output rule, a chain of ops", () => {
  const w = parseScaleSimTopology(readFileSync(new URL('../../../configs/workloads/scalesim-sample-conv.csv', import.meta.url), 'utf8'), 'configs/workloads/scalesim-sample-conv.csv');
  assert.equal(w.name, 'scalesim-sample-conv');
  assert.deepEqual(w.ops.map((o) => o.name), ['Conv1', 'Conv2_1a', 'Conv3_s', 'Conv5_2a', 'Inc5b_3x3', 'FC']);
  const conv1 = w.ops[0]!;
  assert.ok(conv1.kind === 'conv2d');
  assert.deepEqual([conv1.inH, conv1.kH, conv1.strideH, conv1.padH, conv1.groups, conv1.inC, conv1.outC], [224, 7, 2, 0, 1, 3, 64]);
  // ceil((224 - 7 + 2) / 2) = 110, where PyTorch's floor rule would give 109.
  assert.deepEqual(convOutHW(conv1), { outH: 110, outW: 110 });
  assert.deepEqual(w.ops[1]!.inputs, ['Conv1']);
  assert.equal(w.tensors.input!.kind, 'input');
  assert.equal(w.tensors.input!.elements, 224 * 224 * 3);
  assert.equal(w.tensors.Conv1!.elements, 110 * 110 * 64);
});

test('GEMM rows: matmul m=M, n=N, k=K with a stored weight', () => {
  const w = parseScaleSimTopology(readFileSync(new URL('../../../configs/workloads/scalesim-sample-gemm.csv', import.meta.url), 'utf8'), 'g.csv');
  const [a, b] = w.ops;
  assert.ok(a!.kind === 'matmul' && a!.m === 128 && a!.n === 64 && a!.k === 256 && a!.weightOperand && a!.count === 1);
  assert.equal(a!.name, 'Test 1');
  assert.deepEqual(b!.inputs, ['Test 1']);
  assert.equal(opMacs(b!), 100 * 37 * 300);
  assert.ok(isScaleSimTopology('Layer, M, N, K\nx,1,2,3\n'));
  assert.ok(!isScaleSimTopology('name: foo\n'));
});

test("SCALE-Sim's own file habits are accepted: trailing commas, padding, tabs, blank lines, '#' notes, two stride columns", () => {
  const text = [
    '',
    'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Stride height, Stride width,',
    '',
    'Conv1     ,224         ,224        ,11           ,11          ,3       ,96        ,4      ,4  ,',
    '\tConv2_dw, 112, 112, 3, 3, 1, 1, 1, 1,#dw',
    'Conv3, 112, 112, 1, 1, 32, 64, 1, 2',
    '   ,  , ',
  ].join('\r\n');
  const w = parseScaleSimTopology(text, 't.csv');
  assert.equal(w.ops.length, 3);
  const c3 = w.ops[2]!;
  assert.ok(c3.kind === 'conv2d' && c3.strideH === 1 && c3.strideW === 2);
  // ceil((112 - 1 + 2) / 2) = 57 columns.
  assert.deepEqual(convOutHW(c3), { outH: 112, outW: 57 });
  // ceil((224 - 11 + 4) / 4) = 55
  assert.deepEqual(convOutHW(w.ops[0] as never), { outH: 55, outW: 55 });
});

test("a layer named with 'DP' is depthwise, as SCALE-Sim runs it (each channel with Num Filter filters)", () => {
  const w = parseScaleSimTopology(`${CONV_HEADER}\nConv_DP1, 114, 114, 3, 3, 32, 1, 1,\n`, 't.csv');
  const op = w.ops[0]!;
  assert.ok(op.kind === 'conv2d' && op.groups === 32 && op.inC === 32 && op.outC === 32);
  // SCALE-Sim: 32 one-channel layers of 112*112 px * 3*3 * 1 filter.
  assert.equal(opMacs(op), 32 * 112 * 112 * 9);
});

test('malformed topologies: the error names the file, the line and the column', () => {
  rejects('Layer name, Height, Width\nx,1,2\n', 'line 1', /unknown header.*conv.*GEMM/);
  rejects('', '', /empty/);
  rejects(`${CONV_HEADER}\n`, '', /no layers/);
  rejects(`${CONV_HEADER}\nConv1, 224, 224, 7, 7, 3, 64,\n`, 'line 2', /expected 8 columns.*got 7/);
  rejects(`${CONV_HEADER}\nConv1, 224, 224, 7, 7, 3, 64, 2, 9, 9,\n`, 'line 2', /expected 8 columns.*got 10/);
  rejects(`${CONV_HEADER}\nConv1, 224, 224, 7, 7, three, 64, 2,\n`, 'line 2, Channels', /positive integer, got 'three'/);
  rejects(`${CONV_HEADER}\n\nConv1, 224, 224, 7, 7, 3, 0, 2,\n`, 'line 3, Num Filter', /positive integer, got '0'/);
  rejects(`${CONV_HEADER}\nConv1, 224, -224, 7, 7, 3, 8, 2,\n`, 'line 2, IFMAP Width', /positive integer/);
  rejects(`${CONV_HEADER}\nConv1, 224, 224, 7.5, 7, 3, 8, 2,\n`, 'line 2, Filter Height', /positive integer/);
  rejects(`${CONV_HEADER}\nConv1, 5, 224, 7, 7, 3, 8, 2,\n`, 'line 2, Filter Height', /exceeds IFMAP height/);
  rejects(`${CONV_HEADER}\nA, 8, 8, 1, 1, 3, 8, 1,\nA, 8, 8, 1, 1, 8, 8, 1,\n`, 'line 3, Layer name', /already used on line 2/);
  rejects('Layer name, M, N, K,\nfc, 1, 1000,\n', 'line 2', /expected 4 columns/);
  rejects('Layer name, M, N, K,\nfc, 1, 1000, x,\n', 'line 2, K', /got 'x'/);
});
