import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { scheduleWorkload } from '../../../search/schedule/index.ts';
import { clearScheduleCache, scheduleCacheStats, scheduleWorkloadCached } from '../../../search/schedule/cache.ts';
import { scheduleGreedy } from '../../../search/schedule/greedy.ts';
import { buildProblem, replaySchedule } from '../../../search/schedule/replay.ts';
import { dagArb, dagWorkload } from './random-dag.ts';

const totalBytes = (w: ReturnType<typeof dagWorkload>): number => Object.values(w.tensors).reduce((s, t) => s + t.elements, 0);

test('ilp <= greedy <= none on random DAGs, and every schedule replays within capacity', async () => {
  await fc.assert(
    fc.asyncProperty(dagArb(8), fc.integer({ min: 0, max: 100 }), async (spec, capPct) => {
      const w = dagWorkload(spec);
      const capacity = Math.round(3 + (capPct / 100) * totalBytes(w));
      const run = (policy: 'none' | 'greedy' | 'ilp') => scheduleWorkload(w, { capacityBytes: capacity, activationBits: 8, policy });
      const [none, greedy, ilp] = [await run('none'), await run('greedy'), await run('ilp')];
      assert.ok(ilp.nonCompulsoryDramBytes <= greedy.nonCompulsoryDramBytes, 'ilp <= greedy');
      assert.ok(greedy.nonCompulsoryDramBytes <= none.nonCompulsoryDramBytes, 'greedy <= none');
      assert.ok(none.nonCompulsoryDramBytes >= 0);
      for (const r of [none, greedy, ilp]) assert.ok(r.peakOnChipBytes <= capacity);
    }),
    { numRuns: 25, seed: 11 },
  );
});

test('optimal non-compulsory traffic never increases as capacity grows', async () => {
  await fc.assert(
    fc.asyncProperty(dagArb(7), fc.constantFrom('stream' as const, 'infeasible' as const), async (spec, mode) => {
      const w = dagWorkload(spec);
      let previous = Infinity;
      for (let cap = 2; cap <= totalBytes(w) + 1; cap += 2) {
        const r = await scheduleWorkload(w, { capacityBytes: cap, activationBits: 8, policy: 'ilp', oversizedOps: mode });
        if (!r.feasible) continue;
        assert.equal(r.proven, true);
        assert.ok(r.nonCompulsoryDramBytes <= previous, `capacity ${cap}: ${r.nonCompulsoryDramBytes} > ${previous}`);
        previous = r.nonCompulsoryDramBytes;
      }
    }),
    { numRuns: 12, seed: 5 },
  );
});

test('the replay check rejects corrupted schedules', async () => {
  // A residual block: x -> a -> b, c = b + x. With room for everything, x stays on chip across o2.
  const w = dagWorkload({ inputSizes: [2], ops: [{ inputs: [0], outSize: 2 }, { inputs: [1], outSize: 4 }, { inputs: [2], outSize: 4 }, { inputs: [3, 1], outSize: 2 }] });
  const problem = buildProblem(w, { capacityBytes: 12, activationBits: 8 });
  const r = await scheduleWorkload(w, { capacityBytes: 12, activationBits: 8, policy: 'ilp' });
  const good = { order: r.order, plan: r.plan };
  assert.equal(replaySchedule(problem, good).ok, true);

  // 1. Order not topological.
  const swapped = { order: [r.order[1]!, r.order[0]!, ...r.order.slice(2)], plan: r.plan };
  assert.equal(replaySchedule(problem, swapped).ok, false);
  // 2. Claims an on-chip read of a tensor that was dropped (its earlier on-chip reads removed).
  const dropped = structuredClone(good);
  dropped.plan.onChipReads = { op3: ['t0'] };
  dropped.plan.onChipWrites = ['t0'];
  const d = replaySchedule(problem, dropped);
  assert.equal(d.ok, false);
  // 3. A tensor kept on chip only, then read from DRAM.
  const unwritten = { order: r.order, plan: { onChipReads: {}, onChipWrites: ['t1'] } };
  const u = replaySchedule(problem, unwritten);
  assert.equal(u.ok, false);
  assert.match((u as { reason: string }).reason, /never written/);
  // 4. Same schedule on a smaller chip: the kept skip (peak 10 bytes) no longer fits.
  const small = buildProblem(w, { capacityBytes: 9, activationBits: 8 });
  const s = replaySchedule(small, good);
  assert.equal(s.ok, false);
  assert.match((s as { reason: string }).reason, /capacity is 9/);
  // 5. A network output never written.
  const lostOutput = { order: r.order, plan: { ...r.plan, onChipWrites: [...r.plan.onChipWrites, 't3'] } };
  assert.equal(replaySchedule(problem, lostOutput).ok, false);
});

