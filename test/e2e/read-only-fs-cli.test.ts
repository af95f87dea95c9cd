import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DSE_BIN, frontHashes, journalTrials, REPO_ROOT, runCli, type CliResult } from './cli-helpers.ts';

/*
 * Read-only file systems and unwritable directories, for real: an output directory on a
 * read-only mount (EROFS), a run directory that becomes read-only while the run goes on, and
 * the same with permissions (EACCES). Each gives one line naming the path and the OS reason,
 * exit 2, no temporary file left, and a journal that --resume finishes.
 *
 * A read-only mount is made in a private mount namespace (`unshare -m`, as root, or `unshare
 * -rm`, a user namespace, otherwise): `mount --bind D D && mount -o remount,bind,ro D`, seen by
 * the CLI started inside it and by nothing else. Permissions are not enforced for root, so as
 * root the CLI runs as `nobody` (`setpriv`). A test skips, saying why, only when the machine
 * offers neither.
 */
const tmp = mkdtempSync(join(tmpdir(), 'dse-rofs-'));
// Readable by `nobody`, who runs the CLI in the permission tests when these run as root.
chmodSync(tmp, 0o755);
test.after(() => {
  spawnSync('chmod', ['-R', 'u+w', tmp]);
  rmSync(tmp, { recursive: true, force: true });
});

const isRoot = process.getuid?.() === 0;
const layers = join(REPO_ROOT, 'configs/workloads/residual-cnn.yaml');

function study(name: string, budget: number, batchSize: number): string {
  const file = join(tmp, `${name}.yaml`);
  writeFileSync(
    file,
    `name: ${name}
workloads: [${JSON.stringify(layers)}]
space: {peRows: {int: {min: 1, max: 256}}, peCols: {int: {min: 1, max: 256}}}
objectives: [latencyS, energyPJ]
search: {algorithm: random, budget: ${budget}, seed: 1, batchSize: ${batchSize}}
`,
  );
  chmodSync(file, 0o644);
  return file;
}

