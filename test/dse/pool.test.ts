import { test } from 'node:test';
import assert from 'node:assert/strict';
import { studyFromObject } from '../../dse/load-study.ts';
import { EvaluationPool } from '../../dse/pool.ts';
import { createEvalContext, evaluateDesign } from '../../dse/evaluate-design.ts';
import { batchTrials, STATUSES } from '../../dse/trial-batch.ts';

const study = studyFromObject({
  name: 'pool',
  workloads: ['resnet18'],
  space: { peRows: [8, 16, 32, 64], peCols: [8, 16, 32, 64], glbKiB: [64, 256] },
  objectives: ['latencyS', 'energyPJ'],
  constraints: { areaMM2: { max: 2 } },
});
const designs = study.parameters[0]!.values.flatMap((peRows) =>
  study.parameters[1]!.values.flatMap((peCols) => study.parameters[2]!.values.map((glbKiB) => ({ peRows, peCols, glbKiB }))),
);

test('workers return the same trials, in input order, as evaluating in this thread', async () => {
  const local = new EvaluationPool(study.spec, 0);
  const pooled = new EvaluationPool(study.spec, 2);
  try {
    const a = await local.evaluate(designs, 100);
    const b = await pooled.evaluate(designs, 100);
    assert.deepEqual(b.lines, a.lines, 'the same journal lines');
    assert.deepEqual(b.status, a.status);
    assert.deepEqual(b.objectives, a.objectives);
    // The compact form says what evaluateDesign says, design by design.
    const ctx = createEvalContext(study.spec);
    const trials = batchTrials(b);
    assert.equal(trials.length, designs.length);
    assert.ok(new Set(trials.map((t) => t.status)).size === 2, 'the constraint makes some designs infeasible');
    for (let i = 0; i < designs.length; i++) {
      const direct = await evaluateDesign(ctx, designs[i]!);
      assert.deepEqual(trials[i], { seq: 100 + i, ...direct });
      assert.equal(STATUSES[b.status[i]!], direct.status);
      assert.deepEqual(Array.from(b.objectives.subarray(2 * i, 2 * i + 2)), direct.objectives);
    }
    // Listed seq numbers (a resumed run's gaps) are kept.
    const listed = batchTrials(await pooled.evaluate(designs.slice(0, 5), [3, 9, 10, 40, 41]));
    assert.deepEqual(listed.map((t) => t.seq), [3, 9, 10, 40, 41]);
  } finally {
    await local.close();
    await pooled.close();
  }
});

test('a worker that dies is replaced and its batch retried once', async () => {
  const pool = new EvaluationPool(study.spec, 2);
  try {
    pool.crashOn = JSON.stringify(designs[5]);
    const out = batchTrials(await pool.evaluate(designs));
    assert.equal(out.length, designs.length);
    // The dying worker takes down its chunk and the one queued behind it (two tasks per worker).
    assert.ok(pool.retriedChunks >= 1 && pool.retriedChunks <= 2, `the worker really died (retried ${pool.retriedChunks})`);
    assert.ok(out.every((o) => o.status !== 'failed'), 'the retried batch succeeded');
    // The pool keeps working afterwards.
    pool.crashOn = undefined;
    assert.equal((await pool.evaluate(designs.slice(0, 3))).status.length, 3);
  } finally {
    await pool.close();
  }
});

test('after stop(), in this thread and in workers, a batch evaluates nothing more and returns the trials it has (none here)', async () => {
  for (const workers of [0, 1]) {
    const pool = new EvaluationPool(study.spec, workers);
    try {
      assert.equal((await pool.evaluate(designs.slice(0, 2), 0)).status.length, 2);
      pool.stop();
      const stopped = await pool.evaluate(designs, 0);
      assert.equal(stopped.status.length, 0, `workers ${workers}`);
      assert.equal(stopped.lines.length, 0);
    } finally {
      await pool.close();
    }
  }
});
