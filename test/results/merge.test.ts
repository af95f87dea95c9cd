import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { JournalWriter } from '../../results/journal.ts';
import { mergeRuns } from '../../results/merge.ts';
import { isDseError } from '../../core/errors.ts';
import type { JournalHeader, Trial } from '../../core/types.ts';

function header(shard?: { index: number; count: number }, createdAt = '2024-01-01T00:00:00.000Z', studyHash = 'study0000000000a'): JournalHeader {
  return {
    type: 'header',
    study: { name: 'toy' },
    studyHash,
    seed: 1,
    version: '0.1.0',
    objectives: ['latencyS', 'energyPJ'],
    createdAt,
    ...(shard ? { shard } : {}),
  };
}

/** A trial whose outcome is a pure function of its design id, as the cost model's is. */
function trial(id: number, seq: number): Trial {
  if (id % 5 === 4) return { seq, hash: `d${id.toString().padStart(4, '0')}`, design: { id }, status: 'failed', error: 'solver timed out' };
  const metrics = { latencyS: 1 + (id % 7), energyPJ: 100 - id };
  return {
    seq,
    hash: `d${id.toString().padStart(4, '0')}`,
    design: { id },
    status: id % 3 === 0 ? 'infeasible' : 'ok',
    metrics,
    objectives: [metrics.latencyS, metrics.energyPJ],
  };
}

function writeRun(dir: string, h: JournalHeader, trials: Trial[], torn?: string): string {
  mkdirSync(dir, { recursive: true });
  const w = JournalWriter.create(join(dir, 'journal.jsonl'), h);
  w.append(trials);
  w.close();
  if (torn !== undefined) appendFileSync(join(dir, 'journal.jsonl'), torn);
  return dir;
}

function withTmp(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'dse-merge-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function assertDseError(fn: () => unknown, re: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isDseError(e), `expected a DseError, got ${String(e)}`);
    assert.match(e.toLine(), re);
    return true;
  });
}

test('order-independent, idempotent, and equal to one run holding every design once (property)', () => {
  withTmp((root) => {
    let n = 0;
    fc.assert(
      fc.property(
        // Each of up to 20 designs goes to a non-empty subset of 3 shards (bit mask 1..7).
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 20 }),
        fc.array(fc.nat(), { minLength: 3, maxLength: 3 }),
        (masks, shuffle) => {
          const base = join(root, `case${n++}`);
          const shards = [0, 1, 2].map((s) => {
            const mine = masks.flatMap((m, id) => ((m >> s) & 1 ? [trial(id, 0)] : [])).map((t, seq) => ({ ...t, seq }));
            return writeRun(join(base, `s${s}`), header({ index: s, count: 3 }, `2024-01-0${s + 1}T00:00:00.000Z`), mine);
          });
          const whole = mergeRuns([writeRun(join(base, 'all'), header(), masks.map((_, id) => trial(id, id)))]);
          const order = [...shards].sort((a, b) => shuffle[shards.indexOf(a)]! - shuffle[shards.indexOf(b)]!);
          const merged = mergeRuns(order);
          assert.deepEqual(merged.trials, whole.trials);
          assert.deepEqual(merged.header, header()); // earliest shard's header, shard dropped
          assert.equal(new Set(merged.trials.map((t) => t.hash)).size, masks.length);
          assert.deepEqual(merged.trials.map((t) => t.seq), masks.map((_, i) => i));
          // Merging the merged result again, alone or with a shard, changes nothing.
          const again = writeRun(join(base, 'merged'), merged.header, merged.trials);
          assert.deepEqual(mergeRuns([again]), merged);
          assert.deepEqual(mergeRuns([shards[1]!, again]).trials, merged.trials);
        },
      ),
      { numRuns: 25 },
    );
  });
});

test('the same design in two shards is counted once', () => {
  withTmp((root) => {
    const a = writeRun(join(root, 'a'), header({ index: 0, count: 2 }), [trial(1, 0), trial(2, 1)]);
    const b = writeRun(join(root, 'b'), header({ index: 1, count: 2 }), [trial(2, 0), trial(5, 1)]);
    const m = mergeRuns([a, b]);
    assert.deepEqual(m.trials.map((t) => t.hash), ['d0001', 'd0002', 'd0005']);
  });
});

test('a failed trial gives way to a success of the same design', () => {
  withTmp((root) => {
    const ok = trial(1, 0);
    const failed: Trial = { seq: 0, hash: ok.hash, design: ok.design, status: 'failed', error: 'worker crashed' };
    const a = writeRun(join(root, 'a'), header(), [failed]);
    const b = writeRun(join(root, 'b'), header(), [ok]);
    assert.equal(mergeRuns([a, b]).trials[0]!.status, 'ok');
    assert.equal(mergeRuns([b, a]).trials[0]!.status, 'ok');
  });
});

test('runs of different problems are refused, naming both', () => {
  withTmp((root) => {
    const a = writeRun(join(root, 'runA'), header(), [trial(1, 0)]);
    const other = { ...header(undefined, undefined, 'study0000000000b'), study: { name: 'toy', space: { peRows: [8, 16] } } };
    const b = writeRun(join(root, 'runB'), other, [trial(2, 0)]);
    assertDseError(() => mergeRuns([a, b]), /different problems: .*runA has problem hash [0-9a-f]{16}, .*runB has [0-9a-f]{16}/);
  });
});

test('runs of one problem merge whatever their searcher, budget or seed', () => {
  withTmp((root) => {
    const a = writeRun(join(root, 'nsga2'), { ...header(), study: { name: 'toy', search: { algorithm: 'nsga2', budget: 10, seed: 1 } } }, [trial(1, 0)]);
    const gridHeader = { ...header(undefined, '2024-01-02T00:00:00.000Z', 'study0000000000b'), seed: 7, study: { name: 'toy', search: { algorithm: 'grid', budget: 99, seed: 7 } } };
    const b = writeRun(join(root, 'grid'), gridHeader, [trial(2, 0)]);
    const merged = mergeRuns([a, b]);
    assert.deepEqual(merged.trials.map((t) => t.hash), ['d0001', 'd0002']);
    assert.equal(merged.header.studyHash, 'study0000000000a', 'the earliest run gives the header');
  });
});

test('conflicting metrics for one design are refused', () => {
  withTmp((root) => {
    const t = trial(1, 0);
    const worse: Trial = { ...t, metrics: { ...t.metrics!, energyPJ: t.metrics!.energyPJ! * 1.01 } };
    const a = writeRun(join(root, 'a'), header(), [t]);
    const b = writeRun(join(root, 'b'), header(), [worse]);
    assertDseError(() => mergeRuns([a, b]), /design d0001 was evaluated in .*a and .*b with different results \(energyPJ 99 vs 99\.99/);
    const infeasible: Trial = { ...t, status: 'infeasible' };
    const c = writeRun(join(root, 'c'), header(), [infeasible]);
    assertDseError(() => mergeRuns([a, c]), /status ok vs infeasible/);
  });
});

test('a torn last line in a shard is tolerated; a missing journal is an error', () => {
  withTmp((root) => {
    const a = writeRun(join(root, 'a'), header(), [trial(1, 0)], '{"seq": 1, "hash": "d00');
    const b = writeRun(join(root, 'b'), header(), [trial(2, 0)]);
    assert.deepEqual(mergeRuns([a, b]).trials.map((t) => t.hash), ['d0001', 'd0002']);
    assertDseError(() => mergeRuns([a, join(root, 'nothing')]), /nothing\/journal\.jsonl: no journal\.jsonl/);
  });
});