function sh(args: string[]): CliResult {
  const r = spawnSync(args[0]!, args.slice(1), { cwd: REPO_ROOT, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? String(r.error ?? '') };
}

/** How to enter a private mount namespace where a bind mount can be made read-only; a skip reason when none works. */
const namespace: { flags: string[] } | { skip: string } = (() => {
  const probe = join(tmp, 'probe');
  mkdirSync(probe);
  for (const flags of isRoot ? [['-m'], ['-rm']] : [['-rm']]) {
    const r = sh(['unshare', ...flags, 'sh', '-c', 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && ! touch "$1/x" 2>/dev/null', 'sh', probe]);
    if (r.code === 0) return { flags };
  }
  return { skip: 'cannot make a read-only mount here: unshare -m needs root, and unprivileged user namespaces (unshare -rm) are not allowed' };
})();

/** Runs `script` (sh, with $1 the directory to make read-only and the CLI command after it) in the namespace. */
function inNamespace(script: string, dir: string, cliArgs: string[]): CliResult {
  if ('skip' in namespace) throw new Error(namespace.skip);
  return sh(['unshare', ...namespace.flags, 'sh', '-c', script, 'sh', dir, process.execPath, DSE_BIN, ...cliArgs]);
}

/** The CLI as an unprivileged user: itself when not root, `nobody` through setpriv as root; a skip reason when neither. */
const unprivileged: { prefix: string[] } | { skip: string } = (() => {
  if (!isRoot) return { prefix: [] };
  const prefix = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];
  const r = sh([...prefix, process.execPath, DSE_BIN, '--version']);
  return r.code === 0 ? { prefix } : { skip: `running as root and cannot run the CLI as nobody with setpriv (${r.stderr.trim().split('\n')[0]})` };
})();

function oneLineError(r: CliResult, path: string, reason: RegExp): void {
  assert.equal(r.code, 2, r.stderr);
  // Progress lines (stderr, not a terminal) may come first; the error is one line.
  const lines = r.stderr.trim().split('\n').filter((l) => !l.startsWith('progress: '));
  assert.equal(lines.length, 1, r.stderr);
  assert.ok(lines[0]!.startsWith(`error: ${path}: `), lines[0]);
  assert.match(lines[0]!, reason);
  assert.doesNotMatch(r.stderr, /internal error|at .*\.ts:\d+/);
}

function noTemporaryFiles(dir: string): void {
  if (!existsSync(dir)) return;
  assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.tmp-')), [], `temporary files left in ${dir}`);
}

/** The run of `file` uninterrupted, for comparison. */
function uninterrupted(file: string, name: string): string {
  const dir = join(tmp, `${name}-full`);
  const r = runCli(['run', file, '--out', dir, '--workers', '1', '--no-report']);
  assert.equal(r.code, 0, r.stderr);
  return dir;
}

// Waits (in sh) until the run's journal has its header and a first batch, then makes the run
// directory read-only: a new read-only mount over it. The journal, already open, is still
// appended to (its descriptor is on the writable mount beneath); every file the run makes
// from then on (front.json, ...) meets the read-only mount.
const MID_RUN = `out=$1; shift
"$@" & pid=$!
while kill -0 $pid 2>/dev/null && [ "$(cat "$out/journal.jsonl" 2>/dev/null | wc -l)" -lt 2 ]; do sleep 0.02; done
mount --bind "$out" "$out" && mount -o remount,bind,ro "$out"
wait $pid`;

test('an output directory on a read-only mount (EROFS): one line naming it and the reason, exit 2', { skip: 'skip' in namespace ? namespace.skip : false }, () => {
  const ro = join(tmp, 'ro-out');
  mkdirSync(ro);
  const out = join(ro, 'runs', 'a');
  const r = inNamespace('mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"', ro, ['run', study('erofs-out', 20, 10), '--out', out, '--workers', '0']);
  // Node's recursive mkdir would say ENOENT here; the reason must be the real one.
  oneLineError(r, out, /cannot make the directory: read-only file system \(EROFS\)$/);
  assert.deepEqual(readdirSync(ro), []);
});

test('a run directory made read-only mid-run (EROFS): one line naming the file and the reason, exit 2; --resume then ends as an uninterrupted run', { skip: 'skip' in namespace ? namespace.skip : false }, () => {
  const file = study('erofs-mid', 20_000, 200);
  const dir = join(tmp, 'erofs-mid');
  mkdirSync(dir);
  const r = inNamespace(MID_RUN, dir, ['run', file, '--out', dir, '--workers', '1', '--no-report']);
  oneLineError(r, join(dir, 'front.json'), /cannot write: read-only file system \(EROFS\)$/);
  noTemporaryFiles(dir);
  // Outside the namespace the directory is writable again: the run resumes (taking over the
  // lock its dead process left) and ends with the trials and front of an uninterrupted run.
  const resumed = runCli(['run', '--resume', dir, '--workers', '1', '--no-report']);
  assert.equal(resumed.code, 0, resumed.stderr);
  const full = uninterrupted(file, 'erofs-mid');
  assert.deepEqual([...journalTrials(join(dir, 'journal.jsonl')).entries()].sort(), [...journalTrials(join(full, 'journal.jsonl')).entries()].sort());
  assert.deepEqual(frontHashes(dir), frontHashes(full));
});

test('an unwritable output directory (EACCES): one line naming it and the reason, exit 2', { skip: 'skip' in unprivileged ? unprivileged.skip : false }, () => {
  if ('skip' in unprivileged) return;
  const locked = join(tmp, 'locked');
  mkdirSync(locked);
  chmodSync(locked, 0o555);
  const out = join(locked, 'run');
  const r = sh([...unprivileged.prefix, process.execPath, DSE_BIN, 'run', study('eacces-out', 20, 10), '--out', out, '--workers', '0']);
  oneLineError(r, out, /cannot make the directory: permission denied \(EACCES\)$/);
  assert.deepEqual(readdirSync(locked), []);
});

test('a run directory made unwritable mid-run (EACCES): one line, exit 2, no temporary file; --resume then ends as an uninterrupted run', { skip: 'skip' in unprivileged ? unprivileged.skip : false }, async () => {
  if ('skip' in unprivileged) return;
  const file = study('eacces-mid', 20_000, 200);
  const dir = join(tmp, 'eacces-mid');
  mkdirSync(dir);
  if (isRoot) spawnSync('chown', ['65534:65534', dir]); // nobody's run directory, which root then makes read-only
  const cmd = [...unprivileged.prefix, process.execPath, DSE_BIN, 'run', file, '--out', dir, '--workers', '1', '--no-report'];
  const child = spawn(cmd[0]!, cmd.slice(1), { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const journal = join(dir, 'journal.jsonl');
  // Wait for the header and a first complete trial line: count newlines, since the run may be
  // halfway through appending a line when the journal is read.
  const completeLines = (): number => (existsSync(journal) ? readFileSync(journal, 'utf8').split('\n').length - 1 : 0);
  for (let i = 0; i < 30_000 && completeLines() < 2; i++) await new Promise((r) => setTimeout(r, 10));
  chmodSync(dir, 0o555);
  const code = await exited;
  oneLineError({ code, stdout: '', stderr }, join(dir, 'front.json'), /cannot write: permission denied \(EACCES\)$/);
  noTemporaryFiles(dir);
  chmodSync(dir, 0o755);
  const resumed = runCli(['run', '--resume', dir, '--workers', '1', '--no-report']);
  assert.equal(resumed.code, 0, resumed.stderr);
  const full = uninterrupted(file, 'eacces-mid');
  assert.deepEqual([...journalTrials(journal).entries()].sort(), [...journalTrials(join(full, 'journal.jsonl')).entries()].sort());
});
