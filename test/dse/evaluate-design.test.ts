import { test } from 'node:test';
import assert from 'node:assert/strict';
import { studyFromObject } from '../../dse/load-study.ts';
import { createEvalContext, evaluateDesign } from '../../dse/evaluate-design.ts';
import { evaluateWorkload } from '../../models/cost/evaluate.ts';
import { normalizeHardware } from '../../models/hardware.ts';
import { loadWorkload } from '../../models/workload/load-workload.ts';

const base = {
  name: 'eval',
  workloads: ['resnet18'],
  space: { glbKiB: [128, 512, 2048], fusion: ['none', 'greedy', 'ilp'] },
  fixed: { peRows: 32, peCols: 32 },
  objectives: ['energyPJ', 'dramBytes'],
};

test('metrics of one workload equal the cost model on the design hardware', async () => {
  const study = studyFromObject(base);
  const out = await evaluateDesign(createEvalContext(study.spec), { glbKiB: 512, fusion: 'none' });
  const direct = evaluateWorkload(normalizeHardware({ peRows: 32, peCols: 32, glbKiB: 512, fusion: 'none' }), loadWorkload('resnet18'));
  assert.equal(out.status, 'ok');
  assert.equal(out.metrics!.energyPJ, direct.energyPJ);
  assert.equal(out.metrics!.dramBytes, direct.dramBytes);
  assert.equal(out.metrics!.edp, direct.energyPJ * direct.latencyS);
  assert.deepEqual(out.objectives, [direct.energyPJ, direct.dramBytes]);
});

test('weighted aggregation sums weight x metric; area is the chip, counted once', async () => {
  const study = studyFromObject({ ...base, aggregate: 'weighted', workloads: [{ name: 'resnet18', weight: 3 }, 'mobilenet_v2'] });
  const out = await evaluateDesign(createEvalContext(study.spec), { glbKiB: 512, fusion: 'none' });
  const hw = normalizeHardware({ peRows: 32, peCols: 32, glbKiB: 512 });
  const r = evaluateWorkload(hw, loadWorkload('resnet18'));
  const m = evaluateWorkload(hw, loadWorkload('mobilenet_v2'));
  assert.ok(Math.abs(out.metrics!.latencyS - (3 * r.latencyS + m.latencyS)) <= 1e-12 * out.metrics!.latencyS);
  assert.equal(out.metrics!.areaMM2, r.areaMM2);
});

test('fusion policies: ilp <= greedy <= none in DRAM bytes at every capacity', async () => {
  const ctx = createEvalContext(studyFromObject(base).spec);
  for (const glbKiB of [128, 512, 2048]) {
    const [none, greedy, ilp] = await Promise.all(['none', 'greedy', 'ilp'].map((fusion) => evaluateDesign(ctx, { glbKiB, fusion })));
    assert.ok(greedy!.metrics!.dramBytes <= none!.metrics!.dramBytes, `greedy <= none at ${glbKiB}`);
    assert.ok(ilp!.metrics!.dramBytes <= greedy!.metrics!.dramBytes + 1e-6, `ilp <= greedy at ${glbKiB}`);
  }
});

test('mixed precision: never less accurate than the budget allows, never costlier than uniform bits', async () => {
  const choices = [
    { weightBits: 4, activationBits: 8 },
    { weightBits: 8, activationBits: 8 },
    { weightBits: 16, activationBits: 8 },
  ];
  for (const ratio of [1, 2]) {
    // A generous solver time limit: on a loaded machine the default 2 s can cut the bitwidth
    // solve short, and its incumbent may then cost more than uniform bits.
    const mixed = studyFromObject({ ...base, schedule: { timeLimitS: 120 }, mixedPrecision: { choices, objective: 'energy', maxQuantErrorRatio: ratio } });
    const uniform = studyFromObject(base);
    const design = { glbKiB: 512, fusion: 'none' };
    const a = await evaluateDesign(createEvalContext(mixed.spec), design);
    const b = await evaluateDesign(createEvalContext(uniform.spec), design);
    assert.equal(a.status, 'ok', a.error);
    assert.ok(a.metrics!.quantError <= ratio * b.metrics!.quantError * (1 + 1e-9));
    assert.ok(a.metrics!.energyPJ <= b.metrics!.energyPJ * (1 + 1e-12));
    if (ratio === 2) assert.ok(a.metrics!.energyPJ < b.metrics!.energyPJ, 'a looser budget buys energy');
  }
});

test('constraints: a metric bound makes a trial infeasible with its violation', async () => {
  const study = studyFromObject({ ...base, constraints: { dramBytes: { max: 1 } } });
  const out = await evaluateDesign(createEvalContext(study.spec), { glbKiB: 512, fusion: 'none' });
  assert.equal(out.status, 'infeasible');
  assert.equal(out.violations![0]!.name, 'dramBytes');
  assert.equal(out.violations![0]!.limit, 1);
});

test('a design whose evaluation throws becomes a failed trial with the error', async () => {
  const study = studyFromObject(base);
  const out = await evaluateDesign(createEvalContext(study.spec), { glbKiB: 512, fusion: 'none', peRows: -4 });
  assert.equal(out.status, 'failed');
  assert.match(out.error!, /peRows/);
});
