import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** sha256 (16 hex digits) over the paths and contents of the .ts files under the given repo-relative folders and files. */
export function hashSources(paths: readonly string[]): string {
  const files: string[] = [];
  const walk = (p: string): void => {
    if (statSync(p).isDirectory()) for (const f of readdirSync(p).sort()) walk(join(p, f));
    else if (p.endsWith('.ts')) files.push(p);
  };
  for (const p of paths) walk(join(root, p));
  const h = createHash('sha256');
  for (const f of files) {
    h.update(f.slice(root.length));
    h.update('\0');
    h.update(readFileSync(f));
    h.update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

/**
 * Which searchers a report measured: the commit, whether search/ had uncommitted changes, and
 * a hash of search/'s sources (which identifies the code either way). Numbers measured on
 * different stamps are not comparable.
 */
export function searcherStamp(): string {
  const hash = hashSources(['search']);
  const git = (args: string[]): string | undefined => {
    const r = spawnSync('git', args, { cwd: root, encoding: 'utf8' });
    return r.status === 0 ? r.stdout.trim() : undefined;
  };
  const head = git(['rev-parse', '--short', 'HEAD']);
  if (head === undefined) return `search/ sources ${hash}`;
  const dirty = (git(['status', '--porcelain', '--', 'search']) ?? '') !== '';
  return `search/ at commit ${head}${dirty ? ' with uncommitted changes' : ''} (sources ${hash})`;
}
