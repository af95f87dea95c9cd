import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO_ROOT, runCli } from './cli-helpers.ts';

// DOSA's Timeloop architecture files and rows, copied into test/golden/data/dosa (see SOURCE.md).
const DOSA = 'test/golden/data/dosa/arch';

test("dse eval --arch <DOSA's Timeloop YAML> --mapping prints Timeloop's numbers for that row (row 967)", () => {
  const r = runCli(['eval', '--arch', `${DOSA}/gemmini_pe16_sp131072_acc131072.yaml`, '--layer', 'C=32,K=1024,P=7,Q=7,R=3,S=3',
    '--mapping', 'L3[WIO] K16 P7 - L2[WI] N1 K16X - L1[O] K4 S3 R3 C32 Q7 - L0[W] N1']);
  assert.equal(r.code, 0, r.stderr);
  // Timeloop (DOSA sample row 967): 903,168 cycles, 146.634305 uJ.
  assert.match(r.stdout, /cycles +903,168 /);
  assert.match(r.stdout, /energy +146\.634305 uJ/);
  assert.match(r.stdout, /spatial-for k\d in \[0,16\)/);
});

test("dse eval --arch <DOSA's Timeloop YAML> without --mapping: the mapper chooses bypass (one-word registers) and beats Timeloop's row 967", () => {
  // The Timeloop file lets every level keep every operand; its registers hold one word, so the
  // mapper must bypass two operands there. Timeloop's random mapper (DOSA sample row 967) found
  // 903,168 cycles and 146.634305 uJ for this layer on this hardware.
  const r = runCli(['eval', '--arch', `${DOSA}/gemmini_pe16_sp131072_acc131072.yaml`, '--layer', 'C=32,K=1024,P=7,Q=7,R=3,S=3']);
  assert.equal(r.code, 0, r.stderr);
  const mapping = /^mapping +(.*) \(the mapper's best for edp\)$/m.exec(r.stdout)![1]!;
  assert.match(mapping, /- L0\[[WIO]\] /, 'the one-word registers keep exactly one operand');
  const cycles = Number(/^cycles +([\d,]+) /m.exec(r.stdout)![1]!.replaceAll(',', ''));
  const energyUJ = Number(/^energy +([\d.]+) uJ/m.exec(r.stdout)![1]!);
  assert.ok(cycles <= 903168, `${cycles} cycles`);
  assert.ok(energyUJ <= 146.634305, `${energyUJ} uJ`);
  // The printed mapping is valid: given back with --mapping, it gives the same numbers.
  const again = runCli(['eval', '--arch', `${DOSA}/gemmini_pe16_sp131072_acc131072.yaml`, '--layer', 'C=32,K=1024,P=7,Q=7,R=3,S=3', '--mapping', mapping]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, new RegExp(`cycles +${cycles.toLocaleString('en-US')} `));
});

test('dse eval --batch: good lines give numbers, bad lines give an error line, the others still run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dse-batch-'));
  const arch = resolve(REPO_ROOT, DOSA, 'gemmini_pe8_sp2097152_acc8192.yaml');
  const lines = [
    // DOSA sample row 3916: Timeloop 3,456,000 cycles.
    { id: 'a', architecture: arch, layer: { C: 16, K: 32, P: 240, Q: 24, R: 3, S: 3 }, mapping: 'L3[WIO] P80 K8 C4 Q3 - L2[WI] N1 K2X - L1[O] K2 S3 R3 Q8 C4X - L0[W] P3' },
    { id: 'b', architecture: arch, layer: { C: 16, K: 32, P: 240, Q: 24, R: 3, S: 3 }, mapping: 'L3[WIO] P80 K8 C4 Q3 - L2[WI] N1 K2X - L1[O] K2 S3 R3 Q8 C2X - L0[W] P3' },
  ];
  // No mapping: the mapper chooses one, at least as good as the given one on EDP.
  const auto = { id: 'c', architecture: resolve(REPO_ROOT, 'test/e2e/fixtures/arch/gemmini-pe8.arch.yaml'), layer: lines[0]!.layer };
  writeFileSync(join(dir, 'in.jsonl'), `${lines.map((l) => JSON.stringify(l)).join('\n')}\nnot json\n${JSON.stringify(auto)}\n`);
  const r = runCli(['eval', '--batch', join(dir, 'in.jsonl'), '-o', join(dir, 'out.jsonl')]);
  assert.equal(r.code, 0, r.stderr);
  const out = readFileSync(join(dir, 'out.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(out.length, 4);
  assert.equal(out[0].id, 'a');
  assert.equal(out[0].cycles, 3456000);
  assert.ok(Math.abs(out[0].energyPJ / 1190.785e6 - 1) < 1e-3, String(out[0].energyPJ));
  assert.equal(out[1].id, 'b');
  assert.match(out[1].error, /factors of C multiply to 8, the layer has C=16/);
  assert.match(out[2].error, /not valid JSON/);
  assert.equal(out[3].id, 'c');
  assert.match(out[3].mapping, /^L3\[WIO\] .* - L0\[W\]/);
  assert.ok(out[3].cycles * out[3].energyPJ <= out[0].cycles * out[0].energyPJ);
});

