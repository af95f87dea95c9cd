import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runCli } from './cli-helpers.ts';

test('dse eval -H <flat file> --as-architecture prints a levels file that dse eval --arch reads back, as the systolic preset', () => {
  const r = runCli(['eval', '-H', 'configs/hardware/edge-32x32.yaml', '--as-architecture']);
  assert.equal(r.code, 0, r.stderr);
  const doc = parse(r.stdout) as { architecture: { levels: { name: string }[]; compute: { systolic: unknown }; clockMHz: number } };
  assert.deepEqual(doc.architecture.levels.map((l) => l.name), ['DRAM', 'IfmapSRAM', 'FilterSRAM', 'OfmapSRAM', 'Registers']);
  assert.deepEqual(doc.architecture.compute.systolic, { rows: 32, cols: 32, dataflow: 'os' });
  assert.equal(doc.architecture.clockMHz, 800);
  const dir = mkdtempSync(join(tmpdir(), 'dse-as-arch-'));
  try {
    const expanded = join(dir, 'edge.arch.yaml');
    writeFileSync(expanded, r.stdout);
    // edge-32x32.yaml's fields as the preset: the same architecture, so the same numbers.
    const preset = join(dir, 'preset.arch.yaml');
    writeFileSync(preset, 'architecture: {preset: systolic, peRows: 32, peCols: 32, dataflow: os, ifmapSramKiB: 64, filterSramKiB: 64, ofmapSramKiB: 64, rfBytes: 16, dramGBps: 8, clockMHz: 800, techNode: 16nm}\n');
    const layer = ['--layer', 'C=64,K=128,P=28,Q=28,R=3,S=3', '--json'];
    const a = runCli(['eval', '--arch', expanded, ...layer]);
    const b = runCli(['eval', '--arch', preset, ...layer]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    const ja = JSON.parse(a.stdout);
    const jb = JSON.parse(b.stdout);
    for (const k of ['cycles', 'computeCycles', 'energyPJ', 'areaMM2', 'mapping']) assert.equal(ja[k], jb[k], k);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the systolic preset under SCALE-Sim's ws mapping gives SCALE-Sim v2's cycles (Conv2_1a, 32x32: total_cycles 108,359)", () => {
  // SCALE-Sim v2 (commit 22f88b1) on ResNet Conv2_1a (56x56x64, 3x3, 64 filters, stride 1): test/golden/scalesim-sample.ts.
  const r = runCli(['eval', '--arch', 'configs/hardware/systolic.arch.yaml', '--layer', 'C=64,K=64,P=54,Q=54,R=3,S=3',
    '--mapping', 'L2[WIO] C2 R3 S3 K2 P54 Q54 - L1[WIO] C32X K32X - L0[W] N1', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).computeCycles, 108_359 + 1);
});

test('bad input to --as-architecture: one line naming the field or option, exit 2', () => {
  const none = runCli(['eval', '--as-architecture']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /--as-architecture needs --hardware/);
  const dir = mkdtempSync(join(tmpdir(), 'dse-as-arch-'));
  try {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'dataflow: os\nrfBytes: 1\n');
    const r = runCli(['eval', '-H', bad, '--as-architecture']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /bad\.yaml: rfBytes: rfBytes 1 cannot hold one 32-bit word/);
    const axes = runCli(['eval', '--arch', 'configs/hardware/systolic.arch.yaml', '--layer', 'C=64,K=64,P=4,Q=4', '--mapping', 'L2[WIO] C2 P4 Q4 - L1[WIO] C32X K64X - L0[W] N1']);
    assert.equal(axes.code, 2);
    assert.match(axes.stderr, /mapping: spatial factors over K multiply to 64, above the array's 32 columns/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
