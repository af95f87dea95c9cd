import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import fs, { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeWholeFile } from '../../core/write-file.ts';
import { isDseError } from '../../core/errors.ts';
import { JournalWriter, readJournal } from '../../results/journal.ts';
import type { JournalHeader, Trial } from '../../core/types.ts';

/*
 * A full disk is simulated by making the fs call fail with the error Node raises for ENOSPC
 * (the CLI's own behaviour on a real full disk and a read-only mount is the same code path).
 */
const dir = mkdtempSync(join(tmpdir(), 'dse-write-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function enospc(syscall: string, path?: string): NodeJS.ErrnoException {
  const e = new Error(`ENOSPC: no space left on device, ${syscall}${path ? ` '${path}'` : ''}`) as NodeJS.ErrnoException;
  e.code = 'ENOSPC';
  e.errno = -28;
  e.syscall = syscall;
  if (path) e.path = path;
  return e;
}

function failing<K extends 'writeFileSync' | 'writeSync'>(name: K, after = 0): { restore(): void } {
  let calls = 0;
  const original = fs[name] as (...a: unknown[]) => unknown;
  const m = mock.method(fs, name, (...args: unknown[]) => {
    if (calls++ < after) return original(...args);
    if (name === 'writeSync') {
      // Half the batch reaches the disk, then the disk is full.
      const [fd, buf, off, len, pos] = args as [number, Buffer, number, number, number];
      original(fd, buf, off, Math.floor(len / 2), pos);
    }
    throw enospc(name === 'writeSync' ? 'write' : 'open', typeof args[0] === 'string' ? args[0] : undefined);
  });
  syncBuiltinESMExports();
  return {
    restore() {
      m.mock.restore();
      syncBuiltinESMExports();
    },
  };
}

test('a full disk while writing front.json: one error naming the file and the reason, no temporary file left', () => {
  const file = join(dir, 'front.json');
  const f = failing('writeFileSync');
  try {
    assert.throws(
      () => writeWholeFile(file, '{}'),
      (e: unknown) => isDseError(e) && e.file === file && /cannot write: no space left on device \(ENOSPC\)/.test(e.message),
    );
  } finally {
    f.restore();
  }
  assert.deepEqual(readdirSync(dir).filter((n) => n.startsWith('front.json')), []);
});

test('a full disk while appending to the journal: the partial batch is cut off and the journal stays resumable', () => {
  const file = join(dir, 'journal.jsonl');
  const header: JournalHeader = { type: 'header', study: {}, studyHash: 's', seed: 1, version: '0', objectives: ['latencyS'], createdAt: 'now' };
  const trial = (seq: number): Trial => ({ seq, hash: `h${seq}`, design: { peRows: seq }, status: 'ok', metrics: { latencyS: seq }, objectives: [seq] });
  const w = JournalWriter.create(file, header);
  w.append([trial(1), trial(2)]);
  const before = readFileSync(file, 'utf8');
  const f = failing('writeSync');
  try {
    assert.throws(
      () => w.append([trial(3), trial(4), trial(5)]),
      (e: unknown) => isDseError(e) && e.file === file && /append to the journal: no space left on device/.test(e.message),
    );
  } finally {
    f.restore();
  }
  w.close();
  assert.equal(readFileSync(file, 'utf8'), before);
  const r = readJournal(file);
  assert.equal(r.trials.length, 2);
  assert.equal(r.tornLastLine, false);
  assert.ok(existsSync(file));
});
