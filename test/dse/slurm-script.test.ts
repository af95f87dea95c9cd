import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  arrayScript,
  mergeScript,
  planSlurm,
  sbatchDirectiveValue,
  shellQuote,
  writeSlurmScripts,
  type SlurmPlan,
} from '../../dse/slurm-script.ts';
import { isDseError } from '../../core/errors.ts';

// Names that break naive quoting: blanks, both quotes, $, backticks, ;, #, %, backslash, newline, glob.
const HOSTILE = [
  `plain`,
  `with space`,
  `it's`,
  `say "hi"`,
  `$HOME and $(touch pwned) and \`touch pwned\``,
  `a; rm -rf ~; b`,
  `#not-a-comment %a %j`,
  `back\\slash\\`,
  `two\nlines`,
  `star * and ?`,
  `'`,
  `''`,
  ``,
  `-n`,
  `é ü 中`,
];

/** Runs bash on `printf '%s\0' <quoted words>` and returns the words bash saw. */
function bashWords(words: string[], cwd: string): string[] {
  const r = spawnSync('bash', ['-c', `printf '%s\\0' ${words.map(shellQuote).join(' ')}`], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\0').slice(0, -1);
}

test('shellQuote: bash reads every hostile string back unchanged, and runs nothing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dse-quote-'));
  try {
    assert.deepEqual(bashWords(HOSTILE, dir), HOSTILE);
    assert.equal(existsSync(join(dir, 'pwned')), false, 'a command substitution ran');
    assert.throws(() => shellQuote('a\0b'), (e: unknown) => isDseError(e));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sbatchDirectiveValue: plain values stay bare, others are quoted or refused', () => {
  assert.equal(sbatchDirectiveValue('/scratch/me/run-1'), '/scratch/me/run-1');
  assert.equal(sbatchDirectiveValue('/scratch/my run'), '"/scratch/my run"');
  assert.equal(sbatchDirectiveValue("/scratch/it's"), `"/scratch/it's"`);
  assert.equal(sbatchDirectiveValue('/scratch/say "hi"'), `'/scratch/say "hi"'`);
  assert.equal(sbatchDirectiveValue(`/scratch/it's "x"`), undefined);
  assert.equal(sbatchDirectiveValue('/scratch/back\\slash'), undefined);
  assert.equal(sbatchDirectiveValue('/scratch/two\nlines'), undefined);
});

test('planSlurm rejects bad options, naming the option', () => {
  const base = { studyFile: 's.yaml', outDir: 'out' };
  const cases: [Record<string, unknown>, string][] = [
    [{ shards: 0 }, '--shards'],
    [{ shards: 2.5 }, '--shards'],
    [{ shards: 5000 }, '--shards'],
    [{ shards: 2, workersPerTask: 0 }, '--workers-per-task'],
    [{ shards: 2, partition: 'gpu; rm -rf /' }, '--partition'],
    [{ shards: 2, partition: 'a b' }, '--partition'],
    [{ shards: 2, time: '1 hour' }, '--time'],
  ];
  for (const [extra, path] of cases) {
    assert.throws(
      () => planSlurm({ ...base, shards: 1, ...extra }),
      (e: unknown) => isDseError(e) && e.path === path,
      JSON.stringify(extra),
    );
  }
  const ok = planSlurm({ ...base, shards: 4, partition: 'cpu,long', time: '1-02:00:00', studyName: 'my study/v2' });
  assert.equal(ok.jobName, 'dse-my_study_v2');
  assert.equal(ok.workersPerTask, 1);
  assert.equal(ok.nodePath, process.execPath);
  // Tests run the sources, so tasks run them too (bin/dse-dev.js); the built package gives bin/dse.js.
  assert.match(ok.dseBin, /[/\\]bin[/\\]dse-dev\.js$/);
  assert.ok(existsSync(ok.dseBin), 'the default dse entry point exists');
});

function plan(outDir: string, extra: Partial<Parameters<typeof planSlurm>[0]> = {}): SlurmPlan {
  return planSlurm({ studyFile: join(outDir, '..', `study $x 'q'.yaml`), outDir, shards: 4, workersPerTask: 3, studyName: 'tiny', createdAt: 'T', ...extra });
}

