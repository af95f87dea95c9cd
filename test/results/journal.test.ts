import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { JournalWriter, forEachTrial, readJournal } from '../../results/journal.ts';
import { isDseError } from '../../core/errors.ts';
import type { JournalHeader, Trial } from '../../core/types.ts';

const header: JournalHeader = {
  type: 'header',
  study: { name: 'toy', objectives: ['latencyS', 'energyPJ'], extra: { keep: true } },
  studyHash: 'abcdef0123456789',
  seed: 7,
  version: '0.1.0',
  objectives: ['latencyS', 'energyPJ'],
  createdAt: '2024-01-01T00:00:00.000Z',
};

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'dse-journal-'));
}

function trial(seq: number, status: Trial['status'] = 'ok'): Trial {
  const t: Trial = { seq, hash: `h${seq.toString(16).padStart(15, '0')}`, design: { peRows: 8 + seq, dataflow: 'ws' }, status };
  if (status !== 'failed') {
    t.metrics = { latencyS: 1e-3 * (seq + 1), energyPJ: 1e6 / (seq + 1) };
    t.objectives = [t.metrics.latencyS!, t.metrics.energyPJ!];
  } else t.error = 'schedule timed out';
  if (status === 'infeasible') t.violations = [{ name: 'areaMM2', value: 5, limit: 4, kind: 'max' }];
  return t;
}

function assertDseError(fn: () => unknown, re: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isDseError(e), `expected a DseError, got ${String(e)}`);
    assert.match(e.toLine(), re);
    return true;
  });
}

const statusArb = fc.constantFrom<Trial['status']>('ok', 'infeasible', 'failed');
const trialArb: fc.Arbitrary<Trial> = fc
  .record({
    seq: fc.nat(),
    hash: fc.string({ minLength: 1, maxLength: 16 }),
    design: fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.oneof(fc.integer(), fc.string({ maxLength: 10 }))),
    status: statusArb,
    objectives: fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 4 }),
    error: fc.string({ maxLength: 30 }),
  })
  .map((r) => {
    const t: Trial = { seq: r.seq, hash: r.hash, design: { ...r.design }, status: r.status };
    // -0 does not survive JSON; the journal is JSON, so compare what JSON can carry.
    if (r.status !== 'failed') t.objectives = r.objectives.map((x) => (Object.is(x, -0) ? 0 : x));
    else t.error = r.error;
    return t;
  });

