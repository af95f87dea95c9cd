import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Prng } from '../../core/prng.ts';
import { journalTrials, runCli, startCli } from './cli-helpers.ts';

/*
 * Ctrl-C (SIGINT) or SIGTERM in the middle of a long batch: `dse run` stops after the
 * evaluations running at that moment instead of finishing the batch, journals what it
 * evaluated, exits 130, and `--resume` ends with exactly the trials of an uninterrupted run.
 * The study is marl on a 10^12-design space (4 parameters of 1,000 values), the searcher
 * whose learning once held a signal for half a minute.
 */
const tmp = mkdtempSync(join(tmpdir(), 'dse-interrupt-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

// Evaluations take milliseconds: a batch of 1,024 ResNet-50 designs lasts about a second on a quiet machine.
const BATCH = 1024;

function study(): string {
  const file = join(tmp, 'huge.yaml');
  writeFileSync(
    file,
    `name: huge-marl
workloads: [resnet50]
space:
  peRows: {int: {min: 1, max: 1000}}
  peCols: {int: {min: 1, max: 1000}}
  glbKiB: {int: {min: 64, max: 64000, step: 64}}
  dramGBps: {int: {min: 1, max: 1000}}
objectives: [latencyS, energyPJ, areaMM2]
search: {algorithm: marl, budget: ${2 * BATCH}, seed: 5, batchSize: ${BATCH}}
`,
  );
  return file;
}

function lineCount(file: string): number {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0).length : 0;
}

test('a signal in the middle of a batch stops the run after the evaluations in progress; --resume gives the trials of an uninterrupted run', async () => {
  const file = study();
  const full = runCli(['run', file, '--out', join(tmp, 'full'), '--workers', '1', '--no-report']);
  assert.equal(full.code, 0, full.stderr);

  const seed = Date.now();
  const prng = new Prng(seed);
  const signal = prng.next() < 0.5 ? 'SIGINT' : 'SIGTERM';
  const delayMs = Math.floor(prng.next() * 200);
  const dir = join(tmp, 'interrupted');
  const journal = join(dir, 'journal.jsonl');
  const child = startCli(['run', file, '--out', dir, '--workers', '1', '--no-report']);
  let stdout = '';
  child.stdout!.on('data', (d) => (stdout += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  // The first batch is in the journal: the second (agents acting on what they learned) is
  // being evaluated, and takes far longer than the delay.
  for (let i = 0; i < 12_000 && lineCount(journal) < 1 + BATCH; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(lineCount(journal), 1 + BATCH, 'the first batch was journalled');
  await new Promise((r) => setTimeout(r, delayMs));
  const signalledAt = Date.now();
  child.kill(signal);
  const code = await exited;
  const why = `${signal} ${delayMs} ms into the second batch (test seed ${seed})`;
  assert.notEqual(code, 0, `the run ended before the signal: make the batches longer (${why})`);
  assert.equal(code, 130, why);
  // A generous bound (the machine may be loaded); what shows the batch was cut is the count below.
  assert.ok(Date.now() - signalledAt < 60_000, why);
  const before = journalTrials(journal).size;
  assert.ok(before >= BATCH && before < 2 * BATCH, `${before} trials journalled: stopped inside the second batch (${why})`);
  assert.match(stdout, /resume with: dse run --resume/);

  const resumed = runCli(['run', '--resume', dir, '--workers', '2', '--no-report']);
  assert.equal(resumed.code, 0, resumed.stderr);
  const ta = journalTrials(join(tmp, 'full', 'journal.jsonl'));
  const tb = journalTrials(journal);
  assert.equal(tb.size, 2 * BATCH);
  assert.deepEqual([...tb.entries()].sort(), [...ta.entries()].sort(), `same trials, seq numbers and outcomes (${why})`);
});
