import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { journalTrials, REPO_ROOT, runCli } from './cli-helpers.ts';

/*
 * configs/gemmini-resnet18.yaml: a study over the gemmini-like architecture preset on the zoo's
 * ResNet-18, every design mapped layer by layer and its pooling, ReLUs and adds run on the vector
 * lanes. Run through the real CLI (a short budget: a few seconds per design).
 */
const STUDY = 'configs/gemmini-resnet18.yaml';
const BUDGET = '3';

type FrontFile = { front: { hash: string; design: Record<string, number>; metrics: Record<string, number> }[] };
type ZooOp = Record<string, number | string | boolean | string[]>;
type OpLine = { name: string; kind: string; macs: number; cycles: number; energyPJ: number; dramBytes: number };
type BatchOut = { id: string; cycles: number; energyPJ: number; areaMM2: number; latencyS?: number; dramBytes?: number; layers?: OpLine[]; error?: string };

const close = (a: number, b: number, rel = 1e-9): boolean => Math.abs(a - b) <= rel * Math.abs(b);

/** A zoo conv or linear layer as Timeloop's cnn-layer, derived here from the op's fields (PyTorch's output size rule). */
function cnnLayer(op: ZooOp): Record<string, number> {
  if (op.kind === 'matmul') return { C: Number(op.k), K: Number(op.n), P: Number(op.m) };
  const out = (i: string, k: string, s: string, p: string): number => Math.floor((Number(op[i]) + 2 * Number(op[p]) - Number(op[k])) / Number(op[s])) + 1;
  assert.equal(op.groups, 1, `${String(op.name)}: ResNet-18 has no grouped convolution`);
  return {
    N: Number(op.batch), C: Number(op.inC), K: Number(op.outC),
    P: out('inW', 'kW', 'strideW', 'padW'), Q: out('inH', 'kH', 'strideH', 'padH'),
    R: Number(op.kW), S: Number(op.kH), strideW: Number(op.strideW), strideH: Number(op.strideH),
  };
}

/**
 * A ReLU of n elements on the gemmini-like preset by the rule of docs/COST_MODEL.md ("Ops without
 * MACs on an architecture"), from the preset's published parameters alone: peDim lanes; DRAM 8-bit
 * words, 64-word blocks, 8 words/cycle, 200 pJ per 16 bits (Timeloop's DRAM formula); the
 * scratchpad (keeps inputs) 8-bit words in blocks of peDim, 2 peDim words/cycle, Timeloop's SRAM
 * formula (1 + (5/99.5)(KiB - 0.5)) x width/16; MAC 0.5608 pJ, of which an 8-bit add is 0.03/0.3.
 */
function reluOnGemmini(n: number, peDim: number, scratchpadKiB: number): { cycles: number; energyPJ: number } {
  const cycles = Math.max(Math.ceil(n / peDim), Math.ceil((n + n) / 8), Math.ceil((n + 2 * n + n) / (2 * peDim)));
  const dramAccessPJ = (200 * 8 * 64) / 16;
  const spAccessPJ = ((1 + (5 / 99.5) * (scratchpadKiB - 0.5)) * 8 * peDim) / 16;
  const dram = 2 * Math.ceil(n / 64) * dramAccessPJ; // n read, n written
  const sp = (Math.ceil((2 * n) / peDim) + 2 * Math.ceil(n / peDim)) * spAccessPJ; // 2n read (lanes, drain), n filled, n updated
  return { cycles, energyPJ: dram + sp + n * 0.5608 * (0.03 / 0.3) };
}

