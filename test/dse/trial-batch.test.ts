import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Trial } from '../../core/types.ts';
import { batchTrials, concatBatches, encodeTrials, STATUSES, trialAt } from '../../dse/trial-batch.ts';

const trials: Trial[] = [
  { seq: 0, hash: 'a1', design: { peRows: 8, dataflow: 'os' }, status: 'ok', metrics: { latencyS: 1e-3, energyPJ: 5 }, objectives: [1e-3, 5] },
  { seq: 1, hash: 'b2', design: { peRows: 16, note: 'é "quoted" \\n' }, status: 'infeasible', metrics: { latencyS: 0.1, energyPJ: 7 }, objectives: [0.1, 7], violations: [{ name: 'areaMM2', kind: 'max', limit: 1, value: 2 }] },
  { seq: 7, hash: 'c3', design: { peRows: 32 }, status: 'failed', error: 'no schedule' },
];

test('a batch holds each trial as its journal line, its status and its objectives', () => {
  const b = encodeTrials(trials, 2);
  assert.equal(new TextDecoder().decode(b.lines), trials.map((t) => JSON.stringify(t) + '\n').join(''));
  assert.deepEqual(batchTrials(b), trials);
  assert.deepEqual(Array.from(b.status, (s) => STATUSES[s]), ['ok', 'infeasible', 'failed']);
  assert.deepEqual(Array.from(b.objectives), [1e-3, 5, 0.1, 7, NaN, NaN]);
});

test('concatenated chunks equal the batch encoded at once', () => {
  const whole = encodeTrials(trials, 2);
  const joined = concatBatches([encodeTrials(trials.slice(0, 1), 2), encodeTrials(trials.slice(1), 2)], 2);
  assert.deepEqual(joined.lines, whole.lines);
  assert.deepEqual(joined.lineStart, whole.lineStart);
  assert.deepEqual(joined.status, whole.status);
  assert.deepEqual(joined.objectives, whole.objectives);
  assert.deepEqual(trialAt(joined, 2), trials[2]);
});
