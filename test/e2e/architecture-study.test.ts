import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { journalTrials, REPO_ROOT, runCli } from './cli-helpers.ts';

/*
 * configs/gemmini-resnet18.yaml: a study over the gemmini-like architecture preset, every design
 * mapped layer by layer. Run through the real CLI (a short budget: ~1-3 s per design).
 */
const STUDY = 'configs/gemmini-resnet18.yaml';
const BUDGET = '3';

type FrontFile = { front: { hash: string; design: Record<string, number>; metrics: Record<string, number> }[] };

test('an architecture study gives the same trials and front with 1 and 2 workers, and each design equals dse eval --batch summed over its layers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dse-arch-study-'));
  try {
    const runs = [1, 2].map((workers) => {
      const out = join(dir, `w${workers}`);
      const r = runCli(['run', STUDY, '--budget', BUDGET, '--workers', String(workers), '--out', out, '--no-report']);
      assert.equal(r.code, 0, r.stderr);
      return { front: JSON.parse(readFileSync(join(out, 'front.json'), 'utf8')) as FrontFile, trials: journalTrials(join(out, 'journal.jsonl')) };
    });
    assert.deepEqual(runs[0]!.front.front, runs[1]!.front.front);
    assert.deepEqual([...runs[0]!.trials.entries()].map(([h, t]) => [h, t.status, t.metrics]).sort(), [...runs[1]!.trials.entries()].map(([h, t]) => [h, t.status, t.metrics]).sort());
    assert.equal(runs[0]!.trials.size, Number(BUDGET));

    // Independent sum: the study's layer list turned into Timeloop cnn-layers here (output size
    // from input, kernel, stride, padding), each mapped by `dse eval --batch` on a preset file
    // holding the design's values; latency = summed cycles / clock, energy summed, area the chip's.
    const study = parse(readFileSync(join(REPO_ROOT, STUDY), 'utf8')) as { fixed: { clockMHz: number } };
    const layers = (parse(readFileSync(join(REPO_ROOT, 'configs/workloads/resnet18-mac-layers.yaml'), 'utf8')) as { layers: Record<string, number | string>[] }).layers;
    const shapes = layers.map((l) => {
      if (l.type === 'linear') return { C: l.inFeatures, K: l.outFeatures };
      const out = Math.floor((Number(l.inH) + 2 * Number(l.padding) - Number(l.kernel)) / Number(l.stride)) + 1;
      return { C: l.inC, K: l.outC, P: out, Q: out, R: l.kernel, S: l.kernel, strideW: l.stride, strideH: l.stride };
    });
    assert.equal(shapes.length, 21);
    for (const t of runs[0]!.front.front) {
      const arch = join(dir, `${t.hash}.arch.yaml`);
      writeFileSync(arch, JSON.stringify({ architecture: { preset: 'gemmini-like', peDim: t.design.peDim, scratchpadKiB: t.design['levels.Scratchpad.capacityKiB'], accumulatorKiB: t.design['levels.Accumulator.capacityKiB'] } }));
      writeFileSync(join(dir, 'in.jsonl'), shapes.map((layer, i) => JSON.stringify({ id: i, architecture: arch, layer })).join('\n') + '\n');
      const r = runCli(['eval', '--batch', join(dir, 'in.jsonl'), '-o', join(dir, 'out.jsonl'), '--objective', 'edp']);
      assert.equal(r.code, 0, r.stderr);
      const out = readFileSync(join(dir, 'out.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { cycles: number; energyPJ: number; areaMM2: number; error?: string });
      assert.equal(out.length, 21);
      for (const o of out) assert.equal(o.error, undefined);
      const cycles = out.reduce((s, o) => s + o.cycles, 0);
      const energyPJ = out.reduce((s, o) => s + o.energyPJ, 0);
      const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.abs(b);
      assert.ok(close(t.metrics.latencyS!, cycles / (study.fixed.clockMHz * 1e6)), `latencyS ${t.metrics.latencyS} vs ${cycles} cycles`);
      assert.ok(close(t.metrics.energyPJ!, energyPJ), `energyPJ ${t.metrics.energyPJ} vs ${energyPJ}`);
      assert.ok(close(t.metrics.areaMM2!, out[0]!.areaMM2), `areaMM2 ${t.metrics.areaMM2} vs ${out[0]!.areaMM2}`);
      assert.ok(t.metrics.dramBytes! >= t.metrics.compulsoryDramBytes! && t.metrics.compulsoryDramBytes! > 0);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an architecture study refuses, at load, what it cannot do: one line naming the field and the file, exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dse-arch-bad-'));
  try {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['unknown level', { space: { 'levels.Buffer.capacityKiB': [16, 32] } }, /space\.levels\.Buffer\.capacityKiB.*no level named Buffer/],
      ['unknown attribute', { space: { 'levels.shared_glb.sizeKiB': [16, 32] } }, /space\.levels\.shared_glb\.sizeKiB.*unknown level attribute sizeKiB/],
      ['flat parameter', { space: { peRows: [8, 16] } }, /space\.peRows.*unknown architecture parameter/],
      ['bad value', { space: { 'levels.shared_glb.capacityKiB': [0, 32] } }, /space\.levels\.shared_glb\.capacityKiB.*must be a number > 0/],
      ['fusion', { fixed: { fusion: 'greedy' } }, /fixed\.fusion.*fusion is not supported with an architecture/],
      ['mixed precision', { mixedPrecision: { choices: [{ weightBits: 8, activationBits: 8 }] } }, /mixedPrecision.*not supported with an architecture/],
      ['vector ops', { workloads: ['resnet18'] }, /workloads\.0.*is (pool|eltwise); an architecture maps conv2d and matmul layers only/],
    ];
    for (const [name, change, expected] of cases) {
      const file = join(dir, `${name.replace(/ /g, '-')}.yaml`);
      const base = {
        name: 'bad',
        architecture: join(REPO_ROOT, 'configs/hardware/eyeriss-like.arch.yaml'),
        workloads: [join(REPO_ROOT, 'configs/workloads/resnet18-mac-layers.yaml')],
        space: { 'levels.shared_glb.capacityKiB': [64, 128] },
        objectives: ['latencyS'],
      };
      writeFileSync(file, JSON.stringify({ ...base, ...change }));
      const r = runCli(['validate', file]);
      assert.equal(r.code, 2, `${name}: ${r.stdout}${r.stderr}`);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, `${name}: ${r.stderr}`);
      assert.match(lines[0]!, expected, name);
      assert.ok(lines[0]!.includes(file), `${name}: names the file: ${lines[0]}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