test('an architecture study of a zoo network: same trials with 1 and 2 workers; each design equals dse eval --batch, its MAC layers mapped one by one and a ReLU checked by hand', () => {
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
    for (const [, t] of runs[0]!.trials) assert.equal(t.status, 'ok');

    const study = parse(readFileSync(join(REPO_ROOT, STUDY), 'utf8')) as { fixed: { clockMHz: number } };
    const zoo = runCli(['workloads', 'resnet18', '--json']);
    assert.equal(zoo.code, 0, zoo.stderr);
    const ops = (JSON.parse(zoo.stdout) as { workload: { ops: ZooOp[] } }).workload.ops;
    const macOps = ops.filter((o) => o.kind === 'conv2d' || o.kind === 'matmul');
    assert.equal(macOps.length, 21);
    assert.ok(ops.some((o) => o.kind === 'pool') && ops.some((o) => o.kind === 'eltwise'));
    for (const t of runs[0]!.front.front) {
      const peDim = t.design.peDim!;
      const spKiB = t.design['levels.Scratchpad.capacityKiB']!;
      const arch = join(dir, `${t.hash}.arch.yaml`);
      writeFileSync(arch, JSON.stringify({ architecture: { preset: 'gemmini-like', peDim, scratchpadKiB: spKiB, accumulatorKiB: t.design['levels.Accumulator.capacityKiB'] } }));
      const lines = [
        { id: 'net', architecture: arch, workload: 'resnet18', clockMHz: study.fixed.clockMHz },
        ...macOps.map((op) => ({ id: String(op.name), architecture: arch, layer: cnnLayer(op) })),
      ];
      writeFileSync(join(dir, 'in.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
      const r = runCli(['eval', '--batch', join(dir, 'in.jsonl'), '-o', join(dir, 'out.jsonl'), '--objective', 'edp']);
      assert.equal(r.code, 0, r.stderr);
      const out = readFileSync(join(dir, 'out.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as BatchOut);
      for (const o of out) assert.equal(o.error, undefined, o.error);
      const net = out[0]!;
      // The study and dse eval cost the design through the same path: the same numbers.
      assert.ok(close(t.metrics.latencyS!, net.latencyS!), `latencyS ${t.metrics.latencyS} vs ${net.latencyS}`);
      assert.ok(close(t.metrics.energyPJ!, net.energyPJ), `energyPJ ${t.metrics.energyPJ} vs ${net.energyPJ}`);
      assert.ok(close(t.metrics.areaMM2!, net.areaMM2));
      assert.ok(close(t.metrics.dramBytes!, net.dramBytes!));
      assert.ok(t.metrics.dramBytes! >= t.metrics.compulsoryDramBytes! && t.metrics.compulsoryDramBytes! > 0);
      // One record per op, summing to the totals.
      const layers = net.layers!;
      assert.deepEqual(layers.map((l) => l.name), ops.map((o) => o.name));
      assert.ok(close(layers.reduce((s, l) => s + l.cycles, 0) / (study.fixed.clockMHz * 1e6), t.metrics.latencyS!));
      assert.ok(close(layers.reduce((s, l) => s + l.energyPJ, 0), t.metrics.energyPJ!));
      // Each MAC layer is the mapper's best for that layer alone (shape derived here from the op).
      for (const o of out.slice(1)) {
        const l = layers.find((x) => x.name === o.id)!;
        assert.ok(close(l.cycles, o.cycles) && close(l.energyPJ, o.energyPJ), `${o.id}: study ${l.cycles} cycles ${l.energyPJ} pJ, layer alone ${o.cycles} cycles ${o.energyPJ} pJ`);
      }
      // Every other op costs time and energy, and the first ReLU (64 x 112 x 112) is the rule by hand.
      for (const l of layers.filter((x) => x.macs === 0)) assert.ok(l.cycles > 0 && l.energyPJ > 0 && l.dramBytes > 0, l.name);
      const relu = layers.find((x) => x.name === 'relu')!;
      const hand = reluOnGemmini(64 * 112 * 112, peDim, spKiB);
      assert.equal(relu.cycles, hand.cycles);
      assert.ok(close(relu.energyPJ, hand.energyPJ, 1e-12), `relu ${relu.energyPJ} pJ vs ${hand.energyPJ} by hand`);
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
    ];
    for (const [name, change, expected] of cases) {
      const file = join(dir, `${name.replace(/ /g, '-')}.yaml`);
      const base = {
        name: 'bad',
        architecture: join(REPO_ROOT, 'configs/hardware/eyeriss-like.arch.yaml'),
        workloads: ['resnet18'],
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