function failsWithOneLine(args: string[], pattern: RegExp): void {
  const r = runCli(args);
  assert.equal(r.code, 2, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, pattern);
}

const layer = ['--layer', 'C=256'];
test('bad architecture files and mappings fail with one line naming the field, exit 2', () => {
  failsWithOneLine(['eval', '--arch', 'test/e2e/fixtures/arch/no-operand.yaml', ...layer, '--mapping', 'L1[WIO] C256 - L0[] N1'], /architecture\.levels\[1\]\.keeps: Buffer keeps no operand/);
  failsWithOneLine(['eval', '--arch', 'test/e2e/fixtures/arch/timeloop-capacity-zero.yaml', ...layer, '--mapping', 'L3[WIO] C4 - L2[WI] N1 - L1[O] N1 C64X - L0[W] N1'], /attributes\.entries: .*must be > 0/);
  failsWithOneLine(['eval', '--arch', `${DOSA}/gemmini_pe128_sp1024_acc8192.yaml`, ...layer, '--mapping', 'L3[WIO] C2 - L2[WI] N1 - L1[O] N1 C64X - L0[W] N1'], /mapping: factors of C multiply to 128, the layer has C=256/);
  failsWithOneLine(['eval', '--arch', `${DOSA}/gemmini_pe2_sp1024_acc8192.yaml`, ...layer, '--mapping', 'L3[WIO] C64 - L2[WI] N1 - L1[O] N1 C4X - L0[W] N1'], /mapping\.L1: Accumulator: spatial factors multiply to 4, above the fan-out of 2/);
});

test('dse eval --arch --workload costs every op of a zoo network (a decoder with GQA attention), as --batch workload lines do', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dse-arch-workload-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const arch = 'configs/hardware/gemmini-like.arch.yaml';
  const r = runCli(['eval', '--arch', arch, '-w', 'llama3_8b', '-p', 'context=128', '--clock-mhz', '500', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { vectorLanes: number; metrics: { latencyS: number; latencyCycles: number; energyPJ: number; macs: number; layers: { kind: string; latencyCycles: number }[] } };
  assert.equal(j.vectorLanes, 16); // a 16 x 16 array: one lane per column
  const kinds = new Set(j.metrics.layers.map((l) => l.kind));
  for (const k of ['embedding', 'eltwise', 'matmul', 'attention']) assert.ok(kinds.has(k), k);
  assert.equal(j.metrics.latencyS, j.metrics.latencyCycles / 500e6);
  // The same through a batch workload line (paths relative to the JSONL file), and a bad line beside it.
  writeFileSync(join(dir, 'in.jsonl'), [
    JSON.stringify({ id: 'llama', architecture: resolve(REPO_ROOT, arch), workload: 'llama3_8b', params: { context: 128 }, clockMHz: 500 }),
    JSON.stringify({ id: 'both', architecture: resolve(REPO_ROOT, arch), workload: 'resnet18', layer: { C: 8 } }),
  ].join('\n'));
  const b = runCli(['eval', '--batch', join(dir, 'in.jsonl')]);
  assert.equal(b.code, 0, b.stderr);
  const [good, bad] = b.stdout.trim().split('\n').map((l) => JSON.parse(l) as { latencyS?: number; energyPJ?: number; macs?: number; layers?: unknown[]; error?: string });
  assert.equal(good!.latencyS, j.metrics.latencyS);
  assert.equal(good!.energyPJ, j.metrics.energyPJ);
  assert.equal(good!.macs, j.metrics.macs);
  assert.equal(good!.layers!.length, j.metrics.layers.length);
  assert.match(bad!.error!, /workload.*not both/);
});

test('an ONNX import runs on an architecture: one record per op, the MACs dse workloads counts', () => {
  const onnx = 'test/golden/data/onnx/alexnet.onnx';
  const w = runCli(['workloads', onnx, '--json']);
  assert.equal(w.code, 0, w.stderr);
  const counted = JSON.parse(w.stdout) as { macs: number; ops: number };
  const r = runCli(['eval', '--arch', 'configs/hardware/eyeriss-like.arch.yaml', '-w', onnx, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const m = (JSON.parse(r.stdout) as { metrics: { macs: number; energyPJ: number; layers: unknown[] } }).metrics;
  assert.equal(m.layers.length, counted.ops);
  assert.equal(m.macs, counted.macs);
  assert.ok(m.energyPJ > 0);
});
