import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, runCli } from './cli-helpers.ts';

const COMMANDS = ['run', 'validate', 'schema', 'workloads', 'eval', 'schedule', 'report', 'baseline', 'check', 'merge', 'slurm'];

const helps = new Map<string, string>();
function help(c: string): string {
  if (!helps.has(c)) {
    const r = runCli(c ? [c, '--help'] : ['--help']);
    assert.equal(r.code, 0, `${c}: ${r.stderr}`);
    helps.set(c, r.stdout);
  }
  return helps.get(c)!;
}

test('every command has an example in its --help, and no odd "[default: []]"', () => {
  for (const c of ['', ...COMMANDS]) {
    const r = { stdout: help(c) };
    assert.match(r.stdout, /\nExamples:\n {2}dse /, `dse ${c} --help has no example`);
    assert.doesNotMatch(r.stdout, /\[default: \[\]\]/, `dse ${c} --help`);
  }
});

test('dse --version prints the package version', () => {
  const r = runCli(['--version']);
  assert.equal(r.code, 0);
  const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  assert.equal(r.stdout.trim(), version);
});

test('short flags are the same across commands: -H/-w/-p for eval and schedule, -o for every output', () => {
  const hw = join(REPO_ROOT, 'configs', 'hardware', 'edge-32x32.yaml');
  const wl = join(REPO_ROOT, 'configs', 'workloads', 'residual-cnn.yaml');
  const s = runCli(['schedule', '-H', hw, '-w', wl, '--policy', 'greedy', '--json']);
  assert.equal(s.code, 0, s.stderr);
  assert.equal((JSON.parse(s.stdout) as { policy: string }).policy, 'greedy');
  for (const c of ['run', 'report', 'schema', 'merge', 'baseline', 'slurm']) {
    assert.match(help(c), /-o, --out/, `dse ${c} takes -o`);
  }
});
