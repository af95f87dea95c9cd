import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DseError } from './errors.ts';

/**
 * Writing files, with the user's environment (no permission, a read-only mount, a full disk)
 * reported as such: a DseError naming the path and the OS reason, never a stack trace.
 */

/** Whether `e` is an error from the operating system (EACCES, ENOSPC, ...), not a bug. */
export function isOsError(e: unknown): e is NodeJS.ErrnoException {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return e instanceof Error && typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) && typeof (e as NodeJS.ErrnoException).syscall === 'string';
}

/**
 * The OS error as a DseError: "cannot <doing>: <reason> (<CODE>)" for `file` (or the path the
 * error names). The reason is the OS's own words from Node's message ("EACCES: permission
 * denied, open '/x'" -> "permission denied").
 */
export function osErrorToDse(e: NodeJS.ErrnoException, doing: string, file?: string): DseError {
  const reason = /^E[A-Z0-9]+: ([^,]+)/.exec(e.message)?.[1] ?? e.code ?? e.message;
  return new DseError('os_error', `cannot ${doing}: ${reason} (${e.code})`, { file: file ?? e.path ?? (e as { dest?: string }).dest });
}

/**
 * Writes a file whole: to `<path>.tmp-<pid>`, then renamed over `path`, so a reader never sees
 * half a file. On failure the temporary file is removed and the error names `path`.
 */
export function writeWholeFile(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // Nothing more to do: the directory itself refuses changes.
    }
    throw isOsError(e) ? osErrorToDse(e, 'write', path) : e;
  }
}

/** writeFileSync with OS errors as DseErrors naming the file. */
export function writeFileOrFail(path: string, text: string, opts: { append?: boolean } = {}): void {
  try {
    writeFileSync(path, text, opts.append ? { flag: 'a' } : undefined);
  } catch (e) {
    throw isOsError(e) ? osErrorToDse(e, 'write', path) : e;
  }
}

/**
 * `mkdir -p` with the OS's own reason on failure, as a DseError naming `dir`. Node's recursive
 * mkdir reports any failure of a missing component as ENOENT (nodejs/node#47098): an output
 * directory on a read-only mount said "no such file or directory". So on ENOENT the missing
 * components are made one by one, and the first that fails gives the real reason (EROFS,
 * EACCES, ENOSPC).
 */
export function makeDirectory(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    return;
  } catch (e) {
    if (!isOsError(e)) throw e;
    if (e.code !== 'ENOENT') throw osErrorToDse(e, 'make the directory', dir);
  }
  const missing: string[] = [];
  for (let d = resolve(dir); !existsSync(d) && dirname(d) !== d; d = dirname(d)) missing.unshift(d);
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (e) {
      if (isOsError(e) && e.code === 'EEXIST') continue;
      throw isOsError(e) ? osErrorToDse(e, 'make the directory', dir) : e;
    }
  }
}
