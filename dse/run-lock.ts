import { closeSync, mkdirSync, openSync, rmdirSync, statSync, unlinkSync, utimesSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { DseError } from '../core/errors.ts';
import { readTextFile } from '../core/data-file.ts';

/**
 * One writer per run directory. `dse run` (fresh or `--resume`) holds `<dir>/run.lock`, a small
 * JSON file naming its owner (pid, host, start time), from before its first journal write until
 * it ends. A second writer is refused with a message naming the owner.
 *
 * A lock left behind by a process that died (SIGKILL, a lost node) is taken over:
 * - on the same host, when no process with the owner's pid is alive;
 * - from another host (a shared file system, as on a Slurm cluster, where the pid cannot be
 *   checked), when the owner's heartbeat is older than STALE_AFTER_MS: a live owner touches
 *   the lock file every HEARTBEAT_MS, so its modification time stays recent.
 * Taking over is itself serialised by a `run.lock.takeover` directory (mkdir is atomic, also
 * on NFS), so two processes finding the same stale lock cannot both win.
 */
export const LOCK_FILE = 'run.lock';
export const HEARTBEAT_MS = 30_000;
export const STALE_AFTER_MS = 10 * 60_000;
const UNREADABLE_AFTER_MS = 5_000;

export interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
}

export interface RunLock {
  readonly file: string;
  release(): void;
}

export function acquireRunLock(dir: string, opts: { now?: () => number } = {}): RunLock {
  const file = join(dir, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  if (!tryCreate(file, me)) {
    const owner = readOwner(file);
    const now = opts.now?.() ?? Date.now();
    // An unreadable lock may be one being written this very moment: stale only once it is old.
    const staleWhy = owner === undefined ? (ageMs(file, now) > UNREADABLE_AFTER_MS ? 'unreadable' : undefined) : whyStale(file, owner, now);
    if (staleWhy === undefined) throw inUse(dir, owner!);
    takeOver(file, me, owner, dir);
  }
  const heartbeat = setInterval(() => {
    try {
      const t = new Date();
      utimesSync(file, t, t);
    } catch {
      // The directory went away or turned read-only: the run itself will report that.
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();
  let held = true;
  return {
    file,
    release() {
      if (!held) return;
      held = false;
      clearInterval(heartbeat);
      // Only our own lock is removed (never one a later owner took over).
      const owner = readOwner(file);
      if (owner?.pid === me.pid && owner.host === me.host && owner.startedAt === me.startedAt) {
        try {
          unlinkSync(file);
        } catch {
          // Already gone.
        }
      }
    },
  };
}

function tryCreate(file: string, owner: LockOwner): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    writeSync(fd, `${JSON.stringify(owner)}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

function readOwner(file: string): LockOwner | undefined {
  try {
    // Bounded and regular-file-only: a lock file is a few dozen bytes.
    const o = JSON.parse(readTextFile(file, 4096)) as Partial<LockOwner>;
    if (typeof o.pid === 'number' && typeof o.host === 'string' && typeof o.startedAt === 'string') return o as LockOwner;
  } catch {
    // Unreadable, half written, or removed meanwhile.
  }
  return undefined;
}

/** Why the lock is stale, or undefined when its owner may still be running. */
function whyStale(file: string, owner: LockOwner, now: number): string | undefined {
  if (owner.host === hostname()) return isAlive(owner.pid) ? undefined : `process ${owner.pid} is gone`;
  const age = ageMs(file, now);
  return age > STALE_AFTER_MS ? `no heartbeat for ${Math.round(age / 60_000)} min` : undefined;
}

/** Milliseconds since the file was last modified (Infinity when it is gone). */
function ageMs(file: string, now: number): number {
  try {
    return now - statSync(file).mtimeMs;
  } catch {
    return Infinity;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function takeOver(file: string, me: LockOwner, stale: LockOwner | undefined, dir: string): void {
  const guard = `${file}.takeover`;
  try {
    mkdirSync(guard);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    // Another process is taking over right now, or died doing so long ago.
    if (Date.now() - statSync(guard).mtimeMs < STALE_AFTER_MS) throw inUse(dir, stale);
    rmdirSync(guard);
    mkdirSync(guard);
  }
  try {
    // The lock may have changed hands since it was judged stale: judge the current one.
    const current = readOwner(file);
    if (current && stale && (current.pid !== stale.pid || current.host !== stale.host || current.startedAt !== stale.startedAt)) throw inUse(dir, current);
    try {
      unlinkSync(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (!tryCreate(file, me)) throw inUse(dir, readOwner(file));
  } finally {
    rmdirSync(guard);
  }
}

function inUse(dir: string, owner: LockOwner | undefined): DseError {
  const who = owner ? `dse (pid ${owner.pid} on ${owner.host}, since ${owner.startedAt})` : 'another dse process';
  return new DseError(
    'run_locked',
    `is in use by ${who}: one writer per run directory. Wait for it to end; if it is gone, it is taken over automatically (same host: at once; another host: after ${STALE_AFTER_MS / 60_000} min without heartbeat), or remove ${LOCK_FILE} by hand`,
    { file: dir },
  );
}
