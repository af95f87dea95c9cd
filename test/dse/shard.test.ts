import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseShard } from '../../dse/shard.ts';
import { isDseError } from '../../core/errors.ts';

function throwsShard(fn: () => unknown, pattern: RegExp, path = '--shard'): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isDseError(e), `expected a DseError, got ${String(e)}`);
    assert.equal(e.path, path);
    assert.match(e.message, pattern);
    return true;
  });
}

test('no spec means no sharding, whatever the environment says', () => {
  assert.equal(parseShard(undefined, { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '4' }), undefined);
});

test("'i/n' is 0-based and bounded", () => {
  assert.deepEqual(parseShard('0/4', {}), { index: 0, count: 4 });
  assert.deepEqual(parseShard('3/4', {}), { index: 3, count: 4 });
  assert.deepEqual(parseShard(' 1 / 2 ', {}), { index: 1, count: 2 });
  assert.deepEqual(parseShard('0/1', {}), { index: 0, count: 1 });
  throwsShard(() => parseShard('4/4', {}), /0\.\.3/);
  throwsShard(() => parseShard('0/0', {}), />= 1/);
  throwsShard(() => parseShard('-1/4', {}), /expected 'i\/n'/);
  throwsShard(() => parseShard('1.5/4', {}), /expected 'i\/n'/);
  throwsShard(() => parseShard('1/', {}), /expected 'i\/n'/);
  throwsShard(() => parseShard('', {}), /expected 'i\/n'/);
  throwsShard(() => parseShard('two/four', {}), /expected 'i\/n'/);
  throwsShard(() => parseShard('99999999999999999999/99999999999999999999', {}), /out of range/);
});

test("'i/n' must agree with an explicit shard count", () => {
  assert.deepEqual(parseShard('1/3', {}, 3), { index: 1, count: 3 });
  throwsShard(() => parseShard('1/3', {}, 4), /says 4/);
});

test("'auto' reads a 0-based Slurm array", () => {
  const env = { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_MAX: '3' };
  assert.deepEqual(parseShard('auto', env), { index: 2, count: 4 });
  // Without MIN (older Slurm, hand-made environments) the id is taken as 0-based.
  assert.deepEqual(parseShard('auto', { SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '1' }), { index: 0, count: 1 });
});

test("'auto' maps a 1-based or stepped Slurm array back to 0..n-1", () => {
  // --array=1-4: ids 1..4, MIN=1.
  assert.deepEqual(parseShard('auto', { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '1' }), { index: 0, count: 4 });
  assert.deepEqual(parseShard('auto', { SLURM_ARRAY_TASK_ID: '4', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '1' }), { index: 3, count: 4 });
  // --array=0-10:2: ids 0,2,..,10, 6 tasks.
  const stepped = { SLURM_ARRAY_TASK_COUNT: '6', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_STEP: '2' };
  assert.deepEqual(parseShard('auto', { ...stepped, SLURM_ARRAY_TASK_ID: '10' }), { index: 5, count: 6 });
  throwsShard(() => parseShard('auto', { ...stepped, SLURM_ARRAY_TASK_ID: '3' }), /not in the array range/);
});

test("'auto' rejects Slurm arrays it cannot map", () => {
  // --array=0,5,9 (a list): id 5 with 3 tasks cannot be shard 5.
  throwsShard(() => parseShard('auto', { SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_COUNT: '3', SLURM_ARRAY_TASK_MIN: '0' }), /--array=0-2/);
  throwsShard(() => parseShard('auto', { SLURM_ARRAY_TASK_ID: '1' }), /SLURM_ARRAY_TASK_COUNT/);
  throwsShard(() => parseShard('auto', { SLURM_ARRAY_TASK_ID: 'x', SLURM_ARRAY_TASK_COUNT: '4' }), /SLURM_ARRAY_TASK_ID/);
  throwsShard(() => parseShard('auto', { SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '0' }), />= 1/);
  throwsShard(() => parseShard('auto', { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '4' }, 5), /says 5/);
});

test("'auto' reads a Kubernetes indexed Job, with the count given separately", () => {
  assert.deepEqual(parseShard('auto', { JOB_COMPLETION_INDEX: '3' }, 8), { index: 3, count: 8 });
  throwsShard(() => parseShard('auto', { JOB_COMPLETION_INDEX: '3' }), /--shard-count/);
  throwsShard(() => parseShard('auto', { JOB_COMPLETION_INDEX: '8' }, 8), /not below/);
  // Slurm wins when both are present (a Slurm job that happens to inherit the variable).
  assert.deepEqual(parseShard('auto', { JOB_COMPLETION_INDEX: '7', SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '2' }), { index: 1, count: 2 });
});

test("'auto' outside a scheduler says what it needs", () => {
  throwsShard(() => parseShard('auto', {}), /SLURM_ARRAY_TASK_ID.*JOB_COMPLETION_INDEX/);
  throwsShard(() => parseShard('auto', {}, 0), /whole number/, '--shard-count');
});
