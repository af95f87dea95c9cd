import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJournal } from '../../../results/journal.ts';
import { skimJournal, type TrialSkim } from '../../../results/report/journal-skim.ts';
import { scanRun } from '../../../results/report/run-scan.ts';
import { writeSyntheticRun } from './synthetic-run.ts';

function skimAll(file: string): { skims: { status: string; seq: number; hash: string; objectives: number[] | undefined; design: unknown }[]; result: ReturnType<typeof skimJournal> } {
  const skims: { status: string; seq: number; hash: string; objectives: number[] | undefined; design: unknown }[] = [];
  const result = skimJournal(file, (t: TrialSkim) => {
    // design() reads the design's own bytes where it can; it must agree with the whole line's.
    assert.deepEqual(t.design(), t.full().design);
    skims.push({ status: t.status, seq: t.seq, hash: t.hash, objectives: t.objectives, design: t.design() });
  });
  return { skims, result };
}

test('skimming reads the same status, seq, hash, objectives and design as the strict reader', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skim-'));
  try {
    const run = writeSyntheticRun(join(dir, 'run'), { trials: 3000, seed: 4, failedRate: 0.05 });
    const file = join(run, 'journal.jsonl');
    const strict = readJournal(file);
    const { skims, result } = skimAll(file);
    assert.equal(result.trials, strict.trials.length);
    assert.equal(result.tornLastLine, false);
    assert.deepEqual(result.header, strict.header);
    skims.forEach((s, i) => {
      const t = strict.trials[i]!;
      assert.equal(s.status, t.status);
      assert.equal(s.seq, t.seq);
      assert.equal(s.hash, t.hash);
      assert.deepEqual(s.objectives, t.objectives);
      assert.deepEqual(s.design, t.design);
    });
    assert.ok(skims.some((s) => s.status === 'failed' && s.objectives === undefined));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('odd lines: reordered keys, escaped hash, a bad middle line, a torn tail, CRLF', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skim-'));
  try {
    const run = writeSyntheticRun(join(dir, 'run'), { trials: 5, seed: 1, failedRate: 0 });
    const file = join(run, 'journal.jsonl');
    const reordered = { objectives: [1, 2, 3], status: 'ok', design: { peRows: 8, note: '"status":"failed","objectives":[9]' }, hash: 'r1', seq: 5 };
    appendFileSync(file, JSON.stringify(reordered) + '\r\n');
    appendFileSync(file, JSON.stringify({ seq: 6, hash: 'a\\"b', design: {}, status: 'infeasible', objectives: [4, 5, 6] }) + '\n');
    appendFileSync(file, '{"seq":7, this is not json\n');
    appendFileSync(file, JSON.stringify({ seq: 8, hash: 'h8', design: { dataflow: 'o}s"}', nested: { a: [1] } }, status: 'ok', objectives: [1e-300, -2.5e10, 0] }) + '\n');
    // The list is read from the line's end when it comes last, else found by searching.
    appendFileSync(file, JSON.stringify({ seq: 10, hash: 'h10', design: {}, status: 'infeasible', objectives: [7, 8.5e-3, -1], violations: [{ name: 'areaMM2', value: 9, limit: 1, kind: 'max' }] }) + '\n');
    appendFileSync(file, JSON.stringify({ seq: 11, hash: 'h11', design: {}, status: 'ok', objectives: [1, 'x'] }) + '\n');
    appendFileSync(file, '{"seq":9,"hash":"h9","design":{},"status":"ok","objec');
    const { skims, result } = skimAll(file);
    assert.equal(result.tornLastLine, true);
    assert.equal(result.skippedLines, 1);
    assert.equal(result.trials, 10);
    const bySeq = new Map(skims.map((s) => [s.seq, s]));
    assert.deepEqual(bySeq.get(5)!.objectives, [1, 2, 3]);
    assert.equal(bySeq.get(5)!.status, 'ok');
    assert.equal(bySeq.get(6)!.hash, 'a\\"b');
    assert.equal(bySeq.get(6)!.status, 'infeasible');
    assert.deepEqual(bySeq.get(8)!.objectives, [1e-300, -2.5e10, 0]);
    assert.deepEqual(bySeq.get(8)!.design, { dataflow: 'o}s"}', nested: { a: [1] } });
    assert.deepEqual(bySeq.get(5)!.design, { peRows: 8, note: '"status":"failed","objectives":[9]' });
    assert.deepEqual(bySeq.get(10)!.objectives, [7, 8.5e-3, -1]);
    assert.equal(bySeq.get(11)!.objectives, undefined, 'a value that is not a number');
    assert.equal(bySeq.has(9), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a trial status other than ok, infeasible or failed is rejected as readJournal rejects it: skipped mid-file, torn at the end', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skim-'));
  try {
    const run = writeSyntheticRun(join(dir, 'run'), { trials: 3, seed: 1, failedRate: 0 });
    const file = join(run, 'journal.jsonl');
    // Statuses that share a first letter with a valid one, read fast or parsed whole.
    appendFileSync(file, JSON.stringify({ seq: 3, hash: 'h3', design: {}, status: 'okay', objectives: [1, 2, 3] }) + '\n');
    appendFileSync(file, JSON.stringify({ seq: 4, hash: 'h4', design: {}, status: 'invalid', objectives: [1, 2, 3] }) + '\n');
    appendFileSync(file, JSON.stringify({ objectives: [1, 2, 3], status: 'fine', hash: 'h5', seq: 5, design: {} }) + '\n');
    appendFileSync(file, JSON.stringify({ seq: 6, hash: 'h6', design: {}, status: 'ok', objectives: [1, 2, 3] }) + '\n');
    const { skims, result } = skimAll(file);
    assert.equal(result.skippedLines, 3);
    assert.equal(result.tornLastLine, false);
    assert.deepEqual(skims.map((s) => s.seq), [0, 1, 2, 6]);
    assert.throws(() => readJournal(file), /status must be ok, infeasible or failed/);

    // As the last line, readJournal calls it a torn tail; so does the skim.
    appendFileSync(file, JSON.stringify({ seq: 7, hash: 'h7', design: {}, status: 'failing' }) + '\n');
    assert.equal(skimAll(file).result.tornLastLine, true);
    assert.equal(skimAll(file).result.trials, 4);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the header is validated as readJournal validates it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skim-'));
  try {
    const file = join(dir, 'journal.jsonl');
    // Type and objectives are right, but studyHash is missing: readJournal refuses it, so must the skim.
    appendFileSync(file, JSON.stringify({ type: 'header', objectives: ['a'], seed: 1, version: '0', createdAt: 'x', study: {} }) + '\n');
    const strictError = (() => { try { readJournal(file); return undefined; } catch (e) { return e as Error; } })();
    assert.ok(strictError && /studyHash/.test(strictError.message));
    assert.throws(() => skimJournal(file, () => {}), (e: Error) => e.message === strictError.message);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a line longer than the read buffer is read whole', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skim-'));
  try {
    const run = writeSyntheticRun(join(dir, 'run'), { trials: 2, seed: 1, failedRate: 0 });
    const file = join(run, 'journal.jsonl');
    appendFileSync(file, JSON.stringify({ seq: 2, hash: 'big', design: { blob: 'x'.repeat(20 << 20) }, status: 'ok', objectives: [1, 1, 1] }) + '\n');
    appendFileSync(file, JSON.stringify({ seq: 3, hash: 'after', design: {}, status: 'ok', objectives: [2, 2, 2] }) + '\n');
    const { skims, result } = skimAll(file);
    assert.equal(result.trials, 4);
    assert.equal(skims[2]!.hash, 'big');
    assert.equal((skims[2]!.design as { blob: string }).blob.length, 20 << 20);
    assert.equal(skims[3]!.hash, 'after');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('run scan: counts, front log and sample are right and deterministic', () => {
  const dir = mkdtempSync(join(tmpdir(), 'skim-'));
  try {
    const run = writeSyntheticRun(join(dir, 'run'), { trials: 2000, seed: 8 });
    const strict = readJournal(join(run, 'journal.jsonl')).trials;
    const scan = scanRun(run, 0, { feasibleSample: 100, infeasibleSample: 20 });
    assert.equal(scan.trials, strict.length);
    assert.equal(scan.ok, strict.filter((t) => t.status === 'ok').length);
    assert.equal(scan.failed, strict.filter((t) => t.status === 'failed').length);
    assert.equal(scan.feasibleSample.length, 100);
    assert.equal(scan.infeasibleSample.length, 20);
    assert.ok(scan.feasibleSample.every((s) => strict[s.seq]!.status === 'ok' && strict[s.seq]!.hash === s.hash));
    // The front log rebuilds the front after any prefix: check a few prefixes by brute force.
    const dom = (a: number[], b: number[]): boolean => a.every((x, i) => x <= b[i]!) && a.some((x, i) => x < b[i]!);
    for (const k of [10, 150, 777, 2000]) {
      const ok = strict.slice(0, k).filter((t) => t.status === 'ok').map((t) => t.objectives!);
      const brute = ok.filter((p) => !ok.some((q) => dom(q, p))).map((p) => p.join()).sort();
      const entered = scan.frontLog.filter((e) => e.evaluation <= k).map((e) => e.objectives);
      const fromLog = entered.filter((p) => !entered.some((q) => dom(q, p))).map((p) => p.join()).sort();
      assert.deepEqual(fromLog, brute, `front after ${k} evaluations`);
    }
    const again = scanRun(run, 0, { feasibleSample: 100, infeasibleSample: 20 });
    assert.deepEqual(again.feasibleSample.map((s) => s.hash), scan.feasibleSample.map((s) => s.hash));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
