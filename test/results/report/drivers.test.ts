import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Prng } from '../../../core/prng.ts';
import type { Trial } from '../../../core/types.ts';
import { modelOf } from './helpers.ts';
import { syntheticHeader, writeSyntheticRun } from './synthetic-run.ts';

/**
 * "What drives the front" on runs whose answer is known by construction:
 * - a planted rule: the front is exactly the designs with peRows >= 32 and dataflow = os (they
 *   trade latency against energy along a line; every other design sits 0.5 behind in both);
 * - the synthetic run, whose area is 0.02 peRows peCols + 0.03 glbKiB + 1 mm² and does not
 *   depend on dataflow at all (test/results/report/synthetic-run.ts).
 */

const PE = [8, 16, 32, 64];
const GLB = [64, 128, 256, 512];
const DATAFLOW = ['os', 'ws', 'is'];

function writePlantedRun(dir: string, trials: number): void {
  mkdirSync(dir, { recursive: true });
  const opts = { trials, seed: 5, objectives: ['latencyS', 'energyPJ'] };
  const lines = [JSON.stringify(syntheticHeader(opts))];
  const prng = new Prng(5);
  for (let i = 0; i < trials; i++) {
    const design = { peRows: prng.pick(PE), peCols: prng.pick(PE), glbKiB: prng.pick(GLB), dataflow: prng.pick(DATAFLOW) };
    const u = prng.next();
    const planted = design.peRows >= 32 && design.dataflow === 'os';
    const latencyS = 1e-3 * (planted ? 1 + u : 1.5 + u);
    const energyPJ = 1e9 * (planted ? 2 - u : 2.5 - u);
    const hash = `${i.toString(16).padStart(8, '0')}${prng.nextU32().toString(16).padStart(8, '0')}`;
    const t: Trial = { seq: i, hash, design, status: 'ok', metrics: { latencyS, energyPJ }, objectives: [latencyS, energyPJ] };
    lines.push(JSON.stringify(t));
  }
  writeFileSync(join(dir, 'journal.jsonl'), lines.join('\n') + '\n');
}

test('the design rules recover a planted rule: front designs are exactly peRows >= 32 and dataflow = os', () => {
  const dir = mkdtempSync(join(tmpdir(), 'drivers-'));
  try {
    writePlantedRun(join(dir, 'run'), 3000);
    const model = modelOf([join(dir, 'run')]);
    const d = model.drivers!;
    assert.ok(d, 'drivers computed');
    const planted = model.front.filter((f) => (f.design.peRows as number) >= 32 && f.design.dataflow === 'os');
    assert.equal(planted.length, model.front.length, 'the construction put only planted designs on the front');
    assert.ok(model.front.length > 100);
    assert.equal(d.rules[0]!.text, 'peRows ≥ 32 and dataflow = os');
    assert.equal(d.rules[0]!.frontCovered, model.front.length);
    assert.equal(d.rules[0]!.sampleMatchedNear, d.rules[0]!.sampleMatched, 'every sampled design the rule matches is on the front');
    assert.equal(d.heldOutAccuracy, 1);
    assert.ok(d.trainRows + d.heldOutRows <= 2000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('importance ranks a parameter that drives an objective above one that cannot, and says which cannot', () => {
  const dir = mkdtempSync(join(tmpdir(), 'drivers-'));
  try {
    const run = writeSyntheticRun(join(dir, 'run'), { trials: 4000, seed: 3 });
    const model = modelOf([run]);
    const d = model.drivers!;
    const area = d.importance.find((i) => i.objective === 'areaMM2')!.values;
    const at = (p: string): number => area[d.parameters.indexOf(p)]!;
    for (const p of ['peRows', 'peCols', 'glbKiB']) assert.ok(at(p) > at('dataflow'), `${p} ${at(p)} vs dataflow ${at('dataflow')}`);
    assert.ok(at('dataflow') < 0.01, `dataflow's importance for area ${at('dataflow')}`);
    assert.ok(Math.abs(area.reduce((a, b) => a + b, 0) - 1) < 1e-9);
    const noEffect = d.noEffect.map((n) => `${n.parameter}/${n.objective}`);
    assert.ok(noEffect.includes('dataflow/areaMM2'), noEffect.join(', '));
    assert.ok(!noEffect.includes('peRows/areaMM2') && !noEffect.includes('dataflow/latencyS'), noEffect.join(', '));
    assert.equal(d.colorBy, 'dataflow', 'points are coloured by the categorical parameter by default');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
