import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireRunLock, LOCK_FILE, STALE_AFTER_MS } from '../../dse/run-lock.ts';
import { isDseError } from '../../core/errors.ts';

function freshDir(): string {
  return mkdtempSync(join(tmpdir(), 'dse-lock-'));
}

function refused(dir: string, who: RegExp): void {
  assert.throws(() => acquireRunLock(dir), (e: unknown) => isDseError(e) && e.code === 'run_locked' && e.file === dir && who.test(e.message));
}

function ownerOf(dir: string): { pid: number; host: string } {
  return JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'));
}

/** The pid of a process that has ended. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

test('one writer: a second lock on the same run directory is refused, naming the owner; release frees it', () => {
  const dir = freshDir();
  try {
    const lock = acquireRunLock(dir);
    assert.deepEqual({ ...ownerOf(dir), startedAt: undefined }, { pid: process.pid, host: hostname(), startedAt: undefined });
    refused(dir, new RegExp(`pid ${process.pid} on ${hostname()}`));
    lock.release();
    assert.ok(!existsSync(join(dir, LOCK_FILE)));
    acquireRunLock(dir).release();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a lock left by a dead process on this host is taken over at once', () => {
  const dir = freshDir();
  try {
    const pid = deadPid();
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid, host: hostname(), startedAt: '2026-01-01T00:00:00Z' }));
    const lock = acquireRunLock(dir);
    assert.equal(ownerOf(dir).pid, process.pid);
    lock.release();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a lock from another host is honoured while its heartbeat is fresh, taken over once it is stale', () => {
  const dir = freshDir();
  try {
    const file = join(dir, LOCK_FILE);
    writeFileSync(file, JSON.stringify({ pid: 1, host: 'node-17.cluster', startedAt: '2026-01-01T00:00:00Z' }));
    refused(dir, /pid 1 on node-17\.cluster/);
    const old = new Date(Date.now() - STALE_AFTER_MS - 60_000);
    utimesSync(file, old, old);
    const lock = acquireRunLock(dir);
    assert.equal(ownerOf(dir).host, hostname());
    lock.release();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a half-written lock is honoured for a moment, then taken over', () => {
  const dir = freshDir();
  try {
    const file = join(dir, LOCK_FILE);
    writeFileSync(file, '');
    refused(dir, /another dse process/);
    const old = new Date(Date.now() - 60_000);
    utimesSync(file, old, old);
    acquireRunLock(dir).release();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('release does not remove a lock another process took over', () => {
  const dir = freshDir();
  try {
    const lock = acquireRunLock(dir);
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 1, host: 'elsewhere', startedAt: 'x' }));
    lock.release();
    assert.equal(ownerOf(dir).host, 'elsewhere');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
