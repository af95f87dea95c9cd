import { test } from 'node:test';
import assert from 'node:assert/strict';
import { studyFromObject } from '../../dse/load-study.ts';
import { EvaluationPool } from '../../dse/pool.ts';

const study = studyFromObject({
  name: 'pool',
  workloads: ['resnet18'],
  space: { peRows: [8, 16, 32, 64], peCols: [8, 16, 32, 64], glbKiB: [64, 256] },
  objectives: ['latencyS', 'energyPJ'],
});
const designs = study.parameters[0]!.values.flatMap((peRows) =>
  study.parameters[1]!.values.flatMap((peCols) => study.parameters[2]!.values.map((glbKiB) => ({ peRows, peCols, glbKiB }))),
);

test('workers return the same outcomes, in input order, as evaluating in this thread', async () => {
  const local = new EvaluationPool(study.spec, 0);
  const pooled = new EvaluationPool(study.spec, 2);
  try {
    const a = await local.evaluate(designs);
    const b = await pooled.evaluate(designs);
    assert.equal(b.length, designs.length);
    assert.deepEqual(b, a);
    b.forEach((o, i) => assert.deepEqual(o.design, designs[i]));
  } finally {
    await local.close();
    await pooled.close();
  }
});

test('a worker that dies is replaced and its batch retried once', async () => {
  const pool = new EvaluationPool(study.spec, 2);
  try {
    pool.crashOn = JSON.stringify(designs[5]);
    const out = await pool.evaluate(designs);
    assert.equal(out.length, designs.length);
    // The dying worker takes down its chunk and the one queued behind it (two tasks per worker).
    assert.ok(pool.retriedChunks >= 1 && pool.retriedChunks <= 2, `the worker really died (retried ${pool.retriedChunks})`);
    assert.ok(out.every((o) => o.status === 'ok'), 'the retried batch succeeded');
    // The pool keeps working afterwards.
    pool.crashOn = undefined;
    assert.equal((await pool.evaluate(designs.slice(0, 3))).length, 3);
  } finally {
    await pool.close();
  }
});
