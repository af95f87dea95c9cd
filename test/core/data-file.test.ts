import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_INPUT_BYTES, readTextFile } from '../../core/data-file.ts';
import { isDseError } from '../../core/errors.ts';
import { readJournal } from '../../results/journal.ts';
import { skimJournal } from '../../results/report/journal-skim.ts';

const dir = mkdtempSync(join(tmpdir(), 'dse-data-file-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function refused(fn: () => unknown, pattern: RegExp, file: string): void {
  assert.throws(fn, (e: unknown) => isDseError(e) && e.file === file && pattern.test(e.message), String(pattern));
}

test('a FIFO is refused at once instead of blocking the read', { timeout: 5000 }, () => {
  const fifo = join(dir, 'layers.yaml');
  execFileSync('mkfifo', [fifo]);
  refused(() => readTextFile(fifo), /FIFO/, fifo);
  refused(() => readJournal(fifo), /FIFO/, fifo);
  refused(() => skimJournal(fifo, () => {}), /FIFO/, fifo);
});

test('a symlink to /dev/zero is refused instead of read forever', { timeout: 5000 }, () => {
  const link = join(dir, 'zero.csv');
  symlinkSync('/dev/zero', link);
  refused(() => readTextFile(link), /device/, link);
  refused(() => readJournal(link), /device/, link);
});

test('a file above the documented limit is refused before it is read', () => {
  const big = join(dir, 'big.yaml');
  writeFileSync(big, '');
  truncateSync(big, MAX_INPUT_BYTES + 1); // sparse: no disk used
  refused(() => readTextFile(big), /larger .* than the 64 MiB limit/, big);
  const ok = join(dir, 'ok.yaml');
  writeFileSync(ok, 'a: 1\n');
  assert.equal(readTextFile(ok), 'a: 1\n');
});

test('a journal line longer than the limit is an error naming the line, not unbounded memory', () => {
  const j = join(dir, 'journal.jsonl');
  const header = { type: 'header', studyHash: 's', seed: 1, version: '0', createdAt: 'now', objectives: ['latencyS'], study: {} };
  writeFileSync(j, `${JSON.stringify(header)}\n`);
  truncateSync(j, MAX_INPUT_BYTES + 1024); // 64 MiB of NUL bytes, no newline
  refused(() => readJournal(j), /line 2 is longer than/, j);
});
