import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { evaluate, evaluateHardware, loadStudy, runStudy } from '../../index.ts';
import { REPO_ROOT } from '../e2e/cli-helpers.ts';

/**
 * One evaluation path: the library's `evaluate` gives a design of a run exactly the metrics
 * and objectives its row in front.json has (the run evaluated it in a worker thread), with
 * fusion schedules and mixed-precision bitwidths, and returns the per-layer detail.
 */

const WORKLOAD = join(REPO_ROOT, 'configs', 'workloads', 'residual-cnn.yaml');

function studyYaml(mixedPrecision: boolean): string {
  return `name: one-path
workloads: [${JSON.stringify(WORKLOAD)}]
space:
  peRows: [8, 16, 32]
  peCols: [8, 16, 32]
  glbKiB: [16, 64, 256]
  fusion: [none, greedy, ilp]
fixed: {dataflow: ws, weightBits: 8, activationBits: 8}
objectives: [latencyS, energyPJ, dramBytes, areaMM2]
${mixedPrecision ? `mixedPrecision:
  choices: [{weightBits: 4, activationBits: 8}, {weightBits: 8, activationBits: 8}, {weightBits: 16, activationBits: 8}]
  objective: energy
  maxQuantErrorRatio: 1.5
` : ''}search: {algorithm: random, budget: 24, seed: 3, batchSize: 8}
`;
}

test('evaluate(study, design) equals the design row of front.json exactly, fusion and mixed precision included', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dse-one-path-'));
  try {
    const file = join(dir, 'study.yaml');
    writeFileSync(file, studyYaml(true));
    await runStudy(file, { out: join(dir, 'run'), workers: 1 });
    const front = JSON.parse(readFileSync(join(dir, 'run', 'front.json'), 'utf8')) as { front: { design: Record<string, number | string>; metrics: Record<string, number>; objectives: number[] }[] };
    assert.ok(front.front.length > 0);
    const fusions = new Set(front.front.map((t) => t.design.fusion));
    assert.ok(fusions.size > 1 || !fusions.has('none'), `front should hold fused designs, has ${[...fusions]}`);
    const study = loadStudy(file);
    for (const row of front.front) {
      const e = await evaluate(study, row.design);
      assert.equal(e.status, 'ok');
      assert.deepEqual(e.metrics, row.metrics, JSON.stringify(row.design));
      assert.deepEqual(e.objectives, row.objectives);
      // Per-layer detail: one entry per layer, adding up to the totals.
      const w = e.workloads![0]!;
      assert.equal(w.metrics.layers.length, w.workload.ops.length);
      const sum = w.metrics.layers.reduce((a, l) => a + l.energyPJ, 0);
      assert.ok(Math.abs(sum - w.metrics.energyPJ) <= 1e-9 * w.metrics.energyPJ);
      // Mixed precision chose per-layer bitwidths from the study's choices.
      assert.ok(w.workload.ops.every((op) => [4, 8, 16].includes((op as { weightBits?: number }).weightBits ?? 8)));
    }
    // evaluateHardware on the same hardware and workload (study fixed values + design) gives the same workload metrics.
    const row = front.front.find((t) => t.design.fusion !== 'none') ?? front.front[0]!;
    const hw = await evaluateHardware({ ...study.fixed, ...row.design }, WORKLOAD, { mixedPrecision: study.spec.mixedPrecision });
    assert.equal(hw.metrics.latencyS, row.metrics.latencyS);
    assert.equal(hw.metrics.energyPJ, row.metrics.energyPJ);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
