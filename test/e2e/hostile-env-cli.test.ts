import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, runCli, startCli } from './cli-helpers.ts';

/*
 * The user's environment, not accel-dse, is at fault here: unreadable inputs (FIFOs, devices),
 * unwritable outputs, repeated options. Each gives one line naming the path or option, exit 2.
 */
const tmp = mkdtempSync(join(tmpdir(), 'dse-env-'));
test.after(() => {
  execFileSync('chmod', ['-R', 'u+w', tmp]);
  rmSync(tmp, { recursive: true, force: true });
});

function oneLineError(r: { code: number | null; stderr: string }, pattern: RegExp): void {
  assert.equal(r.code, 2, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0]!, /^error: /);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(r.stderr, /internal error|at .*\.ts:\d+/);
}

function study(name: string, workload: string): string {
  const file = join(tmp, `${name}.yaml`);
  writeFileSync(
    file,
    `name: ${name}
workloads: [${JSON.stringify(workload)}]
space: {peRows: [8, 16], peCols: [8, 16]}
objectives: [latencyS, energyPJ]
search: {algorithm: grid, budget: 4, seed: 1, batchSize: 4}
`,
  );
  return file;
}

test('a FIFO named as workload: dse validate refuses it at once instead of hanging', () => {
  const fifo = join(tmp, 'layers.yaml');
  execFileSync('mkfifo', [fifo]);
  oneLineError(runCli(['validate', study('fifo', fifo)], { timeoutMs: 30_000 }), /layers\.yaml.*FIFO/);
});

test('a workload .csv that is a symlink to /dev/zero is refused, not read forever', () => {
  const link = join(tmp, 'zero.csv');
  execFileSync('ln', ['-s', '/dev/zero', link]);
  oneLineError(runCli(['validate', study('zero', link)], { timeoutMs: 30_000 }), /zero\.csv.*device/);
});

test('dse report on a run whose journal header names a FIFO as workload refuses it instead of hanging', () => {
  const layers = join(tmp, 'report-layers.yaml');
  copyFileSync(join(REPO_ROOT, 'configs/workloads/residual-cnn.yaml'), layers);
  const out = join(tmp, 'report-run');
  const r = runCli(['run', study('report-fifo', layers), '--out', out, '--workers', '0', '--no-report']);
  assert.equal(r.code, 0, r.stderr);
  rmSync(layers);
  execFileSync('mkfifo', [layers]);
  // The report is still written; its design anatomy says why the workload could not be read.
  const rep = runCli(['report', out, '-o', join(tmp, 'report.md')], { timeoutMs: 30_000 });
  assert.equal(rep.code, 0, rep.stderr);
  assert.match(readFileSync(join(tmp, 'report.md'), 'utf8'), /report-layers\.yaml: is a FIFO/);
});

test('an --out below a regular file: one line naming the path and the OS reason, exit 2', () => {
  const file = join(tmp, 'not-a-dir');
  writeFileSync(file, 'x');
  const layers = join(REPO_ROOT, 'configs/workloads/residual-cnn.yaml');
  oneLineError(runCli(['run', study('enotdir', layers), '--out', join(file, 'run'), '--workers', '0']), /not-a-dir.*not a directory \(ENOTDIR\)/);
});

test('a repeated option is a usage error naming it, exit 2', () => {
  const layers = join(REPO_ROOT, 'configs/workloads/residual-cnn.yaml');
  const s = study('repeat', layers);
  oneLineError(runCli(['run', s, '--out', join(tmp, 'a'), '--out', join(tmp, 'b')]), /--out was given 2 times/);
  oneLineError(runCli(['run', '--resume', join(tmp, 'a'), '--resume', join(tmp, 'b')]), /--resume was given 2 times/);
  assert.ok(!existsSync(join(tmp, 'a')) && !existsSync(join(tmp, 'b')));
  assert.deepEqual(readdirSync(tmp).filter((n) => n.includes('.tmp-')), []);
});

test('--resume while the run is still going is refused; after a SIGKILL the stale lock is taken over', async () => {
  const s = join(tmp, 'locked-run.yaml');
  writeFileSync(
    s,
    `name: locked-run
workloads: [resnet18]
space: {peRows: {int: {min: 1, max: 64}}, peCols: {int: {min: 1, max: 64}}}
objectives: [latencyS, energyPJ]
search: {algorithm: random, budget: 400, seed: 2, batchSize: 10}
`,
  );
  const dir = join(tmp, 'locked-run');
  const journal = join(dir, 'journal.jsonl');
  const child = startCli(['run', s, '--out', dir, '--workers', '1', '--no-report']);
  const exited = new Promise((r) => child.once('exit', r));
  for (let i = 0; i < 6000 && !(existsSync(journal) && readFileSync(journal, 'utf8').split('\n').length > 12); i++) await new Promise((r) => setTimeout(r, 5));
  // Paused, the first run is alive and holds the lock, whatever the machine's load.
  child.kill('SIGSTOP');
  const second = runCli(['run', '--resume', dir, '--workers', '1', '--no-report']);
  child.kill('SIGKILL');
  await exited;
  oneLineError(second, new RegExp(`locked-run: is in use by dse \\(pid ${child.pid} on `));
  const resumed = runCli(['run', '--resume', dir, '--workers', '1', '--no-report']);
  assert.equal(resumed.code, 0, resumed.stderr);
  const hashes = readFileSync(journal, 'utf8').trim().split('\n').slice(1).map((l) => JSON.parse(l).hash as string);
  assert.equal(hashes.length, 400);
  assert.equal(new Set(hashes).size, 400, 'no trial journalled twice');
  assert.ok(!existsSync(join(dir, 'run.lock')), 'the lock is released at the end');
});

test('a study named .. writes inside runs/, not next to it', () => {
  const cwd = join(tmp, 'cwd-dotdot');
  mkdirSync(cwd);
  const layers = join(REPO_ROOT, 'configs/workloads/residual-cnn.yaml');
  const s = study('dotdot', layers).replace(/dotdot\.yaml$/, 'dotdot2.yaml');
  writeFileSync(s, readFileSync(study('dotdot', layers), 'utf8').replace('name: dotdot', "name: '..'"));
  const r = runCli(['run', s, '--workers', '0', '--no-report'], { cwd });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(readdirSync(cwd), ['runs']);
  const [sub] = readdirSync(join(cwd, 'runs'));
  assert.ok(sub && sub !== '..' && existsSync(join(cwd, 'runs', sub)), String(sub));
});

test('an error line echoing a 200,000-character value or binary garbage is cut and escaped', () => {
  const file = join(tmp, 'huge-value.yaml');
  writeFileSync(file, `name: t\nworkloads: [resnet18]\nspace: {dataflow: ["${'x'.repeat(200_000)}\\u001b[2J\\u0000"]}\nobjectives: [latencyS]\n`);
  const r = runCli(['validate', file]);
  oneLineError(r, /space\.dataflow/);
  assert.ok(r.stderr.length < 1200, `${r.stderr.length} characters`);
  assert.match(r.stderr, /characters in all/);
  assert.doesNotMatch(r.stderr, /[\u0000\u001b]/);
});
