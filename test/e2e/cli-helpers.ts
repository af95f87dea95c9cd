import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The real CLI, run from the sources (bin/dse-dev.js, through tsx) so tests always run the code
 * in the working tree, never a stale dist/. The compiled package and its `dse` binary are
 * tested by test/packaging/.
 */
export const DSE_BIN = fileURLToPath(new URL('../../bin/dse-dev.js', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): CliResult {
  const r = spawnSync(process.execPath, [DSE_BIN, ...args], {
    cwd: opts.cwd ?? REPO_ROOT,
    env: { ...process.env, ...opts.env },
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function startCli(args: string[], opts: { cwd?: string } = {}): ChildProcess {
  return spawn(process.execPath, [DSE_BIN, ...args], { cwd: opts.cwd ?? REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Trials of a journal (header dropped), keyed by design hash. */
export function journalTrials(file: string): Map<string, { status: string; metrics?: Record<string, number>; seq: number }> {
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim().length > 0);
  const out = new Map();
  for (const line of lines.slice(1)) {
    const t = JSON.parse(line);
    out.set(t.hash, t);
  }
  return out;
}

/** The front's design hashes, sorted. */
export function frontHashes(dir: string): string[] {
  const front = JSON.parse(readFileSync(`${dir}/front.json`, "utf8")) as { front: { hash: string }[] };
  return front.front.map((t) => t.hash).sort();
}