test('greedy keeps neighbouring hand-offs for free and the skip only when it fits', () => {
  const w = dagWorkload({ inputSizes: [2], ops: [{ inputs: [0], outSize: 2 }, { inputs: [1], outSize: 4 }, { inputs: [2], outSize: 4 }, { inputs: [3, 1], outSize: 2 }] });
  const big = buildProblem(w, { capacityBytes: 12, activationBits: 8 });
  const rb = replaySchedule(big, scheduleGreedy(big));
  assert.ok(rb.ok);
  assert.equal(rb.nonCompulsoryDramBytes, 0);
  const tight = buildProblem(w, { capacityBytes: 8, activationBits: 8 });
  const rt = replaySchedule(tight, scheduleGreedy(tight));
  assert.ok(rt.ok);
  // t0 (2 bytes) must leave during op2 (a=4, b=4 on chip): written once, read back once.
  assert.equal(rt.nonCompulsoryDramBytes, 4);
});

test('the cache returns one solve per key and stays bounded', async () => {
  clearScheduleCache(2);
  const w = dagWorkload({ inputSizes: [2], ops: [{ inputs: [0], outSize: 2 }, { inputs: [1], outSize: 4 }] });
  const a = await scheduleWorkloadCached(w, { capacityBytes: 20, activationBits: 8, policy: 'ilp' });
  const b = await scheduleWorkloadCached(structuredClone(w), { capacityBytes: 20, activationBits: 8, policy: 'ilp' });
  assert.equal(a, b, 'equal workloads hash alike');
  await scheduleWorkloadCached(w, { capacityBytes: 21, activationBits: 8, policy: 'ilp' });
  await scheduleWorkloadCached(w, { capacityBytes: 20, activationBits: 4, policy: 'ilp' });
  const st = scheduleCacheStats();
  assert.equal(st.entries, 2);
  assert.equal(st.hits, 1);
  assert.equal(st.misses, 3);
  clearScheduleCache();
});

test('pieces too large for one ILP are divided: valid, unproven, never worse than layer by layer', async () => {
  // A chain where every op also reads the network input: it is live across every op, so there
  // is no cut and the 9 ops form one piece.
  const ops = [];
  for (let i = 0; i < 9; i++) ops.push({ inputs: i === 0 ? [0] : [i, 0], outSize: 2 + (i % 3) });
  const w = dagWorkload({ inputSizes: [3], ops });
  for (const cap of [8, 10, 14]) {
    const whole = await scheduleWorkload(w, { capacityBytes: cap, activationBits: 8, policy: 'ilp' });
    const divided = await scheduleWorkload(w, { capacityBytes: cap, activationBits: 8, policy: 'ilp', maxPieceOps: 3 });
    const none = await scheduleWorkload(w, { capacityBytes: cap, activationBits: 8, policy: 'none' });
    assert.equal(divided.pieces, 1);
    assert.equal(divided.dividedPieces, 1);
    assert.equal(divided.proven, false);
    assert.match(divided.note ?? '', /divided/);
    assert.equal(whole.proven, true);
    assert.ok(divided.nonCompulsoryDramBytes <= none.nonCompulsoryDramBytes);
    assert.ok(divided.nonCompulsoryDramBytes >= whole.nonCompulsoryDramBytes, 'the proven optimum is a lower bound');
    assert.ok(divided.peakOnChipBytes <= cap);
  }
});
