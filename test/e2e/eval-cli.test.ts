import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './cli-helpers.ts';

interface EvalJson {
  layers: Array<{ name: string; macs: number; computeCycles: number; latencyCycles: number; stallCycles: number; dramReadBytes: number; dramWriteBytes: number; energyPJ: number; energyBreakdownPJ: Record<string, number> }>;
  totals: { latencyS: number; energyPJ: number; areaMM2: number; dramBytes: number; compulsoryDramBytes: number; macs: number };
}

function evalJson(args: string[]): EvalJson {
  const r = runCli(['eval', ...args, '--json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as EvalJson;
}

test('zoo model (resnet18) on a YAML design: per-layer JSON adds up to the totals', () => {
  const j = evalJson(['--hardware', 'configs/hardware/edge-32x32.yaml', '--workload', 'resnet18']);
  // ResNet-18 at 224x224 is about 1.82 GMACs (reference README).
  assert.ok(Math.abs(j.totals.macs / 1.82e9 - 1) < 0.02);
  const sumE = j.layers.reduce((s, l) => s + l.energyPJ, 0);
  assert.ok(Math.abs(sumE - j.totals.energyPJ) <= 1e-6 * j.totals.energyPJ);
  const sumD = j.layers.reduce((s, l) => s + l.dramReadBytes + l.dramWriteBytes, 0);
  assert.equal(sumD, j.totals.dramBytes);
  assert.ok(j.totals.dramBytes >= j.totals.compulsoryDramBytes);
  assert.ok(j.totals.areaMM2 > 0 && j.totals.latencyS > 0);
  for (const l of j.layers) assert.equal(l.stallCycles, l.latencyCycles - l.computeCycles);
});

test('YAML workload, table output', () => {
  const r = runCli(['eval', '--hardware', 'configs/hardware/eyeriss-like.yaml', '--workload', 'configs/workloads/residual-cnn.yaml']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /block_conv1/);
  assert.match(r.stdout, /latency +[\d,]+ cycles/);
  assert.match(r.stdout, /area +[\d.]+ mm\^2/);
});

test('SCALE-Sim topology on a SCALE-Sim .cfg: compute cycles are SCALE-Sim v2\'s (total_cycles + 1)', () => {
  const j = evalJson(['--hardware', 'configs/hardware/scalesim-32x32.cfg', '--workload', 'configs/workloads/scalesim-sample-conv.csv']);
  // scalesim-v2-sample.csv (SCALE-Sim v2, 32x32 ws, test/golden/scalesim-sample.ts): Conv1 121939, Conv2_1a 108359.
  const byName = new Map(j.layers.map((l) => [l.name, l]));
  assert.equal(byName.get('Conv1')?.computeCycles, 121939 + 1);
  assert.equal(byName.get('Conv2_1a')?.computeCycles, 108359 + 1);
});

test('bad inputs: one line on stderr, exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'eval-'));
  const badCfg = join(dir, 'bad.cfg');
  writeFileSync(badCfg, '[architecture_presets]\nArrayHeight: 32\nArrayWidth: 32\nIfmapSramSzkB: 64\nFilterSramSzkB: 64\nOfmapSramSzkB: 64\nDataflow: rs\n');
  const zero = join(dir, 'zero.yaml');
  writeFileSync(zero, 'peRows: 0\n');
  const cases: Array<[string[], RegExp]> = [
    [['--hardware', join(dir, 'missing.yaml'), '--workload', 'resnet18'], /missing\.yaml: file not found/],
    [['--hardware', badCfg, '--workload', 'resnet18'], /bad\.cfg: architecture_presets\.Dataflow: unknown dataflow 'rs'/],
    [['--hardware', zero, '--workload', 'resnet18'], /zero\.yaml: peRows: /],
    [['--hardware', 'configs/hardware/edge-32x32.yaml', '--workload', 'no_such_net'], /no_such_net/],
  ];
  for (const [args, re] of cases) {
    const r = runCli(['eval', ...args]);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, re);
  }
});

test('dse eval schedules by the hardware fusion policy: ilp <= greedy <= none in DRAM bytes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dse-eval-fusion-'));
  const bytes: Record<string, number> = {};
  for (const fusion of ['none', 'greedy', 'ilp']) {
    const file = join(dir, `${fusion}.yaml`);
    writeFileSync(file, `peRows: 32\npeCols: 32\nglbKiB: 384\nfusion: ${fusion}\n`);
    bytes[fusion] = evalJson(['--hardware', file, '--workload', 'resnet18']).totals.dramBytes;
  }
  assert.ok(bytes.greedy! < bytes.none!, `greedy ${bytes.greedy} < none ${bytes.none}`);
  assert.ok(bytes.ilp! <= bytes.greedy!, `ilp ${bytes.ilp} <= greedy ${bytes.greedy}`);
});