test('array script: directives for the array, cpus, requeue, logs, partition and time', () => {
  const text = arrayScript(plan('/scratch/run 1', { partition: 'cpu', time: '00:30:00' }));
  assert.match(text, /^#!\/bin\/bash\n/);
  for (const line of [
    '#SBATCH --array=0-3',
    '#SBATCH --cpus-per-task=3',
    '#SBATCH --ntasks=1',
    '#SBATCH --requeue',
    '#SBATCH --output=logs/shard-%a.log',
    '#SBATCH --chdir="/scratch/run 1"',
    '#SBATCH --partition=cpu',
    '#SBATCH --time=00:30:00',
    '#SBATCH --job-name=dse-tiny',
  ]) {
    assert.ok(text.split('\n').includes(line), `missing line: ${line}`);
  }
  // sbatch stops reading directives at the first command: all of them come before it.
  const lines = text.split('\n');
  const firstCommand = lines.findIndex((l) => l.length > 0 && !l.startsWith('#'));
  assert.ok(lines.every((l, i) => !l.startsWith('#SBATCH') || i < firstCommand));
  const noOptional = arrayScript(plan('/scratch/run'));
  assert.doesNotMatch(noOptional, /--partition|--time/);
  assert.match(arrayScript(plan('/scratch/back\\slash')), /no #SBATCH --chdir/);
});

test('merge script: merges every shard into merged/', () => {
  const text = mergeScript(plan('/scratch/run'));
  assert.match(text, /^SHARDS=4$/m);
  assert.match(text, /^#SBATCH --output=logs\/merge\.log$/m);
  assert.doesNotMatch(text, /--array/);
});

/**
 * Runs the generated scripts with bash, in a directory whose name is hostile, with a fake
 * `node` that records the arguments it got (NUL-separated) and exits with $FAKE_EXIT.
 */
test('generated scripts, executed by bash, pass hostile paths through exactly', () => {
  const root = mkdtempSync(join(tmpdir(), 'dse-slurm-script-'));
  try {
    const weird = join(root, `we ird 'q' "dq" $HOME; touch pwned; \`touch pwned\` #%a \\ end`);
    mkdirSync(weird, { recursive: true });
    const fakeNode = join(weird, `fake node's`);
    writeFileSync(fakeNode, '#!/bin/bash\nprintf \'%s\\0\' "$@" >"$FAKE_ARGV"\n[[ $2 == merge ]] && mkdir -p "${@: -1}"\nexit "${FAKE_EXIT:-0}"\n', { mode: 0o755 });
    const argvFile = join(root, 'argv');
    const outDir = join(weird, 'out $dir');
    const p = plan(outDir, { nodePath: fakeNode, dseBin: join(weird, 'bin;dse.js'), studyFile: join(weird, "study 'x'.yaml") });
    const files = writeSlurmScripts(p);

    const run = (script: string, env: Record<string, string>) => {
      const r = spawnSync('bash', [script], { cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', FAKE_ARGV: argvFile, ...env } });
      const argv = existsSync(argvFile) ? readFileSync(argvFile, 'utf8').split('\0').slice(0, -1) : [];
      rmSync(argvFile, { force: true });
      return { status: r.status, argv, stdout: r.stdout, stderr: r.stderr };
    };

    // Task 2, first attempt: a fresh shard directory.
    const first = run(files.array, { SLURM_ARRAY_TASK_ID: '2' });
    assert.equal(first.status, 0, first.stderr);
    assert.deepEqual(first.argv, [p.dseBin, 'run', p.studyFile, '--shard', 'auto', '--workers', '3', '--no-report', '--out', join(outDir, 'shard-2')]);
    assert.equal(readFileSync(join(outDir, 'logs', 'shard-2.exit'), 'utf8').trim(), '0');

    // Task 2 requeued after writing part of its journal: resumes it, and records the failure.
    mkdirSync(join(outDir, 'shard-2'), { recursive: true });
    writeFileSync(join(outDir, 'shard-2', 'journal.jsonl'), '{"type":"header"}\n');
    const again = run(files.array, { SLURM_ARRAY_TASK_ID: '2', FAKE_EXIT: '5' });
    assert.equal(again.status, 5);
    assert.deepEqual(again.argv, [p.dseBin, 'run', p.studyFile, '--shard', 'auto', '--workers', '3', '--no-report', '--resume', join(outDir, 'shard-2')]);
    assert.equal(readFileSync(join(outDir, 'logs', 'shard-2.exit'), 'utf8').trim(), '5');

    // Outside Slurm the array script refuses to guess a shard.
    const outside = run(files.array, {});
    assert.notEqual(outside.status, 0);
    assert.match(outside.stderr, /sbatch/);
    assert.deepEqual(outside.argv, []);

    const merge = run(files.merge, {});
    assert.equal(merge.status, 0, merge.stderr);
    assert.deepEqual(merge.argv, [p.dseBin, 'merge', ...[0, 1, 2, 3].map((i) => join(outDir, `shard-${i}`)), '--out', join(outDir, 'merged.partial')]);
    assert.ok(existsSync(join(outDir, 'merged')) && !existsSync(join(outDir, 'merged.partial')), 'merged.partial is swapped in as merged');
    assert.equal(readFileSync(join(outDir, 'logs', 'merge.exit'), 'utf8').trim(), '0');

    // submit.sh with a fake sbatch that records each call and answers like `sbatch --parsable`.
    const binDir = join(root, 'bin');
    mkdirSync(binDir);
    const calls = join(root, 'calls');
    writeFileSync(
      join(binDir, 'sbatch'),
      `#!/bin/bash\nprintf '%s\\0' "$@" >>${shellQuote(calls)}\nprintf '\\n' >>${shellQuote(calls)}\n` +
        `if [[ -e ${shellQuote(calls + '.n')} ]]; then echo 4243; else touch ${shellQuote(calls + '.n')}; echo '4242;cluster'; fi\n`,
      { mode: 0o755 },
    );
    const submit = spawnSync('bash', [files.submit], { cwd: root, encoding: 'utf8', env: { PATH: `${binDir}:${process.env.PATH ?? ''}` } });
    assert.equal(submit.status, 0, submit.stderr);
    const recorded = readFileSync(calls, 'utf8').split('\n').slice(0, -1).map((l) => l.split('\0').slice(0, -1));
    assert.deepEqual(recorded, [
      ['--parsable', `--chdir=${outDir}`, join(outDir, 'array.sbatch')],
      ['--parsable', `--chdir=${outDir}`, '--dependency=afterok:4242', join(outDir, 'merge.sbatch')],
    ]);
    assert.match(submit.stdout, /array job 4242, merge job 4243/);
    // Stale exit markers of the earlier "runs" were cleared before submitting.
    assert.equal(existsSync(join(outDir, 'logs', 'shard-2.exit')), false);
    assert.equal(existsSync(join(outDir, 'logs', 'merge.exit')), false);

    assert.equal(existsSync(join(root, 'pwned')), false, 'a command substitution ran');
    assert.equal(existsSync(join(weird, 'pwned')), false, 'a command substitution ran');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