test('round trip: what is appended in batches reads back equal, in order (property)', () => {
  const dir = tmp();
  try {
    let n = 0;
    fc.assert(
      fc.property(fc.array(fc.array(trialArb, { maxLength: 8 }), { maxLength: 5 }), (batches) => {
        const file = join(dir, `j${n++}.jsonl`);
        const w = JournalWriter.create(file, header);
        for (const b of batches) w.append(b);
        w.close();
        const got = readJournal(file);
        assert.deepEqual(got.header, header);
        assert.deepEqual(got.trials, batches.flat());
        assert.equal(got.tornLastLine, false);
      }),
      { numRuns: 60 },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a batch is whole lines; the header is line 1', () => {
  const dir = tmp();
  try {
    const file = join(dir, 'journal.jsonl');
    const w = JournalWriter.create(file, header);
    w.append([trial(0), trial(1, 'infeasible'), trial(2, 'failed')]);
    w.close();
    const lines = readFileSync(file, 'utf8').split('\n');
    assert.equal(lines.length, 5); // header, 3 trials, '' after the final newline
    assert.equal(lines[4], '');
    assert.equal(JSON.parse(lines[0]!).type, 'header');
    assert.equal(JSON.parse(lines[3]!).status, 'failed');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('create refuses to overwrite an existing journal', () => {
  const dir = tmp();
  try {
    const file = join(dir, 'journal.jsonl');
    JournalWriter.create(file, header).close();
    assertDseError(() => JournalWriter.create(file, header), /journal\.jsonl: a journal already exists/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a torn last line is ignored and flagged; appending after it cuts it off first', () => {
  const dir = tmp();
  try {
    const file = join(dir, 'journal.jsonl');
    const w = JournalWriter.create(file, header);
    w.append([trial(0), trial(1)]);
    w.close();
    // A kill in the middle of the next write: half a line, no newline.
    const whole = JSON.stringify(trial(2));
    appendFileSync(file, whole.slice(0, whole.length >> 1));
    const got = readJournal(file);
    assert.equal(got.tornLastLine, true);
    assert.deepEqual(got.trials.map((t) => t.seq), [0, 1]);

    const resumed = JournalWriter.open(file);
    assert.deepEqual(resumed.header, header);
    resumed.append([trial(2), trial(3)]);
    resumed.close();
    const after = readJournal(file);
    assert.equal(after.tornLastLine, false);
    assert.deepEqual(after.trials.map((t) => t.seq), [0, 1, 2, 3]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a complete last line that lost only its newline is kept, and appending adds the newline', () => {
  const dir = tmp();
  try {
    const file = join(dir, 'journal.jsonl');
    writeFileSync(file, JSON.stringify(header) + '\n' + JSON.stringify(trial(0)));
    const got = readJournal(file);
    assert.equal(got.tornLastLine, false);
    assert.equal(got.trials.length, 1);
    const w = JournalWriter.open(file);
    w.append([trial(1)]);
    w.close();
    assert.deepEqual(readJournal(file).trials.map((t) => t.seq), [0, 1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a bad line before the last one is an error naming file and line', () => {
  const dir = tmp();
  try {
    const file = join(dir, 'journal.jsonl');
    writeFileSync(file, [JSON.stringify(header), JSON.stringify(trial(0)), '{"seq": 1, "hash": ', JSON.stringify(trial(2)), ''].join('\n'));
    assertDseError(() => readJournal(file), /journal\.jsonl: line 3 is not valid JSON/);
    assertDseError(() => forEachTrial(file, () => {}), /line 3/);
    // A well-formed JSON line that is not a trial is also an error when it is not last.
    writeFileSync(file, [JSON.stringify(header), JSON.stringify({ seq: 0, hash: 'x', design: {}, status: 'maybe' }), JSON.stringify(trial(2)), ''].join('\n'));
    assertDseError(() => readJournal(file), /line 2: not a trial: status/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing or invalid header is an error', () => {
  const dir = tmp();
  try {
    const file = join(dir, 'journal.jsonl');
    writeFileSync(file, '');
    assertDseError(() => readJournal(file), /journal is empty/);
    writeFileSync(file, JSON.stringify(trial(0)) + '\n');
    assertDseError(() => readJournal(file), /line 1: not a journal header/);
    writeFileSync(file, JSON.stringify({ ...header, objectives: [] }) + '\n');
    assertDseError(() => readJournal(file), /objectives/);
    assertDseError(() => readJournal(join(dir, 'nope.jsonl')), /nope\.jsonl: journal not found/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('forEachTrial streams across read chunks and multi-byte characters', () => {
  const dir = tmp();
  try {
    const file = join(dir, 'journal.jsonl');
    const w = JournalWriter.create(file, header);
    // ~2.5 MiB, so lines and a multi-byte character straddle the 1 MiB read chunks.
    const batch: Trial[] = [];
    for (let i = 0; i < 6000; i++) {
      const t = trial(i, 'failed');
      t.error = `µ-arch failure ${'é'.repeat(i % 7)} ${'x'.repeat(400)}`;
      batch.push(t);
    }
    w.append(batch);
    w.close();
    let count = 0;
    let lastLine = 0;
    const scan = forEachTrial(file, (t, line) => {
      assert.equal(t.seq, count);
      assert.equal(t.error, batch[count]!.error);
      lastLine = line;
      count++;
    });
    assert.equal(count, 6000);
    assert.equal(scan.trialCount, 6000);
    assert.equal(lastLine, 6001);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
